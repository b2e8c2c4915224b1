"""The archive's internal query API (``/api/v1``)."""
