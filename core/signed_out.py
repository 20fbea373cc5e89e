"""What a form posted after the session ended gets back: its own words, not a redirect.

The session ends after SESSION_IDLE_TIMEOUT without activity or SESSION_ABSOLUTE_TIMEOUT
in all (core.middleware.SessionExpiryMiddleware), and the person is signed out whatever
they were doing: the device may be shared or watched. A redirect to sign-in would throw
away a safety plan or a journal entry typed over the last half hour, so a form post gets
a page (401, no-store, nothing kept on the server) that shows the text fields it carried
in read-only boxes to copy, with a link to sign in and come back to the form. It shows
only what was on that screen already; nothing goes into a URL or a log line.

Labels come from the app that owns the view: its AppConfig may offer `typed_fields()`,
returning TypedFields (the fields a person types and their labels; core imports no app).
Without it, labels are made from the field names, and fields that cannot hold typing
(ids, versions, the CSRF token, passwords, formset bookkeeping) are left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlencode

from django.apps import apps
from django.conf import settings
from django.forms import BaseForm, Form, PasswordInput, Textarea, TextInput
from django.forms.widgets import DateTimeBaseInput
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext, ngettext

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Reason = Literal["idle", "absolute"] | None

# Bounds on the page: a boundary plan at its limits is 152 fields and about 300,000
# characters; the request body limits (DATA_UPLOAD_MAX_*) bound what can arrive at all.
MAX_FIELDS = 200
MAX_CHARS = 400_000

# Formset fields: "<prefix>-<index>-<name>"; bookkeeping: "<prefix>-TOTAL_FORMS" etc.
FORMSET_FIELD = re.compile(r"^(?P<prefix>[A-Za-z][\w]*)-(?P<index>\d{1,4})-(?P<name>\w+)$")
BOOKKEEPING = re.compile(
    r"(?:^|-)(?:TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS|ORDER|DELETE)$"
)
# Names that never hold words to give back: secrets (a second factor's or recovery "code"
# typed with a space is no number), and what a page fills in itself.
SECRET_NAME = re.compile(r"pass|token|secret|otp|\bcode\b|signature|csrf|api_?key", re.IGNORECASE)
PAGE_FILLED = frozenset(
    {"version", "draft", "entry", "id", "pk", "next", "prompt", "step", "intent", "builder",
     "resolution", "region", "mood", "status", "paper", "neutral", "format", "sections", "parts"}
)  # fmt: skip
# Values a person does not type in a text box: ids, numbers, dates.
NOT_TYPED = re.compile(
    r"^(?:[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}"
    r"|-?\d+(?:\.\d+)?|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)$"
)


@dataclass(frozen=True)
class TypedFields:
    """The fields of an app's forms a person types into, with the labels the forms show.

    *formsets* maps a formset prefix to the name of one item ("Boundary") and its
    fields' labels; "b-0-need" is then shown as "Boundary 1: <label of need>".
    """

    fields: Mapping[str, StrOrPromise] = field(default_factory=dict)
    formsets: Mapping[str, tuple[StrOrPromise, Mapping[str, StrOrPromise]]] = field(
        default_factory=dict
    )

    @classmethod
    def from_forms(
        cls,
        *forms: type[Form] | BaseForm,
        formsets: Mapping[str, tuple[StrOrPromise, type[Form]]] | None = None,
    ) -> TypedFields:
        """The text boxes of *forms* (classes, or instances for fields added in __init__)."""
        fields: dict[str, StrOrPromise] = {}
        for form in forms:
            fields.update(_text_labels(form))
        return cls(
            fields=fields,
            formsets={
                prefix: (item, _text_labels(form))
                for prefix, (item, form) in (formsets or {}).items()
            },
        )

    def label(self, name: str) -> str | None:
        if name in self.fields:
            return str(self.fields[name])
        match = FORMSET_FIELD.match(name)
        if match and match["prefix"] in self.formsets:
            item, labels = self.formsets[match["prefix"]]
            if match["name"] in labels:
                return _item_label(item, int(match["index"]), labels[match["name"]])
        return None


@dataclass(frozen=True)
class KeptField:
    label: str
    value: str

    @property
    def rows(self) -> int:
        """Tall enough for the text (about 70 characters a line), within 2 to 14 rows."""
        lines = sum(1 + len(line) // 70 for line in self.value.splitlines())
        return max(2, min(14, lines))


@dataclass
class Kept:
    fields: list[KeptField]
    fields_left_out: int = 0
    chars_left_out: int = 0


def _text_labels(form: type[Form] | BaseForm) -> dict[str, StrOrPromise]:
    fields = form.fields if isinstance(form, BaseForm) else form.base_fields
    return {
        name: field.label or plain_label(name)
        for name, field in fields.items()
        if isinstance(field.widget, Textarea | TextInput)
        and not isinstance(field.widget, PasswordInput | DateTimeBaseInput)
    }


def _item_label(item: StrOrPromise, index: int, label: StrOrPromise) -> str:
    return gettext("%(item)s %(number)s: %(label)s") % {
        "item": item,
        "number": index + 1,
        "label": label,
    }


def plain_label(name: str) -> str:
    """A label made from a field name.

    "warning_signs" -> "Warning signs"; "people-0-name" -> "People 1: name".
    """
    match = FORMSET_FIELD.match(name)
    if match:
        return _item_label(
            _words(match["prefix"]).capitalize(), int(match["index"]), _words(match["name"])
        )
    return _words(name).capitalize()


def _words(name: str) -> str:
    return re.sub(r"[_\-\s]+", " ", name).strip().lower()


def _looks_typed(name: str, value: str) -> bool:
    if SECRET_NAME.search(name) or BOOKKEEPING.search(name):
        return False
    match = FORMSET_FIELD.match(name)
    if (match["name"] if match else name).lower() in PAGE_FILLED:
        return False
    return not NOT_TYPED.match(value.strip())


def typed_fields_for(request: HttpRequest) -> TypedFields | None:
    """The TypedFields of the app whose view the request reached, if it declares them."""
    match = request.resolver_match
    module = getattr(match.func, "__module__", "") if match else ""
    config = apps.get_containing_app_config(module) if module else None
    declare: Callable[[], TypedFields] | None = getattr(config, "typed_fields", None)
    return declare() if declare is not None else None


def kept_words(request: HttpRequest) -> Kept:
    """The text fields of the posted form, labelled, within MAX_FIELDS and MAX_CHARS."""
    declared = typed_fields_for(request)
    kept = Kept(fields=[])
    room = MAX_CHARS
    for name, values in request.POST.lists():
        if SECRET_NAME.search(name):
            continue  # even when an app declares it: never shown back
        label = declared.label(name) if declared is not None else None
        for value in values:
            if not value.strip():
                continue
            if label is None and (declared is not None or not _looks_typed(name, value)):
                continue
            if len(kept.fields) == MAX_FIELDS or room == 0:
                kept.fields_left_out += 1
                kept.chars_left_out += len(value)
                continue
            shown = value[:room]
            kept.chars_left_out += len(value) - len(shown)
            room -= len(shown)
            kept.fields.append(KeptField(label or plain_label(name), shown))
    return kept


def signed_out_message(reason: Reason) -> str:
    """Why the person was signed out, in one sentence (also the sign-in page's notice)."""
    if reason == "idle":
        minutes = settings.SESSION_IDLE_TIMEOUT // 60
        return ngettext(
            "You were signed out after %(minutes)d minute without activity.",
            "You were signed out after %(minutes)d minutes without activity.",
            minutes,
        ) % {"minutes": minutes}
    if reason == "absolute":
        hours = settings.SESSION_ABSOLUTE_TIMEOUT // 3600
        return ngettext(
            "You were signed out: sessions last at most %(hours)d hour. Sign in again to go on.",
            "You were signed out: sessions last at most %(hours)d hours. Sign in again to go on.",
            hours,
        ) % {"hours": hours}
    return gettext(
        "You are no longer signed in: the session ended, or you signed out in another tab."
    )


def wants_page(request: HttpRequest) -> bool:
    """True for a form a browser submits, False for a script's fetch (journal autosave).

    A browser marks a navigation with Sec-Fetch-Mode itself; without that header, a
    page's fetch asks for */* and a form submission for text/html. When in doubt, the
    page: a script can live with HTML, a person cannot read their words in JSON.
    """
    mode = request.headers.get("Sec-Fetch-Mode")
    if mode:
        return mode == "navigate"
    accept = request.headers.get("Accept", "")
    return not accept or "text/html" in accept


def signed_out_response(
    request: HttpRequest, reason: Reason, *, sign_in_next: str, show_words: bool = True
) -> HttpResponse:
    """The answer to a form posted by someone no longer signed in: their words, kept nowhere.

    *show_words* False (a post no CSRF check vouched for): the page without them, as any
    site could have sent it.
    """
    # Should anything below fail, the error report leaves the posted text out.
    request.sensitive_post_parameters = "__ALL__"  # type: ignore[attr-defined]
    response: HttpResponse
    if not wants_page(request):
        response = JsonResponse(
            {
                "signed_out": True,
                "error": gettext("You have been signed out, so nothing was saved."),
            },
            status=401,
        )
    else:
        sign_in = resolve_url(settings.LOGIN_URL) + "?" + urlencode({"next": sign_in_next})
        response = render(
            request,
            "signed_out_keeps.html",
            {
                "why": signed_out_message(reason),
                "kept": kept_words(request) if show_words else Kept(fields=[]),
                "sign_in_url": sign_in,
                "max_fields": MAX_FIELDS,
                "max_chars": f"{MAX_CHARS:,}",
            },
            status=401,
        )
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    return response
