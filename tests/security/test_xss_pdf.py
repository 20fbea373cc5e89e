"""Cross-site scripting in PDFs: the corpus in every field of a plan and of journal entries,
printed through the real views (a WeasyPrint child process with the site's fetcher).

Nothing is fetched: the fetcher is asked for nothing but bundled assets, and the payloads
that reach for another host are also pointed at a server on 127.0.0.1, which must not be
asked for anything. Nothing is embedded: no attachment, no script, no link but https:
and mailto:. And the text is printed as written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from django.utils import timezone

import core.pdf
from boundaries.models import MAX_BOUNDARIES, BoundaryContent, PlanContent
from boundaries.services import plan_create
from journal.exports import ImportRow
from journal.models import EntryContent
from journal.services import entries_import
from tests.tasks import finish_job

from .xss import PAYLOADS, Payload, aimed_at, counting_server, pdf_problems, pdf_text, squeezed

# What a PDF fetches and embeds, whatever the
# database engine: CI's second pass (PostgreSQL) leaves these out.
pytestmark = pytest.mark.any_engine


@pytest.fixture
def fetch_log(monkeypatch, tmp_path) -> Path:
    """Every URL the PDF fetcher serves or refuses, also in the child processes that render
    (they are forked, so they inherit the patched class)."""
    log = tmp_path / "fetches.txt"
    log.touch()

    class Logging(core.pdf.BundledAssetFetcher):
        def fetch(self, url, headers=None):
            try:
                response = super().fetch(url, headers)
            except ValueError:
                _append(log, f"refused {url}")
                raise
            _append(log, f"served {url}")
            return response

    monkeypatch.setattr(core.pdf, "BundledAssetFetcher", Logging)
    return log


def _append(path: Path, line: str) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line.replace("\n", " ") + "\n")


def fetch_problems(log: Path) -> list[str]:
    lines = log.read_text("utf-8").splitlines()
    problems = [
        f"the fetcher was asked for {line[8:]}" for line in lines if line.startswith("refused")
    ]
    served = [line[7:] for line in lines if line.startswith("served")]
    problems += [f"served {url}" for url in served if not url.startswith(core.pdf.ASSET_BASE)]
    if not served:  # the log itself works: the stylesheet and fonts come through it
        problems.append("the fetcher served nothing, not even the stylesheet")
    return problems


def every_field(payloads: list[Payload]) -> list[PlanContent]:
    """Plans of MAX_BOUNDARIES boundaries, one payload in all five fields of each; a plan's
    title is its first payload and its why all of them."""
    plans = []
    for start in range(0, len(payloads), MAX_BOUNDARIES):
        group = [payload.text for payload in payloads[start : start + MAX_BOUNDARIES]]
        boundaries = tuple(
            BoundaryContent(
                **cast("dict[str, Any]", dict.fromkeys(BoundaryContent.TEXT_FIELDS, text))
            )
            for text in group
        )
        plans.append(PlanContent(title=group[0][:200], why="\n".join(group), boundaries=boundaries))
    return plans


def test_plan_pdfs_fetch_nothing_and_embed_nothing(signed_in, user, fetch_log):
    problems = []
    with counting_server() as (base, hits):
        for content in every_field(PAYLOADS + aimed_at(base)):
            plan = plan_create(user=user, content=content)
            response = finish_job(signed_in, signed_in.get(f"/plans/{plan.pk}/pdf/"))
            assert response.status_code == 200, response.content[:300]
            problems += pdf_problems(response.content)
            shown = squeezed(pdf_text(response.content))
            problems += [
                f"not printed as written: {b.action[:60]!r}"
                for b in content.boundaries
                if squeezed(b.action) not in shown
            ]
    problems += [f"the server on 127.0.0.1 was asked for {path}" for path in hits]
    problems += fetch_problems(fetch_log)
    assert not problems, "\n".join(problems[:40])


def test_the_journal_pdf_fetches_nothing_and_embeds_nothing(signed_in, password, user, fetch_log):
    assert signed_in.post("/accounts/reauthenticate/", {"password": password}).status_code == 302
    today, now = timezone.localdate(), timezone.now()
    with counting_server() as (base, hits):
        payloads = PAYLOADS + aimed_at(base)
        rows = [
            ImportRow(
                id=None,
                content=EntryContent(
                    title=payload.text[:200],
                    body=payload.text,
                    entry_date=today,
                    mood=3,
                    tags=(payload.text[:32],),
                    prompt="",
                    step_key="",
                ),
                created_at=now,
                updated_at=now,
            )
            for payload in payloads
        ]
        assert entries_import(user=user, rows=rows)[:2] == (len(rows), 0)
        response = signed_in.post("/journal/export/", {"format": "pdf", "title": "Notes"})
        response = finish_job(signed_in, response)  # more than a few entries: the worker's
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    problems = pdf_problems(response.content)
    shown = squeezed(pdf_text(response.content))
    # Titles are printed as written; bodies are Markdown, formatted or emptied of markup.
    problems += [
        f"not printed as written: {p.text[:60]!r}"
        for p in payloads
        if squeezed(p.text[:200]) not in shown
    ]
    problems += [f"the server on 127.0.0.1 was asked for {path}" for path in hits]
    problems += fetch_problems(fetch_log)
    assert not problems, "\n".join(problems[:40])


def test_the_pdf_checks_can_fail(tmp_path):
    """A renderer that follows anything embeds a local file and keeps a javascript: link,
    and pdf_problems() says so (the counting server is checked in tests/boundaries)."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0 not really")
    document = weasyprint.HTML(
        string=f'<link rel="attachment" href="{secret.as_uri()}"><a href="javascript:x()">x</a>',
        url_fetcher=URLFetcher(),
    ).write_pdf()
    problems = pdf_problems(document)
    assert any("attachments" in problem for problem in problems)
    assert any("javascript:" in problem for problem in problems)
