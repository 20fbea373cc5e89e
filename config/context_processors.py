from django.conf import settings


def site(request):
    """Values every template needs: the site's name and where quick exit goes."""
    return {
        "site_name": settings.SITE_NAME,
        "quick_exit_url": settings.QUICK_EXIT_URL,
    }
