# LessonPage moves to courses.lessons (issue 11): the model leaves the catalogue's state only; its
# table catalog_lessonpage stays and lessons.LessonPage keeps using it (Meta.db_table).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_course_certificate_template"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LessonPage")],
            database_operations=[],
        ),
    ]
