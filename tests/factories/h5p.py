"""H5P test data: real packages built from our own content type, imported through the service."""

import io

from django.conf import settings
from wagtail.models import Locale, Page, Site

from courses.catalog.models import CoursePage
from courses.h5p.builder import build_quiz_package
from courses.h5p.models import H5PActivityPage, H5PContent
from courses.h5p.services import h5p_content_import


def h5p_content(*, title: str = "Sicher im Netz", **package_kwargs) -> H5PContent:
    data = build_quiz_package(title=title, **package_kwargs)
    return h5p_content_import(file=io.BytesIO(data), filename="quiz.h5p")


def _home() -> Page:
    home = Page.objects.filter(depth=2).first()
    if home is None:  # transactional tests flush the pages that migrations created
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = root.add_child(instance=Page(title="Start", slug="start"))
        Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home


def course_page(*, title: str = "Informationssicherheit", parent: Page | None = None) -> CoursePage:
    parent = parent or _home()
    course = CoursePage(title=title, slug=title.lower().replace(" ", "-"))
    parent.add_child(instance=course)
    return course


def h5p_activity_page(
    *, course: CoursePage | None = None, content: H5PContent | None = None, **fields
) -> H5PActivityPage:
    course = course or course_page()
    content = content or h5p_content()
    fields.setdefault("title", "Quiz: Sicher im Netz")
    fields.setdefault("slug", f"h5p-{content.pk}")
    page = H5PActivityPage(content=content, **fields)
    course.add_child(instance=page)
    return page
