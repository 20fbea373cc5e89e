from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"
    personal_data = "safety.personal_data"

    def typed_fields(self):
        """The safety plan's text boxes, shown back by core/signed_out.py when the plan is
        posted after the session ended."""
        from core.signed_out import TypedFields

        from .forms import PlanForm

        return TypedFields.from_forms(PlanForm())  # an instance: its fields come in __init__
