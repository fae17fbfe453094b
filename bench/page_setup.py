"""For bench/run_pages.sh (run with `manage.py shell`): a session for the demo learner, the pages to
measure, and the SQL queries each page runs (second request, caches warm), as shell-readable lines."""

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from courses.catalog.models import CatalogPage
from courses.lessons.models import LessonPage
from courses.progress.demo import LEARNER_EMAIL
from courses.progress.models import Enrolment
from lernplattform.accounts.models import User

learner = User.objects.get(email=LEARNER_EMAIL)
enrolment = Enrolment.objects.filter(user=learner, status=Enrolment.Status.ACTIVE).select_related("course").first()
course = enrolment.course
lesson = LessonPage.objects.live().child_of(course).order_by("path").first()
catalog = CatalogPage.objects.live().first()

backend = next(b for b in settings.AUTHENTICATION_BACKENDS if hasattr(import_string(b), "get_user"))
session = SessionStore()
session[SESSION_KEY] = str(learner.pk)
session[BACKEND_SESSION_KEY] = backend
session[HASH_SESSION_KEY] = learner.get_session_auth_hash()
session.create()

pages = {
    "lesson": lesson.url,
    "course": course.url,
    "catalogue": catalog.url,
    "dashboard": "/lernen/",
    "progress_api": "/api/v1/progress/courses/",
    "home_anonymous": "/",
}
client = Client(HTTP_HOST="127.0.0.1")
client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
anonymous = Client(HTTP_HOST="127.0.0.1")
print(f"SESSION={session.session_key}")
print(f"COOKIE_NAME={settings.SESSION_COOKIE_NAME}")
for name, url in pages.items():
    browser = anonymous if name.endswith("_anonymous") else client
    assert browser.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        status = browser.get(url).status_code
    assert status == 200, url
    print(f"PAGE_{name}={url}")
    print(f"QUERIES_{name}={len(queries.captured_queries)}")
