from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "journal"
    personal_data = "journal.personal_data"
