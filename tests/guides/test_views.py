import pytest
from django.urls import reverse
from django.utils.html import escape

from guides.content import site_content
from guides.models import (
    ConversationPlan,
    ConversationPlanContent,
    SelfCheck,
    SelfCheckContent,
    StepProgress,
)
from guides.services import conversation_plan_save, self_check_create
from tests.sealed import conversation_plan_content, self_check_content

STEP = "/guides/understand-the-resistance/not-about-you/"


def step_of(key):
    guide_slug, step_slug = key.split("/")
    return site_content().guide(guide_slug).step(step_slug)


def test_anyone_can_read_the_guide_list_guides_and_steps(client):
    assert "Understand the resistance" in client.get("/guides/").text
    page = client.get("/guides/understand-the-resistance/").text
    assert "Why it is rarely about you" in page
    response = client.get(STEP)
    assert response.status_code == 200
    text = response.text
    assert "Key ideas" in text and "Reflect" in text and "Where this comes from" in text
    assert "min read" in text and "Mark as done" in text
    assert "A free private account" in client.get("/guides/").text  # invited, not forced


def test_every_step_page_renders(client):
    for step in site_content().steps:
        assert client.get(step.get_absolute_url()).status_code == 200, step.key


def test_unknown_guide_or_step_is_the_sites_404_with_links_to_the_guides(client):
    for path in ["/guides/nope/", "/guides/reevaluate/nope/", "/guides/nope/print/"]:
        response = client.get(path)
        assert response.status_code == 404
        assert 'href="/guides/reevaluate/"' in response.text


def test_a_step_links_to_its_neighbours(client):
    html = client.get("/guides/understand-the-resistance/the-fears-underneath/").text
    assert 'href="/guides/understand-the-resistance/not-about-you/"' in html
    assert 'href="/guides/understand-the-resistance/beliefs-about-getting-help/"' in html


def test_a_step_page_costs_no_query_for_anonymous_readers(client, db, django_assert_num_queries):
    client.get(STEP)  # warm the content cache
    with django_assert_num_queries(0):
        assert client.get(STEP).status_code == 200


def test_a_step_page_costs_at_most_two_queries_signed_in(signed_in, django_assert_max_num_queries):
    signed_in.get(STEP)
    with django_assert_max_num_queries(2):
        assert signed_in.get(STEP).status_code == 200


def test_marking_done_while_signed_out_asks_to_sign_in_then_returns_to_the_step(client, db):
    html = client.get(STEP).text
    assert f'action="{STEP}done/"' in html
    response = client.post(STEP + "done/", {"done": "1"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/accounts/login/?next={STEP}"


def test_marking_a_step_done_is_stored_by_slug_and_moves_on(signed_in, user):
    response = signed_in.post(STEP + "done/", {"done": "1"})
    assert response.headers["Location"] == "/guides/understand-the-resistance/the-fears-underneath/"
    assert list(StepProgress.objects.values_list("step_key", flat=True)) == [
        "understand-the-resistance/not-about-you"
    ]
    signed_in.post(STEP + "done/", {"done": "1"})  # twice is fine
    assert StepProgress.objects.count() == 1
    assert "You've marked this step as done" in signed_in.get(STEP).text
    total = len(site_content().guide("understand-the-resistance").steps)
    assert f"1 of {total} steps done" in signed_in.get("/guides/").text


def test_marking_a_step_not_done_removes_it(signed_in):
    signed_in.post(STEP + "done/", {"done": "1"})
    signed_in.post(STEP + "done/", {"done": "0"})
    assert StepProgress.objects.count() == 0


def test_the_home_page_offers_to_continue_after_the_latest_step_done(signed_in):
    assert "Continue where you left off" not in signed_in.get("/").text
    signed_in.post(STEP + "done/", {"done": "1"})
    html = signed_in.get("/").text
    assert "Continue where you left off" in html
    assert 'href="/guides/understand-the-resistance/the-fears-underneath/"' in html


def test_progress_for_steps_that_no_longer_exist_is_ignored(signed_in, user):
    StepProgress.objects.create(user=user, step_key="old-guide/old-step")
    assert signed_in.get("/").status_code == 200
    assert signed_in.get("/guides/").status_code == 200


def test_search_finds_steps_and_highlights_the_words(client):
    html = client.get("/guides/search/", {"q": "boundary"}).text
    assert "<mark>" in html
    assert "/guides/set-boundaries/" in html


def test_search_escapes_the_query_and_snippets(client):
    html = client.get("/guides/search/", {"q": "<script>alert(1)</script>"}).text
    assert "<script>alert(1)" not in html


def test_an_empty_search_or_no_results_says_what_to_try(client):
    assert "Type a word or two" in client.get("/guides/search/").text
    html = client.get("/guides/search/", {"q": "xylophone"}).text
    assert "No steps match" in html and "Try fewer words" in html


def test_a_search_over_200_characters_is_cut_with_a_message(client):
    response = client.get("/guides/search/", {"q": "boundary " * 40})
    assert response.status_code == 200
    assert "longer than 200 characters" in response.text


def test_a_whole_guide_prints_on_one_page(safety_checked):
    html = safety_checked.get("/guides/reevaluate/print/").text
    for step in site_content().guide("reevaluate").steps:
        assert step.title.replace("'", "&#x27;") in html


def test_sources_page_credits_the_five_articles(client):
    html = client.get("/sources/").text
    for source in site_content().sources.values():
        assert escape(source.title) in html
    assert "Psychology Today" in html


def test_the_partner_page_is_public_and_reveals_nothing_about_the_user(signed_in, user):
    html = signed_in.get("/for-your-partner/").text
    assert "90%" in html or "90 percent" in html
    main = html[html.index("<main") : html.index("</main>")]
    assert user.email not in main
    assert "http://testserver/for-your-partner/" in main


# --- Conversation planner ----------------------------------------------------------

PLAN = {
    "feeling": "lonely",
    "situation": "we eat in silence",
    "reason": "I miss talking with you",
    "request": "ten minutes together after dinner",
    "when_where": "Sunday morning walk",
    "opening_line": "Can I share something that matters to me?",
    "questions": "What feels hardest about it?",
    "if_it_goes_badly": "Pause and say we can try another day.",
}


def test_a_conversation_plan_is_saved_privately_and_printable(signed_in, user):
    response = signed_in.post("/conversation-planner/new/", PLAN)
    plan = ConversationPlan.objects.get()
    assert plan.user == user
    assert response.headers["Location"] == f"/conversation-planner/{plan.pk}/print/"
    html = signed_in.get(response.headers["Location"]).text
    assert (
        "I feel lonely when we eat in silence because I miss talking with you. "
        "What I would like is ten minutes together after dinner." in html
    )


def test_a_debrief_can_be_added_later(signed_in):
    signed_in.post("/conversation-planner/new/", PLAN)
    plan = ConversationPlan.objects.get()
    signed_in.post(f"/conversation-planner/{plan.pk}/", {**PLAN, "what_happened": "We talked."})
    plan.refresh_from_db()
    written = conversation_plan_content(plan)
    assert written.what_happened == "We talked." and written.has_debrief


def test_conversation_plans_are_sealed_at_rest_with_the_owners_own_key(signed_in):
    from django.db import connection

    from accounts.crypto import InvalidToken, decrypt_text

    signed_in.post("/conversation-planner/new/", PLAN)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM guides_conversationplan")
        [(sealed,)] = cursor.fetchall()
    assert "lonely" not in sealed and "matters" not in sealed
    with pytest.raises(InvalidToken):  # not the server keys: the owner's data key
        decrypt_text(sealed)
    assert conversation_plan_content(ConversationPlan.objects.get()).feeling == "lonely"


def test_an_empty_plan_or_an_overlong_field_is_refused_with_the_text_kept(signed_in):
    response = signed_in.post("/conversation-planner/new/", {})
    assert "The plan is empty" in response.text
    long_text = "word " * 500
    response = signed_in.post("/conversation-planner/new/", {**PLAN, "questions": long_text})
    assert response.status_code == 200
    assert "the limit is 2,000" in response.text
    assert long_text.strip() in response.text
    assert ConversationPlan.objects.count() == 0


def test_another_users_conversation_plan_is_404(client, other_user, user):
    plan = conversation_plan_save(
        user=other_user, plan=None, content=ConversationPlanContent(feeling="private")
    )
    client.force_login(user)
    for suffix in ["", "print/", "delete/"]:
        assert client.get(f"/conversation-planner/{plan.pk}/{suffix}").status_code == 404
    assert client.post(f"/conversation-planner/{plan.pk}/delete/").status_code == 404
    assert client.post(f"/conversation-planner/{plan.pk}/", PLAN).status_code == 404
    plan.refresh_from_db()
    assert conversation_plan_content(plan).feeling == "private"


def test_a_plan_can_be_deleted_by_its_owner(signed_in):
    signed_in.post("/conversation-planner/new/", PLAN)
    plan = ConversationPlan.objects.get()
    signed_in.post(f"/conversation-planner/{plan.pk}/delete/")
    assert ConversationPlan.objects.count() == 0


# --- Self-check ---------------------------------------------------------------------


def answers(value):
    return {f"q_{q.id}": str(value) for q in site_content().questions}


def test_the_self_check_saves_encrypted_answers_and_compares_two(signed_in, user):
    signed_in.post("/self-check/", {**answers(2), "note": "first"})
    signed_in.post("/self-check/", answers(4))
    first, second = SelfCheck.objects.order_by("created_at")
    assert self_check_content(first).answers == {q.id: 2 for q in site_content().questions}
    assert self_check_content(first).note == "first"
    html = signed_in.get(f"/self-check/compare/?a={first.pk}&b={second.pk}").text
    question = site_content().questions[0]
    labels = dict(question.choices)
    assert labels[2] in html and labels[4] in html
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM guides_selfcheck")
        assert all("first" not in sealed for (sealed,) in cursor.fetchall())


def test_a_self_check_with_missing_answers_keeps_the_others(signed_in):
    partial = answers(3)
    first_key = next(iter(partial))
    del partial[first_key]
    response = signed_in.post("/self-check/", partial)
    assert response.status_code == 200
    assert "Choose an answer to this question." in response.text
    assert SelfCheck.objects.count() == 0
    assert response.text.count("checked") >= len(partial)


def test_another_users_self_check_is_404(client, user, other_user):
    check = self_check_create(user=other_user, content=SelfCheckContent())
    client.force_login(user)
    assert client.get(f"/self-check/{check.pk}/").status_code == 404
    assert client.get(f"/self-check/compare/?a={check.pk}&b={check.pk}").status_code == 404
    assert client.post(f"/self-check/{check.pk}/delete/").status_code == 404
    assert SelfCheck.objects.count() == 1


def test_a_broken_compare_link_says_what_to_do(signed_in):
    response = signed_in.get("/self-check/compare/?a=nope&b=", follow=True)
    assert "Choose two of your self-checks to compare." in response.text


@pytest.mark.parametrize("name", ["guides:planner-list", "guides:self-check"])
def test_private_tools_ask_anonymous_visitors_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.headers["Location"].startswith("/accounts/login/")


def test_search_matches_other_forms_of_a_word(client):
    singular = client.get("/guides/search/", {"q": "boundary"}).text
    plural = client.get("/guides/search/", {"q": "boundaries"}).text
    assert "Set boundaries" in singular and "<mark>boundaries</mark>" in singular.lower()
    assert singular.count("<li>") == plural.count("<li>")


def test_a_debrief_goes_into_the_journal_as_a_new_entry(signed_in, user):
    from accounts.crypto import user_keys
    from journal.models import JournalEntry
    from journal.selectors import entry_content

    signed_in.post("/conversation-planner/new/", {**PLAN, "what_happened": "We talked at last."})
    plan = ConversationPlan.objects.get()
    response = signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/")
    entry = entry_content(JournalEntry.objects.get(), user_keys(user), body=True)
    assert response.headers["Location"] == f"/conversation-planner/{plan.pk}/print/"
    assert "We talked at last." in entry.body and "I feel lonely" in entry.body
    assert entry.step_key == "open-the-conversation/plan-the-talk"
    assert "Conversation debrief" in signed_in.get(entry.get_absolute_url()).text


def test_a_plan_without_a_debrief_says_so_instead_of_saving(signed_in):
    from journal.models import JournalEntry

    signed_in.post("/conversation-planner/new/", PLAN)
    plan = ConversationPlan.objects.get()
    response = signed_in.post(f"/conversation-planner/{plan.pk}/to-journal/", follow=True)
    assert "has no debrief yet" in response.text
    assert JournalEntry.objects.count() == 0
