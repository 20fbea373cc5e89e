"""axe-core (bundled by axe-playwright-python) against the page as it stands, WCAG 2.2 AA rules."""

from axe_playwright_python.sync_playwright import Axe

WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def axe_violations(page) -> list[str]:
    results = _axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": WCAG_AA_TAGS},
            "resultTypes": ["violations"],
        },
    )
    found = []
    for violation in results.response["violations"]:
        targets = ", ".join(str(node["target"]) for node in violation["nodes"][:5])
        found.append(f"{page.url}: {violation['id']}: {violation['help']} at {targets}")
    return found


def assert_accessible(page, *, dark_too: bool = True):
    """No axe violations, in light mode and (by default) in dark mode as well."""
    # The page as a person sees it: loaded, its scripts run (they show the quick-exit hint,
    # print and copy buttons). Right after a click, the new page may still be loading.
    page.wait_for_load_state()
    page.emulate_media(color_scheme="light")
    problems = axe_violations(page)
    if dark_too:
        page.emulate_media(color_scheme="dark")
        problems += [f"(dark) {problem}" for problem in axe_violations(page)]
        page.emulate_media(color_scheme="light")
    assert problems == [], "\n".join(problems)
