from django.urls import path

from . import views

app_name = "guides"

urlpatterns = [
    path("guides/", views.index, name="index"),
    path("guides/search/", views.search_view, name="search"),
    path("guides/check/", views.safety_check_answer, name="check"),
    path("guides/reading-choices/", views.safety_check_safer, name="reading-choices"),
    path("guides/<slug:guide_slug>/", views.guide_detail, name="guide"),
    path("guides/<slug:guide_slug>/print/", views.guide_print, name="guide-print"),
    path("guides/<slug:guide_slug>/check/", views.safety_check, name="safety-check"),
    path("guides/<slug:guide_slug>/<slug:step_slug>/", views.step_detail, name="step"),
    path("guides/<slug:guide_slug>/<slug:step_slug>/done/", views.step_done, name="step-done"),
    path("sources/", views.sources, name="sources"),
    path("for-your-partner/", views.for_your_partner, name="for-your-partner"),
    path("conversation-planner/", views.planner_list, name="planner-list"),
    path("conversation-planner/new/", views.planner_edit, name="planner-new"),
    path("conversation-planner/<uuid:pk>/", views.planner_edit, name="planner-edit"),
    path("conversation-planner/<uuid:pk>/print/", views.planner_print, name="planner-print"),
    path("conversation-planner/<uuid:pk>/delete/", views.planner_delete, name="planner-delete"),
    path("self-check/", views.self_check, name="self-check"),
    path("self-check/compare/", views.self_check_compare, name="self-check-compare"),
    path("self-check/<uuid:pk>/", views.self_check_detail, name="self-check-detail"),
    path("self-check/<uuid:pk>/delete/", views.self_check_delete, name="self-check-delete"),
]
