from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("pruefen/", views.verify_lookup, name="verify_lookup"),
    path("pruefen/<str:code>/", views.verify, name="verify"),
    path("meine/", views.mine, name="mine"),
    path("<int:certificate_id>/pdf/", views.download, name="download"),
    path("verwaltung/", views.org_list, name="org_list"),
    path("verwaltung/export.csv", views.org_csv, name="org_csv"),
    path("verwaltung/zip/", views.org_zip, name="org_zip"),
    path("verwaltung/zip/<int:export_id>/", views.org_zip_download, name="org_zip_download"),
    path("<int:certificate_id>/widerrufen/", views.revoke, name="revoke"),
    path("<int:certificate_id>/neu-ausstellen/", views.reissue, name="reissue"),
]
