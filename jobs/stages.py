"""The words a progress page shows for each stage of a job: fixed text, chosen by code.

A job stores only the code (Job.stage), so nothing a person wrote can reach the
progress page, the job table or a log line through it.
"""

from django.utils.translation import gettext_lazy as _

STAGES = {
    "waiting": _("Waiting to start. This usually takes a few seconds."),
    "reading": _("Reading the file."),
    "checking": _("Checking every entry."),
    "formatting": _("Formatting the entries."),
    "saving": _("Saving the entries to your journal."),
    "gathering": _("Gathering what you wrote."),
    "making-pdf": _("Making the PDF."),
    "packing": _("Packing the file."),
    "retrying": _("Starting again: the first try was interrupted."),
    "done": _("Finished."),
    "failed": _("Stopped."),
}


def words(stage: str) -> str:
    return str(STAGES.get(stage, STAGES["waiting"]))
