"""/for-your-partner/ as its own quiet page (issue 15, item 6): no exit bar, no menu, no
footer with crisis lines, a neutral tab title; still public, and it says to pass it on
only when that feels safe."""

import re


def test_the_partner_page_is_quiet_and_neutral(signed_in):
    html = signed_in.get("/for-your-partner/").text
    assert re.search(r"<title>\s*About couples therapy\s*</title>", html)
    for absent in (
        "data-quick-exit",  # the exit bar
        'class="site-nav"',  # Guides, Journal, Boundary plans, Safety, Account
        "Boundary plans",
        "Sign out",
        "<footer",  # the footer and its crisis line
        "emergency number",
        "/safety/",
    ):
        assert absent not in html, absent
    main = html[html.index("<main") : html.index("</main>")]
    assert "<h1>" in main and "http://testserver/for-your-partner/" in main
    assert "only when that feels safe" in main


def test_other_pages_keep_the_exit_bar_menu_and_footer(client):
    html = client.get("/privacy/").text
    assert "data-quick-exit" in html and 'class="site-nav"' in html and "<footer" in html
