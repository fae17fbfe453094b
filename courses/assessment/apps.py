from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "courses.assessment"
    label = "assessment"
    verbose_name = _("Fragen und Tests")

    def ready(self) -> None:
        from wagtail.signals import page_published

        from courses.questions import services

        from . import release_services
        from .signals import release_on_publish

        # The quiz side tells the bank when a change must be refused (the bank never imports quizzes).
        if release_services.question_refuse_if_used_elsewhere not in services.QUESTION_CHANGE_GUARDS:
            services.QUESTION_CHANGE_GUARDS.append(release_services.question_refuse_if_used_elsewhere)
        if release_services.category_refuse_practice_if_drawn not in services.PRACTICE_MARK_GUARDS:
            services.PRACTICE_MARK_GUARDS.append(release_services.category_refuse_practice_if_drawn)
        page_published.connect(release_on_publish, dispatch_uid="assessment.release_on_publish")
