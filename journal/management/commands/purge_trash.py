from django.core.management.base import BaseCommand

from journal.models import DRAFT_DAYS, TRASH_DAYS
from journal.services import drafts_purge_stale, trash_purge_expired


class Command(BaseCommand):
    help = (
        f"Delete for good the journal entries that have been in the trash for more than "
        f"{TRASH_DAYS} days, and autosaved drafts left untouched for more than {DRAFT_DAYS} "
        "days. Run it once a day, from cron: "
        "15 3 * * *  cd /srv/common-ground && .venv/bin/python manage.py purge_trash"
    )

    def handle(self, *args, **options):
        purged = trash_purge_expired()
        self.stdout.write(
            f"Deleted {purged} journal entr{'y' if purged == 1 else 'ies'} "
            f"kept in the trash for over {TRASH_DAYS} days."
        )
        drafts = drafts_purge_stale()
        self.stdout.write(
            f"Deleted {drafts} draft{'' if drafts == 1 else 's'} "
            f"left untouched for over {DRAFT_DAYS} days."
        )
