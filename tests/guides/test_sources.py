"""/sources/: the articles credited with their Markdown rendered and, where an address
could be confirmed, a link to each."""

from guides.content import load_sources, site_content


def test_emphasis_in_a_credit_is_rendered_not_shown_as_asterisks(client):
    page = client.get("/sources/").text
    assert "<em>Love Sense</em>" in page
    main = page[page.index("<main") : page.index("</main>")]
    assert "*" not in main


def test_each_confirmed_article_is_linked_with_the_date_it_was_checked(client):
    page = client.get("/sources/").text
    sources = site_content().sources.values()
    linked = [source for source in sources if source.url]
    assert len(linked) >= 2
    for source in linked:
        assert f'<a href="{source.url}" rel="noreferrer noopener">' in page
        assert f"link checked {source.checked}" in page
    for source in sources:
        if not source.url:
            assert "not linked: we could not confirm its address" in page


def test_an_article_address_must_be_https_and_carry_its_checked_date(tmp_path):
    (tmp_path / "sources.yaml").write_text(
        '- {id: "a", title: T, publisher: P, contributed: C, url: "http://example.org/a"}\n'
        '- {id: "b", title: T, publisher: P, contributed: C, url: "https://example.org/b"}\n'
        '- {id: "c", title: T, publisher: P, contributed: C, url: "https://example.org/c",'
        " checked: 2026-12-06}\n"
    )
    problems = []
    sources = load_sources(tmp_path, problems)
    assert any("item 1" in p and "https://" in p for p in problems)
    assert any("item 2" in p and "date it was checked" in p for p in problems)
    assert not any("item 3" in p for p in problems)
    assert sources["c"].checked == "2026-12-06"
