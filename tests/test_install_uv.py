""".ci/install_uv.py: the wheel it unpacks is the one uv.lock's hash names, or nothing."""

import importlib.util
import urllib.error
import urllib.request
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "install_uv.py"


@pytest.fixture
def install_uv(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    spec = importlib.util.spec_from_file_location("install_uv", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


WHEEL = {"url": "https://files.example/uv-1-py3-none-any.whl", "hash": "sha256:" + "0" * 64}


def test_a_tampered_cached_wheel_is_not_used_and_offline_is_said_plainly(
    install_uv, tmp_path, monkeypatch
):
    cache = tmp_path / "cache" / "common-ground"
    cache.mkdir(parents=True)
    (cache / "uv-1-py3-none-any.whl").write_bytes(b"not the locked wheel")

    def offline(*args, **kwargs):
        raise urllib.error.URLError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(SystemExit) as exit_:
        install_uv.fetch(WHEEL)
    assert "could not be downloaded" in str(exit_.value)
    assert "nothing installed" in str(exit_.value)
