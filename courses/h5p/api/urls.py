"""URLs of the H5P player relay under /api/v1/."""

from django.urls import path

from .views import StatementView, StateView

urlpatterns = [
    path("h5p/xapi/", StatementView.as_view(), name="h5p-xapi"),
    path("h5p/state/", StateView.as_view(), name="h5p-state"),
]
