"""What we tried: the tracker guide 3 ("Start smaller") asks for, kept with the journal.

Each thing a couple tried is one row, sealed under the person's key (journal.models.Try):
when, what, who suggested it and how close it felt from 0 to 10, shown as a small chart
and a list. Someone else's row is a 404; every form works without JavaScript.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from accounts.http import SignedInRequest
from core import ratelimit
from core.ownership import refuse_other_methods

from . import selectors, services
from .charts import closeness_chart
from .forms import TryForm
from .models import MAX_TRIES


@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
@sensitive_variables()
@ratelimit.limit_writes()
def tries(request: SignedInRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = TryForm(request.POST)
        if form.is_valid():
            try:
                services.try_create(user=request.user, content=form.content())
            except services.TooManyTries:
                form.add_error(
                    None,
                    _(
                        "You have %(count)d things noted, the most this list keeps. Delete "
                        "some older ones to add more: what you typed is still here."
                    )
                    % {"count": MAX_TRIES},
                )
            else:
                messages.success(request, _("Saved to what you tried."))
                return redirect("journal:tries")
        status = 400
    else:
        form = TryForm(initial={"tried_on": timezone.localdate()})
    tried = selectors.tries_of(request.user)
    return render(
        request,
        "journal/tries.html",
        {"form": form, "tries": tried[::-1], "chart": closeness_chart(tried)},
        status=status,
    )


def try_delete(request: SignedInRequest, pk: uuid.UUID) -> HttpResponse:
    row = selectors.try_for_owner(request.user, pk)
    if refused := refuse_other_methods(request, "POST"):
        return refused
    services.try_delete(row=row)
    messages.info(request, _("Deleted from what you tried."))
    return redirect("journal:tries")
