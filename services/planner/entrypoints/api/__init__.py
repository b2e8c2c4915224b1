"""The planner's staff HTTP API (``/api/v1``)."""
