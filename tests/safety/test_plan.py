"""The safety plan: signed out it stores nothing; signed in it is saved, versioned and printable."""

import io
import json
import logging
import re

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.test import Client
from pypdf import PdfReader

from accounts.sealing import user_keys
from core import discreet
from safety import lines
from safety.models import PlanContent, SafetyPlan
from safety.sections import SECTIONS, TEXT_LIMIT
from safety.selectors import plan_content, version_content
from safety.services import plan_save
from tests.readability import page_grade
from tests.security.xss import pdf_text

URL = "/safety/plan/"
PDF = "/safety/plan/pdf/"
PRINT = "/safety/plan/print/"
ALL_SECTIONS = [section.slug for section in SECTIONS]
WORDS = "Quillfeather watches the door"


def posted(**fields) -> dict:
    return {"paper": "a4", "sections": ALL_SECTIONS, **fields}


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', html, re.S)
    assert found, f"no {name} box"
    return found[1]


# --- Without an account ------------------------------------------------------------------


def test_the_page_says_nothing_is_stored_and_reads_at_grade_six(client, db):
    response = client.get(URL)
    assert response.status_code == 200
    assert "Nothing you type here is saved" in response.text
    assert 'value="save"' not in response.text  # no save button: printing only
    assert "no-store" in response["Cache-Control"]
    assert page_grade(response.text) <= 6.0


def test_a_place_fills_in_its_lines_and_keeps_everything_else(client, db):
    page = client.get(URL).text  # the script fills them in from the page, with no post
    embedded = json.loads(re.search(r'id="plan-lines"[^>]*>(.*?)</script>', page, re.S)[1])
    assert embedded["Wales"] == lines.filled_in("Wales") and "safety-plan.js" in page
    response = client.post(
        URL + "#services",
        posted(intent="lines", region="Wales", warning_signs=WORDS, hotlines="old"),
    )
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    # Without JavaScript the post stays in the browser's history, and the page says so.
    assert "Back and Reload buttons can send the form again" in response.text
    assert 'id="lines-note" role="status" tabindex="-1" data-focus' in response.text
    assert 'formaction="/safety/plan/#services"' in response.text
    hotlines = textarea(response.text, "hotlines")
    assert hotlines.startswith("Emergency: 999.")  # the whole United Kingdom's lines first
    wales = [line["name"] for line in lines.lines_for("Wales") if line["region"] == "Wales"]
    assert wales and all(name in hotlines for name in wales)
    assert "Respect Phoneline" not in hotlines  # a line for people worried about themselves
    assert textarea(response.text, "warning_signs") == WORDS
    assert '<option value="Wales" selected>' in response.text
    # The self-harm part's lines are the place's too (the others' lists are there, hidden).
    shown = re.findall(r'<ul data-region="([^"]*)">(.*?)</ul>', response.text, re.S)
    assert [region for region, _ in shown] == ["Wales"]
    assert "Samaritans" in shown[0][1] and "988" not in shown[0][1]


def test_printing_signed_out_stores_nothing(client, db):
    client.get(URL)
    rows, sessions = row_counts(), list(Session.objects.values_list("session_data", flat=True))
    response = client.post(PDF, posted(region="Canada", warning_signs=WORDS, code_word="Plum"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "Quillfeather" in text and "Plum" in text and "Canada" in text
    assert row_counts() == rows
    assert list(Session.objects.values_list("session_data", flat=True)) == sessions
    assert "sessionid" not in response.cookies and not client.session.keys()


def test_print_this_page_comes_back_to_the_form_with_the_plan_and_stores_nothing(client, db):
    # The browser's Back button shows the plan page fetched again (no-store): empty.
    printable = client.post(PRINT, posted(region="Wales", people=WORDS, neutral="on"))
    assert printable.status_code == 200 and "Back button goes to the form" not in printable.text
    back = re.search(
        r'<form method="post" action="/safety/plan/[^"]*".*?</form>', printable.text, re.S
    )
    assert back and 'value="edit"' in back[0] and WORDS in back[0]
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', back[0]))
    assert fields == {**fields, "region": "Wales", "people": WORDS, "neutral": "on"}
    rows = row_counts()
    again = client.post(URL, {**fields, "intent": "edit", "sections": ALL_SECTIONS})
    assert again.status_code == 200 and textarea(again.text, "people") == WORDS
    assert '<option value="Wales" selected>' in again.text and row_counts() == rows
    assert (
        'name="neutral" aria-describedby="id_neutral_helptext" id="id_neutral" checked'
        in again.text
    )


def test_coming_back_from_print_this_page_signed_in_saves_nothing(signed_in, user):
    assert signed_in.post(URL, posted(intent="edit", people=WORDS)).status_code == 200
    assert not SafetyPlan.objects.filter(user=user).exists()


def test_print_this_page_safe_to_print_titles_the_tab_plainly(client, db):
    # The tab's title is what a browser prints at the top of the paper, and the name
    # "Save as PDF" suggests.
    plain = client.post(PRINT, posted(people=WORDS, neutral="on")).text
    assert "<title>Notes</title>" in plain and "Headers and footers" in plain
    usual = client.post(PRINT, posted(people=WORDS)).text
    assert "<title>Safety plan, ready to print · Common Ground</title>" in usual


def test_enter_in_a_check_box_sends_the_plans_main_action_not_fill_in_lines(client, signed_in):
    # Without JavaScript, Enter sends a form with its first submit button; "Fill in the
    # lines" would replace the box of lines that person typed.
    def first_button(html):
        form = re.search(
            r'<form method="post" action="/safety/plan/#plan-status".*?</form>', html, re.S
        )
        return re.search(r"<button[^>]*>", form[0])[0]

    assert 'name="intent" value="save"' in first_button(signed_in.get(URL).text)
    signed_in.logout()
    assert 'formaction="/safety/plan/pdf/#plan-status"' in first_button(signed_in.get(URL).text)


def test_too_much_text_is_refused_by_name_and_kept(client, db):
    long = "x" * (TEXT_LIMIT + 5)
    response = client.post(PDF, posted(calm=long, places="a\n" * 30))
    assert response.status_code == 400
    assert "the limit is 1,000. Shorten it by 5 characters and try again" in response.text
    assert "This has 31 lines; the limit is 25." in response.text
    assert textarea(response.text, "calm") == long


def test_pdfs_beyond_the_limits_are_refused_before_any_render(settings, monkeypatch, db):
    import core.pdf

    settings.WRITE_RATE_LIMITS = {"pdf": ((1, 60),), "pdf-anonymous": ((2, 60),)}
    renders = []
    monkeypatch.setattr(core.pdf, "render_pdf", lambda html, **_: renders.append(1) or b"%PDF")
    first, second, third = (Client(REMOTE_ADDR=f"192.0.2.{n}") for n in (1, 2, 3))
    assert first.post(PDF, posted(warning_signs=WORDS)).status_code == 200
    refused = first.post(PDF, posted(warning_signs=WORDS))  # this visitor's own limit
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "more PDFs in a short time" in refused.text and WORDS in refused.text
    assert second.post(PDF, posted(warning_signs=WORDS)).status_code == 200
    shared = third.post(PDF, posted(warning_signs=WORDS))  # all visitors' limit: not theirs
    assert shared.status_code == 429 and "not because of anything you did" in shared.text
    assert "more PDFs in a short time" not in shared.text and "save again" not in shared.text
    assert renders == [1, 1]
    # The way round it costs no render: the plan as a page for the browser's own Print.
    printable = third.post("/safety/plan/print/", posted(warning_signs=WORDS, neutral="on"))
    assert printable.status_code == 200 and WORDS in printable.text and renders == [1, 1]
    assert "no-store" in printable["Cache-Control"] and "My safety plan" not in printable.text
    assert 'formaction="/safety/plan/print/"' in shared.text


def test_the_shared_pdf_limit_holds_for_a_minute_at_most():
    from core.ratelimit import DEFAULT_RATES

    assert all(period <= 60 for _, period in DEFAULT_RATES["pdf-anonymous"])


# --- Signed in ----------------------------------------------------------------------------


def test_saving_twice_keeps_versions_that_compare_and_restore(signed_in, user):
    assert signed_in.post(URL, posted(intent="save", calm="Count to ten")).status_code == 302
    signed_in.post(URL, posted(intent="save", calm="Count to twenty", region="Ireland"))
    signed_in.post(URL, posted(intent="save", calm="Count to twenty", region="Ireland"))
    plan = SafetyPlan.objects.get(user=user)
    assert [v.number for v in plan.versions.all()] == [2, 1]  # the same save twice: one
    history = signed_in.get("/safety/plan/history/").text
    assert "Version 2" in history and "Version 1" in history
    compared = signed_in.get("/safety/plan/compare/?a=1&b=2&show=changes").text
    assert "Count to ten" in compared and "Count to twenty" in compared
    first = plan.versions.get(number=1)
    assert "Count to ten" in signed_in.get(f"/safety/plan/versions/{first.pk}/").text
    assert signed_in.post(f"/safety/plan/versions/{first.pk}/restore/").status_code == 302
    latest = plan.versions.first()
    assert latest.number == 3 and latest.reason_label == "Restored version 1"
    assert plan_content(SafetyPlan.objects.get(user=user), user_keys(user)).calm == "Count to ten"
    page = signed_in.get(URL).text
    assert textarea(page, "calm") == "Count to ten" and "3 saved versions" in page


def test_the_plan_is_sealed_under_the_owners_key(user):
    version = plan_save(user=user, content=PlanContent(region="Australia", people="Aunt Mim"))
    stored = SafetyPlan.objects.values_list("sealed", flat=True).get(user=user)
    assert stored.startswith("gAAAA") and "Mim" not in stored and "Australia" not in stored
    assert version_content(version, user_keys(user)).people == "Aunt Mim"


def test_the_plan_page_costs_a_few_queries(signed_in, user, django_assert_max_num_queries):
    plan_save(user=user, content=PlanContent(calm="Breathe"))
    plan_save(user=user, content=PlanContent(calm="Breathe out"))
    with django_assert_max_num_queries(8):
        assert signed_in.get(URL).status_code == 200


# --- The PDF -------------------------------------------------------------------------------


def test_the_pdf_shows_the_plan_and_safe_to_print_names_nothing(client, db):
    plain = client.post(PDF, posted(region="Australia", bag="Keys, pills, charger"))
    assert plain["Content-Disposition"].startswith('attachment; filename="safety-plan-')
    text = pdf_text(plain.content)
    assert "My safety plan" in text and "Keys, pills, charger" in text
    assert "Making things safer" in text and "lines you can call now" in text.lower()

    neutral = client.post(PDF, posted(region="Australia", bag="Keys, pills, charger", neutral="on"))
    assert re.match(
        r'attachment; filename="notes-\d{4}-\d\d-\d\d\.pdf"', neutral["Content-Disposition"]
    )
    text = pdf_text(neutral.content)
    assert "Keys, pills, charger" in text and text.lstrip().startswith("Notes")
    for telling in ("safety", "hurting", "hotline", "lines you can call", "safer", "abuse"):
        assert telling not in text.lower(), telling
    assert b"safety" not in neutral.content.lower()  # nor in the file's metadata


def test_a_plan_printed_without_a_place_still_has_lines_to_call_now(client, db):
    # As on the page: every place's crisis lines, each with its place.
    text = pdf_text(client.post(PDF, posted(sections=["hard-moments"])).content)
    now = " ".join(text.lower().partition("lines you can call now")[2].split())
    assert "(united states): 988" in now and "(australia): 13 11 14" in now


def test_the_pdf_prints_only_the_parts_chosen(client, db):
    response = client.post(PDF, posted(sections=["people"], people="Dana", money="Jar"))
    text = pdf_text(response.content)
    assert "Dana" in text and "Jar" not in text and "Making things safer" not in text
    none = client.post(PDF, posted(sections=[], people="Dana"))
    assert none.status_code == 400 and "Choose at least one part to print." in none.text
    lines_only = client.post(URL, posted(sections=[], intent="lines", region="Canada"))
    assert "Choose at least one part" not in lines_only.text  # only printing asks for one


@pytest.mark.parametrize("region", lines.regions())
def test_every_place_fills_in_lines_that_fit_the_field(region):
    filled = lines.filled_in(region)
    assert filled and len(filled) <= 2_000 and filled.count("\n") < 40


def test_no_log_line_carries_what_a_visitor_typed(client, db, settings, caplog):
    settings.WRITE_RATE_LIMITS = {"pdf": ((1, 60),), "pdf-anonymous": ((5, 60),)}
    caplog.set_level(logging.DEBUG)
    client.post(URL, posted(intent="lines", region="Canada", people=WORDS))
    client.post(URL, posted(intent="save", people=WORDS))  # signed out: refused, 400
    client.post(PDF, posted(people=WORDS, calm="x" * 2_000))  # too long: 400
    client.post(PDF, posted(people=WORDS))
    client.post(PDF, posted(people=WORDS))  # over the limit: 429
    assert caplog.records and "Quillfeather" not in caplog.text
    assert all("Quillfeather" not in str(record.args) for record in caplog.records)


def test_discreet_mode_makes_the_pdf_title_plain_and_a_get_goes_back_to_the_plan(client, db):
    plain = PdfReader(io.BytesIO(client.post(PDF, posted(calm="Breathe")).content))
    assert plain.metadata.title == "My safety plan"
    client.cookies[discreet.cookie_name()] = discreet.COOKIE_VALUE
    response = client.post(PDF, posted(calm="Breathe"))  # "safe to print" left unticked
    assert PdfReader(io.BytesIO(response.content)).metadata.title == "Notes"
    assert "My safety plan" in pdf_text(response.content)  # the page is as the person chose
    assert (
        client.get(PDF)["Location"] == URL and client.get("/safety/plan/print/").status_code == 302
    )


def test_an_answer_lands_on_its_notice(client, db):
    response = client.post(PDF, posted(calm="x" * (TEXT_LIMIT + 1)))
    assert response.status_code == 400
    assert 'id="plan-status" tabindex="-1" data-focus' in response.text
    assert '<li><a href="#id_calm">What helps me stay calm</a></li>' in response.text
    assert "Back and Reload buttons can send the form again" in response.text
    assert 'formaction="/safety/plan/pdf/#plan-status"' in response.text


def test_a_post_only_address_opened_by_get_is_the_sites_own_page(signed_in):
    response = signed_in.get("/accounts/keepalive/")  # require_POST
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert "only works from a form" in response.text and "no-store" in response["Cache-Control"]
