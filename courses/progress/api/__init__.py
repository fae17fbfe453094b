"""The progress app's part of /api/v1/: views, serializers and its urlpatterns (included by lernplattform/api.py)."""
