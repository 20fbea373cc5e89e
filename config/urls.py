from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

# The admin's sign-in goes through allauth: its rate limits and MFA apply.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "Common Ground administration"

urlpatterns = [
    path("", views.home, name="home"),
    path("safety/", views.safety, name="safety"),
    path("privacy/", views.privacy, name="privacy"),
    path("exit/", views.quick_exit, name="quick-exit"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("journal/", include("journal.urls")),
    path("plans/", include("boundaries.urls")),
    path("", include("guides.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
