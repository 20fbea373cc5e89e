import datetime
import io
import json
import zipfile

import pytest
from pypdf import PdfReader

from boundaries.models import BoundaryContent, PlanContent
from boundaries.services import plan_create, plan_update
from guides.models import StepProgress
from journal.models import EntryContent, JournalEntry
from journal.services import draft_save, entry_create, entry_trash
from tests.factories import ConversationPlanFactory, SelfCheckFactory
from tests.tasks import finish_job


def fill(user, canary: str):
    """A canary in every text field the person can write."""
    entry_create(
        user=user,
        content=EntryContent(
            title=f"{canary} title", body=f"{canary} body", entry_date=datetime.date(2026, 3, 1),
            mood=4, tags=(f"{canary}tag",), prompt="", step_key="",
        ),
    )  # fmt: skip
    trashed = entry_create(
        user=user,
        content=EntryContent(
            title=f"{canary} trashed", body=f"{canary} gone", entry_date=datetime.date(2026, 3, 2),
            mood=None, tags=(), prompt="", step_key="",
        ),
    ).entry  # fmt: skip
    entry_trash(entry=trashed)
    draft_save(user=user, draft_id=None, entry_id=None, base_version=None,
               fields={"title": f"{canary} draft", "body": f"{canary} draft body"})  # fmt: skip
    boundary = BoundaryContent(
        need=f"{canary} need", action=f"I will {canary}", say=f"{canary} say",
        if_crossed=f"{canary} crossed", support=f"{canary} support",
    )  # fmt: skip
    plan = plan_create(
        user=user,
        content=PlanContent(title=f"{canary} plan", why=f"{canary} why", boundaries=(boundary,)),
    )
    plan_update(
        plan=plan,
        content=PlanContent(title=f"{canary} plan v2", why=f"{canary} why", boundaries=(boundary,)),
    )
    ConversationPlanFactory(user=user, feeling=f"{canary} feeling", what_next=f"{canary} n")
    SelfCheckFactory(user=user, answers={"same-issues-return": 2}, note=f"{canary} note")
    StepProgress.objects.create(user=user, step_key="reevaluate/the-real-question")


def everything_in(archive: bytes) -> dict[str, str]:
    """Each file of the zip as text (PDFs as their extracted text)."""
    texts = {}
    with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
        for name in zipped.namelist():
            data = zipped.read(name)
            if name.endswith(".pdf"):
                reader = PdfReader(io.BytesIO(data))
                texts[name] = "\n".join(page.extract_text() for page in reader.pages)
            else:
                texts[name] = data.decode("utf-8")
    return texts


@pytest.fixture
def downloaded(client, user, other_user, password):
    fill(user, "CANARYA")
    fill(other_user, "CANARYB")
    client.post("/accounts/login/", {"login": user.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    response = finish_job(client, client.post("/accounts/export/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="account-data-')
    return everything_in(response.content)


def test_the_export_holds_everything_of_the_user(downloaded, user):
    names = set(downloaded)
    for expected in [
        "account-data/README.txt",
        "account-data/account.json",
        "account-data/guides/progress.json",
        "account-data/guides/conversation-plans.json",
        "account-data/guides/self-checks.json",
        "account-data/journal/journal.json",
        "account-data/journal/drafts.json",
        "account-data/journal/journal.pdf",
        "account-data/plans/plans.json",
    ]:
        assert expected in names
    everything = "\n".join(downloaded.values())
    for field in ["title", "body", "tag", "trashed", "gone", "draft body", "need", "say",
                  "crossed", "support", "why", "plan v2", "feeling", "note"]:  # fmt: skip
        assert f"CANARYA{'' if field == 'tag' else ' '}{field}" in everything, field
    account = json.loads(downloaded["account-data/account.json"])
    assert account["email_addresses"][0]["email"] == user.email
    journal = json.loads(downloaded["account-data/journal/journal.json"])
    assert [e["title"] for e in journal["entries"]] == ["CANARYA title"]
    trash = json.loads(downloaded["account-data/journal/trash.json"])["entries_in_trash"]
    assert [(e["title"], e["in_trash"]) for e in trash] == [("CANARYA trashed", True)]
    plans = json.loads(downloaded["account-data/plans/plans.json"])
    assert [v["title"] for v in plans[0]["versions"]] == ["CANARYA plan", "CANARYA plan v2"]
    assert any(
        "CANARYA plan v2" in text for name, text in downloaded.items() if name.endswith(".pdf")
    )
    assert "CANARYA body" in downloaded["account-data/journal/journal.pdf"]


def test_the_export_of_one_user_holds_nothing_of_another(downloaded):
    for name, text in downloaded.items():
        assert "CANARYB" not in text, name


def test_the_journal_part_imports_again(downloaded, client):
    """journal.json is the journal's own format: the Import page reads it back."""
    JournalEntry.objects.all().delete()
    data = downloaded["account-data/journal/journal.json"].encode()
    from journal.exports import read_import

    assert len(read_import(data)) == 1


def test_exporting_without_recent_authentication_asks_for_it_then_continues(
    stale_sign_in, password
):
    client = stale_sign_in
    response = client.get("/accounts/export/")
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")
    response = client.post("/accounts/export/")
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response.headers["Location"], {"password": password})
    assert finish_job(client, response)["Content-Type"] == "application/zip"


def test_conversation_plans_read_with_the_planner_form_labels(client, user, password):
    from guides.forms import ConversationPlanForm
    from guides.personal_data import PLANNER_PARTS

    names = [name for _, part in PLANNER_PARTS for name in part]
    assert sorted(names) == sorted(ConversationPlanForm.base_fields)  # none left out
    ConversationPlanFactory(
        user=user, **{name: f"Written {name.replace('_', ' ')}." for name in names}
    )
    ConversationPlanFactory(user=user, what_i_felt="Lighter afterwards.")
    client.post("/accounts/login/", {"login": user.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    markdown = everything_in(finish_job(client, client.post("/accounts/export/")).content)[
        "account-data/guides/conversation-plans.md"
    ]
    for label in ["I feel …", "when …", "because …", "What I would like is …",
                  "When and where we could talk", "My opening line",
                  "What I will ask, and listen to", "What I will do if it goes badly",
                  "What happened", "What I felt", "What I want to try next"]:  # fmt: skip
        assert f"**{label}**" in markdown, label
    for raw in ["When where", "What i felt", "If it goes badly**", "Opening line", "_"]:
        assert raw not in markdown.replace("Written ", ""), raw
    assert markdown.count("# Conversation plan, started ") == 2
    assert "## Your I-statement" in markdown and "## Afterwards: a short debrief" in markdown
    assert "> I feel Written feeling when Written situation because Written reason." in markdown
    assert "**What I felt**\n\nLighter afterwards." in markdown
