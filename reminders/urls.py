from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("accounts/reminders/", views.settings_page, name="settings"),
    path(
        "accounts/reminders/<uuid:pk>/check-in.ics",
        views.calendar_download,
        name="calendar",
    ),
    path("accounts/reminders/<uuid:pk>/off/", views.turn_off, name="off"),
    # The links in a reminder's email and calendar entry: a short, neutral address.
    path("r/<str:token>/", views.open_reminder, name="open"),
    path("r/<str:token>/stop/", views.stop, name="stop"),
]
