"""Reads on progress: a learner's courses, a course's activities and states, paths, overviews.

Every selector here issues a bounded number of queries whatever the number of courses and
activities (DESIGN.md, rules of thumb): activities of many courses come in one query, their
`is_required` flags in one query per activity page type, completions in one query.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as DjangoPage
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Model, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses.catalog.models import ActivityPage, CoursePage
from courses.catalog.selectors import CourseOutline, course_outline_cached, course_outlines_cached
from lernplattform.accounts.models import User
from lernplattform.accounts.selectors import user_may_manage as accounts_user_may_manage
from lernplattform.accounts.selectors import users_visible_to

from . import rules
from .models import (
    ActivityCompletion,
    CourseCompletion,
    Enrolment,
    LearningPath,
    LearningPathStep,
    PathCompletion,
    PathEnrolment,
)

CURRENT = ~Q(status=Enrolment.Status.CANCELLED)


@cache
def activity_page_models() -> tuple[type[ActivityPage], ...]:
    """Every concrete page type that is a course activity (lessons, quizzes, H5P, …)."""
    return tuple(m for m in apps.get_models() if issubclass(m, ActivityPage) and not m._meta.abstract)


@dataclass(frozen=True)
class ActivityInfo:
    """An activity page as progress sees it: position, kind, whether it is required."""

    page: Page
    course_id: int
    is_required: bool
    kind: str

    @property
    def id(self) -> int:
        return self.page.pk

    @property
    def title(self) -> str:
        return self.page.title


@dataclass
class ActivityProgress:
    info: ActivityInfo
    completion: ActivityCompletion | None

    @property
    def state(self) -> str | None:
        return self.completion.state if self.completion else None

    @property
    def is_completed(self) -> bool:
        return bool(self.completion and self.completion.is_completed)


@dataclass
class CourseProgress:
    """One course from one learner's point of view."""

    course: CoursePage
    enrolment: Enrolment | None
    completion: CourseCompletion | None
    activities: list[ActivityProgress] = field(default_factory=list)
    next_activity: ActivityInfo | None = None
    rule: rules.CourseRule = field(default_factory=rules.CourseRule)

    @property
    def required(self) -> list[ActivityProgress]:
        required = [a for a in self.activities if a.info.is_required]
        return required or self.activities

    @property
    def required_total(self) -> int:
        """How many required activities the course rule asks for."""
        return self.rule.needed(len(self.required))

    @property
    def required_done(self) -> int:
        return min(self.required_total, sum(1 for a in self.required if self.rule.counts(a.completion)))

    @property
    def is_completed(self) -> bool:
        return self.completion is not None

    @property
    def percent(self) -> int:
        if self.completion is not None:
            return 100
        if not self.required_total:
            return 0
        return int(self.required_done * 100 / self.required_total)

    @property
    def is_started(self) -> bool:
        return any(a.completion is not None for a in self.activities)

    @property
    def new_since_completion(self) -> list[ActivityInfo]:
        """Activities added after the learner completed the course."""
        if self.completion is None:
            return []
        known = set(self.completion.activity_ids or [])
        return [a.info for a in self.activities if a.info.id not in known]

    @property
    def updated_since_completion(self) -> list[ActivityInfo]:
        """Activities that were there at completion and have been republished since."""
        if self.completion is None:
            return []
        known = set(self.completion.activity_ids or [])
        done_at = self.completion.completed_at
        return [
            a.info
            for a in self.activities
            if a.info.id in known and a.info.page.last_published_at and a.info.page.last_published_at > done_at
        ]

    @property
    def is_overdue(self) -> bool:
        return bool(self.enrolment and self.enrolment.is_overdue and self.completion is None)


def _kind(content_type_id: int) -> tuple[type[Model] | None, str]:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return model, ((model._meta.model_name or "") if model else "")


def course_activities(*, courses: Iterable[CoursePage]) -> dict[int, list[ActivityInfo]]:
    """The live activities of the given courses, in course order (one query plus one per page type)."""
    by_path = {c.path: c.pk for c in courses}
    result: dict[int, list[ActivityInfo]] = {pk: [] for pk in by_path.values()}
    if not by_path:
        return result
    pages = list(
        Page.objects.live()
        .annotate(parent_path=Substr("path", 1, Length("path") - Page.steplen))
        .filter(parent_path__in=list(by_path))
        .order_by("path")
    )
    ids_by_model: dict[type[Model], list[int]] = defaultdict(list)
    for page in pages:
        model, _label = _kind(page.content_type_id)
        if model is not None and issubclass(model, ActivityPage):
            ids_by_model[model].append(page.pk)
    required: dict[int, bool] = {}
    for model, ids in ids_by_model.items():
        required.update(model._default_manager.filter(pk__in=ids).values_list("pk", "is_required"))
    for page in pages:
        if page.pk not in required:
            continue  # a child page that is not an activity
        course_id = by_path[page.parent_path]
        result[course_id].append(
            ActivityInfo(
                page=page, course_id=course_id, is_required=required[page.pk], kind=_kind(page.content_type_id)[1]
            )
        )
    return result


def _next_activity(activities: list[ActivityProgress], last_activity_id: int | None) -> ActivityInfo | None:
    """Where to continue: the last opened activity if unfinished, else the next unfinished one after it."""
    open_ = [a for a in activities if not a.is_completed]
    if not open_:
        return None
    ids = [a.info.id for a in activities]
    if last_activity_id in ids:
        position = ids.index(last_activity_id)
        current = activities[position]
        if not current.is_completed:
            return current.info
        for later in activities[position + 1 :]:
            if not later.is_completed:
                return later.info
    return open_[0].info


def _of_current_cycle(enrolment: Enrolment | None, completion: CourseCompletion | None) -> CourseCompletion | None:
    """A course completion counts as "completed" only in its own cycle: in a renewal cycle
    (recertification) the earlier completion is history and the course is open again."""
    if completion is not None and enrolment is not None and completion.cycle < enrolment.cycle:
        return None
    return completion


def _records_of_current_cycle(
    records: dict[int, ActivityCompletion], enrolment: Enrolment | None
) -> dict[int, ActivityCompletion]:
    """Activity records without those finished before the enrolment's current cycle began (history)."""
    started = enrolment.cycle_started_at if enrolment is not None else None
    if started is None:
        return records
    return {pk: r for pk, r in records.items() if _counts_in_cycle(r, started)}


def _counts_in_cycle(record: ActivityCompletion, started: datetime.datetime | None) -> bool:
    """False for a record finished before the current cycle began (history of an earlier cycle)."""
    return started is None or not (record.completed_at and record.completed_at < started)


def _course_progress(
    *,
    course: CoursePage,
    enrolment: Enrolment | None,
    completion: CourseCompletion | None,
    items: list[ActivityProgress],
) -> CourseProgress:
    progress = CourseProgress(
        course=course,
        enrolment=enrolment,
        completion=_of_current_cycle(enrolment, completion),
        activities=items,
        rule=rules.course_rule(course),
    )
    progress.next_activity = _next_activity(items, enrolment.last_activity_id if enrolment else None)
    return progress


def courses_progress(
    *,
    user: User,
    courses: Sequence[CoursePage],
    enrolments: dict[int, Enrolment] | None = None,
    completions: dict[int, CourseCompletion] | None = None,
) -> list[CourseProgress]:
    """Progress of one learner in several courses, with a bounded number of queries."""
    course_ids = [c.pk for c in courses]
    if enrolments is None:
        enrolments = {e.course_id: e for e in Enrolment.objects.filter(CURRENT, user=user, course_id__in=course_ids)}
    if completions is None:
        completions = {
            c.course_id: c
            for c in CourseCompletion.objects.filter(user=user, course_id__in=course_ids).order_by("cycle")
        }
    activities = course_activities(courses=courses)
    activity_ids = [a.id for infos in activities.values() for a in infos]
    records = (
        {c.activity_id: c for c in ActivityCompletion.objects.filter(user=user, activity_id__in=activity_ids)}
        if activity_ids and user.is_authenticated
        else {}
    )
    result = []
    for course in courses:
        enrolment = enrolments.get(course.pk)
        current = _records_of_current_cycle(records, enrolment)
        items = [ActivityProgress(info=info, completion=current.get(info.id)) for info in activities[course.pk]]
        result.append(
            _course_progress(course=course, enrolment=enrolment, completion=completions.get(course.pk), items=items)
        )
    return result


def course_progress(*, user: User, course: CoursePage) -> CourseProgress:
    """One learner's progress in one course: the cached outline plus the learner's state."""
    outline = course_outline_cached(course_path=course.path)
    if outline is None:
        return courses_progress(user=user, courses=[course])[0]
    state = learner_course_state(user=user, course_id=course.pk, activity_ids=[i.page.pk for i in outline.items])
    return course_progress_of(user=user, course=course, outline=outline, state=state)


@dataclass
class LearnerCourseState:
    """What one learner has done in one course: their current enrolment and activity records."""

    enrolment: Enrolment | None
    records: dict[int, ActivityCompletion]

    def completed_ids(self) -> set[int]:
        return {pk for pk, record in self.records.items() if record.is_completed}


def learner_course_state(*, user: User, course_id: int, activity_ids: Sequence[int]) -> LearnerCourseState:
    """The learner's enrolment in the course and their records of its activities (two queries).

    Always filtered by this user: whatever is cached for everyone (outlines) holds no progress.
    """
    if not user.is_authenticated:
        return LearnerCourseState(enrolment=None, records={})
    enrolment = Enrolment.objects.filter(CURRENT, user=user, course_id=course_id).first()
    records = (
        {r.activity_id: r for r in ActivityCompletion.objects.filter(user=user, activity_id__in=list(activity_ids))}
        if activity_ids
        else {}
    )
    return LearnerCourseState(enrolment=enrolment, records=_records_of_current_cycle(records, enrolment))


def course_progress_of(
    *, user: User, course: CoursePage, outline: CourseOutline, state: LearnerCourseState
) -> CourseProgress:
    """CourseProgress from a cached outline and an already loaded state (one query: the completion)."""
    completion = (
        CourseCompletion.objects.filter(user=user, course_id=course.pk).order_by("-cycle").first()
        if user.is_authenticated
        else None
    )
    items = [
        ActivityProgress(
            info=ActivityInfo(page=i.page, course_id=course.pk, is_required=i.is_required, kind=i.model_name),
            completion=state.records.get(i.page.pk),
        )
        for i in outline.items
    ]
    progress = CourseProgress(
        course=course,
        enrolment=state.enrolment,
        completion=_of_current_cycle(state.enrolment, completion),
        activities=items,
        rule=rules.course_rule(course),
    )
    progress.next_activity = _next_activity(items, state.enrolment.last_activity_id if state.enrolment else None)
    return progress


# "Meine Kurse" and the progress API list a page of the learner's enrolments at a time, each in the
# same few queries whatever the number of enrolments: the enrolments with their courses' few list
# fields, the completions, the activity records of the page's courses; the outlines (the same for
# everyone) come from the cache.
LEARNER_COURSES_PAGE_SIZE = 20

# What a course card and the API's course entry read of the enrolment and its course (URL,
# title, completion rule); nothing else is loaded.
_ENROLMENT_FIELDS = (
    "course",
    "status",
    "due_date",
    "enrolled_at",
    "cycle",
    "cycle_started_at",
    "completed_at",
    "last_activity_id",
)
_COURSE_LIST_FIELDS = (
    "title",
    "path",
    "url_path",
    "depth",
    "completion_min_score_percent",
    "completion_min_required_activities",
)


def learner_enrolments(*, user: User) -> QuerySet[Enrolment]:
    """The learner's current enrolments in list order: open ones first, by due date (undated ones
    last), then completed ones, newest first; with only the fields a course list shows."""
    is_done = Case(When(status=Enrolment.Status.COMPLETED, then=Value(1)), default=Value(0))
    open_due = Case(When(status=Enrolment.Status.COMPLETED, then=Value(None)), default=F("due_date"))
    return (
        Enrolment.objects.filter(CURRENT, user=user)
        .select_related("course")
        .only(*_ENROLMENT_FIELDS, *(f"course__{name}" for name in _COURSE_LIST_FIELDS))
        .annotate(is_done=is_done)
        .order_by(
            "is_done", open_due.asc(nulls_last=True), F("completed_at").desc(nulls_last=True), "-enrolled_at", "pk"
        )
    )


def _latest_completions(*, user: User, course_ids: Iterable[int]) -> dict[int, CourseCompletion]:
    """The latest cycle's completion per course (renewals complete a course again)."""
    return {
        c.course_id: c
        for c in CourseCompletion.objects.filter(user=user, course_id__in=list(course_ids))
        .only("course_id", "completed_at", "cycle", "activity_ids")
        .order_by("cycle")
    }


def enrolments_progress(
    *, user: User, enrolments: Sequence[Enrolment], completions: dict[int, CourseCompletion] | None = None
) -> list[CourseProgress]:
    """Progress in the courses of these enrolments (one page of them), in their order: outlines from
    the cache, one query for the completions (unless given) and one for the activity records."""
    courses = [e.course for e in enrolments]
    outlines = course_outlines_cached(course_paths=[c.path for c in courses])
    if completions is None:
        completions = _latest_completions(user=user, course_ids=[c.pk for c in courses])
    activity_ids = [item.page.pk for outline in outlines.values() for item in outline.items]
    records = (
        {
            r.activity_id: r
            for r in ActivityCompletion.objects.filter(user=user, activity_id__in=activity_ids).only(
                "activity_id", "state", "score", "max_score", "passed", "completed_at"
            )
        }
        if activity_ids
        else {}
    )
    result = []
    for enrolment, course in zip(enrolments, courses, strict=True):
        outline = outlines.get(course.path)
        started = enrolment.cycle_started_at
        items = []
        for item in outline.items if outline else ():
            record = records.get(item.page.pk)
            if record is not None and not _counts_in_cycle(record, started):
                record = None
            info = ActivityInfo(page=item.page, course_id=course.pk, is_required=item.is_required, kind=item.model_name)
            items.append(ActivityProgress(info=info, completion=record))
        result.append(
            _course_progress(course=course, enrolment=enrolment, completion=completions.get(course.pk), items=items)
        )
    return result


@dataclass
class Dashboard:
    in_progress: list[CourseProgress]
    completed: list[CourseProgress]
    paths: list[PathProgress]
    recommended_paths: list[LearningPath]
    page: DjangoPage | None = None
    """The page of enrolments shown (numbers and links); the courses above are those on it."""
    open_total: int = 0
    completed_total: int = 0


def learner_dashboard(
    *, user: User, page_number: int | str | None = 1, per_page: int = LEARNER_COURSES_PAGE_SIZE
) -> Dashboard:
    """ "Meine Kurse": one page of current and completed courses, the learner's paths and recommendations.

    A bounded number of queries whatever the number of enrolments: every enrolment's id, course and
    state in one narrow query (for the page numbers, the totals and the paths' "enrolled" marks), then
    only the page's enrolments and what they show.
    """
    ordered = learner_enrolments(user=user)
    rows = [
        (pk, course_id, status == Enrolment.Status.COMPLETED)
        for pk, course_id, status in ordered.values_list("pk", "course_id", "status")
    ]
    page = Paginator(rows, per_page).get_page(page_number)
    page_ids = [pk for pk, _course_id, _done in page.object_list]
    enrolments = list(ordered.filter(pk__in=page_ids)) if page_ids else []
    paths, path_done, path_enrolled = (
        learning_paths_live_with_records(user=user) if user.is_authenticated else ([], {}, {})
    )
    path_course_ids = {step.course_id for path in paths for step in path.steps.all()}
    completions = (
        _latest_completions(user=user, course_ids={e.course_id for e in enrolments} | path_course_ids)
        if enrolments or path_course_ids
        else {}
    )
    progress = enrolments_progress(user=user, enrolments=enrolments, completions=completions)
    paths_of_learner = (
        paths_progress(
            user=user,
            paths=paths,
            completions=completions,
            enrolled_course_ids={course_id for _pk, course_id, _done in rows},
            path_done=path_done,
            path_enrolled=path_enrolled,
        )
        if paths
        else []
    )
    completed_total = sum(done for _pk, _course_id, done in rows)
    return Dashboard(
        in_progress=[p for p in progress if not p.is_completed],
        completed=[p for p in progress if p.is_completed],
        paths=[p for p in paths_of_learner if p.is_started],
        recommended_paths=[p.path for p in paths_of_learner if not p.is_started and p.path.recommended],
        page=page,
        open_total=len(rows) - completed_total,
        completed_total=completed_total,
    )


# Learning paths


@dataclass
class StepProgress:
    step: LearningPathStep
    prerequisites: list[CoursePage]
    completed: bool
    enrolled: bool
    unlocked: bool
    missing: list[CoursePage]

    @property
    def course(self) -> CoursePage:
        return self.step.course

    @property
    def state(self) -> str:
        """One state per step: completed, locked (wins over an older enrolment), in progress, open."""
        if self.completed:
            return "completed"
        if not self.unlocked:
            return "locked"
        return "in_progress" if self.enrolled else "open"


@dataclass
class PathProgress:
    path: LearningPath
    steps: list[StepProgress]
    completion: PathCompletion | None
    enrolment: PathEnrolment | None = None
    refresher: CoursePage | None = None
    """In a renewal cycle of a path that names a refresher course: that course (its completion in
    the cycle renews the path's certificate, as all required courses again would)."""
    refresher_state: str = ""
    """The refresher's state in the cycle: "completed", "in_progress" or "open"."""

    @property
    def due_date(self) -> datetime.date | None:
        return self.enrolment.due_date if self.enrolment and self.completion is None else None

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_date and self.due_date < timezone.localdate())

    @property
    def required_steps(self) -> list[StepProgress]:
        return [s for s in self.steps if s.step.is_required] or self.steps

    @property
    def required_total(self) -> int:
        return len(self.required_steps)

    @property
    def required_done(self) -> int:
        return sum(1 for s in self.required_steps if s.completed)

    @property
    def percent(self) -> int:
        if self.completion is not None:
            return 100
        return int(self.required_done * 100 / self.required_total) if self.required_total else 0

    @property
    def is_started(self) -> bool:
        return self.enrolment is not None or any(s.completed or s.enrolled for s in self.steps)

    @property
    def next_step(self) -> StepProgress | None:
        return next((s for s in self.steps if s.unlocked and not s.completed), None)


def learning_paths_live_with_records(
    *, user: User
) -> tuple[list[LearningPath], dict[int, PathCompletion], dict[int, PathEnrolment]]:
    """The live paths with the learner's latest completion and current enrolment of each, read along
    in the paths' own query (what "Meine Kurse" shows of them: whether and when, the due date, the cycle)."""
    done = PathCompletion.objects.filter(user=user, path=OuterRef("pk")).order_by("-cycle")
    enrolled = PathEnrolment.objects.filter(user=user, path=OuterRef("pk")).exclude(
        status=PathEnrolment.Status.CANCELLED
    )
    paths = list(
        learning_paths_live().annotate(
            learner_completion_id=Subquery(done.values("pk")[:1]),
            learner_completed_at=Subquery(done.values("completed_at")[:1]),
            learner_completion_cycle=Subquery(done.values("cycle")[:1]),
            learner_enrolment_id=Subquery(enrolled.values("pk")[:1]),
            learner_enrolment_status=Subquery(enrolled.values("status")[:1]),
            learner_due_date=Subquery(enrolled.values("due_date")[:1]),
            learner_cycle=Subquery(enrolled.values("cycle")[:1]),
            learner_cycle_started_at=Subquery(enrolled.values("cycle_started_at")[:1]),
        )
    )
    path_done: dict[int, PathCompletion] = {}
    path_enrolled: dict[int, PathEnrolment] = {}
    for path in paths:
        row = path.__dict__
        if row["learner_completion_id"] is not None:
            path_done[path.pk] = PathCompletion(
                pk=row["learner_completion_id"],
                user=user,
                path=path,
                completed_at=row["learner_completed_at"],
                cycle=row["learner_completion_cycle"],
            )
        if row["learner_enrolment_id"] is not None:
            path_enrolled[path.pk] = PathEnrolment(
                pk=row["learner_enrolment_id"],
                user=user,
                path=path,
                status=row["learner_enrolment_status"],
                due_date=row["learner_due_date"],
                cycle=row["learner_cycle"],
                cycle_started_at=row["learner_cycle_started_at"],
            )
    return paths, path_done, path_enrolled


def learning_paths_live() -> QuerySet[LearningPath]:
    steps = LearningPathStep.objects.select_related("course").prefetch_related("prerequisites").order_by("sort_order")
    return LearningPath.objects.filter(live=True).prefetch_related(Prefetch("steps", queryset=steps))


def _step_states(path: LearningPath, *, completed_ids: set[int], enrolled_ids: set[int]) -> list[StepProgress]:
    """Unlocking: a step is open when its prerequisites are done and, on a sequential path, all
    earlier required steps too."""
    states: list[StepProgress] = []
    for step in path.steps.all():
        prerequisites = list(step.prerequisites.all())
        missing = [c for c in prerequisites if c.pk not in completed_ids]
        if path.sequential:
            missing += [
                s.step.course for s in states if s.step.is_required and not s.completed and s.step.course not in missing
            ]
        completed = step.course_id in completed_ids
        unlocked = completed or not missing
        states.append(
            StepProgress(
                step=step,
                prerequisites=prerequisites,
                completed=completed,
                enrolled=step.course_id in enrolled_ids,
                unlocked=unlocked,
                missing=missing,
            )
        )
    return states


def paths_progress(
    *,
    user: User,
    paths: Iterable[LearningPath] | None = None,
    completions: dict[int, CourseCompletion] | None = None,
    enrolled_course_ids: set[int] | None = None,
    path_done: dict[int, PathCompletion] | None = None,
    path_enrolled: dict[int, PathEnrolment] | None = None,
) -> list[PathProgress]:
    if paths is None:
        paths = learning_paths_live()
    if completions is None:
        completions = {
            c.course_id: c for c in CourseCompletion.objects.filter(user=user).order_by("completed_at", "pk")
        }
    if enrolled_course_ids is None:
        enrolled_course_ids = set(Enrolment.objects.filter(CURRENT, user=user).values_list("course_id", flat=True))
    if path_done is None:
        path_done = (
            {c.path_id: c for c in PathCompletion.objects.filter(user=user).order_by("cycle")}
            if user.is_authenticated
            else {}
        )
    if path_enrolled is None:
        path_enrolled = (
            {
                e.path_id: e
                for e in PathEnrolment.objects.filter(user=user).exclude(status=PathEnrolment.Status.CANCELLED)
            }
            if user.is_authenticated
            else {}
        )
    # A renewal cycle stays begun when its path enrolment is cancelled: for completed paths without a
    # current enrolment, the latest cancelled one says the cycle (only then: one query, often none).
    paths = list(paths)
    cycle_of: dict[int, PathEnrolment] = {}
    missing = [p.pk for p in paths if p.pk not in path_enrolled and p.pk in path_done]
    if missing and user.is_authenticated:
        for cancelled in PathEnrolment.objects.filter(
            user=user, path_id__in=missing, status=PathEnrolment.Status.CANCELLED
        ).order_by("cycle", "enrolled_at"):
            cycle_of[cancelled.path_id] = cancelled
    result = []
    for path in paths:
        enrolment = path_enrolled.get(path.pk)
        in_cycle = enrolment or cycle_of.get(path.pk)
        started = in_cycle.cycle_started_at if in_cycle is not None else None
        done_in_cycle = _courses_done_in_path_cycle(completions, started)
        completion = _path_completion_of_current_cycle(in_cycle, path_done.get(path.pk))
        progress = PathProgress(
            path=path,
            steps=_step_states(path, completed_ids=done_in_cycle, enrolled_ids=enrolled_course_ids),
            completion=completion,
            enrolment=enrolment,
        )
        renewing = enrolment is not None and enrolment.cycle > 1 and started is not None and completion is None
        if renewing and path.renewal_course_id:
            progress.refresher = path.renewal_course
            course_id = path.renewal_course_id
            progress.refresher_state = (
                "completed"
                if course_id in done_in_cycle
                else "in_progress"
                if course_id in enrolled_course_ids
                else "open"
            )
        result.append(progress)
    return result


def _courses_done_in_path_cycle(
    completions: dict[int, CourseCompletion], started: datetime.datetime | None
) -> set[int]:
    """The courses whose latest completion counts in a path cycle begun at `started` (None: all):
    in a renewal cycle of the path, courses completed before it began have to be completed again."""
    if started is None:
        return set(completions)
    return {course_id for course_id, c in completions.items() if c.completed_at >= started}


def _path_completion_of_current_cycle(
    enrolment: PathEnrolment | None, completion: PathCompletion | None
) -> PathCompletion | None:
    """A path completion counts only in its own cycle: in a renewal cycle the earlier one is history."""
    if completion is not None and enrolment is not None and completion.cycle < enrolment.cycle:
        return None
    return completion


def path_progress(*, user: User, path: LearningPath) -> PathProgress:
    return paths_progress(user=user, paths=[path])[0]


def path_lock_on_course(*, user: User, course: CoursePage) -> tuple[LearningPath, list[CoursePage]] | None:
    """The learning path a person is enrolled on whose step for this course is still locked, with
    the courses that are missing; None when no path of theirs holds it back.

    Paths a person merely looks at do not bind them: their courses stay open in the catalogue.
    One query when the person is on no path holding the course, a few more when they are.
    """
    if not user.is_authenticated:
        return None
    steps = LearningPathStep.objects.select_related("course").prefetch_related("prerequisites").order_by("sort_order")
    paths = list(
        LearningPath.objects.filter(
            live=True,
            steps__course=course,
            enrolments__user=user,
            enrolments__status=PathEnrolment.Status.ACTIVE,
        )
        .distinct()
        .prefetch_related(Prefetch("steps", steps))
    )
    if not paths:
        return None
    for progress in paths_progress(user=user, paths=paths):
        for step in progress.steps:
            if step.step.course_id == course.pk and step.state == "locked":
                return progress.path, step.missing
    return None


def path_lock_message(lock: tuple[LearningPath, list[CoursePage]]) -> str:
    path, missing = lock
    return _(
        "Dieser Kurs ist im Lernpfad „%(path)s“ noch gesperrt. Er wird frei, wenn diese Kurse abgeschlossen "
        "sind: %(courses)s."
    ) % {"path": path.title, "courses": ", ".join(c.title for c in missing)}


def path_step_unlocked(*, user: User, path: LearningPath, course: CoursePage) -> bool:
    progress = path_progress(user=user, path=path)
    return any(s.unlocked for s in progress.steps if s.step.course_id == course.pk)


# Trainers and organisation admins


def course_enrolment_stats(*, courses: Iterable[CoursePage]) -> dict[int, dict[str, int]]:
    rows = (
        Enrolment.objects.filter(course__in=list(courses))
        .values("course_id")
        .annotate(
            active=Count("pk", filter=Q(status=Enrolment.Status.ACTIVE)),
            completed=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED)),
            cancelled=Count("pk", filter=Q(status=Enrolment.Status.CANCELLED)),
        )
    )
    return {
        r["course_id"]: {"active": r["active"], "completed": r["completed"], "cancelled": r["cancelled"]} for r in rows
    }


@dataclass
class LearnerRow(CourseProgress):
    """One learner in a course, for its trainers (with results)."""

    user: User | None = None


def course_learners_progress(*, course: CoursePage) -> tuple[list[ActivityInfo], list[LearnerRow]]:
    """Every current learner of a course with their activity states (for its trainers)."""
    activities = course_activities(courses=[course])[course.pk]
    enrolments = list(
        Enrolment.objects.filter(CURRENT, course=course).select_related("user").order_by("user__full_name")
    )
    user_ids = [e.user_id for e in enrolments]
    records: dict[tuple[int, int], ActivityCompletion] = {
        (c.user_id, c.activity_id): c for c in ActivityCompletion.objects.filter(course=course, user_id__in=user_ids)
    }
    completions = {c.user_id: c for c in CourseCompletion.objects.filter(course=course, user_id__in=user_ids)}
    rule = rules.course_rule(course)
    rows = [
        LearnerRow(
            course=course,
            user=e.user,
            enrolment=e,
            completion=completions.get(e.user_id),
            activities=[ActivityProgress(info=a, completion=records.get((e.user_id, a.id))) for a in activities],
            rule=rule,
        )
        for e in enrolments
    ]
    return activities, rows


@dataclass
class PersonOverview:
    """A person in an org admin's scope: enrolments and completions, never scores (privacy rule)."""

    user: User
    enrolments: list[Enrolment]
    completions: list[CourseCompletion]
    paths: list[PathCompletion]


def people_progress_in_scope(*, viewer: User, users: Sequence[User] | None = None) -> list[PersonOverview]:
    """Enrolments and completions per person for organisation admins, limited to their scope."""
    if users is None:
        users = list(users_visible_to(viewer=viewer).order_by("full_name", "email"))
    ids = [u.pk for u in users]
    enrolments: dict[int, list[Enrolment]] = defaultdict(list)
    for e in Enrolment.objects.filter(CURRENT, user_id__in=ids).select_related("course").order_by("course__title"):
        enrolments[e.user_id].append(e)
    completions: dict[int, list[CourseCompletion]] = defaultdict(list)
    for c in CourseCompletion.objects.filter(user_id__in=ids).only(
        "user_id", "course_id", "course_title", "completed_at"
    ):
        completions[c.user_id].append(c)
    paths: dict[int, list[PathCompletion]] = defaultdict(list)
    for p in PathCompletion.objects.filter(user_id__in=ids).select_related("path"):
        paths[p.user_id].append(p)
    return [
        PersonOverview(user=u, enrolments=enrolments[u.pk], completions=completions[u.pk], paths=paths[u.pk])
        for u in users
    ]


def user_may_manage(*, viewer: User, user: User) -> bool:
    """Whether a viewer may enrol or unenrol another person: the accounts person check (issue 10).

    Seeing someone is not enough; their memberships must lie wholly in the admin's scope.
    """
    return accounts_user_may_manage(viewer=viewer, user=user)


def course_grade(*, records: Iterable[ActivityCompletion]) -> Decimal | None:
    """The overall grade in percent: points reached over points possible in scored activities."""
    reached = possible = Decimal(0)
    for record in records:
        if record.max_score:
            reached += record.score or 0
            possible += record.max_score
    if not possible:
        return None
    return (reached * 100 / possible).quantize(Decimal("0.01"))


def enrolment_due_soon(*, on: datetime.date | None = None, days: int = 7) -> QuerySet[Enrolment]:
    """Active enrolments due within the next days (for reminders)."""
    day = on or timezone.localdate()
    return Enrolment.objects.filter(
        status=Enrolment.Status.ACTIVE, due_date__gte=day, due_date__lte=day + datetime.timedelta(days=days)
    )
