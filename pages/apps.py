from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The site's own pages: home, safety, privacy, tools, quick exit, health check and errors."""

    name = "pages"

    def ready(self):
        from . import checks  # noqa: F401 (registers the crisis-lines check)
