"""Screens of the wizard, one per file."""
