"""The Textual UI: the app, one screen per file, reusable widgets."""
