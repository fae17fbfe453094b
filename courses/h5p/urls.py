from django.conf import settings
from django.urls import path

from . import views

app_name = "h5p"

urlpatterns = [
    path("h5p/spieler/<int:content_id>/", views.player_frame, name="player"),
    path("h5p/aktivitaet/<int:page_id>/<int:content_id>/", views.activity_iri, name="activity"),
    # Served by us (not by the generic media handler) so that every file gets the sandbox headers.
    path(f"{settings.MEDIA_URL.strip('/')}/h5p/<path:path>", views.h5p_file, name="file"),
]
