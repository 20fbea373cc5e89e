from django.apps import AppConfig


class SafetyConfig(AppConfig):
    name = "safety"
    personal_data = "safety.personal_data"
