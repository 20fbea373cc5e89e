"""Form fields more than one app shows the same way."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

# What a print form offers, to WeasyPrint's @page size (core.pdf renders both).
PAPER_SIZES = {"a4": "A4", "letter": "letter"}
PAPER_CHOICES = [("a4", _("A4")), ("letter", _("US Letter"))]


def paper_field() -> forms.ChoiceField:
    """The paper size of a PDF, A4 unless chosen."""
    return forms.ChoiceField(
        label=_("Paper size"), choices=PAPER_CHOICES, initial="a4", widget=forms.RadioSelect
    )
