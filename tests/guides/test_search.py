"""Guide search as people type: without apostrophes, in everyday words, with snippets that
come from one block of text."""

import re

import pytest

from guides.content import site_content
from guides.search import (
    blocks_of,
    parse_synonyms,
    search,
    site_synonyms,
    synonym_problems,
)


def titles(query):
    return [hit.step.title for hit in search(site_content(), query)]


def plain(snippet):
    return re.sub(r"</?mark>", "", str(snippet))


@pytest.mark.parametrize(
    "typed", ["he wont go to therapy", "he won\u2019t go to therapy", "HE WONT GO TO THERAPY!"]
)
def test_a_missing_or_curly_apostrophe_finds_what_the_straight_one_finds(typed):
    expected = titles("he won't go to therapy")
    assert len(expected) >= 6
    assert titles(typed) == expected


def test_words_run_together_or_hyphenated_find_each_other():
    assert "Hold what's yours, release what isn't" in titles("selfcare")
    assert titles("self-care") and titles("whats yours") == titles("what's yours")


@pytest.mark.parametrize("everyday", ["stonewalling", "silent treatment", "he stonewalls me"])
def test_everyday_words_for_withdrawal_find_the_steps_about_it(everyday):
    found = titles(everyday)
    assert "When emotional distance settles in" in found[:3]


def test_the_us_spelling_finds_the_british_one():
    assert "What couples help is really like" in titles("marriage counseling")


def test_every_form_of_a_word_and_its_accents_find_the_same_steps():
    assert titles("feelings") == titles("feel") and len(titles("feel")) >= 3
    assert titles("THÉRAPY") == titles("therapy")


def test_a_short_word_is_not_a_prefix_of_longer_ones():
    hits = search(site_content(), "therapy he")
    assert hits and all("<mark>heard" not in str(hit.snippet) for hit in hits)


def test_little_words_alone_still_search():
    assert titles("the") and titles("it")


def test_a_snippet_is_one_block_of_text_never_a_heading_run_into_a_paragraph():
    content = site_content()
    step = next(s for s in content.steps if s.title == "When emotional distance settles in")
    headings = set(re.findall(r"<h[2-6][^>]*>(.*?)</h[2-6]>", step.html))
    for query in ["withdrawal", "stonewalling", "distance", "journal", "partner"]:
        for hit in search(content, query):
            text = plain(hit.snippet).strip("… ")
            blocks = [b for _, b in blocks_of(hit.step.html)]
            assert any(text in block for block in [*blocks, hit.step.summary]), (query, text)
            assert not any(text.startswith(h + " ") for h in headings)


def test_a_long_block_is_cut_at_word_boundaries_with_an_ellipsis():
    for hit in search(site_content(), "partner"):
        text = plain(hit.snippet)
        core = text.removeprefix("… ").removesuffix(" …")
        block = next((b for _, b in blocks_of(hit.step.html) if core in b), hit.step.summary)
        if text.startswith("… "):
            before = block[: block.index(core)]
            assert before.endswith(" "), (before[-20:], core[:20])
        if text.endswith(" …"):
            after = block[block.index(core) + len(core) :]
            assert after.startswith(" "), (core[-20:], after[:20])
        assert len(core) <= 400


def test_snippets_stay_escaped():
    hits = search(site_content(), "<b>boundary</b>")
    assert hits and all("<b>" not in str(hit.snippet) for hit in hits)


def test_the_site_synonym_list_is_valid_and_every_meaning_is_in_a_step():
    assert synonym_problems(site_content()) == []
    assert site_synonyms().entries


def test_a_broken_synonym_list_names_each_problem(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text(
        "- words: [stonewalling]\n  means: [xylophone]\n"
        "- words: stonewalling\n  means: [withdrawal]\n"
        "- words: [ok]\n"
    )
    problems = synonym_problems(site_content(), path)
    assert any("'xylophone'" in p and "in no step" in p for p in problems)
    assert any("entry 2" in p and "'words' must be a list" in p for p in problems)
    assert any("entry 3" in p and "exactly the keys" in p for p in problems)
    assert parse_synonyms(": [")[1] and parse_synonyms("")[1] == []


def test_the_search_page_finds_without_the_apostrophe(client):
    page = client.post("/guides/search/", {"q": "he wont go to therapy"}).text
    assert "No steps match" not in page and "<mark>" in page
