from django.urls import path

from . import export_views, tries_views, views

app_name = "journal"

urlpatterns = [
    path("", views.entry_list, name="list"),
    path("search/", views.entry_search, name="search"),
    path("new/", views.entry_new, name="new"),
    path("autosave/", views.autosave, name="autosave"),
    path("moods/", views.moods, name="moods"),
    path("tried/", tries_views.tries, name="tries"),
    path("tried/<uuid:pk>/delete/", tries_views.try_delete, name="try-delete"),
    path("trash/", views.trash, name="trash"),
    path("trash/empty/", views.trash_empty, name="trash-empty"),
    path("export/", export_views.export, name="export"),
    path("import/", export_views.import_entries, name="import"),
    path("drafts/<uuid:pk>/discard/", views.draft_discard, name="draft-discard"),
    path("<uuid:pk>/", views.entry_detail, name="detail"),
    path("<uuid:pk>/edit/", views.entry_edit, name="edit"),
    path("<uuid:pk>/delete/", views.entry_delete, name="delete"),
    path("<uuid:pk>/restore/", views.entry_restore, name="restore"),
    path("<uuid:pk>/purge/", views.entry_purge, name="purge"),
]
