"""Azerbaijani suffixes, and the Russian ``-ск-`` adjective ↔ noun link, for search.

Azerbaijani builds a word by appending suffixes to its root in a fixed order::

    root + plural + possessive + case (+ -kı) + personal (predicative)
    Xocalı + ya                      → Xocalıya   (dative)
    komitə + si + nin                → komitəsinin (possessive, genitive)
    nümayəndə + lər + i + nin        → nümayəndələrinin

:func:`azerbaijani_stems` undoes that on the *folded* form of a word (see
:mod:`services.archive.domain.folding`): it strips every chain of suffixes that fits the
end of the word, slot by slot from the outside in, and returns each stem it reaches.
A document indexes those stems beside the word (marked, :data:`STEM_MARK`); a query word
matches a document word when it equals one of the document word's stems (``xocali`` finds
``Xocalıya``), or one of its own stems does (``Xocalıya`` finds ``Xocalı``).

Why our own rules and not PostgreSQL's Snowball ``turkish`` stemmer: Turkish lacks ``ə``,
``q`` and ``x``, builds the accusative after a vowel with ``-y-`` where Azerbaijani uses
``-n-``, and the stemmer's choices are not stable across one word's forms (it gives
``xocal`` for ``xocalı`` but ``xocalı`` for ``xocalıya``; ``komi`` for ``komitə``;
``parlame`` for ``parlamentin``). And a query typed without diacritics (``xocali``) must
find the same words: so the rules work on folded text.

Vowel harmony on folded text: folding keeps rounding (``o ö u ü`` → ``o u``) and the
``a``/``ə`` contrast (``ə`` → ``e``), and loses only ``ı``/``i`` and ``o``/``ö``, ``u``/``ü``.
So a four-way suffix vowel (``ı i u ü`` → ``i`` or ``u``) is checked exactly (``u`` after
``o``/``u``, ``i`` otherwise), and a two-way one (``a``/``ə``) where the stem's last vowel
tells (``a`` after ``a``, ``e`` after ``e``; either after ``i o u``).

False matches are kept down by: harmony; the buffer consonants (``-nın``, ``-ya``, ``-sı``
only after a vowel; ``-ın``, ``-a``, ``-ı`` only after a consonant); stems of at least
three letters with a vowel, four when a lone vowel or a personal ending is stripped (so
``bala`` is not ``bal`` + ``a``); and the slot order (a case ending is never looked for
inside a possessive).

Consonant changes before a vowel are undone: ``ğ`` (folded ``g``) → ``q``
(``əməkdaşlığı`` → ``əməkdaşlıq``), ``y`` → ``k`` (``dəstəyi`` → ``dəstək``).

Not covered: verbs (tenses, moods, voices, participles beyond what looks like a noun
suffix), derivation (``-lıq``, ``-çı``, ``-lı``, ``-sız``), dropped vowels (``ağız`` →
``ağzı``, ``oğul`` → ``oğlu``), compounds (``parlamentlərarası``), and roots of fewer than
three letters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

VOWELS = frozenset("aeiou")
LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
MIN_WORD = 4
"""Shorter words are not analysed."""
MIN_STEM = 3
MIN_STEM_RISKY = 4
"""Stripping a lone vowel (``-a``, ``-ı``) or a personal ending needs a longer stem."""

Harmony = Literal["two", "four", "none"]
After = Literal["vowel", "consonant", "any"]


@dataclass(frozen=True)
class Suffix:
    text: str
    after: After = "any"
    harmony: Harmony = "none"
    risky: bool = False

    def fits(self, stem: str) -> bool:
        """Whether this suffix may follow ``stem`` (folded)."""
        if len(stem) < (MIN_STEM_RISKY if self.risky else MIN_STEM):
            return False
        last = _last_vowel(stem)
        if last is None:
            return False
        if self.after != "any" and (stem[-1] in VOWELS) != (self.after == "vowel"):
            return False
        return _in_harmony(last, _first_vowel(self.text), self.harmony)


def _in_harmony(last: str, vowel: str | None, harmony: Harmony) -> bool:
    """Whether a suffix vowel agrees with the stem's last vowel, as far as folding tells."""
    if harmony == "four":
        return vowel == ("u" if last in "ou" else "i")
    if harmony == "two":
        return not ((last == "a" and vowel == "e") or (last == "e" and vowel == "a"))
    return True


def _harmonic(
    texts: tuple[str, ...], after: After, harmony: Harmony, *, risky: bool = False
) -> tuple[Suffix, ...]:
    return tuple(Suffix(text, after, harmony, risky) for text in texts)


PERSONAL = (
    *_harmonic(("dir", "dur"), "any", "four"),
    *_harmonic(("dirlar", "dirler", "durlar", "durler"), "any", "four"),
    *_harmonic(("am", "em"), "consonant", "two", risky=True),
    *_harmonic(("yam", "yem"), "vowel", "two", risky=True),
    *_harmonic(("san", "sen"), "any", "two", risky=True),
    *_harmonic(("siniz", "sunuz"), "any", "four", risky=True),
)
"""Predicative endings: ``-dır`` (is), ``-dırlar`` (are), ``-am``, ``-san``, ``-sınız``."""
CASE = (
    *_harmonic(("in", "un"), "consonant", "four"),  # genitive
    *_harmonic(("nin", "nun"), "vowel", "four"),
    *_harmonic(("a", "e"), "consonant", "two", risky=True),  # dative
    *_harmonic(("ya", "ye", "na", "ne"), "vowel", "two"),
    *_harmonic(("i", "u"), "consonant", "four", risky=True),  # accusative
    *_harmonic(("ni", "nu"), "vowel", "four"),
    *_harmonic(("da", "de", "dan", "den"), "any", "two"),  # locative, ablative
    *_harmonic(("nda", "nde", "ndan", "nden"), "vowel", "two"),
    *_harmonic(("daki", "deki"), "any", "two"),  # locative + -kı
    *_harmonic(("ndaki", "ndeki"), "vowel", "two"),
    *_harmonic(("la", "le"), "consonant", "two"),  # instrumental (-la, -yla)
    *_harmonic(("yla", "yle"), "vowel", "two"),
)
POSSESSIVE = (
    *_harmonic(("i", "u"), "consonant", "four", risky=True),  # his/her (3rd person)
    *_harmonic(("si", "su"), "vowel", "four"),
    *_harmonic(("im", "um", "in", "un"), "consonant", "four"),  # my, your
    *_harmonic(("imiz", "umuz", "iniz", "unuz"), "consonant", "four"),  # our, your (plural)
    *_harmonic(("miz", "muz", "niz", "nuz"), "vowel", "four"),
)
PLURAL = _harmonic(("lar", "ler"), "any", "two")
SLOTS = (PERSONAL, CASE, POSSESSIVE, PLURAL)
"""Outermost first: a chain is stripped from the end of the word inwards."""

_LATIN_WORD = re.compile(rf"(?<!\w)[a-z]{{{MIN_WORD},}}(?!\w)")
_MEMO_LIMIT = 200_000
_MEMO: dict[str, tuple[str, ...]] = {}
"""Folded word → its stems, marked (tuples of strings, which the garbage collector stops
tracking; the words of a language are few, so the memo stays small)."""


def azerbaijani_stems(word: str) -> tuple[str, ...]:
    """The stems of a folded word: every root its ending can be stripped to (not the word).

    Only words of Latin letters (after folding) are analysed.
    """
    return tuple(stem[len(STEM_MARK) :] for stem in _marked_stems(word))


STEM_MARK = "~"
"""Marks a lexeme of the search document as another form of a word, not a word as written:
``~xocali`` (a stem of ``Xocalıya``) is not ``xocali`` (the word ``Xocalı``). So an exact
query asks for plain lexemes, a stemmed one for both, and PostgreSQL keeps statistics of
each apart (an exact query for a word that is common only as a stem is planned as rare)."""


def stems_text(folded: str) -> str:
    """The Azerbaijani stems of every word of a folded text, once each, marked
    (:data:`STEM_MARK`) and space-separated."""
    stems: set[str] = set()
    for word in set(_LATIN_WORD.findall(folded)):
        stems.update(_marked_stems(word))
    return " ".join(stems)


def _marked_stems(word: str) -> tuple[str, ...]:
    found = _MEMO.get(word)
    if found is None:
        analysed = sorted(_analyse(word)) if _analysable(word) else []
        found = tuple(STEM_MARK + stem for stem in analysed)
        if len(_MEMO) < _MEMO_LIMIT:
            _MEMO[word] = found
    return found


def _analysable(word: str) -> bool:
    return len(word) >= MIN_WORD and all(letter in LETTERS for letter in word)


def _analyse(word: str) -> set[str]:
    found: set[str] = set()
    _strip(word, 0, found)
    found.discard(word)
    return found


def _strip(stem: str, first_slot: int, found: set[str]) -> None:
    for slot in range(first_slot, len(SLOTS)):
        for suffix in SLOTS[slot]:
            if len(stem) > len(suffix.text) and stem.endswith(suffix.text):
                rest = stem[: -len(suffix.text)]
                if suffix.fits(rest):
                    found.add(rest)
                    if suffix.text[0] in VOWELS:
                        found.update(_restored_consonant(rest))
                    _strip(rest, slot + 1, found)


def _restored_consonant(stem: str) -> tuple[str, ...]:
    """``ğ`` → ``q`` and ``y`` → ``k`` before a vowel suffix, back to the root's consonant."""
    if stem.endswith("g"):
        return (stem[:-1] + "q",)
    if stem.endswith("y") and len(stem) > 1 and stem[-2] in VOWELS:
        return (stem[:-1] + "k",)
    return ()


def _last_vowel(text: str) -> str | None:
    for letter in reversed(text):
        if letter in VOWELS:
            return letter
    return None


def _first_vowel(text: str) -> str | None:
    for letter in text:
        if letter in VOWELS:
            return letter
    return None


RUSSIAN_MIN_STEM = 5
_CYRILLIC = re.compile(r"^[а-яё]+$")
_RUSSIAN_SK_ADJECTIVE = re.compile(
    r"^([а-яё]{5,}?)ск(?:ий|ый|ая|ое|ие|ые|ого|ому|им|ым|ом|ой|ую|их|ых|ими|ыми|ая)$"
)


def russian_noun_of_adjective(word: str) -> str | None:
    """The noun a Russian ``-ск-`` adjective is made from: ``парламентской`` → ``парламент``,
    ``азербайджанских`` → ``азербайджан`` (lower-case words; ``None`` for other words)."""
    found = _RUSSIAN_SK_ADJECTIVE.match(word)
    return found.group(1) if found else None


def russian_adjective_stems(word: str, stems: Iterable[str]) -> set[str]:
    """Stems of the ``-ск-`` adjectives made from a Russian noun, as the Snowball stemmer
    gives them (``парламентск``) — from the noun's stems and, when it ends in a consonant,
    from the word itself (``азербайджан`` → ``азербайджанск``, whose stem is ``азербайджа``).
    Only Cyrillic words of at least five letters."""
    candidates = {stem for stem in stems if len(stem) >= RUSSIAN_MIN_STEM}
    if len(word) >= RUSSIAN_MIN_STEM and word[-1] not in "аеёиоуыэюяйь":
        candidates.add(word)
    return {
        candidate + "ск"
        for candidate in candidates
        if _CYRILLIC.match(candidate) and not candidate.endswith("ск")
    }
