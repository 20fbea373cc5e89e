import shutil
from pathlib import Path

import pytest

from guides.content import CONTENT_DIR


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of the real content folder to break in tests."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root
