"""How the archive is driven: its broker consumer, its HTTP API, its command line."""
