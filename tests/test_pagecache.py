import re

from config import pagecache

STEP = "/guides/understand-the-resistance/not-about-you/"


def nonce_of(response):
    return re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])[1]


def test_a_public_page_is_rendered_once_and_served_with_fresh_nonces(client, monkeypatch):
    pagecache.clear()
    first, second = client.get(STEP), client.get(STEP)
    assert len(pagecache._pages) == 1
    assert nonce_of(first) != nonce_of(second)
    for response in (first, second):
        assert f'nonce="{nonce_of(response)}"' in response.text
        assert pagecache.NONCE_MARK not in response.text
    # The step's "Mark as done" form carries a CSRF token, masked anew in every response.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("T", first.text.replace(nonce_of(first), "N")) == token.sub(
        "T", second.text.replace(nonce_of(second), "N")
    )


def test_a_cached_page_with_a_form_gets_a_fresh_csrf_token(client):
    pagecache.clear()
    client.get("/guides/search/")  # not cached: has no token to swap, but a query-less GET
    html = client.get("/").text
    assert pagecache.CSRF_MARK not in html


def test_visitors_with_a_session_get_a_fresh_render(signed_in, user):
    pagecache.clear()
    html = signed_in.get(STEP).text
    assert "Sign out" in html
    assert pagecache._pages == {}


def test_anonymous_visitors_never_see_a_signed_in_page(client, signed_in):
    pagecache.clear()
    signed_in.get(STEP)
    client.cookies.clear()
    assert "Sign out" not in client.__class__().get(STEP).text


def test_query_strings_are_never_cached(client):
    pagecache.clear()
    client.get("/guides/search/?q=boundary")
    assert pagecache._pages == {}
