"""Renders leave nothing in the temporary directory, however they end (issue 14).

Each test points the temporary directory at a fresh folder, so other tests and
other processes cannot disturb the count.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.core.management import call_command

import core.pdf
from boundaries import pdf as plan_pdf
from boundaries.models import BoundaryContent, PlanContent
from core.sandbox import STALE_AFTER, sweep_stale_scratch

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def temp_dir(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def render_folders(root: Path) -> list[Path]:
    return [*root.rglob("weasyprint-*"), *root.rglob("pdf-render-*")]


@pytest.mark.any_engine  # renders only: no database
def test_a_batch_of_renders_made_or_refused_leaves_no_folder_behind(temp_dir, monkeypatch):
    monkeypatch.setattr(core.pdf, "MAX_DEPTH", 10_000)  # let the child meet the depth itself
    boundary = BoundaryContent(need="n", action="a", say="s", if_crossed="c", support="p")
    small = plan_pdf.plan_html(
        PlanContent(title="Small", why="w", boundaries=(boundary,)), plan_pdf.PrintOptions()
    )
    deep = small.replace("<body", "<body><div>" + "<blockquote>" * 400 + "deep", 1)
    # Each kind of ending more than once: a leak of one folder a render shows as several.
    renders = [(small, {})] * 4 + [(deep, {})] * 2 + [(small, {"memory_mb": 1})] * 2
    before = render_folders(temp_dir)
    made = refused = 0
    for html, limits in renders:
        try:
            core.pdf.render_pdf(html, **limits)
            made += 1
        except core.pdf.PDFTooComplex:
            refused += 1
    assert (made, refused) == (4, 4)
    assert before == [] and render_folders(temp_dir) == []
    assert list(temp_dir.iterdir()) == []


KILLED_MID_RENDER = """
import django
django.setup()
import core.pdf
from boundaries import pdf as plan_pdf
from boundaries.models import BoundaryContent, PlanContent
text = "All work and no rest makes a long evening. " * 45
b = BoundaryContent(need=text, action=text, say=text, if_crossed=text, support=text)
html = plan_pdf.plan_html(PlanContent(title="T", why=text, boundaries=(b,) * 30),
                          plan_pdf.PrintOptions())
core.pdf.warm_up()
print("rendering", flush=True)
core.pdf.render_pdf(html)
"""


def processes_using(folder: Path) -> list[int]:
    """Processes started with TMPDIR=*folder* (the worker, and the render child it forked)."""
    marker = f"TMPDIR={folder}".encode()
    found = []
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker in environ.read_bytes().split(b"\0"):
                found.append(int(environ.parent.name))
        except OSError:  # ended meanwhile, or not ours to read
            continue
    return found


def wait_for_no_process_using(folder: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while left := processes_using(folder):
        assert time.monotonic() < deadline, f"processes left running: {left}"
        time.sleep(0.2)


def test_a_worker_killed_mid_render_leaves_a_folder_that_purge_trash_removes(temp_dir, db, capsys):
    env = {
        **os.environ,
        "TMPDIR": str(temp_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    worker = subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_RENDER],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert worker.stdout.readline().strip() == "rendering"
        deadline = time.monotonic() + 10
        while not list(temp_dir.glob("pdf-render-*/weasyprint-*")):
            assert time.monotonic() < deadline, "the render never unpacked its fonts"
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    time.sleep(0.5)  # the orphaned child notices the closed pipe, or is still laying out
    [left] = temp_dir.glob("pdf-render-*")
    unrelated = temp_dir / "someone-elses-folder"
    unrelated.mkdir()

    # The orphaned render child ends by itself: its write to the dead parent fails.
    wait_for_no_process_using(temp_dir)

    call_command("purge_trash")
    assert left.exists(), "a folder this recent may belong to a render still running"

    old = time.time() - STALE_AFTER - 60
    os.utime(left, (old, old))
    os.utime(unrelated, (old, old))
    call_command("purge_trash")
    assert not left.exists()
    assert unrelated.exists()
    assert "Removed 1 temporary render folder" in capsys.readouterr().out


def test_the_sweep_keeps_files_and_links_with_a_render_prefix(temp_dir):
    old = time.time() - STALE_AFTER - 60
    target = temp_dir / "elsewhere"
    target.mkdir()
    (target / "keep").write_text("kept")
    link = temp_dir / "pdf-render-link"
    link.symlink_to(target)
    plain = temp_dir / "pdf-render-file"
    plain.write_text("not a folder")
    for path in (target, plain):
        os.utime(path, (old, old))
    os.utime(link, (old, old), follow_symlinks=False)
    assert sweep_stale_scratch() == 0
    assert (target / "keep").exists() and plain.exists() and link.is_symlink()
