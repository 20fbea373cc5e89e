"""The safety plan in "Download your data", and gone after "Delete your account"."""

import io
import json
import os
import tempfile
import zipfile

from safety.models import PlanContent, PlanVersion, SafetyPlan
from safety.services import plan_save
from tests.yourdata.test_erase_everything import (
    delete_through_the_page,
    left_behind,
    sign_in_through_the_form,
)
from yourdata.archive import account_archive


def test_the_archive_holds_the_plan_with_every_version(user, monkeypatch):
    import core.pdf

    monkeypatch.setattr(core.pdf, "render_pdf", lambda html, **limits: b"%PDF-1.7 " + html.encode())
    plan_save(user=user, content=PlanContent(region="Ireland", money="Cash in the blue tin"))
    plan_save(user=user, content=PlanContent(region="Ireland", money="Cash at Rosa's"))
    with zipfile.ZipFile(io.BytesIO(account_archive(user))) as zipped:
        named = {name.split("/", 1)[1]: name for name in zipped.namelist()}
        record = json.loads(zipped.read(named["safety/safety-plan.json"]))
        markdown = zipped.read(named["safety/safety-plan.md"]).decode()
        printed = zipped.read(named["safety/safety-plan.pdf"])
    assert record["money"] == "Cash at Rosa's" and record["region"] == "Ireland"
    assert [v["money"] for v in record["versions"]] == ["Cash in the blue tin", "Cash at Rosa's"]
    assert "**Money**:\n\nCash at Rosa's" in markdown
    assert b"Cash at Rosa" in printed  # made by the archive, through the plan's own document


def test_deleting_the_account_leaves_nothing_of_the_plan(client, user, password):
    canary = "Wistlebrook"
    temp_before = set(os.listdir(tempfile.gettempdir()))
    sign_in_through_the_form(client, user, password)
    client.post("/safety/plan/", {"intent": "save", "people": canary, "region": "Canada"})
    printed = client.post(
        "/safety/plan/pdf/", {"people": canary, "paper": "a4", "sections": "people"}
    )
    assert printed["Content-Type"] == "application/pdf"  # counted against the write limits
    plan = SafetyPlan.objects.get(user=user)
    delete_through_the_page(client)
    assert left_behind(client, user, canary, temp_before) == []
    assert not PlanVersion.objects.filter(plan_id=plan.pk).exists()
