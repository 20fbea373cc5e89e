"""The one small interface through which each app hands over what it keeps about a person.

An app that keeps anything about a person names a module in its AppConfig::

    class JournalConfig(AppConfig):
        name = "journal"
        personal_data = "journal.personal_data"

and that module provides two functions:

``export(user, pdfs) -> dict[str, bytes]``
    Everything the app holds for *user*, as files for the archive (paths inside it,
    such as ``"journal/journal.json"``), read through the app's own readers. PDFs are
    not made here: the app queues them with ``pdfs.add(name, make, hint=...)``, and
    the archive makes them last, within one budget shared by every app (yourdata.archive).

``erase(user) -> None``
    Remove everything the app holds for *user*: its rows, and every cache entry or
    temporary file derived from them. It runs inside the deletion's transaction,
    before the user row goes, so the rows can still be found; its docstring says
    what it removes.

It may also set ``COVERS``, the labels of other apps whose rows about a person it
exports and erases (accounts covers allauth's email addresses, for instance).

The composer finds the parts over apps.get_app_configs(), in INSTALLED_APPS order,
so a new app cannot be left out of either feature; the system check below fails
(yourdata.E001) when an app with a model pointing at the user has no part and no
other part covers it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from types import ModuleType

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import checks


@dataclass(frozen=True)
class PendingPDF:
    """A PDF still to make: its name in the archive, how to make it with a renderer,
    and what to suggest if it cannot be made this time."""

    name: str
    make: Callable[[Callable[[str], bytes]], bytes]
    hint: str


@dataclass
class PDFQueue:
    """The PDFs the parts ask for, made by the archive after every data file."""

    pending: list[PendingPDF] = field(default_factory=list)

    def add(self, name: str, make: Callable[[Callable[[str], bytes]], bytes], *, hint: str):
        self.pending.append(PendingPDF(name, make, hint))


@dataclass(frozen=True)
class Part:
    label: str  # the app's label
    module: ModuleType
    covers: frozenset[str]

    def export(self, user, pdfs: PDFQueue) -> dict[str, bytes]:
        return self.module.export(user, pdfs)

    def erase(self, user) -> None:
        self.module.erase(user)


def parts() -> list[Part]:
    """Every app's part, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        path = getattr(config, "personal_data", None)
        if path:
            module = import_module(path)
            found.append(Part(config.label, module, frozenset(getattr(module, "COVERS", ()))))
    return found


def apps_holding_people() -> set[str]:
    """Labels of the apps with a model that points at the user (a ForeignKey or one-to-one)."""
    user_model = get_user_model()
    return {
        model._meta.app_label
        for model in apps.get_models(include_auto_created=True)
        for field in model._meta.get_fields()
        if field.concrete
        and field.is_relation
        and (field.many_to_one or field.one_to_one)
        and field.related_model is user_model
    }


@checks.register()
def check_every_app_has_a_part(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    found = parts()
    for part in found:
        missing = [
            name for name in ("export", "erase") if not callable(getattr(part.module, name, None))
        ]
        if missing:
            errors.append(
                checks.Error(
                    f"{part.module.__name__} has no {' or '.join(missing)}().",
                    hint="A personal_data module provides export(user, pdfs) and erase(user).",
                    id="yourdata.E002",
                )
            )
    covered = {part.label for part in found}.union(*(part.covers for part in found))
    for label in sorted(apps_holding_people() - covered):
        errors.append(
            checks.Error(
                f"The app {label!r} keeps rows about a person but supplies no personal data part: "
                "'Download your data' would leave them out and 'Delete your account' would "
                "not say what it removes.",
                hint=(
                    f"Add {label}/personal_data.py with export(user, pdfs) and erase(user), and "
                    f'personal_data = "{label}.personal_data" on its AppConfig (yourdata.parts).'
                ),
                obj=label,
                id="yourdata.E001",
            )
        )
    return errors
