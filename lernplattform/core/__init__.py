"""Small platform-wide building blocks every app may import: the error family and safe task enqueueing.

This package holds no models and imports no app of the project, so it sits below every layer.
"""
