from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from guides.content import ContentError, site_content


class Command(BaseCommand):
    help = "Parse and render guides/content/ and report what was loaded, or every problem found."

    def add_arguments(self, parser):
        parser.add_argument(
            "--migrate",
            action="store_true",
            help="Apply the database migrations first, in this process: one start-up and one "
            "run of the system checks (the content's included) for both (make run, make serve).",
        )

    def get_check_kwargs(self, options):
        # With --migrate, the checks migrate itself runs: the database's included.
        kwargs = super().get_check_kwargs(options)
        return {**kwargs, "databases": [DEFAULT_DB_ALIAS]} if options["migrate"] else kwargs

    def handle(self, *args, **options):
        if options["migrate"]:
            # call_command skips migrate's checks: they ran once, before handle().
            call_command(
                "migrate", interactive=False, verbosity=options["verbosity"], stdout=self.stdout
            )
        try:
            content = site_content()  # already loaded if the checks ran first
        except ContentError as error:
            raise CommandError(
                "guides/content/ has problems:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from None
        steps = sum(len(guide.steps) for guide in content.guides)
        words = sum(step.words for step in content.steps)
        self.stdout.write(
            f"Loaded {len(content.guides)} guides, {steps} steps ({words:,} words), "
            f"{len(content.pages)} pages, {len(content.sources)} sources and "
            f"{len(content.questions)} self-check questions."
        )
