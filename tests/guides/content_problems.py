from pathlib import Path

import pytest

from guides.content import ContentError, load_content


def problems_of(root: Path) -> list[str]:
    """The problems the content check reports for the content folder at *root*."""
    with pytest.raises(ContentError) as caught:
        load_content(root)
    return caught.value.problems
