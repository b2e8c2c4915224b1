"""A text query as PostgreSQL ``tsquery`` text, in three strengths, and what to highlight.

Each word of a query must match (AND), in one of its forms:

- **exact**: the word as written, folded (``xocali`` ↔ ``Xocalı``), among the words of the
  document as written (plain lexemes; see the search document in
  :mod:`services.archive.adapters.log_writer`);
- **stemmed**: also any other form: the document's stems (marked lexemes, ``~xocali``)
  equal to the query word or to one of its Azerbaijani stems, or to its English or
  Russian stem, or to the Russian stem it is derived from or gives by ``-ск-``; and the
  document's words as written equal to one of the query word's Azerbaijani stems
  (``Xocalıya`` finds ``Xocalı``);
- **prefix** (search as you type): also any word as written that the last query word
  begins, when that word has at least :data:`PREFIX_MIN` letters (``diaspo`` →
  ``diaspora``).

``exact`` ⊆ ``stemmed`` ⊆ ``broad``: lists filter by ``broad``; ranked search puts exact
matches first, then stemmed ones, then the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from services.archive.domain.morphology import (
    STEM_MARK,
    azerbaijani_stems,
    russian_adjective_stems,
    russian_noun_of_adjective,
)
from services.archive.domain.snippets import Highlight

PREFIX_MIN = 3
"""Letters the word being typed needs before it matches as a prefix."""
Match = Literal["exact", "stemmed", "prefix"]
MATCHES: tuple[Match, ...] = ("exact", "stemmed", "prefix")
"""By tier: 0 exact, 1 stemmed, 2 prefix."""


@dataclass(frozen=True)
class WordForms:
    """A word as PostgreSQL splits and stems it: its folded lexemes (``simple``, in order;
    usually one), and its English and Russian stems (none for a stop word)."""

    words: tuple[str, ...]
    english: tuple[str, ...] = ()
    russian: tuple[str, ...] = ()


def words_to_stem(terms: Sequence[str]) -> list[str]:
    """The words whose forms a query needs: its terms, and the Russian nouns its ``-ск-``
    adjectives are made from (``парламентской`` → ``парламент``)."""
    wanted = dict.fromkeys(terms)
    for term in terms:
        noun = russian_noun_of_adjective(term.lower())
        if noun is not None:
            wanted[noun] = None
    return list(wanted)


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

    def of_strength(self, strength: Match) -> str:
        """The tsquery of the matches of this strength or a stronger one."""
        return {"exact": self.exact, "stemmed": self.stemmed, "prefix": self.broad}[strength]

    def strengths(self) -> list[Match]:
        """Its strengths that add matches, weakest first (``prefix`` stands for all)."""
        found: list[Match] = ["prefix"]
        if self.prefix and self.stemmed != self.exact:
            found.append("stemmed")
        if self.broad != self.exact:
            found.append("exact")
        return found


def text_query(
    terms: Sequence[str], forms: Mapping[str, WordForms], *, prefix: bool = False
) -> TextQuery | None:
    """The tsqueries of the terms, given the forms of :func:`words_to_stem` (``None`` when
    no term has a lexeme)."""
    usable = [term for term in terms if forms[term].words]
    if not usable:
        return None
    exact, stemmed, broad = [], [], []
    targets: set[str] = set()
    beginnings: set[str] = set()
    for index, term in enumerate(usable):
        lexemes = forms[term].words
        exact.append(_all(_lexeme(word) for word in lexemes))
        found = _forms(term, forms)
        targets.update(found.targets)
        beginnings.update(found.beginnings)
        stemmed.append(_any(found.alternatives))
        typed = lexemes[-1]
        if prefix and index == len(usable) - 1 and len(typed) >= PREFIX_MIN:
            broad.append(_any([*found.alternatives, f"{_lexeme(typed)}:*"]))
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


def _forms(term: str, forms: Mapping[str, WordForms]) -> _Forms:
    """The tsquery alternatives of one term, and the forms a highlighted word must have."""
    own = forms[term]
    if len(own.words) > 1:  # a word PostgreSQL splits (``a_b``): its parts, all required
        return _Forms([_all(_lexeme(word) for word in own.words)], set(own.words), set())
    word = own.words[0]
    targets = {word, *azerbaijani_stems(word)}
    stems = {*own.english, *own.russian, *russian_adjective_stems(term.lower(), own.russian)}
    noun = russian_noun_of_adjective(term.lower())
    if noun is not None and noun in forms:
        stems.update(forms[noun].russian)
    alternatives = [word, STEM_MARK + word]
    for target in sorted(targets - {word}):
        alternatives += [target, STEM_MARK + target]
    alternatives += sorted({STEM_MARK + stem for stem in stems} - set(alternatives))
    return _Forms([_lexeme(form) for form in alternatives], targets, stems)


def _lexeme(text: str) -> str:
    """A lexeme quoted for tsquery input."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _all(parts: Iterable[str]) -> str:
    listed = list(parts)
    return listed[0] if len(listed) == 1 else f"({' & '.join(listed)})"


def _any(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"({' | '.join(parts)})"
