from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from core.sandbox import sweep_stale_scratch
from journal.models import DRAFT_DAYS, TRASH_DAYS
from journal.services import drafts_purge_stale, trash_purge_expired


class Command(BaseCommand):
    help = (
        f"Delete for good the journal entries that have been in the trash for more than "
        f"{TRASH_DAYS} days and autosaved drafts left untouched for more than {DRAFT_DAYS} days; "
        "remove the temporary folders of renders whose worker was killed. "
        "Run it once a day, from cron: "
        "15 3 * * *  cd /srv/common-ground && .venv/bin/python manage.py purge_trash"
    )

    def handle(self, *args, **options):
        purged = trash_purge_expired()
        self.stdout.write(
            ngettext(
                "Deleted %(count)d journal entry kept in the trash for over %(days)d days.",
                "Deleted %(count)d journal entries kept in the trash for over %(days)d days.",
                purged,
            )
            % {"count": purged, "days": TRASH_DAYS}
        )
        drafts = drafts_purge_stale()
        self.stdout.write(
            ngettext(
                "Deleted %(count)d draft left untouched for over %(days)d days.",
                "Deleted %(count)d drafts left untouched for over %(days)d days.",
                drafts,
            )
            % {"count": drafts, "days": DRAFT_DAYS}
        )
        swept = sweep_stale_scratch()
        self.stdout.write(
            ngettext(
                "Removed %(count)d temporary render folder left by a stopped worker.",
                "Removed %(count)d temporary render folders left by stopped workers.",
                swept,
            )
            % {"count": swept}
        )
