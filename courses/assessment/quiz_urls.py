"""Front-end URLs of the quiz concern outside the quiz pages themselves: grading queue, practice checks."""

from django.urls import path

from . import quiz_views

app_name = "quiz"

urlpatterns = [
    path("bewertung/", quiz_views.grading_queue, name="grading_queue"),
    path("bewertung/<int:slot_id>/", quiz_views.grade_slot, name="grade_slot"),
    path("uebung/pruefen/", quiz_views.practice_check, name="practice_check"),
]
