"""What belongs to whom: the owner-scoped queryset and the one way a view fetches its object.

A private object is always fetched through its owner's queryset, and before the
request method is looked at, so someone else's object is a 404 for every method:
never a 403, and never a 405 that would answer before the owner check.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Self, TypeVar, cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404

_M = TypeVar("_M", bound=models.Model)
# Whoever asks: a signed-in person, or an anonymous visitor who owns nothing.
# (core imports no app, so the site's User model is known here only by its base.)
Owner = AbstractBaseUser | AnonymousUser


class OwnedQuerySet(models.QuerySet[_M]):
    def for_user(self, user: Owner) -> Self:
        """Return the rows that belong to *user*; nothing for anonymous visitors."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


def get_owned_or_404[M: models.Model](
    queryset_or_model: type[M] | OwnedQuerySet[M], user: Owner, **lookup: Any
) -> M:
    """Return *user*'s object matching *lookup*, or raise Http404 (someone else's included).

    *queryset_or_model* is a model whose default manager is an OwnedQuerySet's, or
    such a queryset already narrowed (prefetches, deferred fields).
    """
    if isinstance(queryset_or_model, OwnedQuerySet):
        queryset = queryset_or_model
    else:
        # The model's default manager makes OwnedQuerySets (the contract above);
        # Model._default_manager is typed as a plain Manager.
        queryset = cast(OwnedQuerySet[M], queryset_or_model._default_manager.all())
    return get_object_or_404(queryset.for_user(user), **lookup)


def refuse_other_methods(request: HttpRequest, *methods: str) -> HttpResponseNotAllowed | None:
    """Call after the owner check: a 405 for a method not in *methods*, else None."""
    return None if request.method in methods else HttpResponseNotAllowed(methods)


def owned(
    fetch: Callable[[Any, Any], Any], *methods: str
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view taking (request, obj): *fetch*(user, pk) first, then the method check."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, pk: Any, *args: Any, **kwargs: Any) -> HttpResponse:
            obj = fetch(request.user, pk)
            if refused := refuse_other_methods(request, *methods):
                return refused
            return view(request, obj, *args, **kwargs)

        return wrapper

    return decorator
