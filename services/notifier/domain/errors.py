"""What can go wrong in the notifier, in words an administrator understands."""


class NotifierError(Exception):
    """Base of the notifier's domain errors; the message is shown to the caller as is."""


class NotFound(NotifierError):
    """The thing named does not exist (or the caller may not see it)."""


class Conflict(NotifierError):
    """The request clashes with the current state, e.g. resending a delivery already sent."""


class RuleViolation(NotifierError):
    """The request breaks a rule, e.g. a digest on a channel other than e-mail."""
