"""H5P test data: real packages built from our own content type, imported through the service.

H5P activity pages are built in tests.factories.pages.
"""

import io

from courses.h5p.builder import build_quiz_package
from courses.h5p.models import H5PContent
from courses.h5p.services import h5p_content_import


def h5p_content(*, title: str = "Sicher im Netz", **package_kwargs) -> H5PContent:
    data = build_quiz_package(title=title, **package_kwargs)
    return h5p_content_import(file=io.BytesIO(data), filename="quiz.h5p")
