"""Every page leads to the course catalogue; the home page invites to it."""


def test_navigation_and_home_link_to_the_catalogue(client, seeded_demo):
    html = client.get("/").content.decode()
    assert html.count('href="/kurse/"') >= 2  # navigation and the home page's call to action
    assert "Kurse entdecken" in html


def test_navigation_without_a_catalogue_shows_no_dead_link(client, db):
    html = client.get("/konto/anmelden/").content.decode()
    assert "Kurskatalog" not in html


def test_moving_the_catalogue_updates_the_navigation(client, seeded_demo):
    from courses.catalog.models import CatalogPage

    client.get("/")  # caches the catalogue URL
    catalogue = CatalogPage.objects.get()
    catalogue.slug = "weiterbildung"
    catalogue.save_revision().publish()

    html = client.get("/").content.decode()
    assert 'href="/weiterbildung/"' in html
    assert 'href="/kurse/"' not in html


def test_trainers_find_the_grading_queue_learners_do_not(client, org_tree, make_member):
    from lernplattform.accounts.models import Membership

    trainer = make_member(org_tree["land"], Membership.Role.TRAINER)
    learner = make_member(org_tree["garching"])

    client.force_login(trainer)
    assert 'href="/tests/bewertung/"' in client.get("/").content.decode()
    client.force_login(learner)
    assert 'href="/tests/bewertung/"' not in client.get("/").content.decode()


def test_trainers_find_their_course_results_and_the_editor_is_not_named_after_a_role(client, org_tree, make_member):
    from django.urls import reverse

    from lernplattform.accounts.models import Membership

    trainer = make_member(org_tree["land"], Membership.Role.TRAINER)
    reviewer = make_member(org_tree["land"], Membership.Role.REVIEWER)
    results = f'href="{reverse("progress:trainer_courses")}"'

    client.force_login(trainer)
    html = client.get("/").content.decode()
    assert results in html and "Ergebnisse meiner Kurse" in html
    assert ">Kurse bearbeiten<" in html and ">Redaktion<" not in html
    client.force_login(reviewer)
    assert results not in client.get("/").content.decode()


def test_status_messages_are_inside_main(client, org_tree, make_member):
    client.force_login(make_member(org_tree["garching"]))
    html = client.post("/konto/profil/", {"full_name": "Anna Beispiel"}, follow=True).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert 'class="messages"' in main
