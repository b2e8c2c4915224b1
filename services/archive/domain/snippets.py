"""Highlighted snippets of search results, with the same folding as the search itself.

A word is highlighted when its folded form starts with a lexeme of the query (the folded
query word, or its English or Russian stem): ``Xocalı`` for ``xocali``, ``встречи`` for
``встреча`` (stem ``встреч``), ``Meetings`` for ``meeting`` (stem ``meet``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from services.archive.domain.folding import fold

_TOKEN = re.compile(r"\w+|\W+", re.UNICODE)
WINDOW = 24
"""Words shown around the first match."""


def matches(word: str, lexemes: Iterable[str]) -> bool:
    folded = fold(word)
    return any(
        folded == lexeme or (len(lexeme) >= 3 and folded.startswith(lexeme)) for lexeme in lexemes
    )


def snippet(texts: Iterable[str], lexemes: set[str]) -> str | None:
    """The text with the most matches, cut around its first one, matches in ``<mark>``.

    Everything else is HTML-escaped, so the snippet can be shown as HTML.
    """
    folded_lexemes = {fold(lexeme) for lexeme in lexemes if lexeme}
    best: tuple[int, list[str], list[bool]] | None = None
    for text in texts:
        tokens = _TOKEN.findall(text)
        marks = [token[:1].isalnum() and matches(token, folded_lexemes) for token in tokens]
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
