import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError

from guides.content import load_content, site_content

from .content_problems import problems_of


def first_step(root: Path) -> Path:
    return sorted((root / "01-understand-the-resistance").glob("0*.md"))[0]


def test_the_real_content_has_six_guides_in_order_with_three_to_eight_steps():
    content = site_content()
    assert [g.slug for g in content.guides] == [
        "understand-the-resistance",
        "open-the-conversation",
        "alternatives-to-try-together",
        "grow-yourself",
        "set-boundaries",
        "reevaluate",
    ]
    for guide in content.guides:
        assert 3 <= len(guide.steps) <= 8, guide.slug


def test_every_step_has_reading_time_key_ideas_a_prompt_and_sources():
    for step in site_content().steps:
        assert 400 <= step.words <= 1100, step.key
        assert step.reading_minutes >= 2
        assert step.key_ideas and step.prompts and step.sources, step.key
        assert "<h2>Try this</h2>" in step.html, step.key


def test_the_tools_are_offered_where_the_guides_teach_them():
    tools = {step.tool: step.key for step in site_content().steps if step.tool}
    assert tools["conversation-planner"].startswith("open-the-conversation/")
    assert tools["boundary-plan"].startswith("set-boundaries/")
    assert tools["self-check"].startswith("reevaluate/")


def test_rendered_content_is_sanitised_html_without_scripts_or_images():
    for step in site_content().steps:
        assert "<script" not in step.html and "<img" not in step.html


def test_a_missing_title_is_reported_with_the_file_name(content_copy):
    path = first_step(content_copy)
    path.write_text(path.read_text().replace("title:", "heading:", 1))
    problems = problems_of(content_copy)
    assert any(path.name in p and "missing title" in p for p in problems)
    assert any(path.name in p and "unknown key 'heading'" in p for p in problems)


def test_a_duplicate_slug_is_reported(content_copy):
    path = first_step(content_copy)
    shutil.copy(path, path.with_name("09-" + path.name[3:]))
    assert any("duplicate slug 'not-about-you'" in p for p in problems_of(content_copy))


def test_an_unknown_source_is_reported(content_copy):
    path = first_step(content_copy)
    text = path.read_text()
    start = text.index("sources:")
    end = text.index("\n", start)
    path.write_text(text[:start] + 'sources: ["999"]' + text[end:])
    assert any(path.name in p and "unknown source '999'" in p for p in problems_of(content_copy))


@pytest.mark.parametrize(
    "link, problem",
    [
        ("/guides/no-such-guide/", "no guide 'no-such-guide'"),
        ("/guides/reevaluate/no-such-step/", "has no step 'no-such-step'"),
        ("/not-a-page/", "no page at that path"),
        ("http://example.org/", "links must be https://"),
        ("//example.org/", "links must be https://"),
    ],
)
def test_a_broken_internal_link_is_reported(content_copy, link, problem):
    path = first_step(content_copy)
    path.write_text(path.read_text() + f"\n\nSee [this]({link}).\n")
    assert any(path.name in p and problem in p for p in problems_of(content_copy))


def test_front_matter_that_is_not_yaml_is_reported(content_copy):
    path = first_step(content_copy)
    path.write_text("---\ntitle: [unclosed\n---\nBody\n")
    assert any(path.name in p and "not valid YAML" in p for p in problems_of(content_copy))


def test_manage_py_check_fails_on_broken_content(content_copy, monkeypatch):
    path = first_step(content_copy)
    path.write_text(path.read_text().replace("title:", "heading:", 1))
    monkeypatch.setattr("guides.content.CONTENT_DIR", content_copy)
    monkeypatch.setattr("guides.checks.site_content", lambda: load_content(content_copy))
    from django.core.management.base import SystemCheckError

    with pytest.raises(SystemCheckError, match="missing title"):
        call_command("check", tag=["content"])


def test_load_content_reports_what_it_loaded(capsys):
    call_command("load_content")
    out = capsys.readouterr().out
    assert "Loaded 6 guides" in out


def test_the_checks_and_load_content_read_the_content_once_per_process(db, monkeypatch):
    """A command that runs the checks (migrate, runserver, load_content) loads the content
    once (1-2 s), not once per check plus once more for the command itself."""
    from guides import content

    loads = []
    load_sources = content.load_sources  # the first step of every load

    def counted(*args, **kwargs):
        loads.append(1)
        return load_sources(*args, **kwargs)

    monkeypatch.setattr(content, "load_sources", counted)
    site_content.cache_clear()  # as in a new process; refilled from the real content below
    call_command("check")
    call_command("load_content", skip_checks=False)  # as manage.py runs it: checks first
    assert len(loads) == 1


def test_load_content_migrate_runs_the_checks_once_with_the_database_then_migrates(db, monkeypatch):
    """make run's one process before serving: the checks migrate would run (the database's
    included), once, then migrate, then the content report."""
    from django.core import checks

    from guides.management.commands import load_content as command

    steps = []
    run_checks, real_call_command = checks.run_checks, command.call_command

    def counted_checks(**kwargs):
        steps.append(("checks", kwargs.get("databases")))
        return run_checks(**kwargs)

    def counted_command(name, **kwargs):
        steps.append((name, kwargs.get("skip_checks", True)))
        return real_call_command(name, **kwargs)

    monkeypatch.setattr(checks, "run_checks", counted_checks)
    monkeypatch.setattr(command, "call_command", counted_command)
    out = StringIO()
    call_command("load_content", "--migrate", skip_checks=False, stdout=out)  # as manage.py runs it
    assert steps == [("checks", ["default"]), ("migrate", True)]
    assert "No migrations to apply." in out.getvalue()
    assert "Loaded 6 guides" in out.getvalue()


def test_load_content_migrate_stops_on_a_content_problem_before_migrating(
    db, content_copy, monkeypatch
):
    path = first_step(content_copy)
    path.write_text(path.read_text().replace("summary:", "summery:", 1))
    monkeypatch.setattr("guides.checks.site_content", lambda: load_content(content_copy))
    migrated = []
    monkeypatch.setattr("guides.management.commands.load_content.call_command", migrated.append)
    with pytest.raises(SystemCheckError, match="missing summary"):
        call_command("load_content", "--migrate", skip_checks=False)
    assert migrated == []


def test_load_content_fails_with_every_problem(content_copy, monkeypatch):
    path = first_step(content_copy)
    path.write_text(path.read_text().replace("summary:", "summery:", 1))
    monkeypatch.setattr("guides.management.commands.load_content.site_content",
                        lambda: load_content(content_copy))  # fmt: skip
    with pytest.raises(CommandError, match="missing summary"):
        call_command("load_content")
