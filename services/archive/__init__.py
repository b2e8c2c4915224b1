"""The archive: the immutable record of every event, read models built from it, the query API."""
