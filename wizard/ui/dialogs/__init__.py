"""Modal dialogs over the screens: a yes/no question, the help, the request log."""
