from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import urls as accounts_urls
from journal import handoffs as journal_handoffs
from yourdata import urls as yourdata_urls

# The admin's sign-in goes through allauth: its rate limits and MFA apply.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]
admin.site.site_header = "Common Ground administration"

urlpatterns = [
    # Before pages' "safety/": the personal safety plan lives under the safety page.
    path("safety/plan/", include("safety.urls")),
    path("", include("pages.urls")),
    # The settings area: the account's own pages and the composer's "download
    # everything" and "delete everything", under one namespace ("accounts:export").
    path("accounts/", include((accounts_urls.urlpatterns + yourdata_urls.urlpatterns, "accounts"))),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("journal/", include("journal.urls")),
    path("jobs/", include("jobs.urls")),
    path("", include("reminders.urls")),  # /accounts/reminders/ and the emails' /r/<token>/
    path("plans/", include("boundaries.urls")),
    # The journal's hand-off from a conversation plan, at the plan's own address.
    path(
        "conversation-planner/<uuid:pk>/to-journal/",
        journal_handoffs.planner_to_journal,
        name="planner-journal",
    ),
    path("", include("guides.urls")),
]

handler400 = "pages.views.bad_request"
handler403 = "pages.views.permission_denied"
handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
