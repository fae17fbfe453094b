from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("barriere-melden/", views.barrier_report, name="barrier_report"),
]
