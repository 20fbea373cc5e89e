"""The safety plan form (one text area per field, and where the person lives) and the
print options.

No field carries a maxlength attribute: a browser silently cuts pasted text at
maxlength. Text over a limit is refused with a message that says by how much, and
kept (core.limits).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PAPER_SIZES, paper_field
from core.limits import over_limit_message, too_many_lines_message

from . import lines
from .models import PlanContent
from .pdf import PrintOptions
from .sections import FIELDS, SECTIONS, TEXT_FIELDS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _region_choices() -> list[tuple[str, StrOrPromise]]:
    return [("", _("Choose a place")), *((region, region) for region in lines.regions())]


class PlanForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Where I live"),
        choices=_region_choices,
        required=False,
        error_messages={"invalid_choice": _("Choose a place from the list.")},
    )

    def __init__(self, *args: Any, saving: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.saving = saving  # the messages say "save again" only when saving
        for field in FIELDS:
            self.fields[field.name] = forms.CharField(
                label=field.label,
                help_text=field.help,
                required=False,
                strip=False,  # kept exactly as typed: versions compare exactly
                widget=forms.Textarea(attrs={"rows": field.rows, "data-limit": field.limit}),
            )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for field in FIELDS:
            value = cleaned.get(field.name) or ""
            if len(value) > field.limit:
                self.add_error(
                    field.name, over_limit_message(len(value), field.limit, saving=self.saving)
                )
            elif (count := value.count("\n") + 1) > field.line_limit:
                self.add_error(field.name, too_many_lines_message(count, field.line_limit))
        return cleaned

    def content(self) -> PlanContent:
        data = self.cleaned_data
        return PlanContent(
            region=data.get("region") or "",
            **{name: data.get(name) or "" for name in TEXT_FIELDS},
        )

    def sections(self) -> list[dict[str, Any]]:
        """Each section with its bound fields, for the template."""
        return [
            {"section": section, "fields": [self[field.name] for field in section.fields]}
            for section in SECTIONS
        ]


class PrintOptionsForm(forms.Form):
    """What goes into the PDF, posted with the plan."""

    paper = paper_field()
    sections = forms.MultipleChoiceField(
        label=_("What to include"),
        choices=[(section.slug, section.title) for section in SECTIONS],
        initial=[section.slug for section in SECTIONS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Parts you leave blank print as space to write by hand."),
    )
    neutral = forms.BooleanField(
        label=_("Safe to print: a plain title (“Notes”), plain headings and a plain file name"),
        required=False,
        # Its help is shown under the box by the template (a check box lays out in a row).
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_neutral_helptext"}),
    )

    def clean_sections(self) -> list[str]:
        chosen: list[str] = self.cleaned_data["sections"]
        if not chosen:
            raise forms.ValidationError(_("Choose at least one part to print."), code="none")
        return chosen

    def options(self) -> PrintOptions:
        data = self.cleaned_data
        assert data["paper"] in PAPER_SIZES  # a choice field: nothing else gets here
        return PrintOptions(
            paper=data["paper"], neutral=data["neutral"], sections=frozenset(data["sections"])
        )
