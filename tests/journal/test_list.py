from datetime import date, timedelta

import pytest
from django.utils import timezone

from journal.selectors import PAGE_SIZE

GUIDE_STEP = "open-the-conversation/go-first"


def titles(page: str) -> list[str]:
    """Entry titles in list order (the cards' headings)."""
    found = []
    for chunk in page.split('class="entry-card__title"')[1:]:
        link_text = chunk.split("</a>")[0]
        found.append(link_text.rsplit(">", 1)[1])
    return found


def test_the_list_is_newest_first_and_paginated(signed_in, user, write):
    start = date(2026, 1, 1)
    for day in range(PAGE_SIZE + 5):
        write(user, title=f"Day {day}", entry_date=start + timedelta(days=day))
    first = signed_in.get("/journal/").text
    assert titles(first)[:2] == [f"Day {PAGE_SIZE + 4}", f"Day {PAGE_SIZE + 3}"]
    assert len(titles(first)) == PAGE_SIZE and "Page 1 of 2" in first
    second = signed_in.get("/journal/?page=2").text
    assert titles(second) == [f"Day {n}" for n in range(4, -1, -1)]
    assert signed_in.get("/journal/?page=99").status_code == 200  # the last page, not an error


def search(client, **fields) -> str:
    """Search as the form does (a POST, then the results page it leads to); the page's text."""
    response = client.post("/journal/search/", fields)
    if response.status_code == 302:
        assert response.headers["Location"] == "/journal/search/"
        response = client.get("/journal/search/")
    return response.text


def test_search_finds_words_in_titles_bodies_and_tags_by_whole_word(signed_in, user, write):
    write(user, title="Hopeful", body="A long talk about FEARS.", tags=["evening"])
    write(user, title="Quiet", body="Nothing much.", tags=["fear"])
    write(user, title="Other", body="Fearless and hopeless.")
    assert sorted(titles(search(signed_in, q="fear"))) == ["Hopeful", "Quiet"]
    assert titles(search(signed_in, q="talk fear")) == ["Hopeful"]  # every word
    assert titles(search(signed_in, q="evening")) == ["Hopeful"]
    assert titles(search(signed_in, q="café hopeful")) == []
    page = search(signed_in, q="nothing-matches-this")
    assert "No entries match" in page and "Clear search and filters" in page


def test_search_understands_accents_and_case(signed_in, user, write):
    write(user, title="Café", body="Ünïcode Naïve")
    assert titles(search(signed_in, q="CAFE naive unicode")) == ["Café"]


def test_filters_by_tag_mood_guide_and_date_range(signed_in, user, write):
    write(user, title="Tagged", tags=["work"], mood=2, entry_date=date(2026, 1, 10))
    write(
        user, title="Guided", step_key=GUIDE_STEP, prompt="x", mood=4, entry_date=date(2026, 2, 10)
    )
    write(user, title="Plain", entry_date=date(2026, 3, 10))
    assert titles(search(signed_in, tag="Work")) == ["Tagged"]
    assert titles(search(signed_in, mood="4")) == ["Guided"]
    assert titles(search(signed_in, guide="open-the-conversation")) == ["Guided"]
    assert titles(search(signed_in, start="2026-02-01")) == ["Plain", "Guided"]
    assert titles(search(signed_in, start="2026-01-01", end="2026-02-28", mood="2")) == ["Tagged"]


def test_bad_filters_get_clear_errors_and_the_good_ones_still_apply(signed_in, user, write):
    write(user, title="Tagged", tags=["work"])
    write(user, title="Other")
    response = signed_in.post("/journal/search/", {"tag": "work", "start": "yesterday"})
    assert response.status_code == 400
    assert "The “from” date is not one we can read" in response.text
    assert titles(response.text) == ["Tagged"]
    assert 'value="yesterday"' in response.text  # what was typed stays in the box
    response = signed_in.post("/journal/search/", {"start": "2026-05-01", "end": "2026-04-01"})
    assert "The “to” date is before the “from” date" in response.text
    assert "can only hold letters" in search(signed_in, tag="<b>")


@pytest.mark.parametrize("query", ["🌱", "???", "   ", "-", "a", "🌱 … !!"])
def test_a_search_with_no_words_says_so_and_shows_no_entries(signed_in, user, write, query):
    write(user, title="Garden", body="Seeds 🌱 and questions???")
    response = signed_in.post("/journal/search/", {"q": query})
    assert response.status_code == 400
    assert titles(response.text) == []
    assert "0 entries" in response.text
    assert "No entries are shown: the search had no words to look for" in response.text
    reason = "holds only spaces" if not query.strip() else "There is nothing to search for"
    assert reason in response.text


def test_a_search_with_a_word_among_symbols_searches_for_the_word(signed_in, user, write):
    write(user, title="Garden", body="Seeds and soil")
    write(user, title="Other", body="Nothing here")
    assert titles(search(signed_in, q="🌱 seeds???")) == ["Garden"]


def test_an_empty_search_shows_every_entry_and_forgets_the_last_search(signed_in, user, write):
    write(user, title="One", tags=["a1"])
    write(user, title="Two")
    search(signed_in, tag="a1")
    response = signed_in.post("/journal/search/", {"q": "", "tag": ""})
    assert response.headers["Location"] == "/journal/"
    assert signed_in.get("/journal/search/").headers["Location"] == "/journal/"


def test_search_words_and_filters_stay_out_of_every_url(signed_in, user, write):
    start = date(2026, 1, 1)
    for day in range(PAGE_SIZE + 3):
        write(user, title=f"Lawyer {day}", body="divorce lawyer", tags=["legal aid"], mood=2,
              entry_date=start + timedelta(days=day))  # fmt: skip
    fields = {"q": "divorce lawyer", "tag": "legal aid", "mood": "2", "start": "2026-01-01",
              "end": "2026-12-31", "guide": ""}  # fmt: skip
    response = signed_in.post("/journal/search/", fields)
    assert response.status_code == 302 and response.headers["Location"] == "/journal/search/"
    page = signed_in.get("/journal/search/")
    assert len(titles(page.text)) == PAGE_SIZE and "Page 1 of 2" in page.text
    assert 'href="/journal/search/?page=2"' in page.text
    second = signed_in.get("/journal/search/?page=2")
    assert len(titles(second.text)) == 3 and "divorce lawyer" in second.text  # the box keeps it
    urls = [
        response.headers["Location"],
        *(link for link in _links(page.text) + _links(second.text)),
    ]
    for url in urls:
        for secret in ("divorce", "lawyer", "legal", "mood=", "2026-01-01", "tag=", "q="):
            assert secret not in url, url
    # Clearing is a POST too, and forgets the search.
    cleared = signed_in.post("/journal/search/", {"clear": "1"})
    assert cleared.headers["Location"] == "/journal/"
    assert signed_in.get("/journal/search/").headers["Location"] == "/journal/"


def _links(html: str) -> list[str]:
    import re

    return re.findall(r'(?:href|action)="([^"]*)"', html)


def test_the_search_is_kept_sealed_in_the_session_never_in_clear(signed_in, user, write):
    from django.contrib.sessions.models import Session

    write(user, title="Kept", body="zanzibarword")
    search(signed_in, q="zanzibarword", tag="secrettag")
    row = Session.objects.get(session_key=signed_in.session.session_key).session_data
    opened = dict(signed_in.session.items())  # what the session holds, unsealed by the store
    assert "journal_search" in opened
    for stored in (row, repr(opened)):
        assert "zanzibarword" not in stored and "secrettag" not in stored


def test_an_old_link_with_search_words_in_it_is_sent_to_the_plain_list(signed_in, user, write):
    write(user, title="Any")
    response = signed_in.get("/journal/?q=divorce+lawyer&tag=x")
    assert response.status_code == 302 and response.headers["Location"] == "/journal/"


def test_signing_out_forgets_the_search(client, user, write):
    write(user, title="Mine", body="private word")
    client.force_login(user)
    search(client, q="private")
    client.post("/accounts/logout/")
    client.force_login(user)
    assert client.get("/journal/search/").headers["Location"] == "/journal/"


def test_on_this_day_shows_entries_from_the_same_day_in_earlier_years(signed_in, user, write):
    today = timezone.localdate()
    write(user, title="Last year", entry_date=today.replace(year=today.year - 1))
    write(user, title="Years ago", entry_date=today.replace(year=today.year - 4))
    write(user, title="Yesterday", entry_date=today - timedelta(days=1))
    page = signed_in.get("/journal/").text
    section = page.split("On this day in earlier years")[1].split("</section>")[0]
    assert "Last year" in section and "Years ago" in section and "Yesterday" not in section
    assert "On this day" not in search(signed_in, q="last")


def test_one_persons_search_never_finds_another_persons_entries(client, user, other_user, write):
    write(other_user, title="Theirs", body="shared word", tags=["shared"])
    write(user, title="Mine", body="shared word", tags=["shared"])
    client.force_login(user)
    for fields in ({"q": "shared word"}, {"tag": "shared"}, {"q": "theirs"}):
        assert "Theirs" not in search(client, **fields)


@pytest.mark.parametrize("count", [3, 2 * PAGE_SIZE + 3])
def test_list_entry_and_search_pages_take_the_same_number_of_queries_whatever_the_size(
    signed_in, user, write, count, django_assert_max_num_queries
):
    today = timezone.localdate()
    for n in range(count):
        entry = write(user, title=f"Entry {n}", body="hope and fear", tags=["t"], mood=3,
                      entry_date=today - timedelta(days=365 * (n % 3) + n))  # fmt: skip
    signed_in.post("/journal/autosave/", {"body": "a draft"})
    # session (cached), user, key, count, page, on this day, drafts
    with django_assert_max_num_queries(6):
        signed_in.get("/journal/")
    search(signed_in, q="hope fear", tag="t", mood="3", start="2000-01-01")
    with django_assert_max_num_queries(5):
        signed_in.get("/journal/search/")
    with django_assert_max_num_queries(3):
        signed_in.get(f"/journal/{entry.pk}/")
    with django_assert_max_num_queries(4):
        signed_in.get(f"/journal/{entry.pk}/edit/")
