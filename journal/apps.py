from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    personal_data = "journal.personal_data"

    def typed_fields(self):
        """The text boxes of the journal's forms, shown back by core/signed_out.py when a
        form is posted after the session ended."""
        from core.signed_out import TypedFields

        from .forms import EntryForm, TryForm

        return TypedFields.from_forms(EntryForm, TryForm)
