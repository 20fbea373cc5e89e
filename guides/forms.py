from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import over_limit_message

from .models import PLAN_FIELDS, ConversationPlanContent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FIELD_LIMIT = 2000


LABELS: dict[str, StrOrPromise] = {
    "feeling": "I feel …",
    "situation": "when …",
    "reason": "because …",
    "request": "What I would like is …",
    "when_where": _("When and where we could talk"),
    "opening_line": "My opening line",
    "questions": _("What I will ask, and listen to"),
    "if_it_goes_badly": _("What I will do if it goes badly"),
    "what_happened": "What happened",
    "what_i_felt": _("What I felt"),
    "what_next": _("What I want to try next"),
}
HELP_TEXTS = {
    "feeling": _("One or two words for the feeling: lonely, worried, hopeful."),
    "situation": _("A specific, recent moment, described without blame."),
    "reason": _("What it touches in you: why it matters."),
    "request": _("Something small and doable, asked for, not demanded."),
    "when_where": _("A calm time, not during or right after an argument."),
    "opening_line": _("The first sentence you'll say. Saying it aloud once helps."),
    "questions": _("Questions that invite their worries, such as: what feels hardest about it?"),
    "if_it_goes_badly": _("How you'll stay calm, end kindly and look after yourself."),
}


def _part(name: str) -> forms.CharField:
    return forms.CharField(
        label=LABELS[name],
        help_text=HELP_TEXTS.get(name, ""),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": FIELD_LIMIT}),
    )


class ConversationPlanForm(forms.Form):
    """The planner's parts; a plain form, since the plan row holds them sealed (services)."""

    feeling = _part("feeling")
    situation = _part("situation")
    reason = _part("reason")
    request = _part("request")
    when_where = _part("when_where")
    opening_line = _part("opening_line")
    questions = _part("questions")
    if_it_goes_badly = _part("if_it_goes_badly")
    what_happened = _part("what_happened")
    what_i_felt = _part("what_i_felt")
    what_next = _part("what_next")

    def content(self) -> ConversationPlanContent:
        return ConversationPlanContent.from_dict(
            {name: self.cleaned_data[name] for name in PLAN_FIELDS}
        )

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str) and len(value) > FIELD_LIMIT:
                self.add_error(name, over_limit_message(len(value), FIELD_LIMIT))
        if not any(isinstance(v, str) and v.strip() for v in cleaned.values()):
            raise forms.ValidationError(
                _("The plan is empty. Fill in at least one part to save it.")
            )
        return cleaned


class SelfCheckForm(forms.Form):
    """One radio group per question; built from the content's self-check questions."""

    note = forms.CharField(
        label=_("A note to your future self"),
        required=False,
        max_length=FIELD_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. What is on your mind as you answer today?"),
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q_{question.id}"] = forms.TypedChoiceField(
                label=question.question,
                choices=question.choices,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=question.hint,
                error_messages={"required": _("Choose an answer to this question.")},
            )
        self.order_fields([f"q_{q.id}" for q in questions] + ["note"])

    def answers(self) -> dict[str, int]:
        return {q.id: self.cleaned_data[f"q_{q.id}"] for q in self.questions}
