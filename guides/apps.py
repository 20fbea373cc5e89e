from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "Guides"
    personal_data = "guides.personal_data"

    def ready(self):
        from . import (
            checks,  # noqa: F401 (registers the content check)
            signals,  # noqa: F401 (carries "Mark as done" through sign-in)
        )
