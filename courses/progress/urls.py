from django.urls import path

from . import bulk_views, rule_views, views

app_name = "progress"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kurse/<int:course_id>/einschreiben/", views.enrol, name="enrol"),
    path("einschreibungen/<int:enrolment_id>/beenden/", views.unenrol, name="unenrol"),
    path("lektionen/<int:lesson_id>/erledigt/", views.lesson_done, name="lesson_done"),
    path("lernpfade/", views.path_list, name="path_list"),
    path("lernpfade/<slug:slug>/", views.path_detail, name="path_detail"),
    path("trainer/", views.trainer_courses, name="trainer_courses"),
    path("trainer/kurse/<int:course_id>/", views.trainer_course, name="trainer_course"),
    path("verwaltung/", views.org_overview, name="org_overview"),
    path("verwaltung/einschreiben/", views.org_enrol, name="org_enrol"),
    path("verwaltung/sammeleinschreibung/", bulk_views.bulk_upload, name="bulk_upload"),
    path("verwaltung/sammeleinschreibung/<int:pk>/", bulk_views.bulk_detail, name="bulk_detail"),
    path("verwaltung/sammeleinschreibung/<int:pk>/status/", bulk_views.bulk_status, name="bulk_status"),
    path("verwaltung/sammeleinschreibung/<int:pk>/bestaetigen/", bulk_views.bulk_confirm, name="bulk_confirm"),
    path("verwaltung/sammeleinschreibung/<int:pk>/verwerfen/", bulk_views.bulk_discard, name="bulk_discard"),
    path("verwaltung/regeln/", rule_views.rule_list, name="rule_list"),
    path("verwaltung/regeln/neu/", rule_views.rule_create, name="rule_create"),
    path("verwaltung/regeln/<int:pk>/", rule_views.rule_detail, name="rule_detail"),
    path("verwaltung/regeln/<int:pk>/einschalten/", rule_views.rule_activate, name="rule_activate"),
    path("verwaltung/regeln/<int:pk>/beenden/", rule_views.rule_end, name="rule_end"),
    path("verwaltung/regeln/<int:pk>/loeschen/", rule_views.rule_delete, name="rule_delete"),
    path("verwaltung/sammeleinschreibung/<int:pk>/pruefbericht.csv", bulk_views.bulk_report, name="bulk_report"),
]
