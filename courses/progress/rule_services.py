"""Enrolment rules: everyone with a current membership in an organisation (optionally below it) and a
role is enrolled in a course or a path – when the rule is switched on, and as people join or move in.

One service decides for a person, `enrolments_for_user_apply`; accounts calls it (through the
membership-changed hook it offers, so accounts imports nothing from progress) after every
membership change, and the nightly beat task `enrolment_rules_apply_all` applies every active rule
to everyone, catching what a lost task missed. Both are idempotent: people already enrolled are
left as they are. Nothing is ever undone: a person who moves out keeps what they did, and ending a
rule only stops new enrolments.

A rule acts with the rights of the admin who created it: only people she may manage are enrolled.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.catalog.models import CoursePage
from lernplattform.accounts.models import Membership, Organisation, User
from lernplattform.accounts.selectors import organisations_in_scope, user_is_platform_admin, users_manageable_by
from lernplattform.core.errors import Conflict, NotPermitted, ValidationFailed
from lernplattform.core.tasks import enqueue_on_commit

from . import services
from .models import Enrolment, EnrolmentRule, LearningPath, PathEnrolment
from .selectors import CURRENT

# Roles a rule can target; platform admins are nobody's audience.
RULE_ROLES = [
    Membership.Role.LEARNER,
    Membership.Role.TRAINER,
    Membership.Role.REVIEWER,
    Membership.Role.ORG_ADMIN,
]
CHUNK = 500


def _members_q(rule: EnrolmentRule) -> Q:
    """Current memberships the rule covers: its organisation, and with descendants every organisation
    whose ARS starts with its prefix (bodies without ARS through their parent)."""
    org = rule.organisation
    condition = Q(organisation=org)
    if rule.include_descendants and org.scope_prefix:
        prefix = org.scope_prefix
        condition |= Q(organisation__ars__startswith=prefix)
        condition |= Q(organisation__ars__isnull=True, organisation__parent__ars__startswith=prefix)
    elif rule.include_descendants:
        condition |= Q(organisation__parent=org)
    return condition


def enrolment_rule_people(*, rule: EnrolmentRule) -> QuerySet[User]:
    """Everyone the rule covers today, limited to the people its creator may manage."""
    member_ids = Membership.objects.active().filter(_members_q(rule), role=rule.role, approved=True).values("user_id")
    creator = rule.created_by
    # The creator herself is covered too (she may enrol herself); others only if she may manage them.
    allowed = Q(pk__in=users_manageable_by(viewer=creator).values("pk")) | Q(pk=creator.pk)
    return User.objects.filter(allowed, pk__in=member_ids, is_active=True)


def _enrolled_ids(rule: EnrolmentRule, user_ids: QuerySet | list[int]) -> QuerySet:
    if rule.course_id:
        return Enrolment.objects.filter(CURRENT, course_id=rule.course_id, user_id__in=user_ids).values("user_id")
    return (
        PathEnrolment.objects.filter(path_id=rule.path_id, user_id__in=user_ids)
        .exclude(status=PathEnrolment.Status.CANCELLED)
        .values("user_id")
    )


def enrolment_rule_pending(*, rule: EnrolmentRule) -> QuerySet[User]:
    """The people the rule would enrol now: covered and not yet enrolled."""
    people = enrolment_rule_people(rule=rule)
    return people.exclude(pk__in=_enrolled_ids(rule, people.values("pk")))


def enrolment_rule_preview(*, rule: EnrolmentRule) -> int:
    """How many people switching the rule on would enrol now („würde 312 Personen einschreiben“)."""
    return enrolment_rule_pending(rule=rule).count()


def _require_rule_admin(*, by: User, organisation: Organisation) -> None:
    if not organisations_in_scope(viewer=by).filter(pk=organisation.pk).exists():
        raise NotPermitted(
            "progress.rule_scope",
            _("„%(org)s“ liegt außerhalb Ihres Zuständigkeitsbereichs.") % {"org": organisation.name},
        )


def enrolment_rule_create(
    *,
    by: User,
    organisation: Organisation,
    role: str,
    course: CoursePage | None = None,
    path: LearningPath | None = None,
    include_descendants: bool = False,
    due_in_days: int | None = None,
) -> EnrolmentRule:
    """A new rule, as a draft: it enrols nobody until it is switched on."""
    _require_rule_admin(by=by, organisation=organisation)
    if role not in RULE_ROLES:
        raise ValidationFailed("progress.rule_role", _("Für diese Rolle kann es keine Einschreiberegel geben."))
    if (course is None) == (path is None):
        raise ValidationFailed("progress.rule_target", _("Bitte wählen Sie entweder einen Kurs oder einen Lernpfad."))
    if course is not None and not course.live:
        raise ValidationFailed("progress.course_not_live", _("Dieser Kurs ist nicht veröffentlicht."))
    if path is not None and not path.live:
        raise ValidationFailed("progress.path_not_live", _("Dieser Lernpfad ist nicht veröffentlicht."))
    if due_in_days is not None and not 1 <= due_in_days <= 3650:
        raise ValidationFailed("progress.rule_due", _("Die Frist muss zwischen 1 und 3650 Tagen liegen."))
    return EnrolmentRule.objects.create(
        organisation=organisation,
        include_descendants=include_descendants,
        role=role,
        course=course,
        path=path,
        due_in_days=due_in_days,
        created_by=by,
    )


def _may_change(*, rule: EnrolmentRule, by: User) -> None:
    if rule.created_by_id != by.pk and not user_is_platform_admin(user=by):
        _require_rule_admin(by=by, organisation=rule.organisation)


def enrolment_rule_activate(*, rule: EnrolmentRule, by: User) -> EnrolmentRule:
    """Switch a draft on: everyone it covers is enrolled (in a task), and from now on newcomers too."""
    _may_change(rule=rule, by=by)
    with transaction.atomic():
        updated = EnrolmentRule.objects.filter(pk=rule.pk, status=EnrolmentRule.Status.DRAFT).update(
            status=EnrolmentRule.Status.ACTIVE, activated_at=timezone.now()
        )
        rule.refresh_from_db()
        if not updated:
            if rule.status == EnrolmentRule.Status.ACTIVE:
                return rule
            raise Conflict("progress.rule_ended", _("Eine beendete Regel kann nicht wieder eingeschaltet werden."))
        from .tasks import enrolment_rule_apply_task

        enqueue_on_commit(enrolment_rule_apply_task, rule.pk)
    return rule


def enrolment_rule_end(*, rule: EnrolmentRule, by: User) -> EnrolmentRule:
    """End a rule: no new enrolments; those it made stay."""
    _may_change(rule=rule, by=by)
    EnrolmentRule.objects.filter(pk=rule.pk).exclude(status=EnrolmentRule.Status.ENDED).update(
        status=EnrolmentRule.Status.ENDED, ended_at=timezone.now(), ended_by=by
    )
    rule.refresh_from_db()
    return rule


def enrolment_rule_delete(*, rule: EnrolmentRule, by: User) -> None:
    """A draft that was never switched on can be deleted; it enrolled nobody."""
    _may_change(rule=rule, by=by)
    if rule.status != EnrolmentRule.Status.DRAFT:
        raise Conflict("progress.rule_not_draft", _("Nur Entwürfe können gelöscht werden; beenden Sie die Regel."))
    rule.delete()


def _due_date(rule: EnrolmentRule, today: datetime.date) -> datetime.date | None:
    return today + datetime.timedelta(days=rule.due_in_days) if rule.due_in_days else None


def _enrol(*, rule: EnrolmentRule, users: list[User], today: datetime.date) -> int:
    if not users:
        return 0
    target = rule.course if rule.course_id else rule.path
    if target is None or not target.live:
        return 0  # an unpublished course enrols nobody; the rule picks up again once it is live
    kwargs = {
        "users": users,
        "enrolled_by": rule.created_by,
        "due_date": _due_date(rule, today),
        "method": Enrolment.Method.RULE,
        "rule": rule,
    }
    if rule.course_id:
        return len(services.enrolments_create_many(course=rule.course, **kwargs))
    return len(services.path_enrolments_create_many(path=rule.path, **kwargs))


def enrolment_rule_apply(*, rule_id: int, today: datetime.date | None = None) -> int:
    """Enrol everyone an active rule covers who is not enrolled yet; returns how many were enrolled."""
    rule = (
        EnrolmentRule.objects.select_related("organisation", "created_by", "course", "path").filter(pk=rule_id).first()
    )
    if rule is None or rule.status != EnrolmentRule.Status.ACTIVE:
        return 0
    today = today or timezone.localdate()
    count = 0
    pending = list(enrolment_rule_pending(rule=rule).order_by("pk"))
    for start in range(0, len(pending), CHUNK):
        count += _enrol(rule=rule, users=pending[start : start + CHUNK], today=today)
    return count


def enrolment_rules_apply_all(*, today: datetime.date | None = None) -> int:
    """Nightly: every active rule, for everyone (idempotent; catches what a lost task missed)."""
    return sum(
        enrolment_rule_apply(rule_id=pk, today=today)
        for pk in EnrolmentRule.objects.filter(status=EnrolmentRule.Status.ACTIVE).values_list("pk", flat=True)
    )


def enrolments_for_user_apply(*, user_id: int, today: datetime.date | None = None) -> int:
    """The one service for a person whose memberships changed: invitations from bulk uploads they just
    accepted and the active rules that cover them now enrol them (if not yet enrolled). Returns how
    many enrolments it made."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    from .bulk_services import bulk_invitations_fulfil

    # Accepting an invitation from a bulk upload starts a membership: the upload's enrolment follows.
    count = bulk_invitations_fulfil(user=user)
    today = today or timezone.localdate()
    memberships = list(Membership.objects.active().filter(user=user, approved=True).select_related("organisation"))
    if not memberships:
        return count
    rules = EnrolmentRule.objects.filter(status=EnrolmentRule.Status.ACTIVE).select_related(
        "organisation", "created_by", "course", "path"
    )
    for rule in rules.filter(role__in={m.role for m in memberships}):
        if (
            not Membership.objects.filter(pk__in=[m.pk for m in memberships], role=rule.role)
            .filter(_members_q(rule))
            .exists()
        ):
            continue
        if not enrolment_rule_pending(rule=rule).filter(pk=user.pk).exists():
            continue
        count += _enrol(rule=rule, users=[user], today=today)
    return count


def membership_changed_receiver(*, user: User) -> None:
    """Subscribed to accounts' membership hook: evaluate the person's rules once the change has committed."""
    from .tasks import enrolments_for_user_apply_task

    enqueue_on_commit(enrolments_for_user_apply_task, user.pk)
