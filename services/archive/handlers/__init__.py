"""The archive's service layer: ingest batches, rebuild read models, answer queries."""
