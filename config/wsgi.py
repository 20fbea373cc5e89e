import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()


def _warm_up():
    """Do once, before gunicorn --preload forks its workers, what every worker would redo.

    The guide content (parsed and rendered: about a second) and a first WeasyPrint
    layout (fonts and caches) then live in pages the workers share.
    """
    from core.pdf import warm_up
    from guides.content import site_content

    site_content()
    warm_up()


_warm_up()
