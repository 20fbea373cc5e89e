"""Every form of the site, filled in and submitted by Chromium the way a person does.

Django's test client sends no Origin header; Chromium under the site's
`Referrer-Policy: no-referrer` sends `Origin: null` on every same-origin POST. A
view that checks CSRF a second time (Django's own `csrf_protect`) refuses that
with a 403 that no test-client test sees: the journal import did exactly this.

The walk: crawl the pages a visitor and a signed-in person reach by links (the
crawl of test_crawl.py), collect every form on them, then for each distinct form
(its page's view and its action) open the page afresh, fill every field with
something a person could type, and press its first submit button. A refusal of
the input (a 400 or 422 page naming the problem) is fine; a 403 or any 5xx is not.
Forms that end the sitting (sign out, quick exit) or erase the account are left
to their own tests.
"""

from __future__ import annotations

import datetime
from urllib.parse import urljoin, urlsplit

from .safety import mark_safety_checked
from .test_crawl import REACHED_SIGNED_IN, REACHED_SIGNED_OUT, crawl, give_data, view_of

# Actions whose whole point is to end the sitting or erase everything: their own tests
# drive them (test_quick_exit, test_accounts_flow, tests/accounts/test_delete_account).
LEAVE_ALONE = ("/exit/", "/accounts/logout/", "/accounts/delete/")

FILL = """
(form, values) => {
  const filled = [];
  const radios = new Set();
  for (const field of form.elements) {
    if (field.disabled || field.type === 'hidden' || field.readOnly) continue;
    const tag = field.tagName.toLowerCase();
    if (tag === 'select') {
      if (field.options.length > 1) field.selectedIndex = 1;
    } else if (tag === 'textarea') {
      field.value = values.text;
    } else if (field.type === 'radio') {
      if (radios.has(field.name)) continue;
      radios.add(field.name);
      field.checked = true;
    } else if (field.type === 'checkbox') {
      if (field.required) field.checked = true;
    } else if (field.type === 'email') {
      field.value = values.email;
    } else if (field.type === 'password') {
      field.value = values.password;
    } else if (field.type === 'date') {
      field.value = values.date;
    } else if (field.type === 'time') {
      field.value = '09:30';
    } else if (field.type === 'number' || field.type === 'range') {
      field.value = field.min || '1';
    } else if (field.type === 'search' || field.type === 'text' || field.type === 'url'
               || field.type === 'tel' || tag === 'input' && !field.type) {
      if (field.type === 'url') field.value = 'https://example.org/';
      else if (field.inputMode === 'numeric' || field.autocomplete === 'one-time-code')
        field.value = '123456';
      else field.value = values.words;
    } else {
      continue;
    }
    filled.push(field.name || field.id);
  }
  return filled;
}
"""


def forms_on(page) -> list[dict]:
    """The forms of the open page: their action (resolved), method and index."""
    return page.eval_on_selector_all(
        "form",
        """forms => forms.map((form, index) => ({
            index,
            action: form.action,
            method: (form.getAttribute('method') || 'get').toLowerCase(),
            files: form.querySelectorAll('input[type=file]').length,
            submits: form.querySelectorAll('button:not([type=button]), input[type=submit]').length,
        }))""",
    )


def collect_forms(page, origin: str, *, private: bool) -> dict[tuple, tuple[str, int]]:
    """Crawl the site (test_crawl's walk; its headers and axe are that test's) and collect
    (view of the page, form's action path, method) -> (a page showing it, form index).
    Every page reached must open (under 400), and the crawl must reach test_crawl's views:
    on PostgreSQL this is the walk that reads each page back (test_crawl: SQLite only)."""
    found: dict[tuple, tuple[str, int]] = {}

    def collect(path, response):
        if response.status >= 400:
            return
        for form in forms_on(page):
            action = urlsplit(urljoin(page.url, form["action"] or page.url))
            if f"{action.scheme}://{action.netloc}" != origin or not form["submits"]:
                continue
            if form["files"] or action.path.startswith(LEAVE_ALONE):
                continue  # file uploads: tests/browser/test_import.py uploads real exports
            key = (view_of(path), view_of(action.path), form["method"])
            found.setdefault(key, (path, form["index"]))

    _, views, problems = crawl(page, origin, private=private, checks=False, on_page=collect)
    assert problems == [], "\n".join(problems)
    assert (REACHED_SIGNED_IN if private else REACHED_SIGNED_OUT) <= views
    return found


def submit_each(page, forms: dict[tuple, tuple[str, int]], values: dict) -> list[str]:
    problems: list[str] = []
    hidden: list[str] = []
    # Forms that remove something go last, so the pages of the others still exist.
    for (view, action, method), (path, _) in sorted(forms.items(), key=removes_last):
        response = page.goto(path)
        if response is None or response.status >= 400:
            continue  # an earlier form removed what this page showed
        index = next(
            (
                form["index"]
                for form in forms_on(page)
                if view_of(urlsplit(urljoin(page.url, form["action"] or page.url)).path) == action
                and form["method"] == method
            ),
            None,
        )
        if index is None:
            continue  # the page no longer offers it (a draft already discarded)
        form = page.locator("form").nth(index)
        form.evaluate(FILL, values)
        # A person opens the <details> a form sits in (the filters, "more options").
        form.evaluate(
            "f => { for (let d = f.closest('details'); d; "
            "d = d.parentElement.closest('details')) d.open = true; }"
        )
        # The first one a person can press (a hidden default button sets what Enter sends).
        button = form.locator("button:not([type=button]):visible, input[type=submit]:visible").first
        if not button.is_visible():
            hidden.append(f"{view} -> {action}")
            continue  # shown only where the browser can use it (passkeys)
        statuses, ended = submit(page, button)
        refused = [status for status in statuses if status == 403 or status >= 500]
        if refused or not ended:
            problems.append(
                f"{method.upper()} form of {view} ({path}) to {action}: "
                f"{statuses or 'no response'}{'' if ended else ', never finished'}"
            )
    print(f"\nforms with no visible button, not submitted: {hidden}")
    return problems


def removes_last(item) -> tuple[bool, tuple]:
    (_, action, _), _ = item
    return any(word in action for word in ("delete", "trash", "discard", "remove")), item[0]


def submit(page, button, *, seconds: float = 15) -> tuple[list[int], bool]:
    """Click *button*; return the statuses of the documents it loaded, and whether its
    navigation ended (a download ends its request without loading a page)."""
    statuses: list[int] = []
    ended: list[bool] = []

    def on_response(response):
        if response.request.is_navigation_request() and response.frame == page.main_frame:
            statuses.append(response.status)

    def on_end(request):
        if request.is_navigation_request() and request.frame == page.main_frame:
            ended.append(True)

    page.on("response", on_response)
    page.on("requestfinished", on_end)
    page.on("requestfailed", on_end)
    try:
        button.click()
        for _ in range(int(seconds * 20)):
            if ended:
                break
            page.wait_for_timeout(50)
        page.wait_for_load_state()
    finally:
        page.remove_listener("response", on_response)
        page.remove_listener("requestfinished", on_end)
        page.remove_listener("requestfailed", on_end)
    return statuses, bool(ended)


def test_every_form_signed_out_submits_without_403_or_500(page, live_server, password):
    forms = collect_forms(page, live_server.url, private=False)
    values = {
        "text": "Written by a person trying the form.",
        "words": "a few words",
        "email": "someone.new@example.org",
        "password": password,
        "date": datetime.date.today().isoformat(),
    }
    problems = submit_each(page, forms, values)
    print(f"\nsigned out: {len(forms)} distinct forms submitted")
    assert problems == [], "\n".join(problems)
    assert len(forms) >= 20  # 20 on 2026-12-06: sign-in, sign-up, reset, search, the check...


def test_every_form_signed_in_submits_without_403_or_500(
    page, live_server, user, password, sign_in
):
    give_data(user)
    sign_in(user)
    mark_safety_checked(page)  # the forms behind the check (its own form: signed out, above)
    forms = collect_forms(page, live_server.url, private=True)
    values = {
        "text": "Written by a person trying the form.",
        "words": "a few words",
        "email": user.email,
        "password": password,
        "date": datetime.date.today().isoformat(),
    }
    problems = submit_each(page, forms, values)
    print(f"\nsigned in: {len(forms)} distinct forms submitted")
    assert problems == [], "\n".join(problems)
    assert len(forms) >= 44  # 44 on 2026-12-06
