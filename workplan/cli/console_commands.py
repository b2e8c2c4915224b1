"""``workplan console``: run the staff console (it loads the console only when run)."""

from __future__ import annotations


def console() -> None:
    """Run the staff console (web pages for staff) on port 8000."""
    from services.console.main import run  # noqa: PLC0415 - load only the service asked for

    run()
