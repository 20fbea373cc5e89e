from django import template

from ..handoffs import debrief_entry

register = template.Library()


@register.simple_tag(takes_context=True)
def debrief_entry_for(context, plan):
    """The journal entry *plan*'s debrief was saved to, while it is still in the journal."""
    return debrief_entry(context["request"].user, plan)
