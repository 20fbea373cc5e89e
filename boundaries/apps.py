from django.apps import AppConfig


class BoundariesConfig(AppConfig):
    name = "boundaries"
    personal_data = "boundaries.personal_data"

    def typed_fields(self):
        """The builder's text boxes ("b-0-need": "Boundary 1: …"), shown back by
        core/signed_out.py when the plan is posted after the session ended."""
        from django.utils.translation import gettext_lazy

        from core.signed_out import TypedFields

        from .forms import BOUNDARY_PREFIX, BoundaryForm, PlanForm

        return TypedFields.from_forms(
            PlanForm, formsets={BOUNDARY_PREFIX: (gettext_lazy("Boundary"), BoundaryForm)}
        )
