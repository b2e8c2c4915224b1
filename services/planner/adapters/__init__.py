"""The planner's adapters: ORM mapping, repositories and the unit of work on PostgreSQL."""
