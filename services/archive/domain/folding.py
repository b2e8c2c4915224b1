"""Azerbaijani-aware case folding of search text and of queries.

Azerbaijani (like Turkish) has two letters i: dotted ``İ/i`` and dotless ``I/ı``. Plain
Unicode lower-casing maps ``I`` to ``i`` and ``İ`` to ``i̇`` (i + combining dot), which is
wrong for Azerbaijani. So text is lower-cased with Azerbaijani rules first (``İ→i``,
``I→ı``), then folded to ASCII-like letters (``ə→e, ı→i, ö→o, ü→u, ş→s, ç→c, ğ→g``, and
Russian ``ё→е``), so that ``xocali`` finds ``Xocalı`` and ``iraq`` finds ``IRAQ``. Queries
are folded the same way. The English and Russian stemmers of PostgreSQL work on the
original text, next to the folded form.
"""

from __future__ import annotations

import re

_AZ_UPPER = (("İ", "i"), ("I", "ı"))
_FOLD = (
    ("ə", "e"),
    ("ı", "i"),
    ("ö", "o"),
    ("ü", "u"),
    ("ş", "s"),
    ("ç", "c"),
    ("ğ", "g"),
    ("ё", "е"),
    ("\u0307", ""),  # a combining dot above left by other scripts' capitals
)
"""Letter by letter; no replacement produces a letter replaced later, so applying them one
after another equals one simultaneous mapping. ``str.replace`` is many times faster than
``str.translate`` with a mapping on non-ASCII text (search text is folded per event)."""
_WORD = re.compile(r"\w+", re.UNICODE)


def az_lower(text: str) -> str:
    """Lower-case with Azerbaijani rules: ``İ→i``, ``I→ı``; everything else as Unicode does."""
    for letter, lowered in _AZ_UPPER:
        if letter in text:
            text = text.replace(letter, lowered)
    return text.lower()


def fold(text: str) -> str:
    """The search form of a text: Azerbaijani lower-casing, then letters folded to ASCII."""
    text = az_lower(text)
    for letter, folded in _FOLD:
        if letter in text:
            text = text.replace(letter, folded)
    return text


def words(text: str) -> list[str]:
    """The words of a text, as written."""
    return _WORD.findall(text)


def query_terms(query: str, limit: int = 16) -> list[str]:
    """The words of a query, at most ``limit`` (each is required in a match)."""
    return [word for word in words(query) if word.strip("_")][:limit]
