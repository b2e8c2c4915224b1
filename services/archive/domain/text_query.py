"""A text query as PostgreSQL ``tsquery`` text, in three strengths, and what to highlight.

Each word of a query must match (AND), in one of its forms:

- **exact**: the word as written, folded (``xocali`` ↔ ``Xocalı``), among the words of the
  document as written: the lexeme with weight A or B (``'xocali':AB``; see the search
  document in :mod:`services.archive.adapters.log_writer`);
- **stemmed**: also any other form: the document's stems (weights C and D) and words equal
  to the query word, to one of its Azerbaijani stems, to its English or Russian stem, or
  to the Russian stem it is derived from or gives by ``-ск-``;
- **prefix** (search as you type): also any word the last query word begins, when that
  word has at least :data:`PREFIX_MIN` letters (``diaspo`` → ``diaspora``).

``exact`` ⊆ ``stemmed`` ⊆ ``broad``: lists filter by ``broad``; ranked search puts exact
matches first, then stemmed ones, then the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from services.archive.domain.morphology import azerbaijani_stems, russian_related
from services.archive.domain.snippets import Highlight

PREFIX_MIN = 3
"""Letters the word being typed needs before it matches as a prefix."""
Match = Literal["exact", "stemmed", "prefix"]
MATCHES: tuple[Match, ...] = ("exact", "stemmed", "prefix")
"""By tier: 0 exact, 1 stemmed, 2 prefix."""


@dataclass(frozen=True)
class TermForms:
    """One query word as PostgreSQL splits and stems it: its folded lexemes (``simple``,
    in order; usually one), and its English and Russian stems (none for a stop word)."""

    words: tuple[str, ...]
    english: tuple[str, ...] = ()
    russian: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextQuery:
    exact: str
    stemmed: str
    broad: str
    highlight: Highlight

    @property
    def prefix(self) -> bool:
        """Whether the broad query adds prefix matches to the stemmed ones."""
        return self.broad != self.stemmed


def text_query(terms: Sequence[TermForms], *, prefix: bool = False) -> TextQuery | None:
    """The tsqueries of the terms (``None`` when no term has a lexeme)."""
    usable = [term for term in terms if term.words]
    if not usable:
        return None
    exact, stemmed, broad = [], [], []
    targets: set[str] = set()
    beginnings: set[str] = set()
    for index, term in enumerate(usable):
        exact.append(_all(f"{_lexeme(word)}:AB" for word in term.words))
        forms = _forms(term)
        targets.update(forms.targets)
        beginnings.update(forms.beginnings)
        stemmed.append(_any(forms.alternatives))
        typed = term.words[-1]
        if prefix and index == len(usable) - 1 and len(typed) >= PREFIX_MIN:
            broad.append(_any([*forms.alternatives, f"{_lexeme(typed)}:*"]))
            beginnings.add(typed)
        else:
            broad.append(stemmed[-1])
    return TextQuery(
        exact=" & ".join(exact),
        stemmed=" & ".join(stemmed),
        broad=" & ".join(broad),
        highlight=Highlight(frozenset(targets), frozenset(beginnings)),
    )


@dataclass(frozen=True)
class _Forms:
    alternatives: list[str]
    targets: set[str]
    beginnings: set[str]


def _forms(term: TermForms) -> _Forms:
    """The tsquery alternatives of one term, and the forms a highlighted word must have."""
    if len(term.words) > 1:  # a word PostgreSQL splits (``a_b``): its parts, all required
        return _Forms([_all(_lexeme(word) for word in term.words)], set(term.words), set())
    word = term.words[0]
    targets = {word, *azerbaijani_stems(word)}
    stems = {*term.english, *term.russian}
    stems.update(related for stem in term.russian for related in russian_related(stem))
    stems -= targets
    alternatives = [_lexeme(form) for form in (word, *sorted(targets - {word}), *sorted(stems))]
    return _Forms(alternatives, targets, stems)


def _lexeme(text: str) -> str:
    """A lexeme quoted for tsquery input."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _all(parts: Iterable[str]) -> str:
    listed = list(parts)
    return listed[0] if len(listed) == 1 else f"({' & '.join(listed)})"


def _any(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"({' | '.join(parts)})"
