"""Database glue: engines, metadata per schema, the outbox and the inbox."""
