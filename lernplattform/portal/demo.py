"""Demo content of the portal: the legal pages every German public website needs.

The texts are sensible starting points for an operator, marked where they must fill in
their own details. Pages that exist already are left as editors made them.
"""

import datetime

from django.db import transaction

from .models import (
    AccessibilityStatementPage,
    EasyLanguagePage,
    HomePage,
    ImprintPage,
    PrivacyPage,
    SignLanguagePage,
)

REVIEWED = datetime.date(2026, 11, 1)

HOME_BODY = (
    "<h2>Für wen ist die Plattform?</h2>"
    "<p>Für alle Beschäftigten in Gemeinden, Städten, Kreisen, Ämtern und Verbandsgemeinden, die ihre "
    "Verwaltung digital gestalten: Sachbearbeitung, IT, Organisation und Führung.</p>"
    "<h2>Was finden Sie hier?</h2>"
    "<ul><li>Kurse zu Datenmanagement, Organisationsentwicklung und Standards der Digitalisierung</li>"
    "<li>Übungen und Tests, die sofort zeigen, wo Sie stehen</li>"
    "<li>Zertifikate, die Ihr Dienstherr prüfen kann</li></ul>"
    "<p>Ihre Organisationsverwaltung sieht, wer welchen Kurs abgeschlossen hat – Ihre Testergebnisse "
    "im Einzelnen sieht sie nicht.</p>"
)

IMPRINT = (
    "<h2>Anbieter</h2>"
    "<p>Kompetenzzentrum „Digitale Städte und Regionen“<br>[Straße und Hausnummer]<br>[PLZ Ort]</p>"
    "<p>Vertreten durch: [Name der vertretungsberechtigten Person]</p>"
    "<h2>Kontakt</h2><p>E-Mail: [kontakt@example.org]<br>Telefon: [Telefonnummer]</p>"
    "<h2>Verantwortlich für den Inhalt nach § 18 Abs. 2 MStV</h2><p>[Name, Anschrift]</p>"
    "<h2>Haftung für Links</h2><p>Für Inhalte verlinkter Seiten sind deren Anbieter verantwortlich. "
    "Bei Bekanntwerden von Rechtsverletzungen entfernen wir solche Links umgehend.</p>"
    "<p><em>Die Angaben in eckigen Klammern ergänzt der Betreiber vor dem Start.</em></p>"
)

PRIVACY = (
    "<h2>Verantwortliche Stelle</h2><p>Verantwortlich im Sinne der DSGVO ist der im Impressum genannte "
    "Anbieter. Unsere Datenschutzbeauftragte erreichen Sie unter [datenschutz@example.org].</p>"
    "<h2>Welche Daten wir verarbeiten</h2><ul>"
    "<li><strong>Konto:</strong> Name, E-Mail-Adresse, Organisation und Rolle – zur Anmeldung und zur "
    "Zuordnung zu Ihrer Dienststelle (Art. 6 Abs. 1 lit. b und e DSGVO).</li>"
    "<li><strong>Lernfortschritt:</strong> Einschreibungen, Abschlüsse, Zertifikate; Testergebnisse nur für "
    "Sie selbst und die Trainerinnen und Trainer Ihres Kurses. Ihre Organisationsverwaltung sieht "
    "Abschlüsse und Zertifikate, keine einzelnen Ergebnisse.</li>"
    "<li><strong>Server-Protokolle:</strong> IP-Adresse und Zeitpunkt fehlgeschlagener Anmeldungen, "
    "um Angriffe abzuwehren (Art. 6 Abs. 1 lit. e DSGVO); sie werden nach 30 Tagen gelöscht.</li></ul>"
    "<h2>Cookies</h2><p>Wir setzen nur technisch notwendige Cookies (Sitzung und Schutz vor "
    "Formularmissbrauch). Es gibt kein Tracking und keine Inhalte von Drittanbietern.</p>"
    "<h2>Ihre Rechte</h2><p>Sie haben das Recht auf Auskunft, Berichtigung, Löschung, Einschränkung der "
    "Verarbeitung und Widerspruch (Art. 15 bis 21 DSGVO) sowie das Recht, sich bei einer "
    "Datenschutz-Aufsichtsbehörde zu beschweren (Art. 77 DSGVO).</p>"
)

ACCESSIBILITY_INTRO = (
    "<p>Der Anbieter ist bemüht, diese Lernplattform im Einklang mit § 12a des "
    "Behindertengleichstellungsgesetzes (BGG) und der Barrierefreie-Informationstechnik-Verordnung "
    "(BITV 2.0) barrierefrei zugänglich zu machen. Diese Erklärung gilt für die gesamte Plattform.</p>"
)
NON_ACCESSIBLE = (
    "<ul><li>Einige interaktive Übungen (H5P) sind mit der Tastatur oder mit Screenreadern nur "
    "eingeschränkt bedienbar. Wir bieten zu jeder solchen Übung eine gleichwertige Alternative an.</li>"
    "<li>Zertifikate als PDF sind noch nicht vollständig als barrierefreies PDF (PDF/UA) ausgezeichnet. "
    "Die Angaben des Zertifikats finden Sie auch als Webseite unter der Prüfadresse.</li></ul>"
)
PREPARATION = (
    "<p>Diese Erklärung wurde am 1. November 2026 erstellt. Grundlage ist eine Selbstbewertung; "
    "jede Änderung der Seitenvorlagen wird automatisch mit axe-core gegen WCAG 2.1 A und AA geprüft.</p>"
)
FEEDBACK = (
    "<p>Sie können uns Mängel in der Barrierefreiheit mit dem Formular „Barriere melden“ auf dieser Seite "
    "mitteilen oder per E-Mail an [barrierefreiheit@example.org]. Wir antworten innerhalb eines Monats.</p>"
)
ENFORCEMENT = (
    "<p>Wenn Sie auf Ihre Mitteilung keine zufriedenstellende Antwort erhalten haben, können Sie die "
    "Schlichtungsstelle nach § 16 BGG einschalten. Sie ist beim Beauftragten der Bundesregierung für die "
    "Belange von Menschen mit Behinderungen angesiedelt und hilft, Streit ohne Gericht zu lösen. "
    "Das Verfahren ist kostenlos; Sie brauchen keinen Rechtsbeistand.</p>"
    "<p>Schlichtungsstelle nach dem Behindertengleichstellungsgesetz, Mauerstraße 53, 10117 Berlin, "
    '<a href="https://www.schlichtungsstelle-bgg.de">www.schlichtungsstelle-bgg.de</a>. '
    "Für Angebote von Ländern und Kommunen ist die Schlichtungsstelle des jeweiligen Landes zuständig.</p>"
)

EASY_LANGUAGE = (
    "<h2>Was ist die Lern-Plattform?</h2>"
    "<p>Die Lern-Plattform ist eine Seite im Internet.</p>"
    "<p>Hier können Menschen lernen.</p>"
    "<p>Die Menschen arbeiten in einer Gemeinde.<br>Oder in einer Stadt.<br>Oder in einem Kreis.</p>"
    "<h2>Was kann man hier machen?</h2>"
    "<ul><li>Sie können Kurse machen.</li>"
    "<li>Sie können Übungen machen.</li>"
    "<li>Sie können einen Test machen.</li>"
    "<li>Dann bekommen Sie ein Zertifikat.<br>Ein Zertifikat ist ein Papier.<br>"
    "Auf dem Papier steht: Sie haben den Kurs geschafft.</li></ul>"
    "<h2>Wie kommen Sie auf die Plattform?</h2>"
    "<p>Sie brauchen ein Konto.</p>"
    "<p>Ein Konto bekommen Sie so: Sie klicken oben auf <strong>Registrieren</strong>.</p>"
    "<p>Dann schreiben Sie Ihren Namen und Ihre E-Mail-Adresse.</p>"
    "<h2>Gibt es ein Problem?</h2>"
    "<p>Manchmal funktioniert etwas nicht gut.<br>Zum Beispiel: Sie können etwas nicht lesen.</p>"
    "<p>Dann sagen Sie es uns bitte.<br>Unten auf jeder Seite steht: <strong>Barriere melden</strong>.</p>"
    "<p>Klicken Sie darauf.<br>Schreiben Sie uns das Problem.</p>"
)

SIGN_LANGUAGE = (
    "<p>Auf dieser Seite erklären wir die Lernplattform in Deutscher Gebärdensprache.</p>"
    "<h2>Inhalt des Videos</h2>"
    "<p>Das Video erklärt: was die Lernplattform ist, wie Sie ein Konto bekommen, wie Sie einen Kurs "
    "finden und abschließen, und wie Sie eine Barriere melden.</p>"
)

PAGES = [
    (ImprintPage, "Impressum", "impressum", {"body": IMPRINT}),
    (PrivacyPage, "Datenschutzerklärung", "datenschutz", {"body": PRIVACY}),
    (
        AccessibilityStatementPage,
        "Erklärung zur Barrierefreiheit",
        "barrierefreiheit",
        {
            "body": ACCESSIBILITY_INTRO,
            "conformance": AccessibilityStatementPage.Conformance.PARTIAL,
            "non_accessible": NON_ACCESSIBLE,
            "preparation": PREPARATION,
            "feedback": FEEDBACK,
            "enforcement": ENFORCEMENT,
        },
    ),
    (EasyLanguagePage, "Leichte Sprache", "leichte-sprache", {"body": EASY_LANGUAGE}),
    (SignLanguagePage, "Gebärdensprache", "gebaerdensprache", {"body": SIGN_LANGUAGE}),
]


@transaction.atomic
def seed(*, stdout) -> None:
    home = HomePage.objects.first()
    if home is None:
        stdout.write("  Keine Startseite gefunden – Portalseiten übersprungen.")
        return
    if not home.body:
        home.body = HOME_BODY
        home.save_revision().publish()
    created = 0
    for page_type, title, slug, fields in PAGES:
        if page_type.objects.exists():
            continue
        home.add_child(instance=page_type(title=title, slug=slug, last_reviewed=REVIEWED, **fields))
        created += 1
    stdout.write(f"  Rechtliche Seiten: {created} angelegt, {len(PAGES) - created} vorhanden")
