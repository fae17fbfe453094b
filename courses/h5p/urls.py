from django.conf import settings
from django.urls import path

from . import views

app_name = "h5p"

urlpatterns = [
    path("h5p/spieler/<int:content_id>/", views.player_frame, name="player"),
    path("h5p/aktivitaet/<int:page_id>/<int:content_id>/", views.activity_iri, name="activity"),
    # The player loads H5P files from here, always with the sandbox headers; an editor's preview
    # of an item on no live page carries a signed token in the path (the frame sends no cookies).
    path("h5p/dateien/vorschau/<str:token>/<path:path>", views.h5p_file, name="preview-file"),
    path("h5p/dateien/<path:path>", views.h5p_file, name="file"),
    # The same files under their media path shadow the generic media handler, so that a
    # file opened directly there is sandboxed too (a web server in front must pass
    # MEDIA_URL/h5p/ to Django or set the same headers; see docs/h5p.md).
    path(f"{settings.MEDIA_URL.strip('/')}/h5p/<path:path>", views.h5p_file, name="media-file"),
]
