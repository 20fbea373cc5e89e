from django.urls import path

from . import tools, views

# No app_name: these names ("home", "safety", "privacy", "quick-exit", "tools") are the site's
# own, linked by every template (the tools page was guides:tools before it came here).
urlpatterns = [
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
    path("privacy/", views.privacy, name="privacy"),
    path("exit/", views.quick_exit, name="quick-exit"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    # What a person has made with every app, in one place: a page of the site.
    path("tools/", tools.tools, name="tools"),
]
