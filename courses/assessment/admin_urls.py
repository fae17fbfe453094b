from django.urls import path

from . import admin_views

app_name = "assessment_admin"

urlpatterns = [
    path("", admin_views.bank_index, name="index"),
    path("kategorie/neu/", admin_views.category_add, name="category_add"),
    path("kategorie/<int:pk>/", admin_views.category_edit, name="category_edit"),
    path("kategorie/<int:pk>/zuordnung/", admin_views.category_owner, name="category_owner"),
    path("neu/<str:qtype>/", admin_views.question_add, name="add"),
    path("<int:pk>/bearbeiten/", admin_views.question_edit, name="edit"),
    path("<int:pk>/vorschau/", admin_views.question_preview, name="preview"),
    path("<int:pk>/vorschau/v<int:version>/", admin_views.question_preview, name="preview_version"),
    path("<int:pk>/versionen/", admin_views.question_history, name="versions"),
    path("<int:pk>/archivieren/", admin_views.question_toggle_archive, name="archive"),
    path("<int:pk>/kopieren/", admin_views.question_copy_view, name="copy"),
    path("import/", admin_views.import_upload, name="import"),
    path("import/bestaetigen/", admin_views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/", admin_views.import_status, name="import_status"),
    path("export/", admin_views.export, name="export"),
]
