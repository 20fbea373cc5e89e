from django.urls import path

from . import views

# Served under /accounts/ in the settings area's namespace (config/urls.py), where
# these pages have always been: accounts:export, accounts:delete.

urlpatterns = [
    path("export/", views.export, name="export"),
    path("delete/", views.delete, name="delete"),
]
