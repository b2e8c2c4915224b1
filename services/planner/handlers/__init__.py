"""The planner's service layer: one small handler per command, run in a unit of work."""
