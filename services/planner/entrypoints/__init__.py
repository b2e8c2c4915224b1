"""How the world reaches the planner: HTTP API, event consumer, command line."""
