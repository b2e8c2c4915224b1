"""What a consumer's handler did with an event."""

from typing import Literal

Outcome = Literal["applied", "duplicate", "stale", "ignored", "dead_lettered"]
