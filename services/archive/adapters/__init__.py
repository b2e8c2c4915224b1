"""The archive on PostgreSQL: tables, the batched log writer, the query repositories."""
