"""The request type of signed-in pages, for the type checker.

Every view that is not marked `login_not_required` sits behind the site's
LoginRequiredMiddleware (core.middleware), so it always sees a signed-in person;
but HttpRequest types `request.user` as "User or AnonymousUser". Annotating such
a view's request as SignedInRequest says what the middleware guarantees (the
django-stubs idiom), so `request.user` is the project's User wherever it is
passed on to services and selectors. A view open to everyone keeps HttpRequest
and checks `request.user.is_authenticated`, which narrows the type the same way.
"""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class SignedInRequest(HttpRequest):
    user: User  # narrower than HttpRequest's: what the login middleware guarantees
