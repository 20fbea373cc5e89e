import pytest

from .find_chromium import INSTALL_HINT, chromium_path, under_ci
from .signin import sign_in_through_form

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session", autouse=True)
def _cacheable_static_files():
    """Let Chromium keep the live server's static files, as WhiteNoise lets browsers in
    production. Django's test handler sends none, so every page asked again for its CSS,
    fonts and scripts (nine requests a page, each through Python)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler

    serve = StaticFilesHandler.serve

    def serve_cacheable(self, request):
        response = serve(self, request)
        response["Cache-Control"] = "max-age=3600"
        return response

    StaticFilesHandler.serve = serve_cacheable
    yield
    StaticFilesHandler.serve = serve


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if under_ci():
            pytest.fail(INSTALL_HINT, pytrace=False)
        pytest.skip(INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context, live_server):
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors = []
    error_pages = set()  # documents a test opened on purpose with an error status (a 404 page)

    def on_response(response):
        if response.request.resource_type == "document" and response.status >= 400:
            error_pages.add(response.url)

    def on_console(message):
        if message.type != "error":
            return
        if message.text.startswith("Failed to load resource") and (
            # A form action may carry a fragment (where the answer lands); a response URL has none.
            str(message.location.get("url")).partition("#")[0] in error_pages
        ):
            return
        errors.append(f"{message.text} ({message.location.get('url')})")

    def on_request(request):
        if not request.url.startswith((live_server.url, "data:", "about:", "blob:")):
            errors.append(f"request to another host: {request.url}")

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    assert errors == [], f"Browser errors (CSP violations, other hosts included): {errors}"


@pytest.fixture
def sign_in(page, password):
    """Sign *user* in through the real form."""

    def _sign_in(user):
        sign_in_through_form(page, user.email, password)

    return _sign_in


@pytest.fixture
def page_without_js(browser, live_server, user, password):
    """A page with JavaScript switched off, signed in as *user* through the real form."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in_through_form(page, user.email, password)
    yield page
    context.close()
