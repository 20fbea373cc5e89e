from django.conf import settings

from core.discreet import NEUTRAL_NAME, is_discreet


def site(request):
    """Values every template needs: the site's name, where quick exit goes, and
    whether discreet mode is on (base.html then titles every page NEUTRAL_NAME)."""
    return {
        "site_name": settings.SITE_NAME,
        "discreet": is_discreet(request),
        "neutral_name": NEUTRAL_NAME,
        "quick_exit_url": settings.QUICK_EXIT_URL,
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_idle_warning": settings.SESSION_IDLE_WARNING,
    }
