"""Highlighted snippets of search results, with the same folding and stems as the search.

A word is highlighted when it matches the query as the index does: its folded form or one
of its Azerbaijani stems is the folded query word or one of that word's stems (``Xocalıya``
for ``xocali``, ``komitəsinin`` for ``komitə``); or its folded form begins with an English
or Russian stem of the query (``Meetings`` for ``meeting``, stem ``meet``; ``встречи`` for
``встреча``, stem ``встреч``) or with the word being typed (``diaspora`` for ``diaspo``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from services.archive.domain.folding import fold
from services.archive.domain.morphology import azerbaijani_stems

_TOKEN = re.compile(r"\w+|\W+", re.UNICODE)
WINDOW = 24
"""Words shown around the first match."""
MIN_BEGINNING = 3


@dataclass(frozen=True)
class Highlight:
    """What a query matches: folded words and stems (``targets``), and ``beginnings`` (stems
    of the English and Russian stemmers, the word being typed) that a word may start with."""

    targets: frozenset[str]
    beginnings: frozenset[str] = frozenset()

    def matches(self, word: str) -> bool:
        folded = fold(word)
        if folded in self.targets or not self.targets.isdisjoint(azerbaijani_stems(folded)):
            return True
        return any(
            folded.startswith(beginning)
            for beginning in self.beginnings
            if len(beginning) >= MIN_BEGINNING
        )


def snippet(texts: Iterable[str], highlight: Highlight) -> str | None:
    """The text with the most matches, cut around its first one, matches in ``<mark>``.

    Everything else is HTML-escaped, so the snippet can be shown as HTML.
    """
    best: tuple[int, list[str], list[bool]] | None = None
    for text in texts:
        tokens = _TOKEN.findall(text)
        marks = [token[:1].isalnum() and highlight.matches(token) for token in tokens]
        count = sum(marks)
        if count and (best is None or count > best[0]):
            best = (count, tokens, marks)
    if best is None:
        return None
    _, tokens, marks = best
    first = marks.index(True)
    start = max(0, first - WINDOW)
    end = min(len(tokens), first + 2 * WINDOW)
    pieces = [
        f"<mark>{html.escape(token)}</mark>" if marked else html.escape(token)
        for token, marked in zip(tokens[start:end], marks[start:end], strict=True)
    ]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(tokens) else ""
    return f"{prefix}{''.join(pieces).strip()}{suffix}"


def texts_of(data: object) -> list[str]:
    """The pieces of text in an event's data or a state, titles first."""
    found: list[str] = []
    if isinstance(data, dict):
        title = data.get("title")
        if isinstance(title, dict):
            found.extend(value for value in title.values() if isinstance(value, str))
        for key, value in data.items():
            if key != "title":
                found.extend(_strings(value))
    return found


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for inner in value.values() for text in _strings(inner)]
    if isinstance(value, list):
        return [text for inner in value for text in _strings(inner)]
    return []
