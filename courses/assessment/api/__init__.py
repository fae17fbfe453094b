"""The assessment app's part of /api/v1/: views, serializers and urlpatterns (included by lernplattform/api.py)."""
