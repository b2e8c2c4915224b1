"""What a query can be refused for; the API turns these into precise 4xx answers."""


class ArchiveError(Exception):
    """Base of the archive's errors: the message says precisely what is wrong."""


class NotFound(ArchiveError):
    """Nothing with that key (or it is restricted from this caller)."""


class BadQuery(ArchiveError):
    """The parameters cannot be answered as given."""


class Forbidden(ArchiveError):
    """The caller may not do this (e.g. make a feed for someone else without the scope)."""
