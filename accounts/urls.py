from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.settings_index, name="settings"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("display/", views.display, name="display"),
]
