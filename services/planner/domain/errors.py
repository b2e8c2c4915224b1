"""What can go wrong in the planner, in words a clerk understands."""


class PlannerError(Exception):
    """Base of the planner's domain errors; the message is shown to the caller as is."""


class NotFound(PlannerError):
    """The thing named does not exist (or the caller may not see it)."""


class Conflict(PlannerError):
    """The request clashes with the current state: a wrong transition, an overlap, a duplicate."""


class RuleViolation(PlannerError):
    """The request breaks a rule of the plan, e.g. a hearing outside its session."""
