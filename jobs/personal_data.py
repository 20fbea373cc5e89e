"""Jobs' part of "Download your data" and "Delete your account" (yourdata.parts).

A job holds only working copies (an upload being imported, a file waiting to be
downloaded), each kept at most a day: the archive leaves them out, since what
they were made from is in it already. Erasing deletes every job, running ones
included; a running job then stops at its next progress report (jobs.services).
"""

from __future__ import annotations

from typing import Any

from .services import jobs_erase


def export(user: Any, pdfs: Any) -> dict[str, bytes]:
    return {}


def erase(user: Any) -> None:
    jobs_erase(user)
