"""The safety plan's part of "Download your data" and "Delete your account" (yourdata.parts).

The plan is read through the app's own readers (safety.selectors) and printed through
safety.pdf, the plan page's own way to a PDF, within the archive's budget.
"""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from accounts.sealing import user_keys
from core import versions

from .models import PlanContent, SafetyPlan
from .pdf import PrintOptions, plan_html
from .sections import SECTIONS
from .selectors import plan_content, version_content

README = """\
safety/safety-plan.json       your safety plan with every saved version
safety/safety-plan.md, .pdf   the plan, readable and printable
"""
HINT = "The plan can also be printed from its own page on the site."


def export(user: Any, pdfs: Any) -> dict[str, bytes]:
    plan = SafetyPlan.objects.for_user(user).prefetch_related("versions").first()
    if plan is None:
        return {}
    keys = user_keys(user)
    content = plan_content(plan, keys)
    record = {
        "created_at": plan.created_at.isoformat(),
        "updated_at": plan.updated_at.isoformat(),
        **content.to_dict(),
        "versions": versions.export_records(
            plan.versions.all(), lambda version: version_content(version, keys).to_dict()
        ),
    }
    today = timezone.localdate()

    def make(render: Any) -> bytes:
        document: bytes = render(
            plan_html(content, PrintOptions(discreet=user.discreet), today=today)
        )
        return document

    pdfs.add("safety/safety-plan.pdf", make, hint=HINT)
    return {
        "safety/safety-plan.json": json.dumps(record, ensure_ascii=False, indent=2).encode(),
        "safety/safety-plan.md": plan_markdown(content).encode("utf-8"),
    }


def plan_markdown(content: PlanContent) -> str:
    """The plan as readable Markdown, each field under the form's own label."""
    lines = ["# My safety plan", ""]
    for section in SECTIONS:
        lines += [f"## {section.title}", ""]
        if section.slug == "services" and content.region:
            lines += [f"**Where I live**: {content.region}", ""]
        for field in section.fields:
            if text := content.text(field.name):
                lines += [f"**{field.label}**:", "", text, ""]
    return "\n".join(lines)


def erase(user: Any) -> None:
    """Remove the person's safety plan and every version (nothing of it is cached)."""
    SafetyPlan.objects.for_user(user).delete()
