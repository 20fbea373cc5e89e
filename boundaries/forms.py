"""The plan builder (a plan form and a formset of boundaries) and the print options.

No field carries a maxlength attribute: a browser silently cuts pasted text at
maxlength, and the brief is that over-long text is refused with a message and
kept. plans.js shows a live count instead.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, cast

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.forms import paper_field
from core.limits import over_limit_message

from . import pdf
from .examples import REVIEW_AFTER_DAYS
from .labels import FIELD_LABELS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise
from .models import MAX_BOUNDARIES, TEXT_LIMIT, TITLE_LIMIT, BoundaryContent, PlanContent, Status

BOUNDARY_PREFIX = "b"
TEXT_FIELDS = BoundaryContent.TEXT_FIELDS


def _check_length(form: forms.Form, name: str, limit: int) -> str:
    value = form.cleaned_data.get(name) or ""
    if len(value) > limit:
        raise forms.ValidationError(over_limit_message(len(value), limit), code="too_long")
    return value


def _text(
    label: StrOrPromise, help_text: StrOrPromise, *, rows: int, check: bool = False
) -> forms.CharField:
    """An optional text area, kept exactly as typed (no stripping: versions are exact)."""
    attrs: dict[str, int | str] = {"rows": rows, "data-limit": TEXT_LIMIT}
    if check:
        attrs["data-check"] = ""  # plans.js runs the wording check on it as you type
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        strip=False,
        widget=forms.Textarea(attrs=attrs),
    )


def _default_review_date() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=REVIEW_AFTER_DAYS)


class PlanForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"),
        strip=True,
        help_text=gettext_lazy("Only you see it. The PDF can use a plain title instead."),
        widget=forms.TextInput(attrs={"data-limit": TITLE_LIMIT, "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Give the plan a title, even a short one.")},
    )
    why = _text(
        gettext_lazy("Why this plan matters to me"),
        gettext_lazy("A few lines to come back to when holding a limit feels hard."),
        rows=3,
    )

    def clean_title(self):
        return _check_length(self, "title", TITLE_LIMIT)

    def clean_why(self):
        return _check_length(self, "why", TEXT_LIMIT)


class BoundaryForm(forms.Form):
    need = _text(
        FIELD_LABELS["need"],
        gettext_lazy("What are you protecting? Rest, respect, calm, time with friends …"),
        rows=2,
        check=True,  # read for signs of control or danger only
    )
    action = _text(
        FIELD_LABELS["action"],
        gettext_lazy(
            "Your own action, starting with “I will …”, not something your partner must do."
        ),
        rows=3,
        check=True,
    )
    say = _text(
        FIELD_LABELS["say"],
        gettext_lazy("An I-statement: what I feel, what I need, what I'll do. Short and warm."),
        rows=3,
        check=True,
    )
    if_crossed = _text(
        FIELD_LABELS["if_crossed"],
        gettext_lazy(
            "The reminder I'll give the first time, and the step I'll take if it keeps happening."
        ),
        rows=3,
        check=True,
    )
    support = _text(
        FIELD_LABELS["support"],
        gettext_lazy("A friend to text, a counsellor, a group, a walk."),
        rows=2,
        check=True,  # read for signs of control or danger only
    )
    status = forms.ChoiceField(
        label=FIELD_LABELS["status"], choices=Status.choices, initial=Status.DRAFTING
    )
    review_on = forms.DateField(
        label=FIELD_LABELS["review_on"],
        required=False,
        initial=_default_review_date,
        help_text=gettext_lazy("When to read it again and see if it still fits."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": gettext_lazy("Enter the date as year-month-day, like 2025-06-30.")
        },
    )

    def clean(self):
        cleaned = super().clean()
        for name in TEXT_FIELDS:
            value = cleaned.get(name) or ""
            if len(value) > TEXT_LIMIT:
                self.add_error(name, over_limit_message(len(value), TEXT_LIMIT))
        return cleaned

    def content(self) -> BoundaryContent:
        data = self.cleaned_data
        return BoundaryContent(
            **{name: data.get(name) or "" for name in TEXT_FIELDS},
            status=data.get("status") or Status.DRAFTING.value,
            review_on=data.get("review_on"),
        )


class BaseBoundaryFormSet(forms.BaseFormSet):
    # The order and removal are kept in hidden fields: move and remove buttons (and
    # plans.js, without a round trip) set them.
    ordering_widget = forms.HiddenInput
    deletion_widget = forms.HiddenInput

    def kept_forms(self) -> list[BoundaryForm]:
        """The forms not removed and not left blank, in the order the user arranged."""
        ordered = cast("list[BoundaryForm]", self.ordered_forms)
        return [form for form in ordered if not form.content().is_blank()]

    def clean(self):
        if any(self.errors):
            return
        count = len(self.kept_forms())
        if count > MAX_BOUNDARIES:
            raise forms.ValidationError(
                f"A plan holds up to {MAX_BOUNDARIES} boundaries, and this one has {count}. "
                "Remove some, or keep the rest in a second plan. Nothing is saved yet; your "
                "text is still here.",
                code="too_many",
            )

    def contents(self) -> tuple[BoundaryContent, ...]:
        return tuple(form.content() for form in self.kept_forms())


# formset_factory() is typed as making a plain BaseFormSet: it makes a BaseBoundaryFormSet.
BoundaryFormSet = cast(
    "type[BaseBoundaryFormSet]",
    formset_factory(
        BoundaryForm,
        formset=BaseBoundaryFormSet,
        extra=0,
        can_order=True,
        can_delete=True,
        max_num=MAX_BOUNDARIES,
        # More forms than this are refused outright (a hostile post). Between the two,
        # clean() explains the limit and keeps the text.
        absolute_max=MAX_BOUNDARIES + 20,
    ),
)


def plan_content(plan_form: PlanForm, formset: BaseBoundaryFormSet) -> PlanContent:
    return PlanContent(
        title=plan_form.cleaned_data["title"],
        why=plan_form.cleaned_data["why"],
        boundaries=formset.contents(),
    )


def boundary_initial(content: BoundaryContent) -> dict:
    return {
        **{name: getattr(content, name) for name in TEXT_FIELDS},
        "status": content.status,
        "review_on": content.review_on,
    }


class PrintOptionsForm(forms.Form):
    """What goes into the PDF. Sent by GET, so it also works as a plain link."""

    paper = paper_field()
    parts = forms.MultipleChoiceField(
        label=gettext_lazy("What to include"),
        choices=pdf.PARTS,
        required=False,
        initial=[name for name, _ in pdf.PARTS],
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Each boundary itself (what I will do) is always included."),
    )
    neutral = forms.BooleanField(
        label=gettext_lazy(
            "Safe to print: a plain title (“Notes”) and file name, and no mention of "
            "boundaries on the page"
        ),
        required=False,
    )

    def options(self) -> pdf.PrintOptions:
        data = self.cleaned_data
        return pdf.PrintOptions(
            paper=data["paper"], neutral=data["neutral"], parts=frozenset(data["parts"])
        )
