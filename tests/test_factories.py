"""The factories make rows the way the site does, so pages show them as they show real ones."""

from journal.models import Draft
from tests.factories import DraftFactory, JournalEntryFactory, StepProgressFactory

STEP = "/guides/understand-the-resistance/not-about-you/"


def test_an_entry_from_the_factory_opens_on_its_page(signed_in, user):
    entry = JournalEntryFactory(user=user, title="Marigold", body="Tea in the *garden*.")
    page = signed_in.get(f"/journal/{entry.pk}/").text
    assert "Marigold" in page and "<em>garden</em>" in page


def test_a_draft_from_the_factory_is_sealed_and_offered_back(signed_in, user):
    draft = DraftFactory(user=user, body="Half a marigold thought")
    assert "marigold" not in Draft.objects.get(pk=draft.pk).sealed
    assert "Half a marigold thought" in signed_in.get("/journal/new/").text


def test_a_step_marked_done_by_the_factory_shows_as_done(signed_in, user):
    StepProgressFactory(user=user)
    assert "marked this step as done" in signed_in.get(STEP).text
