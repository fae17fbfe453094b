from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("deutschland/", views.node, name="germany"),
    path("deutschland/personen/", views.people, name="germany_people"),
    path("organisation/<int:pk>/", views.node, name="node"),
    path("organisation/<int:pk>/personen/", views.people, name="people"),
    path("organisation/<int:pk>/ziele/neu/", views.target_add, name="target_add"),
    path("organisation/<int:pk>/ziele/<int:target_pk>/loeschen/", views.target_delete, name="target_delete"),
    path("zugriffsprotokoll/", views.access_log, name="access_log"),
]
