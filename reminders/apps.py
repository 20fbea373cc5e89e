from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders"
    default_auto_field = "django.db.models.BigAutoField"
    personal_data = "reminders.personal_data"

    def ready(self) -> None:
        from . import signals  # noqa: F401 (connects the plan receiver)
