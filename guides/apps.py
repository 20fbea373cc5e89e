from django.apps import AppConfig


class GuidesConfig(AppConfig):
    name = "guides"
    verbose_name = "Guides"
    personal_data = "guides.personal_data"

    def typed_fields(self):
        """The planner's and the self-check's text boxes, shown back by core/signed_out.py
        when one is posted after the session ended."""
        from core.signed_out import TypedFields

        from .forms import ConversationPlanForm, SelfCheckForm

        return TypedFields.from_forms(ConversationPlanForm, SelfCheckForm)

    def ready(self):
        from . import (
            checks,  # noqa: F401 (registers the content check)
            signals,  # noqa: F401 (carries "Mark as done" through sign-in)
        )
