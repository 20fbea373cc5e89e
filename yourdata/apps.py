from django.apps import AppConfig


class YourDataConfig(AppConfig):
    """Download everything, delete everything: composed from each app's part (yourdata.parts)."""

    name = "yourdata"
    verbose_name = "Your data"

    def ready(self):
        from . import parts  # noqa: F401 (registers the check that every app has a part)
