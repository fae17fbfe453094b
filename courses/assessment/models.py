"""Quiz pages and attempts; the question bank's models live in ``courses.questions.models``.

The bank moved out of this app (issue 11, docs/adr/0014-bank-in-questions.md); its tables kept
their names (``assessment_question`` ...), and the label ``assessment`` stays so that the quiz
pages' content types survive.
"""

from .quiz_models import *  # noqa: F401, F403 - quizzes and attempts live in their own module
