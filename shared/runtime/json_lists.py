"""Lists that are JSON only say so: ``?format=csv`` (or any format but json) is a 422 naming
what is offered, never silently answered as JSON. The archive offers CSV and JSON Lines."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

JsonOnly = Annotated[
    Literal["json"] | None,
    Query(
        alias="format",
        description="Only `json` here; CSV and JSON Lines are offered by the archive's lists.",
    ),
]
