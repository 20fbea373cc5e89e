from django.urls import path

from . import views

app_name = "safety"

# Mounted at /safety/plan/ (config/urls.py). One plan per person, so only versions
# carry an id in the address; no address ever carries what the plan says.
urlpatterns = [
    path("", views.plan, name="plan"),
    path("pdf/", views.plan_pdf, name="pdf"),
    path("print/", views.plan_print, name="print"),
    path("history/", views.plan_history, name="history"),
    path("compare/", views.plan_compare, name="compare"),
    path("versions/<uuid:pk>/", views.plan_version, name="version"),
    path("versions/<uuid:pk>/restore/", views.plan_restore, name="restore"),
    path("delete/", views.plan_delete, name="delete"),
]
