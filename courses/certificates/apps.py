from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "courses.certificates"
    label = "certificates"
    verbose_name = _("Zertifikate")

    def ready(self) -> None:
        from courses.progress.signals import course_completed, path_completed

        from . import receivers
        from .notify import kinds_register

        course_completed.connect(receivers.on_course_completed, dispatch_uid="certificates.course_completed")
        path_completed.connect(receivers.on_path_completed, dispatch_uid="certificates.path_completed")
        kinds_register()
