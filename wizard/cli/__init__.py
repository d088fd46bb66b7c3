"""The command line: ``main`` parses the arguments and runs one command.

``main`` (the console script and ``python -m wizard``) starts the TUI, the plain line
mode, ``serve`` or the sandbox; ``fill`` and ``fill_report`` are the headless run and
its report; ``facets``, ``facets_args`` and ``facets_source`` are the ``facets``
command; ``description`` reads the text a new draft starts from, ``output`` makes
the JSON documents safe to print. Nothing below this package imports it.
"""
