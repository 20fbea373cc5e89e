"""core.text: the one normaliser and stemmer behind the journal search, the guide search and
the wording check."""

import pytest

from core.text import fold_in_place, stem, words


@pytest.mark.parametrize(
    "forms",
    [
        "talk talks talked talking",
        "feel feels feeling feelings",
        "boundary boundaries",
        "stop stops stopped stopping",
        "cause causes caused causing",
        "box boxes",
        "class classes",
        "partner partners partner's partners'",
    ],
)
def test_the_forms_of_a_word_share_one_stem(forms):
    assert len(set(words(forms))) == 1


def test_a_stem_is_a_prefix_of_its_word_and_short_words_stay_whole():
    for word in ("boundaries", "feelings", "stonewalling", "stopped", "messages", "crises"):
        assert word.startswith(stem(word)) and len(stem(word)) >= 3
    assert [stem(word) for word in ("this", "his", "focus", "us", "was", "hoping")] == [
        "this", "his", "focus", "us", "was", "hoping",
    ]  # fmt: skip


def test_words_fold_case_accents_and_apostrophes():
    assert words("Won\u2019t WONT won\u02bct Thérapie") == ["wont", "wont", "wont", "therapi"]


def test_folding_in_place_keeps_every_character_where_it_was():
    for text in ["İlk önce: You MUST", "Straße ﬁne", "won\u2019t café", "plain ASCII"]:
        assert len(fold_in_place(text)) == len(text)
    assert fold_in_place("Won\u2019t CAFÉ İ") == "won't cafe i"
