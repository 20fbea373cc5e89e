import time

import pytest

from core.markdown import MAX_LENGTH, TextTooLong, render_bounded, render_site_markdown


def render_markdown(text: str) -> str:
    """What the journal shows for *text* a person wrote (render_bounded, as entry saves do)."""
    return render_bounded([text])[0].html


def test_user_markdown_becomes_formatted_html():
    html = render_markdown("# Day\n\nI felt *calm* and **sure**.\n\n- one\n- two\n\n> quoted")
    assert "<h1>Day</h1>" in html
    assert "<em>calm</em>" in html and "<strong>sure</strong>" in html
    assert "<li>one</li>" in html and "<blockquote>" in html


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="https://tracker.example/pixel.png">',
        "![x](https://tracker.example/pixel.png)",
        "[click](javascript:alert(1))",
        '<a href="https://ok.example" onclick="alert(1)">x</a>',
        '<p style="color:red">styled</p>',
        "<iframe src=https://evil.example></iframe>",
    ],
)
def test_nothing_a_user_writes_can_run_script_load_anything_or_style_itself(text):
    html = render_markdown(text)
    for forbidden in ("<script", "<img", "javascript:", "onclick", "style=", "<iframe"):
        assert forbidden not in html


def test_user_links_are_https_or_mailto_only_and_never_relative():
    html = render_markdown(
        "[a](https://ok.example) [b](mailto:me@example.org) [c](http://plain.example) "
        "[d](/journal/) [e](//evil.example/x)"
    )
    assert 'href="https://ok.example"' in html and 'href="mailto:me@example.org"' in html
    assert "http://plain.example" not in html
    assert 'href="/journal/"' not in html and "evil.example" not in html
    assert 'rel="noopener noreferrer nofollow ugc"' in html


def test_tables_align_with_attributes_not_style():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert 'align="left"' in html and "style" not in html


def test_text_over_the_limit_is_refused():
    with pytest.raises(TextTooLong):
        render_bounded(["x" * (MAX_LENGTH + 1)])
    assert render_bounded(["x" * MAX_LENGTH])[0].formatted


def test_a_pathologically_slow_text_is_cut_off_and_shown_as_plain_paragraphs():
    slow = "[a" * 8000  # about 19 s in Python-Markdown
    started = time.monotonic()
    results = render_bounded(["*before*", slow, "*after*"], time_limit=0.5)
    assert time.monotonic() - started < 5
    assert [result.formatted for result in results] == [True, False, True]
    assert results[0].html == "<p><em>before</em></p>"
    assert results[1].html.startswith("<p>[a[a[a") and "<a" not in results[1].html
    assert results[2].html == "<p><em>after</em></p>"


def test_the_plain_fallback_escapes_what_it_shows():
    result = render_bounded(["<![" * 4000 + "<script>x</script>"], time_limit=0.3)[0]
    assert not result.formatted
    assert "<script" not in result.html and "&lt;script&gt;" in result.html


def test_site_content_is_rendered_in_process_with_site_paths_allowed():
    html = render_site_markdown("[Safety](/safety/) and [x](//evil.example)")
    assert 'href="/safety/"' in html and "evil.example" not in html
