"""The ``workplan`` command line: run, migrate, import, publish, tokens, dead letters."""
