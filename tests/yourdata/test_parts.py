"""Each app's part of the archive, read through the app's own code."""

import io
import zipfile

from boundaries.labels import FIELD_LABELS
from boundaries.models import BoundaryContent, PlanContent
from boundaries.services import plan_create
from yourdata.archive import account_archive


def test_a_plan_reads_in_the_archive_under_the_builders_labels(user, monkeypatch):
    import core.pdf

    monkeypatch.setattr(core.pdf, "render_pdf", lambda html, **limits: b"%PDF-1.7 test")
    boundary = BoundaryContent(
        need="Rest", action="Leave the room", say="I'm stepping out", if_crossed="Go for a walk",
        support="My sister", status="trying",
    )  # fmt: skip
    plan_create(user=user, content=PlanContent(title="Evenings", why="", boundaries=(boundary,)))
    with zipfile.ZipFile(io.BytesIO(account_archive(user))) as zipped:
        [name] = [n for n in zipped.namelist() if n.endswith(".md") and "/plans/" in n]
        markdown = zipped.read(name).decode()
    for field in ("need", "action", "say", "if_crossed", "support"):
        assert f"**{FIELD_LABELS[field]}**: {getattr(boundary, field)}" in markdown
