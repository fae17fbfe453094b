from django.urls import path

from .api import StatementView, StateView

urlpatterns = [
    path("h5p/xapi/", StatementView.as_view(), name="h5p-xapi"),
    path("h5p/state/", StateView.as_view(), name="h5p-state"),
]
