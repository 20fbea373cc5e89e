from accounts.crypto import UserKeys
from journal import index


def test_words_are_normalised_for_case_accents_apostrophes_plurals_and_endings():
    assert index.words("Café FEARS don\u2019t partner's Crises classes x 7") == [
        "cafe", "fear", "dont", "partner", "cris", "class", "7",
    ]  # fmt: skip
    assert index.words("feelings") == index.words("Feeling")
    assert len(set(index.words("talk talks talked talking"))) == 1
    assert index.words("boundaries stopped") == index.words("boundary stop")


def test_an_entry_is_indexed_by_its_words_tags_mood_and_guide_but_not_by_its_step():
    terms = index.entry_terms(
        title="Hope", body="Talking helps.", tags=["work life"], mood=4,
        step_key="open-the-conversation/go-first",
    )  # fmt: skip
    assert {"w:hope", "w:talk", "w:help", "w:work", "w:life"} <= terms
    assert {"t:work life", "m:4", "g:open-the-conversation"} <= terms
    assert not any("go-first" in term for term in terms)


def test_tokens_are_keyed_integers_that_differ_between_people():
    alice, bob = (UserKeys.from_data_key(key) for key in (b"A" * 43 + b"=", b"B" * 43 + b"="))
    assert alice.index_token("w:hope") == alice.index_token("w:hope")
    assert alice.index_token("w:hope") != bob.index_token("w:hope")
    assert isinstance(alice.index_token("w:hope"), int)
    assert -(2**63) <= alice.index_token("w:hope") < 2**63


def test_a_query_becomes_its_distinct_word_terms_in_order():
    assert index.query_terms("Hopes, hope and FEAR") == ["w:hope", "w:and", "w:fear"]
    assert index.query_terms("!!! ?") == []
