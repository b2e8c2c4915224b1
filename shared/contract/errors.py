"""Why an incoming message is not an acceptable event."""


class InvalidEvent(ValueError):
    """The message is not a valid event of our contract; ``reason`` says precisely why."""

    def __init__(self, reason: str, *, code: str = "invalid_event") -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code
