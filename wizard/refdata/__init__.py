"""Reference tables as plain data (ISO 3166-1 countries, ISO 639-1 languages).

A leaf: it imports nothing of the wizard, so the core (to show codes as names) and the
sandbox (to check and list them) share one copy.
"""
