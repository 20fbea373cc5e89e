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


def test_search_finds_words_in_titles_bodies_and_tags_by_whole_word(signed_in, user, write):
    write(user, title="Hopeful", body="A long talk about FEARS.", tags=["evening"])
    write(user, title="Quiet", body="Nothing much.", tags=["fear"])
    write(user, title="Other", body="Fearless and hopeless.")
    assert sorted(titles(signed_in.get("/journal/?q=fear").text)) == ["Hopeful", "Quiet"]
    assert titles(signed_in.get("/journal/?q=talk+fear").text) == ["Hopeful"]  # every word
    assert titles(signed_in.get("/journal/?q=evening").text) == ["Hopeful"]
    assert titles(signed_in.get("/journal/?q=caf%C3%A9+hopeful").text) == []
    page = signed_in.get("/journal/?q=nothing-matches-this").text
    assert "No entries match" in page and "Clear search and filters" in page


def test_search_understands_accents_and_case(signed_in, user, write):
    write(user, title="Café", body="Ünïcode Naïve")
    assert titles(signed_in.get("/journal/?q=CAFE+naive+unicode").text) == ["Café"]


def test_filters_by_tag_mood_guide_and_date_range(signed_in, user, write):
    write(user, title="Tagged", tags=["work"], mood=2, entry_date=date(2026, 1, 10))
    write(
        user, title="Guided", step_key=GUIDE_STEP, prompt="x", mood=4, entry_date=date(2026, 2, 10)
    )
    write(user, title="Plain", entry_date=date(2026, 3, 10))
    assert titles(signed_in.get("/journal/?tag=Work").text) == ["Tagged"]
    assert titles(signed_in.get("/journal/?mood=4").text) == ["Guided"]
    assert titles(signed_in.get("/journal/?guide=open-the-conversation").text) == ["Guided"]
    assert titles(signed_in.get("/journal/?start=2026-02-01").text) == ["Plain", "Guided"]
    assert titles(signed_in.get("/journal/?start=2026-01-01&end=2026-02-28&mood=2").text) == [
        "Tagged"
    ]


def test_bad_filters_get_clear_errors_and_the_good_ones_still_apply(signed_in, user, write):
    write(user, title="Tagged", tags=["work"])
    write(user, title="Other")
    page = signed_in.get("/journal/?tag=work&start=yesterday").text
    assert "The “from” date is not one we can read" in page
    assert titles(page) == ["Tagged"]
    page = signed_in.get("/journal/?start=2026-05-01&end=2026-04-01").text
    assert "The “to” date is before the “from” date" in page
    assert "can only hold letters" in signed_in.get("/journal/?tag=%3Cb%3E").text


def test_on_this_day_shows_entries_from_the_same_day_in_earlier_years(signed_in, user, write):
    today = timezone.localdate()
    write(user, title="Last year", entry_date=today.replace(year=today.year - 1))
    write(user, title="Years ago", entry_date=today.replace(year=today.year - 4))
    write(user, title="Yesterday", entry_date=today - timedelta(days=1))
    page = signed_in.get("/journal/").text
    section = page.split("On this day in earlier years")[1].split("</section>")[0]
    assert "Last year" in section and "Years ago" in section and "Yesterday" not in section
    assert "On this day" not in signed_in.get("/journal/?q=last").text


def test_one_persons_search_never_finds_another_persons_entries(client, user, other_user, write):
    write(other_user, title="Theirs", body="shared word", tags=["shared"])
    write(user, title="Mine", body="shared word", tags=["shared"])
    client.force_login(user)
    for query in ("?q=shared+word", "?tag=shared", "?q=theirs"):
        assert "Theirs" not in client.get("/journal/" + query).text


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
    with django_assert_max_num_queries(5):
        signed_in.get("/journal/?q=hope+fear&tag=t&mood=3&start=2000-01-01")
    with django_assert_max_num_queries(3):
        signed_in.get(f"/journal/{entry.pk}/")
    with django_assert_max_num_queries(4):
        signed_in.get(f"/journal/{entry.pk}/edit/")
