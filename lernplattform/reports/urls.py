from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("deutschland/", views.node, name="germany"),
    path("deutschland/export.<str:fmt>", views.figures_export, name="germany_figures_export"),
    path("deutschland/personen/", views.people, name="germany_people"),
    path("deutschland/personen/export.<str:fmt>", views.people_export, name="germany_people_export"),
    path("organisation/<int:pk>/", views.node, name="node"),
    path("organisation/<int:pk>/export.<str:fmt>", views.figures_export, name="figures_export"),
    path("organisation/<int:pk>/personen/", views.people, name="people"),
    path("organisation/<int:pk>/personen/export.<str:fmt>", views.people_export, name="people_export"),
    path("organisation/<int:pk>/ziele/neu/", views.target_add, name="target_add"),
    path("organisation/<int:pk>/ziele/<int:target_pk>/loeschen/", views.target_delete, name="target_delete"),
    path("exporte/", views.export_list, name="exports"),
    path("exporte/<int:export_pk>/herunterladen/", views.export_download, name="export_download"),
    path("zugriffsprotokoll/", views.access_log, name="access_log"),
]
