"""The planner: the work plan and everything staff do with it; every change leaves as an event."""
