from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("abbestellen/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
