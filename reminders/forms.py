"""The forms of the reminders page: the time zone, and one reminder (of any kind)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from guides.content import site_content

from . import schedule
from .models import DEFAULT_AT, GUIDE_WEEKS, HOURS, SELF_CHECK_WEEKS, Kind, Way
from .selectors import PlanChoice


def hour_choices() -> list[tuple[str, str]]:
    return [(f"{hour:02d}:00", f"{hour:02d}:00") for hour in HOURS]


def zone_choices() -> list[tuple[str, Any]]:
    """The time zones grouped by region ("Europe", "America"...), UTC first."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in schedule.zone_names():
        region = name.split("/", 1)[0] if "/" in name else _("Other")
        groups.setdefault(str(region), []).append((name, name.replace("_", " ")))
    return [("UTC", "UTC"), *sorted(groups.items())]


class TimeZoneForm(forms.Form):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        help_text=_("Reminders come at the hour you choose, on your clock."),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = zone_choices()


class ReminderForm(forms.Form):
    """One reminder: what it is about (*kind*, and which plan or guide), how often or
    how soon, at what hour, and which way. The page shows one per kind."""

    target = forms.ChoiceField(required=False)
    weeks = forms.TypedChoiceField(coerce=int, required=False, widget=forms.RadioSelect)
    at = forms.ChoiceField(label=_("At"), initial=DEFAULT_AT.strftime("%H:%M"))
    way = forms.ChoiceField(
        label=_("How"),
        choices=Way.choices,
        initial=Way.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose by email or in your own calendar.")},
    )

    def __init__(
        self, *args: Any, kind: str, plans: Sequence[PlanChoice] = (), **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", kind)
        super().__init__(*args, **kwargs)
        self.kind = kind
        at = self.fields["at"]
        weeks = self.fields["weeks"]
        target = self.fields["target"]
        assert isinstance(at, forms.ChoiceField) and isinstance(weeks, forms.ChoiceField)
        assert isinstance(target, forms.ChoiceField)
        at.choices = hour_choices()
        at.error_messages["invalid_choice"] = _("Choose an hour from the list.")
        if kind == Kind.SELF_CHECK:
            weeks.label = _("How often")
            weeks.choices = [
                (n, ngettext("Every %(n)d week", "Every %(n)d weeks", n) % {"n": n})
                for n in SELF_CHECK_WEEKS
            ]
            weeks.initial = 4
        elif kind == Kind.GUIDE:
            weeks.label = _("When")
            weeks.choices = [
                (n, ngettext("In %(n)d week", "In %(n)d weeks", n) % {"n": n}) for n in GUIDE_WEEKS
            ]
            weeks.initial = 1
            target.label = _("Which guide")
            target.choices = [(guide.slug, guide.title) for guide in site_content().guides]
        else:
            del self.fields["weeks"]
        if kind == Kind.PLAN_REVIEW:
            target.label = _("Which plan")
            target.choices = [(str(choice.plan_id), choice.title) for choice in plans]
        if kind == Kind.SELF_CHECK:
            del self.fields["target"]
        else:
            target.required = True
            target.error_messages["required"] = _("Choose what to be reminded of.")
            target.error_messages["invalid_choice"] = _("Choose one from the list.")
        if "weeks" in self.fields:
            weeks.required = True
            weeks.error_messages["required"] = _("Choose how often.")
            weeks.error_messages["invalid_choice"] = _("Choose one from the list.")

    def at_time(self) -> datetime.time:
        return datetime.time.fromisoformat(self.cleaned_data["at"])
