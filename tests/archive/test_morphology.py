"""Word forms for search without infrastructure: Azerbaijani stems, Russian -ск-, tsqueries."""

from __future__ import annotations

import pytest

from services.archive.domain.folding import fold
from services.archive.domain.morphology import (
    azerbaijani_stems,
    russian_adjective_stems,
    russian_noun_of_adjective,
    stems_text,
)
from services.archive.domain.snippets import Highlight
from services.archive.domain.text_query import WordForms, text_query, words_to_stem


def stems(word: str) -> tuple[str, ...]:
    return azerbaijani_stems(fold(word))


@pytest.mark.parametrize(
    ("root", "forms"),
    [
        ("Xocalı", ["Xocalıya", "Xocalının", "Xocalıda", "Xocalını", "Xocalıdakı"]),
        ("İstanbul", ["İstanbulda", "İstanbulun", "İstanbula", "İstanbuldan"]),
        ("komitə", ["komitəsi", "komitənin", "komitəsinin", "komitələr", "komitədir"]),
        ("nümayəndə", ["nümayəndələrinin", "nümayəndələrimiz", "nümayəndəyə"]),
        ("ölkə", ["ölkəmizin", "ölkələrdə"]),
        ("görüş", ["görüşlər", "görüşləri", "görüşlərdə"]),
        ("əməkdaşlıq", ["əməkdaşlığı", "əməkdaşlığın"]),  # ğ before a vowel is q
        ("dəstək", ["dəstəyi", "dəstəyə"]),  # y before a vowel is k
        ("Bakı", ["Bakıya", "Bakıdan"]),
        ("həmkar", ["həmkarlarımızla"]),
    ],
)
def test_every_form_of_a_word_has_the_word_among_its_stems(root, forms):
    for form in forms:
        assert fold(root) in stems(form), form


@pytest.mark.parametrize(
    ("word", "not_a_stem"),
    [
        ("kitabə", "kitab"),  # inscription: -ə after a back vowel breaks harmony
        ("Türkiyə", "türk"),  # Türk + i would be Türkü
        ("bala", "bal"),  # a lone vowel is stripped only from four letters on
        ("İslam", "isl"),  # a personal ending likewise
        ("parlamentlərarası", "parlament"),  # compounds are not split
        ("dövlətçiliyinin", "dövlət"),  # nor derivation undone
    ],
)
def test_look_alikes_are_not_taken_for_forms(word, not_a_stem):
    assert fold(not_a_stem) not in stems(word)


def test_only_latin_words_of_four_letters_or_more_are_analysed():
    assert stems("парламенту") == stems("ada") == stems("2026") == ()
    assert set(stems_text("xocaliya 2026-ci movzu12 parlamentin").split()) >= {
        "~xocali",
        "~parlament",
    }


def test_russian_adjectives_and_the_nouns_they_are_made_from():
    assert russian_noun_of_adjective("парламентской") == "парламент"
    assert russian_noun_of_adjective("азербайджанских") == "азербайджан"
    assert russian_noun_of_adjective("минского") is None  # too short a noun
    assert russian_noun_of_adjective("парламент") is None
    assert "азербайджанск" in russian_adjective_stems("азербайджан", ["азербайджа"])
    assert russian_adjective_stems("парламента", ["парламент"]) == {"парламентск"}
    assert russian_adjective_stems("hearing", ["hear"]) == set()


def test_a_query_has_exact_stemmed_and_prefix_strengths():
    terms = ["Xocalı", "парламентской", "diaspo"]
    assert words_to_stem(terms) == [*terms, "парламент"]
    forms = {
        "Xocalı": WordForms(("xocali",), ("xocalı",), ("xocalı",)),
        "парламентской": WordForms(("парламентской",), ("парламентской",), ("парламентск",)),
        "парламент": WordForms(("парламент",), ("парламент",), ("парламент",)),
        "diaspo": WordForms(("diaspo",), ("diaspo",), ("diaspo",)),
    }
    query = text_query(terms, forms, prefix=True)
    assert query is not None
    assert query.exact == "'xocali' & 'парламентской' & 'diaspo'"
    assert query.stemmed == (
        "('xocali' | '~xocali' | 'xocal' | '~xocal' | '~xocalı')"
        " & ('парламентской' | '~парламентской' | '~парламент' | '~парламентск')"
        " & ('diaspo' | '~diaspo')"
    )
    assert query.broad == query.stemmed[: -len(")")] + " | 'diaspo':*)"
    assert query.prefix
    for word in ("Xocalıya", "diasporanın", "Парламента", "парламентских"):
        assert query.highlight.matches(word), word
    assert not query.highlight.matches("Xocavənd")
    not_typed = text_query(["di"], {"di": WordForms(("di",))}, prefix=True)
    assert not_typed is not None
    assert not not_typed.prefix  # under three letters: a whole word
    assert text_query(["_"], {"_": WordForms(())}) is None


def test_highlight_marks_what_the_index_matches():
    highlight = Highlight(frozenset({"komite", "komit"}), frozenset({"meet"}))
    assert highlight.matches("Komitəsinin")
    assert highlight.matches("Meetings")
    assert not highlight.matches("kommunikasiya")
