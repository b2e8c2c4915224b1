"""The planner's pure model: aggregates that enforce a clerk's rules and record events."""
