"""The one table of a boundary's field labels: the builder, compare, the wording check and the PDF.

A safe-to-print PDF uses NEUTRAL_LABELS instead, a deliberate variant that says
nothing of what the page is about.
"""

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "need": _("The need or value behind it"),
    "action": _("The boundary: what I will do"),
    "say": _("How I'll say it"),
    "if_crossed": _("What I'll do if it's crossed"),
    "support": _("Who or what supports me"),
    "status": _("Status"),
    "review_on": _("Review date"),
}

NEUTRAL_LABELS = {
    **FIELD_LABELS,
    "need": _("Why it matters"),
    "action": _("What I'll do"),
    "say": _("Words to use"),
    "if_crossed": _("If it happens again"),
    "support": _("Who can help"),
    "review_on": _("Look again on"),
}
