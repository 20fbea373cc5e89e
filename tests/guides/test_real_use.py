"""Guides as people use them: search, "Mark as done" across sign-in, and
the debrief that goes into the journal once."""

import re

from allauth.account.models import EmailAddress
from django.core import mail

from guides.content import site_content
from guides.models import ConversationPlan, StepProgress
from journal.models import JournalEntry
from journal.selectors import entry_content
from tests.factories import PASSWORD, StepProgressFactory

GUIDE = "/guides/open-the-conversation/"
STEP = "/guides/understand-the-resistance/not-about-you/"
STEP_KEY = "understand-the-resistance/not-about-you"


# --- Search ------------------------------------------------------------------------------


def test_guide_search_is_posted_so_what_people_search_for_stays_out_of_urls(client, db):
    for page in ["/guides/", "/guides/search/"]:
        html = client.get(page).text
        form = html[html.index('<form class="search-form"') :]
        form = form[: form.index("</form>")]
        assert 'method="post"' in form
    assert "?q=" not in client.get("/guides/search/").text
    response = client.post("/guides/search/", {"q": "he won't go to therapy"})
    assert response.status_code == 200
    assert "match" in response.text
    title = re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)
    assert "therapy" not in title


def test_the_example_searches_are_buttons_that_post(client, db):
    html = client.get("/guides/search/").text
    assert 'name="q" value="boundaries"' in html
    response = client.post("/guides/search/", {"q": "boundaries"})
    assert "/guides/set-boundaries/" in response.text


# --- "Mark as done" while signed out -----------------------------------------------------


def test_mark_as_done_signed_out_is_a_post_that_remembers_the_step(client, db):
    html = client.get(STEP).text
    progress = html[html.index('id="progress"') :]
    progress = progress[: progress.index("</section>")]
    assert 'method="post"' in progress
    assert f'action="{STEP}done/"' in progress
    response = client.post(STEP + "done/", {"done": "1"})
    assert response.headers["Location"] == f"/accounts/login/?next={STEP}"
    login = client.get(response.headers["Location"]).text
    assert "will be marked as done" in login


def test_the_step_is_marked_after_signing_in(client, user):
    client.post(STEP + "done/", {"done": "1"})
    response = client.post(
        f"/accounts/login/?next={STEP}",
        {"login": user.email, "password": PASSWORD, "next": STEP},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == STEP
    assert list(StepProgress.objects.filter(user=user).values_list("step_key", flat=True)) == [
        STEP_KEY
    ]
    assert "is marked as done" in response.text
    assert "You've marked this step as done" in response.text


def test_the_step_is_marked_after_signing_up_and_confirming(client, db):
    client.post(STEP + "done/", {"done": "1"})
    client.post(
        f"/accounts/signup/?next={STEP}",
        {
            "email": "new.reader@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": STEP,
        },
    )
    (message,) = mail.outbox
    link = re.search(r"https?://\S+/confirm-email/\S+", message.body).group(0)
    path = link.split("testserver", 1)[-1]
    response = client.post(path, follow=True)
    assert EmailAddress.objects.get(email="new.reader@example.org").verified
    assert list(StepProgress.objects.values_list("step_key", flat=True)) == [STEP_KEY]
    assert "is marked as done" in response.text


# --- "Continue with step N" --------------------------------------------------------------


def test_a_guide_with_steps_done_offers_to_continue_with_the_next_one(signed_in, user):
    guide = site_content().guide("understand-the-resistance")
    assert "Start with step 1" in signed_in.get(guide.get_absolute_url()).text
    StepProgressFactory(user=user, step_key=guide.steps[0].key)
    StepProgressFactory(user=user, step_key=guide.steps[1].key)
    html = signed_in.get(guide.get_absolute_url()).text
    assert "Start with step 1" not in html
    assert "Continue with step 3" in html
    assert f'href="{guide.steps[2].get_absolute_url()}">Continue with step 3' in html


def test_a_guide_with_every_step_done_offers_to_read_it_again(signed_in, user):
    guide = site_content().guide("understand-the-resistance")
    for step in guide.steps:
        StepProgressFactory(user=user, step_key=step.key)
    html = signed_in.get(guide.get_absolute_url()).text
    assert "Continue with step" not in html
    assert "Read it again from step 1" in html


# --- The debrief in the journal ----------------------------------------------------------

DEBRIEF = {
    "feeling": "lonely",
    "situation": "we eat in silence",
    "what_happened": "We talked at last.",
    "what_i_felt": "Relieved.",
}


def _plan(signed_in, **fields):
    signed_in.post("/conversation-planner/new/", {**DEBRIEF, **fields})
    return ConversationPlan.objects.get()


def test_saving_the_debrief_twice_keeps_one_entry_and_says_so(signed_in, user):
    plan = _plan(signed_in)
    first = signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/", follow=True)
    entry = JournalEntry.objects.get()
    assert first.redirect_chain[-1][0] == f"/conversation-planner/{plan.pk}/print/"
    assert "Your debrief is saved in your journal" in first.text
    assert f'href="{entry.get_absolute_url()}"' in first.text
    second = signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/", follow=True)
    assert JournalEntry.objects.count() == 1
    assert "already in your journal" in second.text
    assert f'href="{entry.get_absolute_url()}"' in second.text


def test_saving_a_changed_debrief_updates_the_same_entry(signed_in, user):
    from accounts.crypto import user_keys

    plan = _plan(signed_in)
    signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/")
    signed_in.post(f"/conversation-planner/{plan.pk}/", {**DEBRIEF, "what_next": "Try again."})
    response = signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/", follow=True)
    entry = entry_content(JournalEntry.objects.get(), user_keys(user), body=True)
    assert "Try again." in entry.body
    assert "is updated with your latest debrief" in response.text


def test_an_entry_edited_in_the_journal_is_not_overwritten(signed_in, user):
    from accounts.crypto import user_keys
    from journal.services import entry_update

    plan = _plan(signed_in)
    signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/")
    entry = entry_content(JournalEntry.objects.get(), user_keys(user), body=True)
    edited = entry.content().__class__(
        **{**entry.content().__dict__, "body": entry.body + "\n\nMy own thoughts."}
    )
    entry_update(user=user, entry=entry.entry, content=edited, expected_version=entry.version)
    signed_in.post(f"/conversation-planner/{plan.pk}/", {**DEBRIEF, "what_next": "Try again."})
    response = signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/", follow=True)
    entry = entry_content(JournalEntry.objects.get(), user_keys(user), body=True)
    assert "My own thoughts." in entry.body and "Try again." not in entry.body
    assert "changed that entry in your journal since" in response.text
    assert JournalEntry.objects.count() == 1


def test_a_debrief_whose_entry_was_deleted_is_saved_again(signed_in, user):
    plan = _plan(signed_in)
    signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/")
    JournalEntry.objects.all().delete()
    signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/")
    assert JournalEntry.objects.count() == 1


def test_the_plan_page_shows_the_debrief_is_in_the_journal(signed_in, user):
    plan = _plan(signed_in)
    page = signed_in.get(f"/conversation-planner/{plan.pk}/print/").text
    assert "Save the debrief to my journal" in page
    signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/")
    entry = JournalEntry.objects.get()
    page = signed_in.get(f"/conversation-planner/{plan.pk}/print/").text
    assert "Save the debrief to my journal" not in page
    assert "in your journal" in page and f'href="{entry.get_absolute_url()}"' in page


def test_the_step_is_kept_when_the_link_is_opened_in_another_browser(client, db):
    from django.test import Client

    client.post(STEP + "done/", {"done": "1"})
    client.post(
        "/accounts/signup/",
        {"email": "phone.reader@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    link = re.search(r"https?://\S+/confirm-email/\S+", mail.outbox[0].body).group(0)
    other_browser = Client()
    other_browser.post(link.split("testserver", 1)[-1])
    assert EmailAddress.objects.get(email="phone.reader@example.org").verified
    assert list(StepProgress.objects.values_list("step_key", flat=True)) == [STEP_KEY]


def test_the_guide_page_costs_at_most_three_queries_signed_in(
    signed_in, user, django_assert_max_num_queries
):
    StepProgressFactory(user=user, step_key=STEP_KEY)
    signed_in.get("/guides/understand-the-resistance/")  # the session is loaded once, cached
    # The steps done, and (a guide begun, not finished) whether a reminder is set for it.
    with django_assert_max_num_queries(3):
        html = signed_in.get("/guides/understand-the-resistance/").text
    assert "Continue with step 2" in html


def test_a_plan_page_with_its_debrief_in_the_journal_costs_at_most_three_queries(
    signed_in, user, django_assert_max_num_queries
):
    plan = _plan(signed_in)
    signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/")
    signed_in.get(f"/conversation-planner/{plan.pk}/print/")
    with django_assert_max_num_queries(3):
        signed_in.get(f"/conversation-planner/{plan.pk}/print/")
