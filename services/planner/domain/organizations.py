"""Counterpart organisations (Popolo's Organization): parliaments, assemblies, ministries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import StringConstraints

OrganizationClassification = Literal[
    "international_parliamentary_assembly",
    "national_parliament",
    "ministry",
    "state_committee",
    "international_organization",
    "intergovernmental_body",
]

IdentifierScheme = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.-]{0,39}$")]
"""The register an identifier belongs to, the key of ``identifiers``: ``wikidata``, ``isni``."""


@dataclass(eq=False)
class Organization:
    code: str
    name: dict[str, str]
    classification: OrganizationClassification
    abbreviation: dict[str, str] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)

    def matches(self, other: Organization) -> bool:
        return (
            self.name == other.name
            and self.classification == other.classification
            and self.abbreviation == other.abbreviation
            and self.identifiers == other.identifiers
        )
