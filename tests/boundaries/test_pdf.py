import datetime
import functools
import io
import subprocess
import tempfile
import urllib.request

import pytest
from django.core.cache import cache
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

import core.pdf
from boundaries import pdf as plan_pdf
from boundaries import services
from boundaries.models import BoundaryContent, PlanContent
from tests.factories import BoundaryContentFactory, PlanFactory
from tests.sealed import boundary_action, plan_content
from tests.security.xss import counting_server, squeezed
from tests.tasks import finish_job


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def printed(client, plan, query=None):
    """The plan's PDF as the person gets it: at once, or from the job that makes it."""
    response = client.get(f"/plans/{plan.pk}/pdf/", query)
    return finish_job(client, response) if response.status_code == 303 else response


def export(client, plan, **options):
    return printed(
        client, plan, {"paper": "a4", "parts": [name for name, _ in plan_pdf.PARTS]} | options
    )


# --- What is on the page -----------------------------------------------------------------


def test_the_pdf_holds_every_field_of_the_plan(signed_in, user):
    boundaries = [
        BoundaryContent(
            need="Rest, and a calmer start to the week.",
            action="I will stop talks about us at ten on Sundays.",
            say="I've noticed Sunday nights leave me worn out. After ten I'm going to wind down.",
            if_crossed="A gentle reminder first; if it keeps happening, I'll read upstairs.",
            support="My friend Sam, who I'll message on Monday morning.",
            status="communicated",
            review_on=datetime.date(2030, 3, 14),
        ),
        BoundaryContent(
            need="Respect — «уважение».",
            action="I will leave the room when the name-calling starts.",
            say="I'm not going to stay in a conversation where I'm called names.",
            if_crossed="I'll go for a walk and come back in twenty minutes.",
            support="Priya; my counsellor on Thursdays.",
            status="holding",
            review_on=None,
        ),
    ]
    plan = PlanFactory(user=user, title="Looking after myself", why="Sleep, and peace.",
                       boundaries=boundaries)  # fmt: skip
    response = printed(signed_in, plan)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="looking-after-myself.pdf"'
    text = squeezed(pdf_text(response.content))
    for value in [plan_content(plan).title, plan_content(plan).why, "14 March 2030", "No date set"]:
        assert squeezed(value) in text, value
    assert "COMMUNICATED" in text and "HOLDING" in text  # set in small capitals
    for boundary in boundaries:
        for name in BoundaryContent.TEXT_FIELDS:
            assert squeezed(getattr(boundary, name)) in text, (name, getattr(boundary, name))
    assert squeezed(f"Printed {timezone.localdate():%-d %B %Y}") in text
    assert "Page1of" in text


def test_the_pdf_is_tagged_with_a_language_a_title_and_an_outline(signed_in, plan):
    reader = PdfReader(io.BytesIO(printed(signed_in, plan).content))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title == plan_content(plan).title
    outline = reader.outline
    assert outline[0].title == plan_content(plan).title
    titles = [item.title for item in outline[1]]
    assert titles[0] == "Why this matters to me"
    assert titles[1].startswith("Boundary 1: I will step out of argument")
    assert len(titles) == 1 + 3
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4


def test_discreet_mode_makes_the_pdf_title_plain(signed_in, plan, user):
    user.discreet = True
    user.save(update_fields=["discreet"])
    reader = PdfReader(io.BytesIO(export(signed_in, plan).content))
    assert reader.metadata.title == "Notes"


def test_us_letter_paper_can_be_chosen(signed_in, plan):
    reader = PdfReader(io.BytesIO(export(signed_in, plan, paper="letter").content))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612.0, 792.0)


def test_safe_to_print_uses_a_neutral_title_and_file_name(signed_in, user):
    plan = PlanFactory(user=user, title="Limits with Mark", boundaries=1)
    response = export(signed_in, plan, neutral="on")
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="notes-{today:%Y-%m-%d}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == "Notes"
    text = pdf_text(response.content)
    assert "Mark" not in text and "Mark" not in reader.outline[0].title
    assert "oundar" not in text.lower().replace("boundaries", "")  # no label says what it is
    assert "WHAT I'LL DO" in text and "LOOK AGAIN ON" in text


def test_parts_can_be_left_out_of_the_pdf(signed_in, user):
    plan = PlanFactory(user=user, why="Private reasons here.", boundaries=[
        BoundaryContentFactory(support="Sam from work", say="The words I'll use.")
    ])  # fmt: skip
    keep = ["need", "if_crossed", "review"]
    text = pdf_text(export(signed_in, plan, parts=keep).content)
    assert "Private reasons" not in text and "Sam from work" not in text
    assert "The words I" not in text
    assert squeezed(boundary_action(plan.boundaries.get())) in squeezed(text)  # always there


def test_a_plan_without_boundaries_cannot_be_printed_and_says_why(signed_in, user):
    plan = PlanFactory(user=user, boundaries=0)
    response = printed(signed_in, plan)
    assert response.status_code == 409
    assert "no boundaries yet, so there is nothing to print" in response.text
    assert "nothing to print yet" in signed_in.get(f"/plans/{plan.pk}/").text


def test_unknown_print_options_are_a_400(signed_in, plan):
    assert export(signed_in, plan, paper="tabloid").status_code == 400


# --- Limits ------------------------------------------------------------------------------------


def test_a_plan_too_long_to_lay_out_is_refused_naming_what_to_shorten(signed_in, user, monkeypatch):
    plan = PlanFactory(user=user, boundaries=[
        BoundaryContentFactory(), BoundaryContentFactory(say="\n".join(["a line"] * 300)),
    ])  # fmt: skip
    monkeypatch.setattr(plan_pdf, "MAX_LINES", 200)
    response = printed(signed_in, plan)
    assert response.status_code == 422
    assert "Too complex to print" in response.text
    assert "Boundary 2, “How I&#x27;ll say it” (300 lines)" in response.text


def test_a_render_over_its_time_limit_ends_its_job_saying_so_not_a_500(
    signed_in, plan, monkeypatch
):
    too_short = functools.partial(core.pdf.render_pdf, timeout=0.001)
    monkeypatch.setattr(plan_pdf, "render_pdf", too_short)
    page = printed(signed_in, plan)  # the job's progress page, once it has ended
    assert page.status_code == 200
    assert "This could not be finished" in page.text
    assert "took too long to lay out" in page.text


def longest_plan_html() -> str:
    text = ("All work and no rest makes a long evening. " * 48)[:2000]
    boundary = BoundaryContent(need=text, action=text, say=text, if_crossed=text, support=text)
    content = PlanContent(title="T" * 200, why=text, boundaries=(boundary,) * 30)
    options = plan_pdf.PrintOptions()
    plan_pdf.check_size(content, options)
    return plan_pdf.plan_html(content, options)


def test_a_plan_at_every_limit_still_prints_within_the_time_and_memory_bounds():
    document = core.pdf.render_pdf(longest_plan_html())
    assert len(PdfReader(io.BytesIO(document)).pages) > 60


def test_a_render_over_its_memory_bound_is_refused_and_says_so():
    # The bound counts what rendering adds to the process, however big the parent is.
    with pytest.raises(core.pdf.PDFTooComplex, match="more memory"):
        core.pdf.render_pdf(longest_plan_html(), memory_mb=1)


def test_long_words_and_many_lines_stay_inside_the_page(signed_in, user, tmp_path):
    word = "Supercalifragilisticexpialidocious" * 8
    lines = "\n".join(f"line {n}" for n in range(150))
    plan = PlanFactory(user=user, title=word[:200], why=lines, boundaries=[
        BoundaryContent(need=word, action=f"I will {word}", say=lines, if_crossed="x " * 900,
                        support="y" * 2000, status="holding"),
    ])  # fmt: skip
    response = export(signed_in, plan, paper="letter")
    (tmp_path / "plan.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-r", "40", "-png", "plan.pdf", "page"], cwd=tmp_path, check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 5
    for path in pages:
        image = Image.open(path).convert("L")
        width, height = image.size
        # The right margin is 20 mm of 216: nothing may be drawn in its outer 17 mm.
        strip = image.crop((int(width * (1 - 17 / 216)), 0, width, height))
        assert strip.getextrema()[0] > 240, f"{path.name}: text runs into the right margin"
        assert image.getextrema()[0] < 100, f"{path.name}: the page is blank"


# --- Nothing is fetched but the site's own fonts and stylesheet ---------------------------------


@pytest.fixture
def loopback():
    """A web server on 127.0.0.1 that counts every request made to it."""
    with counting_server() as served:
        yield served


def hostile(base: str) -> str:
    return (
        f'<a href="{base}/a">a link</a> <img src="{base}/img.png"> '
        '<link rel="attachment" href="file:///etc/passwd"> '
        f'<link rel="stylesheet" href="{base}/style.css"> '
        f'<style>@import url("{base}/import.css"); p {{ background: url("{base}/bg.png") }}'
        "</style> "
        f'<svg><image href="{base}/svg.png"/></svg> <iframe src="file:///etc/passwd"></iframe> '
        f'<object data="{base}/object"></object> url({base}/bare) @import "{base}/bare.css";'
    )


@pytest.fixture
def recorded_fetchers(monkeypatch):
    """Every BundledAssetFetcher made while rendering in this process, with what it served."""
    made = []

    class Recording(core.pdf.BundledAssetFetcher):
        def __init__(self):
            super().__init__()
            self.served = []
            made.append(self)

        def fetch(self, url, headers=None):
            response = super().fetch(url, headers)
            self.served.append(url)
            return response

    monkeypatch.setattr(core.pdf, "BundledAssetFetcher", Recording)
    return made


def test_the_counting_server_counts(loopback):
    base, hits = loopback
    urllib.request.urlopen(f"{base}/probe").read()  # noqa: S310 (loopback, test only)
    assert hits == ["/probe"]


def test_hostile_text_in_every_field_fetches_nothing_and_embeds_nothing(signed_in, user, loopback):
    base, hits = loopback
    payload = hostile(base)
    short = f'<img src="{base}/t.png"><link rel=attachment href="file:///etc/passwd">'
    boundary = BoundaryContent(
        need=payload, action=payload, say=payload, if_crossed=payload, support=payload
    )
    plan = PlanFactory(user=user, title=short, why=payload, boundaries=[boundary, boundary])
    response = printed(signed_in, plan)  # the real path: a child process
    assert response.status_code == 200
    assert hits == []
    assert b"/EmbeddedFile" not in response.content and b"root:x:0:0" not in response.content
    text = squeezed(pdf_text(response.content))
    assert squeezed('<link rel="attachment" href="file:///etc/passwd">') in text  # shown as text
    assert squeezed(short) in text


def test_the_plan_html_asks_for_nothing_but_the_bundled_assets(user, loopback, recorded_fetchers):
    base, hits = loopback
    payload = hostile(base)
    content = PlanContent(
        title="Plan",
        why=payload,
        boundaries=(BoundaryContent(need=payload, action=payload, say=payload, support=payload),),
    )
    core.pdf.render_pdf_in_process(plan_pdf.plan_html(content, plan_pdf.PrintOptions()))
    [fetcher] = recorded_fetchers
    assert fetcher.refused == []
    assert fetcher.served and all(url.startswith(core.pdf.ASSET_BASE) for url in fetcher.served)
    assert hits == []


def test_even_unescaped_hostile_html_gets_nothing_past_the_fetcher(loopback, recorded_fetchers):
    # The second line of defence: if markup ever reached WeasyPrint, the fetcher refuses it.
    base, hits = loopback
    document = f"<!DOCTYPE html><html><body><p>{hostile(base)}</p></body></html>"
    output = core.pdf.render_pdf_in_process(document)
    refused = recorded_fetchers[0].refused
    assert any(url.startswith("file:") for url in refused)
    assert any(url.startswith(base) for url in refused)
    assert hits == []
    assert b"/EmbeddedFile" not in output and b"root:x:0:0" not in output


# --- The cache ---------------------------------------------------------------------------------


@pytest.fixture
def renders(monkeypatch):
    """Count the real renders behind plan PDFs."""
    calls = []

    def counting(html, **kwargs):
        calls.append(html)
        return core.pdf.render_pdf(html, **kwargs)

    monkeypatch.setattr(plan_pdf, "render_pdf", counting)
    return calls


def test_an_unchanged_plan_exports_again_from_the_cache(
    signed_in, plan, renders, django_assert_max_num_queries
):
    first = printed(signed_in, plan).content
    with django_assert_max_num_queries(3):
        again = printed(signed_in, plan).content
    assert again == first and len(renders) == 1

    services.plan_update(plan=plan, content=PlanContent(title="Renamed", boundaries=(
        BoundaryContentFactory(),
    )))  # fmt: skip
    changed = printed(signed_in, plan).content
    assert len(renders) == 2 and "Renamed" in pdf_text(changed)
    export(signed_in, plan, paper="letter")
    assert len(renders) == 3


def test_the_cached_pdf_is_encrypted_and_goes_with_the_plan(signed_in, plan, renders):
    printed(signed_in, plan)
    _digest, token = cache.get(f"boundaries:pdf:{plan.pk}")
    assert b"%PDF" not in token and plan_content(plan).title.encode() not in token
    signed_in.post(f"/plans/{plan.pk}/delete/")
    assert cache.get(f"boundaries:pdf:{plan.pk}") is None


def test_the_same_text_in_another_plan_is_rendered_for_that_plan(signed_in, user, plan, renders):
    twin = services.plan_create(user=user, content=plan_content(plan))
    printed(signed_in, plan)
    printed(signed_in, twin)
    assert len(renders) == 2


def test_deleting_the_account_drops_the_cached_pdf_of_every_plan(
    client, user, other_user, password, renders
):
    plans = [PlanFactory(user=user), PlanFactory(user=user)]
    others = PlanFactory(user=other_user)
    for each in [*plans, others]:
        plan_pdf.plan_pdf(
            each.pk, plan_content(each), plan_pdf.PrintOptions(), render=lambda h: b"%PDF"
        )
        assert cache.get(f"boundaries:pdf:{each.pk}") is not None
    client.post("/accounts/login/", {"login": user.email, "password": password})
    client.post("/accounts/reauthenticate/", {"password": password})
    assert client.post("/accounts/delete/", {"confirm": "delete my account"}).status_code == 302

    assert [cache.get(f"boundaries:pdf:{each.pk}") for each in plans] == [None, None]
    assert cache.get(f"boundaries:pdf:{others.pk}") is not None


def test_the_archive_fills_and_uses_the_same_cache_as_the_plan_page(
    signed_in, user, plan, monkeypatch
):
    from yourdata.archive import account_archive

    calls = []

    def counting(html, **limits):
        calls.append(html)
        return b"%PDF-1.7 test"

    monkeypatch.setattr(core.pdf, "render_pdf", counting)  # what the archive's budget calls
    monkeypatch.setattr(plan_pdf, "render_pdf", counting)  # what the plan's page calls
    account_archive(user)
    assert len(calls) == 1
    # The plan's page finds the archive's PDF in the cache, and answers with it at once.
    assert signed_in.get(f"/plans/{plan.pk}/pdf/")["Content-Type"] == "application/pdf"
    account_archive(user)
    assert len(calls) == 1


# --- Temporary files --------------------------------------------------------------------------


def test_no_render_leaves_a_temporary_folder_behind_whatever_way_it_ends(tmp_path, monkeypatch):
    """WeasyPrint unpacks the fonts into a weasyprint-* folder that only its clean-up removes.

    The renders' temporary directory is a fresh one here, so other tests cannot disturb
    the count; failed renders (too deep, too slow, too big) are counted too.
    """
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(core.pdf, "MAX_DEPTH", 10_000)  # let the child meet the depth itself
    small = plan_pdf.plan_html(
        PlanContent(title="Small", boundaries=(BoundaryContentFactory(),)), plan_pdf.PrintOptions()
    )
    deep = small.replace("<body", "<body><div>" + "<blockquote>" * 400 + "deep", 1)
    outcomes = []
    for html, limits in [
        (small, {}),
        (small, {}),
        (deep, {}),
        (longest_plan_html(), {"timeout": 1.5}),
        (longest_plan_html(), {"memory_mb": 1}),
        (small, {}),
    ]:
        try:
            outcomes.append(core.pdf.render_pdf(html, **limits)[:4])
        except core.pdf.PDFTooComplex as problem:
            outcomes.append(str(problem).split(".")[0])
    assert outcomes[:2] == [b"%PDF", b"%PDF"] and outcomes[-1] == b"%PDF"
    assert "nested too deeply" in outcomes[2]
    assert "took too long" in outcomes[3]
    assert "more memory" in outcomes[4]
    assert list(tmp_path.rglob("weasyprint-*")) == []
    assert list(tmp_path.iterdir()) == []
