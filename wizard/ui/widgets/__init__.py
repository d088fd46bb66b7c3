"""Reusable widgets: field editors, the list picker, the checklist, the banner."""
