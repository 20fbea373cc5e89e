from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:pk>/", views.progress, name="progress"),
    path("<uuid:pk>/download/", views.download, name="download"),
]
