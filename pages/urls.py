from django.urls import path

from . import views

# No app_name: these names ("home", "safety", "privacy", "quick-exit") are the site's
# own and every template links them as they were before the pages left config/.
urlpatterns = [
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
    path("privacy/", views.privacy, name="privacy"),
    path("exit/", views.quick_exit, name="quick-exit"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
]
