"""The one classification rule every service applies.

- Levels rise ``public`` < ``internal`` < ``restricted``.
- A missing or unreadable classification means the contract's default, ``internal``
  (a value outside the three levels fails closed: ``restricted``).
- A hearing or a meeting is at least as restricted as the item it belongs to, now and
  whenever the item is reclassified later.
- Restricted data is shown only to a cleared reader; to anyone else it does not exist
  (the same answer as for something missing).
- An external system never sees restricted items: its report is never linked to one.
"""

from __future__ import annotations

from typing import Final, get_args

from shared.contract.values import Classification

DEFAULT_CLASSIFICATION: Final[Classification] = "internal"
"""What an event or record without a classification is."""
LEVELS: Final[tuple[Classification, ...]] = get_args(Classification)
"""From the least to the most restricted."""
RANK: Final[dict[str, int]] = {level: rank for rank, level in enumerate(LEVELS)}


def classification_of(value: object) -> Classification:
    """The classification a raw value stands for: missing is the default, unknown is
    restricted (an unreadable marking is never read as less than it may mean)."""
    if value is None:
        return DEFAULT_CLASSIFICATION
    for level in LEVELS:
        if value == level:
            return level
    return "restricted"


def stricter(*levels: object) -> Classification:
    """The most restricted of the given levels (missing ones count as the default)."""
    return max(
        (classification_of(level) for level in levels),
        key=RANK.__getitem__,
        default=DEFAULT_CLASSIFICATION,
    )


def effective_classification(own: object, item: object) -> Classification:
    """A hearing's or meeting's classification: its own, raised to its item's."""
    return stricter(own, item)


def is_restricted(level: object) -> bool:
    """Restricted, or unreadable (which fails closed); a missing level is the default."""
    return classification_of(level) == "restricted"


def may_see(level: object, *, cleared: bool) -> bool:
    """Whether a reader (cleared for restricted data or not) may see something so classified."""
    return cleared or not is_restricted(level)
