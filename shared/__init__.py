"""What every Workplan service needs to speak the same language.

The event contract, broker topology, database glue, outbox and inbox mechanics,
access tokens and the service runtime. No domain logic lives here.
"""
