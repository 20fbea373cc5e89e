from django.apps import AppConfig


class BoundariesConfig(AppConfig):
    name = "boundaries"
    personal_data = "boundaries.personal_data"
