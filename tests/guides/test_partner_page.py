"""/for-your-partner/ as its own quiet page (issue 15, item 6): no exit bar, no menu, no
footer with crisis lines, a neutral tab title; still public. Nothing on it is meant for
the sender ("share only if safe" would tell the partner the sender may not be), and its
sources are listed on it, not behind a link to /sources/ (which has the menu)."""

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
        'href="/sources/"',
        "feels safe",
    ):
        assert absent not in html, absent
    main = html[html.index("<main") : html.index("</main>")]
    assert "<h1>" in main and "http://testserver/for-your-partner/" in main
    assert "Where these ideas come from" in main and "Coaching vs Therapy" in main


def test_other_pages_keep_the_exit_bar_menu_and_footer(client):
    html = client.get("/privacy/").text
    assert "data-quick-exit" in html and 'class="site-nav"' in html and "<footer" in html
