from django.urls import path

from . import views

app_name = "boundaries"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_new, name="new"),
    path("check/", views.wording_check, name="check"),
    path("<uuid:pk>/", views.plan_detail, name="detail"),
    path("<uuid:pk>/edit/", views.plan_edit, name="edit"),
    path("<uuid:pk>/pdf/", views.plan_pdf, name="pdf"),
    path("<uuid:pk>/history/", views.plan_history, name="history"),
    path("<uuid:pk>/compare/", views.plan_compare, name="compare"),
    path("<uuid:pk>/versions/<int:number>/", views.plan_version, name="version"),
    path("<uuid:pk>/versions/<int:number>/restore/", views.plan_restore, name="restore"),
    path("<uuid:pk>/duplicate/", views.plan_duplicate, name="duplicate"),
    path("<uuid:pk>/delete/", views.plan_delete, name="delete"),
]
