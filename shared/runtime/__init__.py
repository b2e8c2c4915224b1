"""Running a service: one process serving its HTTP API and its consumers."""
