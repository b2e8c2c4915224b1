"""Broker topology, confirmed publishing, dead letters and the outbox relay."""
