from django.conf import settings
from django.utils.cache import add_never_cache_headers, patch_cache_control


class PermissionsPolicyMiddleware:
    """Switch off browser features the site never uses (camera, location, ...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateNoStoreMiddleware:
    """Never let a browser or proxy keep a page shown to a signed-in person.

    Every page a signed-in user sees carries their menu, and most carry their
    writing; with no-store, the back button after quick exit or sign-out has no
    copy to show, and a shared computer's cache holds nothing of theirs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(request, "private_page", False):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
