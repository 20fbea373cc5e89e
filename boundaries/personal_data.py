"""Boundary plans' part of "Download your data" and "Delete your account" (yourdata.parts).

Plans are read through the app's own readers (boundaries.selectors) and printed
through boundaries.pdf.plan_pdf, the plan page's own way to a PDF (size check,
then its cache, then the archive's budget).
"""

from __future__ import annotations

import json

from django.utils.text import slugify

from accounts.sealing import user_keys
from core import versions

from .labels import FIELD_LABELS
from .models import Plan, PlanContent
from .pdf import PrintOptions, forget_all, plan_pdf
from .selectors import plan_content, version_content

README = """\
plans/plans.json              your boundary plans with every saved version
plans/*.md, plans/*.pdf       each plan, readable and printable
"""
HINT = "A plan can also be printed from its own page on the site."


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def export(user, pdfs) -> dict[str, bytes]:
    keys = user_keys(user)
    files: dict[str, bytes] = {}
    records = []
    printable = []
    plans = Plan.objects.for_user(user).prefetch_related("boundaries", "versions")
    for plan in plans.order_by("created_at"):
        content = plan_content(plan, keys)
        records.append(
            {
                "id": str(plan.pk),
                "created_at": plan.created_at.isoformat(),
                "updated_at": plan.updated_at.isoformat(),
                **json.loads(content.to_json()),
                "versions": versions.export_records(
                    plan.versions.all(),
                    lambda version: json.loads(version_content(version, keys).to_json()),
                ),
            }
        )
        stem = f"plans/{slugify(content.title)[:40].strip('-') or 'plan'}-{str(plan.pk)[:8]}"
        files[f"{stem}.md"] = plan_markdown(content).encode("utf-8")
        if content.boundaries:
            printable.append((plan.updated_at, f"{stem}.pdf", plan.pk, content))
    files["plans/plans.json"] = _json(records)
    # The plans changed most recently come first for the budget.
    printable.sort(key=lambda item: item[0], reverse=True)
    for _, name, pk, content in printable:

        def make(render, pk=pk, content=content):
            return plan_pdf(pk, content, PrintOptions(discreet=user.discreet), render=render)

        pdfs.add(name, make, hint=HINT)
    return files


def plan_markdown(content: PlanContent) -> str:
    """The plan as readable Markdown, each field under the builder's own label."""
    lines = [f"# {content.title}", ""]
    if content.why:
        lines += [content.why, ""]
    for number, boundary in enumerate(content.boundaries, start=1):
        lines += [f"## Boundary {number}", ""]
        for name, label in FIELD_LABELS.items():
            value = getattr(boundary, name)
            if name == "review_on":
                value = value.isoformat() if value else ""
            if value:
                lines += [f"**{label}**: {value}", ""]
    return "\n".join(lines)


def erase(user) -> None:
    """Remove the person's plans with their boundaries and versions, and each plan's
    PDF kept in the cache (encrypted, for up to a day: boundaries.pdf)."""
    forget_all(user)
    Plan.objects.for_user(user).delete()
