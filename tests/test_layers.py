"""The allowed import directions between the project's packages, read from the source (ast).

Floors, bottom to top:
- core: the mechanisms every app shares (Markdown, PDF, sandbox, page cache, write
  limits, ownership, front matter, text). It imports no app of the project.
- accounts: the person and their keys (User, crypto, sealing, encrypted fields).
  Every feature app seals text under the person's key, so accounts is a floor too:
  it imports core only, and knows nothing of the apps that store data for a person.
- jobs: long work run by the background worker, with its progress page. Feature apps
  start their jobs through it; it imports core and accounts only.
- the feature apps: boundaries, guides and safety import nothing of each other; the journal
  stands on guides (entries answer guide prompts) and owns the hand-offs into it,
  such as a conversation debrief, so guides never imports the journal.
- pages and reminders: the site's own pages, and reminders (which point at guides,
  plans and the self-check); either may show a little of every feature app.
- pages: the site's own pages (home, safety, privacy, tools, errors), which may show
  a little of every feature app.
- yourdata: the composer on top (download everything, delete everything), which asks
  every app for its part.
- config: wiring (settings, URLconf, WSGI), which may import anything.

Whatever the direction, no module imports another app's views: views are entry points,
reached through URLs (config's URLconf and error handlers are the wiring exception).
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ALLOWED = {
    "core": set(),
    "accounts": {"core"},
    "jobs": {"core", "accounts"},
    "boundaries": {"core", "accounts", "jobs"},
    "guides": {"core", "accounts", "jobs"},
    "journal": {"core", "accounts", "jobs", "guides"},
    "safety": {"core", "accounts", "jobs"},
    "pages": {"core", "accounts", "jobs", "boundaries", "guides", "journal", "safety"},
    "reminders": {"core", "accounts", "jobs", "boundaries", "guides", "journal", "safety"},
    "yourdata": {
        "core",
        "accounts",
        "jobs",
        "boundaries",
        "guides",
        "journal",
        "safety",
        "reminders",
    },
    "config": None,  # wiring: anything
}
NOT_CHECKED = {"tests", "benchmarks"}
ROOT = Path(settings.BASE_DIR)


def project_packages() -> set[str]:
    return {path.parent.name for path in ROOT.glob("*/__init__.py")} - NOT_CHECKED


def imports(path: Path) -> list[tuple[int, str]]:
    """Every absolute module name *path* imports (names imported from a package included)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def crossings() -> list[tuple[str, int, str, str]]:
    """(file, line, importing package, imported module) for each import of another package."""
    packages = project_packages()
    result = []
    for package in sorted(packages):
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, module in imports(path):
                top = module.split(".")[0]
                if top in packages and top != package:
                    result.append((path.relative_to(ROOT).as_posix(), line, package, module))
    return result


def test_every_package_has_a_place_on_a_floor():
    assert project_packages() <= set(ALLOWED), project_packages() - set(ALLOWED)


def test_imports_only_go_down_the_floors():
    wrong = [
        f"{file}:{line} imports {module}"
        for file, line, package, module in crossings()
        if ALLOWED[package] is not None and module.split(".")[0] not in ALLOWED[package]
    ]
    assert wrong == []


def test_no_app_imports_another_apps_views():
    wrong = [
        f"{file}:{line} imports {module}"
        for file, line, package, module in crossings()
        if package != "config" and "views" in module.split(".")[1:]
    ]
    assert wrong == []


def test_core_imports_no_app():
    assert [c for c in crossings() if c[2] == "core"] == []


def test_the_check_sees_a_crossing_when_there_is_one(tmp_path):
    # The reader itself: a lazy import inside a function and a from-import of a views module.
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from journal import views\n    import guides.models\n")
    assert imports(module) == [(2, "journal"), (2, "journal.views"), (3, "guides.models")]
