from django.core.management.base import BaseCommand, CommandError

from guides.content import ContentError, site_content


class Command(BaseCommand):
    help = "Parse and render guides/content/ and report what was loaded, or every problem found."

    def handle(self, *args, **options):
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
