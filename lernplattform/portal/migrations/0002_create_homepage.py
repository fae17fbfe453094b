"""Replace Wagtail's welcome page with our home page and point the default site at it."""

from django.db import migrations

LEAD = (
    "Selbstgesteuert lernen, prüfen und zertifizieren: Qualifizierung für Beschäftigte in Kommunen "
    "rund um Datenmanagement, Organisationsentwicklung und Standards der Digitalisierung."
)


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("portal.HomePage")

    # Wagtail's own initial migration creates a welcome page at depth 2; it is replaced here.
    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore").delete()
    if HomePage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="portal")
    root = Page.objects.get(depth=1)
    home = HomePage.objects.create(
        title="Lernplattform für Kommunen",
        draft_title="Lernplattform für Kommunen",
        slug="home",
        content_type=content_type,
        path=f"{root.path}0001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        lead=LEAD,
        locale_id=root.locale_id,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Lernplattform"}
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("portal.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
