"""Content of the three demo courses, one per topic, as plain data.

`courses.catalog.demo` turns this into pages; nothing here touches Django, so the
content can be checked (and read) without a database. Lesson bodies are lists of
StreamField blocks in Wagtail's raw form (``{"type": ..., "value": ...}``) using the
block names of `courses.catalog.blocks.LessonStreamBlock`:

- ``rich_text``: simple HTML (h2, h3, p, ul/ol/li, b, i, a)
- ``callout``: ``{"kind": "tip" | "warning" | "info", "title": str, "text": html}``
- ``glossary_term``: ``{"term": str, "definition": str}``

Legal references were checked against the texts of the norms; where rules differ
between the Länder the lessons say so instead of naming one Land's rule as general.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

Block = dict[str, Any]

LEVEL_BASIC = "grundlagen"
LEVEL_ADVANCED = "fortgeschritten"
LEVEL_EXPERT = "expertise"
LEVELS = (LEVEL_BASIC, LEVEL_ADVANCED, LEVEL_EXPERT)

BLOCK_TYPES = ("rich_text", "callout", "glossary_term")
CALLOUT_KINDS = ("tip", "warning", "info")


def rich_text(html: str) -> Block:
    return {"type": "rich_text", "value": " ".join(html.split())}


def callout(kind: str, title: str, html: str) -> Block:
    return {
        "type": "callout",
        "value": {"kind": kind, "title": title, "text": " ".join(html.split())},
    }


def glossary_term(term: str, definition: str) -> Block:
    return {
        "type": "glossary_term",
        "value": {"term": term, "definition": " ".join(definition.split())},
    }


TOPICS: list[dict[str, str]] = [
    {
        "name": "Datenmanagement",
        "slug": "datenmanagement",
        "description": (
            "Datenschutz, Data Governance, offene Daten und Datenqualität: wie Kommunen "
            "ihre Daten verantwortungsvoll verwalten und nutzbar machen."
        ),
    },
    {
        "name": "Organisationsentwicklung und Change",
        "slug": "organisationsentwicklung-und-change",
        "description": (
            "Rollen, Strukturen und Veränderungsprozesse für die digitale Transformation "
            "der Verwaltung – mit den Beschäftigten und ihrer Vertretung."
        ),
    },
    {
        "name": "Standards und Interoperabilität",
        "slug": "standards-und-interoperabilitaet",
        "description": (
            "XÖV, OZG und Einer für Alle, Smart-City-Standards und Kennzahlen: damit "
            "Systeme und Verwaltungen zusammenarbeiten können."
        ),
    },
]


# ---------------------------------------------------------------------------
# Kurs 1: Datenmanagement
# ---------------------------------------------------------------------------

_DSGVO_LESSON: dict[str, Any] = {
    "title": "Datenschutz nach DSGVO: Grundlagen für die Kommunalverwaltung",
    "slug": "dsgvo-grundlagen",
    "minutes": 35,
    "intro": (
        "Welche Regeln gelten, auf welche Rechtsgrundlagen sich eine Kommune stützt und "
        "welche Pflichten jede Fachabteilung kennen sollte."
    ),
    "body": [
        rich_text(
            """
            <p>Kaum eine Verwaltungsleistung kommt ohne personenbezogene Daten aus: Die
            Meldebehörde führt das Melderegister, das Jugendamt bearbeitet Anträge auf
            Kindertagesbetreuung, das Bauamt kennt die Eigentümerinnen und Eigentümer
            von Grundstücken. Seit dem 25. Mai 2018 gilt dafür die
            Datenschutz-Grundverordnung (DSGVO, Verordnung (EU) 2016/679) unmittelbar in
            allen Mitgliedstaaten der Europäischen Union. Diese Lektion gibt Ihnen den
            Überblick, den Sie für die tägliche Arbeit brauchen. Sie ersetzt nicht die
            Beratung durch Ihre behördliche Datenschutzbeauftragte oder Ihren
            behördlichen Datenschutzbeauftragten.</p>

            <h2>Welche Regeln gelten für Kommunen?</h2>
            <p>Für Kommunen greifen drei Ebenen ineinander:</p>
            <ul>
              <li><b>Die DSGVO</b> enthält die Grundsätze, die Rechte der betroffenen
              Personen und die Pflichten der Verantwortlichen.</li>
              <li><b>Das Datenschutzgesetz Ihres Landes</b> ergänzt die DSGVO für
              öffentliche Stellen des Landes und der Kommunen, etwa zur Videoüberwachung
              oder zur Verarbeitung von Beschäftigtendaten. Das Bundesdatenschutzgesetz
              (BDSG) gilt für Kommunen nur, soweit das Landesrecht eine Frage nicht
              regelt – praktisch ist für Sie das Landesgesetz maßgeblich.</li>
              <li><b>Das Fachrecht</b> enthält besondere Regeln für einzelne Aufgaben, zum
              Beispiel das Bundesmeldegesetz für das Meldewesen oder das Zehnte Buch
              Sozialgesetzbuch (§§ 67 ff. SGB X) für Sozialdaten. Fachrecht geht den
              allgemeinen Regeln vor.</li>
            </ul>

            <h2>Grundbegriffe</h2>
            <p><b>Personenbezogene Daten</b> sind alle Informationen, die sich auf eine
            identifizierte oder identifizierbare natürliche Person beziehen (Art. 4 Nr. 1
            DSGVO). Dazu gehören nicht nur Name und Anschrift, sondern auch ein
            Aktenzeichen, ein Kfz-Kennzeichen oder eine IP-Adresse, wenn sich die Person
            damit bestimmen lässt. <b>Verarbeitung</b> ist jeder Umgang mit diesen Daten:
            Erheben, Speichern, Ändern, Übermitteln, Abfragen und auch das Löschen.
            <b>Verantwortlich</b> ist die Stelle, die über Zwecke und Mittel der
            Verarbeitung entscheidet – in der Regel die Kommune als Behörde, nicht die
            einzelne Sachbearbeiterin.</p>

            <h2>Die Grundsätze aus Artikel 5</h2>
            <p>Artikel 5 DSGVO nennt die Grundsätze, an denen sich jede Verarbeitung
            messen lassen muss:</p>
            <ul>
              <li><b>Rechtmäßigkeit, Treu und Glauben, Transparenz:</b> Es gibt eine
              Rechtsgrundlage, und die Menschen erfahren, was mit ihren Daten
              geschieht.</li>
              <li><b>Zweckbindung:</b> Daten, die für die Hundesteuer erhoben wurden,
              dürfen nicht ohne Weiteres für andere Zwecke genutzt werden.</li>
              <li><b>Datenminimierung:</b> Nur die Daten, die für die Aufgabe nötig
              sind.</li>
              <li><b>Richtigkeit:</b> Falsche Daten werden berichtigt oder gelöscht.</li>
              <li><b>Speicherbegrenzung:</b> Daten werden gelöscht, wenn sie nicht mehr
              gebraucht werden und keine Aufbewahrungsfrist entgegensteht.</li>
              <li><b>Integrität und Vertraulichkeit:</b> angemessene Sicherheit gegen
              unbefugten Zugriff, Verlust und Zerstörung.</li>
              <li><b>Rechenschaftspflicht:</b> Die Kommune muss die Einhaltung
              nachweisen können – Dokumentation ist deshalb keine Formalie.</li>
            </ul>

            <h2>Rechtsgrundlagen: warum die Einwilligung selten passt</h2>
            <p>Behörden stützen sich fast immer auf Art. 6 Abs. 1 lit. e DSGVO
            (Wahrnehmung einer Aufgabe im öffentlichen Interesse oder in Ausübung
            öffentlicher Gewalt) oder lit. c (Erfüllung einer rechtlichen Verpflichtung),
            jeweils in Verbindung mit einer Vorschrift aus Landes- oder Fachrecht. Die
            Abwägung nach lit. f („berechtigte Interessen“) steht Behörden bei der
            Erfüllung ihrer Aufgaben ausdrücklich nicht zur Verfügung. Eine Einwilligung
            ist im Verhältnis zwischen Bürgerin und Behörde oft nicht wirklich freiwillig
            (Erwägungsgrund 43) und kommt deshalb nur für freiwillige Zusatzangebote in
            Betracht, etwa einen Newsletter oder die Erinnerung an einen Termin per
            SMS.</p>

            <h2>Pflichten, die jede Fachabteilung betreffen</h2>
            <ul>
              <li><b>Verzeichnis von Verarbeitungstätigkeiten</b> (Art. 30): Jedes
              Verfahren – vom Fachverfahren Einwohnermeldewesen bis zur Excel-Liste für
              die Ehrenamtskarte – wird mit Zweck, Datenkategorien, Empfängern und
              Löschfristen beschrieben.</li>
              <li><b>Informationspflichten</b> (Art. 13 und 14): Formulare und
              Online-Dienste erklären, wer die Daten wozu verarbeitet und welche Rechte
              bestehen.</li>
              <li><b>Technische und organisatorische Maßnahmen</b> (Art. 32):
              Rollen- und Rechtekonzepte, Verschlüsselung, Protokollierung,
              Datensicherung. Hier arbeiten Datenschutz und Informationssicherheit eng
              zusammen.</li>
              <li><b>Auftragsverarbeitung</b> (Art. 28): Betreibt ein kommunales
              Rechenzentrum oder ein privater Anbieter ein Verfahren für Sie, braucht es
              einen Vertrag mit den vorgeschriebenen Inhalten.</li>
              <li><b>Datenschutz-Folgenabschätzung</b> (Art. 35): Bei voraussichtlich
              hohem Risiko, zum Beispiel bei umfangreicher Verarbeitung von
              Gesundheitsdaten, wird das Risiko vor dem Start bewertet.</li>
              <li><b>Datenschutzverletzungen</b> (Art. 33 und 34): Eine Panne – etwa ein
              E-Mail-Versand mit offenem Verteiler – wird unverzüglich und möglichst
              binnen 72 Stunden der Aufsichtsbehörde gemeldet, es sei denn, sie führt
              voraussichtlich nicht zu einem Risiko. Bei hohem Risiko werden auch die
              Betroffenen benachrichtigt.</li>
            </ul>
            <p>Jede Behörde muss eine Datenschutzbeauftragte oder einen
            Datenschutzbeauftragten benennen (Art. 37 Abs. 1 lit. a). Zuständige
            Aufsichtsbehörde für Kommunen ist die oder der Landesbeauftragte für den
            Datenschutz.</p>

            <h2>Rechte der Bürgerinnen und Bürger</h2>
            <p>Betroffene Personen haben unter anderem das Recht auf Auskunft (Art. 15),
            Berichtigung (Art. 16), Löschung (Art. 17), Einschränkung der Verarbeitung
            (Art. 18) und Widerspruch (Art. 21). Anträge beantworten Sie grundsätzlich
            innerhalb eines Monats; bei komplexen Fällen ist eine Verlängerung um zwei
            weitere Monate möglich, wenn Sie die Person innerhalb des ersten Monats
            darüber informieren (Art. 12 Abs. 3). Das Recht auf Datenübertragbarkeit
            (Art. 20) gilt nicht für Verarbeitungen zur Wahrnehmung öffentlicher
            Aufgaben.</p>

            <h2>Checkliste für ein neues Verfahren</h2>
            <ol>
              <li>Zweck und Rechtsgrundlage klären und schriftlich festhalten.</li>
              <li>Nur notwendige Daten vorsehen; Pflicht- und freiwillige Angaben im
              Formular kennzeichnen.</li>
              <li>Eintrag im Verzeichnis von Verarbeitungstätigkeiten anlegen.</li>
              <li>Zugriffsrechte, Löschfristen und Schutzmaßnahmen festlegen.</li>
              <li>Bei Dienstleistern den Vertrag zur Auftragsverarbeitung prüfen.</li>
              <li>Prüfen, ob eine Datenschutz-Folgenabschätzung nötig ist.</li>
              <li>Datenschutzhinweise für die Betroffenen bereitstellen.</li>
            </ol>
            """
        ),
        callout(
            "tip",
            "Datenschutzbeauftragte früh einbinden",
            """<p>Beteiligen Sie Ihre behördliche Datenschutzbeauftragte oder Ihren
            Datenschutzbeauftragten schon bei der Planung eines Verfahrens, nicht erst
            kurz vor dem Start. Änderungen an Formularen und Abläufen sind dann noch
            billig.</p>""",
        ),
        callout(
            "info",
            "Bußgelder gegen Behörden",
            """<p>Die DSGVO überlässt es den Mitgliedstaaten, ob Geldbußen gegen Behörden
            verhängt werden können (Art. 83 Abs. 7). In Deutschland ist das für
            öffentliche Stellen weitgehend ausgeschlossen; die Landesgesetze machen
            meist eine Ausnahme für öffentliche Stellen, die am Wettbewerb teilnehmen.
            Schadensersatzansprüche (Art. 82) und Anordnungen der Aufsichtsbehörde
            bleiben davon unberührt.</p>""",
        ),
        glossary_term(
            "Personenbezogene Daten",
            "Alle Informationen über eine identifizierte oder identifizierbare "
            "natürliche Person (Art. 4 Nr. 1 DSGVO), auch wenn die Person erst über ein "
            "Aktenzeichen oder eine Kennung bestimmbar ist.",
        ),
        glossary_term(
            "Verzeichnis von Verarbeitungstätigkeiten",
            "Die nach Art. 30 DSGVO vorgeschriebene Übersicht aller Verfahren, in denen "
            "eine Stelle personenbezogene Daten verarbeitet, mit Zweck, "
            "Datenkategorien, Empfängern, Löschfristen und Schutzmaßnahmen.",
        ),
        glossary_term(
            "Auftragsverarbeitung",
            "Ein Dienstleister verarbeitet personenbezogene Daten im Auftrag und nach "
            "Weisung der Kommune, etwa ein Rechenzentrum. Die Kommune bleibt "
            "verantwortlich; Art. 28 DSGVO verlangt einen Vertrag.",
        ),
    ],
}

_GOVERNANCE_LESSON: dict[str, Any] = {
    "title": "Data Governance: Rollen, Verantwortung und Regeln",
    "slug": "data-governance-und-rollen",
    "minutes": 30,
    "intro": (
        "Wer entscheidet über welche Daten? Rollen, Gremien und Regeln, mit denen eine "
        "Kommune ihre Daten als gemeinsames Gut verwaltet."
    ),
    "body": [
        rich_text(
            """
            <p>In vielen Verwaltungen ist die Frage „Wem gehören diese Daten eigentlich?“
            schwer zu beantworten. Das Straßenverzeichnis pflegt das Vermessungsamt, die
            Liste der Spielplätze das Grünflächenamt und die Standorte der
            Kindertagesstätten das Jugendamt – oft in getrennten Systemen, mit eigenen
            Schreibweisen und ohne Absprache. Wer eine Auswertung über mehrere Bereiche
            braucht, verbringt mehr Zeit mit Suchen und Abgleichen als mit der
            eigentlichen Arbeit. <b>Data Governance</b> ordnet diese Fragen: Sie legt
            fest, wer für welche Daten verantwortlich ist, nach welchen Regeln Daten
            erhoben, gepflegt, geteilt und gelöscht werden und wer bei Konflikten
            entscheidet.</p>

            <h2>Abgrenzung: Governance, Datenschutz und Informationssicherheit</h2>
            <p>Data Governance ersetzt weder den Datenschutz noch die
            Informationssicherheit, sondern verbindet sie. Der Datenschutz fragt, ob und
            wie personenbezogene Daten verarbeitet werden dürfen. Die
            Informationssicherheit – in Kommunen oft orientiert am IT-Grundschutz des
            Bundesamts für Sicherheit in der Informationstechnik (BSI) – schützt
            Vertraulichkeit, Integrität und Verfügbarkeit. Data Governance kümmert sich
            um alle Daten, auch um die vielen nicht personenbezogenen wie Messwerte,
            Haushaltszahlen oder Geodaten, und fragt vor allem: Sind sie auffindbar,
            verlässlich und nutzbar?</p>

            <h2>Die wichtigsten Rollen</h2>
            <p>Die Bezeichnungen unterscheiden sich von Kommune zu Kommune; entscheidend
            ist, dass die Aufgaben klar verteilt sind:</p>
            <ul>
              <li><b>Datenverantwortliche (Data Owner):</b> in der Regel die Leitung des
              Fachbereichs, dessen Aufgabe die Daten erzeugt. Sie entscheidet, wer die
              Daten nutzen darf, ob sie veröffentlicht werden und welche Qualität nötig
              ist.</li>
              <li><b>Datenpflegende (Data Steward):</b> Fachleute im Fachbereich, die die
              Daten inhaltlich kennen. Sie pflegen Metadaten, prüfen die Qualität,
              beantworten Rückfragen und melden Probleme.</li>
              <li><b>Technisch Zuständige (Data Custodian):</b> die IT-Abteilung oder der
              kommunale IT-Dienstleister. Sie betreiben Datenbanken und Schnittstellen,
              sichern die Daten und setzen Zugriffsrechte um – entscheiden aber nicht
              über die Inhalte.</li>
              <li><b>Datenkoordination:</b> eine zentrale Stelle, oft in der
              Digitalisierungseinheit angesiedelt oder als Chief Data Officer
              bezeichnet. Sie entwickelt Regeln und Werkzeuge, führt den Datenkatalog,
              berät die Fachbereiche und bündelt Anfragen.</li>
              <li><b>Datengremium:</b> ein kleiner Kreis aus Fachbereichen, IT,
              Datenschutz und Informationssicherheit, der Regeln beschließt und
              Konflikte klärt – etwa, wenn zwei Ämter dieselben Daten unterschiedlich
              führen.</li>
            </ul>

            <h2>Die Regeln: was festgelegt werden sollte</h2>
            <ol>
              <li><b>Dateninventar und Datenkatalog:</b> Welche Datenbestände gibt es,
              wo liegen sie, wer ist verantwortlich? Ein Katalog mit einheitlichen
              Metadaten ist die Grundlage für alles Weitere.</li>
              <li><b>Klassifizierung:</b> zum Beispiel „offen“, „intern“, „vertraulich“
              und „personenbezogen“. Die Klasse bestimmt, wer Zugriff erhält und ob
              Daten veröffentlicht werden dürfen.</li>
              <li><b>Standards:</b> einheitliche Formate, Schlüssel und Codelisten –
              etwa der Amtliche Regionalschlüssel für Gebietseinheiten oder der
              Straßenschlüssel statt frei geschriebener Straßennamen.</li>
              <li><b>Lebenszyklus:</b> Wie werden Daten erhoben, aktualisiert,
              archiviert und gelöscht? Hier fließen Löschfristen aus dem Datenschutz und
              die Anbietungspflicht gegenüber dem Archiv ein.</li>
              <li><b>Teilen und Nutzen:</b> ein geregelter Weg, auf dem ein Fachbereich
              Daten eines anderen anfragen kann, mit Fristen und Ansprechpersonen.</li>
            </ol>
            <p>Festgehalten werden die Regeln am besten in einer kurzen Dienstanweisung
            oder Richtlinie zum Datenmanagement, die die Verwaltungsspitze in Kraft
            setzt. Lange Handbücher liest niemand; zwei bis drei Seiten mit klaren
            Zuständigkeiten und Verweisen auf Vorlagen genügen für den Anfang.</p>

            <h2>Ein Beispiel: das Baumkataster als offene Daten</h2>
            <p>Das Grünflächenamt möchte sein Baumkataster veröffentlichen. Die
            Amtsleitung als Datenverantwortliche entscheidet über die Freigabe. Der
            Data Steward prüft, ob alle Bäume eine Art und einen Standort haben, und
            beschreibt den Datensatz mit Metadaten. Die Datenschutzbeauftragte wird
            gefragt, ob Angaben zu Bäumen auf Privatgrundstücken Rückschlüsse auf
            Personen erlauben; diese Bäume werden vorsorglich ausgenommen. Die IT richtet
            den automatischen Export ein, die Datenkoordination veröffentlicht den
            Datensatz im Open-Data-Portal. So weiß jede Stelle, was sie zu tun hat – und
            bei der nächsten Veröffentlichung geht es schneller.</p>

            <h2>So fangen Sie an</h2>
            <p>Beginnen Sie klein: Wählen Sie zwei oder drei Fachbereiche mit einem
            konkreten Vorhaben aus, benennen Sie dort Datenverantwortliche und Data
            Stewards und erfassen Sie die ersten zwanzig wichtigsten Datenbestände im
            Katalog. Was sich bewährt, wird zur Regel für alle. Wichtig ist, dass Data
            Stewards für diese Aufgabe Zeit bekommen; eine Rolle, die „nebenbei“
            erledigt werden soll, bleibt auf dem Papier.</p>
            """
        ),
        callout(
            "warning",
            "Verantwortung nicht an die IT abschieben",
            """<p>Ein häufiger Fehler ist, die Verantwortung für Daten der IT-Abteilung
            zu übertragen, weil die Daten „in ihren Systemen liegen“. Über Inhalt,
            Qualität und Weitergabe muss der Fachbereich entscheiden, der die Aufgabe
            erfüllt – nur er kann beurteilen, ob eine Angabe stimmt.</p>""",
        ),
        glossary_term(
            "Data Steward",
            "Fachlich zuständige Person, die einen Datenbestand inhaltlich betreut: "
            "Metadaten pflegen, Qualität prüfen, Fragen von Nutzenden beantworten.",
        ),
        glossary_term(
            "Datenkatalog",
            "Verzeichnis aller Datenbestände einer Organisation mit einheitlichen "
            "Metadaten wie Beschreibung, Verantwortlichen, Aktualität, Format und "
            "Zugriffsklasse.",
        ),
        glossary_term(
            "Metadaten",
            "Daten über Daten: Sie beschreiben einen Datenbestand, etwa Titel, Inhalt, "
            "räumlichen und zeitlichen Bezug, Lizenz, Format und Ansprechpartner.",
        ),
    ],
}

_OPEN_DATA_LESSON: dict[str, Any] = {
    "title": "Offene Daten mit DCAT-AP.de und GovData",
    "slug": "open-data-dcat-ap-de-govdata",
    "minutes": 35,
    "intro": (
        "Was offene Verwaltungsdaten ausmacht, welcher Rechtsrahmen gilt und wie ein "
        "Datensatz mit DCAT-AP.de beschrieben den Weg nach GovData findet."
    ),
    "body": [
        rich_text(
            """
            <p>Offene Daten (Open Data) sind Daten, die jede und jeder ohne
            Einschränkung nutzen, weiterverarbeiten und weitergeben darf. Für die
            Verwaltung heißt das: Datenbestände, die nicht geschützt werden müssen,
            werden <b>maschinenlesbar</b>, unter einer <b>offenen Lizenz</b>,
            <b>kostenfrei</b> und <b>ohne Registrierung</b> bereitgestellt. Typische
            kommunale Beispiele sind Haushaltsdaten, Wahlergebnisse, Standorte von
            Schulen, Kitas und Ladesäulen, Baumkataster, Bebauungspläne oder
            Verkehrszählungen. Nicht veröffentlicht werden personenbezogene Daten,
            Betriebs- und Geschäftsgeheimnisse Dritter und Informationen, deren
            Veröffentlichung die Sicherheit gefährden würde.</p>

            <h2>Warum sich das für Kommunen lohnt</h2>
            <ul>
              <li>Anfragen von Presse, Politik und Bürgerschaft lassen sich mit einem
              Link beantworten.</li>
              <li>Andere Ämter finden die Daten ebenfalls – offene Daten sind oft der
              einfachste Weg, Daten innerhalb der eigenen Verwaltung zu teilen.</li>
              <li>Unternehmen, Hochschulen und Ehrenamtliche entwickeln Anwendungen, die
              die Kommune nicht selbst bauen müsste, etwa Karten zu barrierefreien
              Toiletten.</li>
              <li>Veröffentlichen zwingt zu sauberen Daten: Fehler fallen auf und werden
              behoben.</li>
            </ul>

            <h2>Der Rechtsrahmen</h2>
            <p>Eine allgemeine Pflicht aller Kommunen zur Veröffentlichung gibt es
            bundesweit nicht. Für Behörden der unmittelbaren Bundesverwaltung regelt
            § 12a E-Government-Gesetz (EGovG) die Bereitstellung offener Daten. Das
            Datennutzungsgesetz (DNG) setzt seit 2021 die europäische Open-Data-Richtlinie
            (Richtlinie (EU) 2019/1024) um; es regelt die <i>Bedingungen</i> der
            Weiterverwendung bereits zugänglicher Daten, begründet aber selbst keinen
            Anspruch auf Veröffentlichung. Mehrere Länder haben eigene Open-Data-Regeln,
            teils in ihren E-Government-Gesetzen; prüfen Sie, was in Ihrem Land für
            Kommunen gilt.</p>
            <p>Verbindlich für alle öffentlichen Stellen, die solche Daten halten, ist die
            Durchführungsverordnung (EU) 2023/138 über <b>hochwertige Datensätze</b>
            (High-Value Datasets). Sie gilt seit dem 9. Juni 2024 und betrifft sechs
            Kategorien: Georaum, Erdbeobachtung und Umwelt, Meteorologie, Statistik,
            Unternehmen und Eigentümerschaft von Unternehmen sowie Mobilität. Die
            betroffenen Datensätze müssen kostenlos, maschinenlesbar, über
            Programmierschnittstellen (APIs) und als Massendownload bereitstehen.</p>

            <h2>GovData: das Datenportal für Deutschland</h2>
            <p><a href="https://www.govdata.de">GovData</a> ist das gemeinsame
            Metadatenportal von Bund, Ländern und Kommunen. Es ist eine Anwendung des
            IT-Planungsrats und wird seit dem 1. Januar 2023 von der Föderalen
            IT-Kooperation (FITKO) verantwortet. GovData speichert keine Daten, sondern
            nur deren Beschreibungen (Metadaten). Die Daten selbst bleiben bei der
            Stelle, die sie bereitstellt. GovData sammelt die Metadaten automatisch aus
            den Portalen der Länder und Kommunen ein (<i>Harvesting</i>) und gibt sie an
            das europäische Datenportal data.europa.eu weiter. Für eine Kommune gibt es
            drei typische Wege:</p>
            <ol>
              <li>Veröffentlichen über das Open-Data-Portal des Landes, das GovData
              beliefert – für kleinere Kommunen oft der einfachste Weg.</li>
              <li>Ein eigenes oder gemeinsam mit Nachbarkommunen betriebenes Portal,
              häufig auf Basis der Open-Source-Software CKAN, das GovData über eine
              DCAT-AP.de-Schnittstelle abruft.</li>
              <li>Die direkte Erfassung einzelner Datensätze in GovData mit einem
              Konto als Datenbereitsteller.</li>
            </ol>

            <h2>DCAT-AP.de: die gemeinsame Sprache für Metadaten</h2>
            <p>Damit Metadaten aus hunderten Portalen zusammenpassen, beschreiben alle
            ihre Datensätze nach demselben Schema. <a href="https://www.dcat-ap.de">DCAT-AP.de</a>
            ist die deutsche Anpassung des europäischen Anwendungsprofils DCAT-AP, das
            auf dem W3C-Vokabular DCAT (Data Catalog Vocabulary) beruht. Der
            IT-Planungsrat hat DCAT-AP.de als verbindlichen Standard für den Austausch
            von Metadaten offener Verwaltungsdaten festgelegt. Das Modell kennt drei
            zentrale Klassen:</p>
            <ul>
              <li><b>Katalog</b> (<code>dcat:Catalog</code>): das Portal oder die
              Sammlung, etwa „Offene Daten der Stadt Musterstadt“.</li>
              <li><b>Datensatz</b> (<code>dcat:Dataset</code>): der inhaltliche Bestand,
              zum Beispiel „Baumkataster“, mit Titel, Beschreibung, Schlagworten,
              Kategorie, veröffentlichender Stelle, Kontakt, räumlichem und zeitlichem
              Bezug.</li>
              <li><b>Distribution</b> (<code>dcat:Distribution</code>): eine konkrete
              Form, in der der Datensatz abrufbar ist – etwa als CSV-Datei, als GeoJSON
              oder über eine API –, jeweils mit Zugriffs-URL, Format und Lizenz.</li>
            </ul>
            <p>DCAT-AP.de ergänzt das europäische Profil um deutsche Besonderheiten. Dazu
            gehören die <i>contributorID</i>, mit der GovData die bereitstellende Stelle
            eindeutig zuordnet, die Namensnennungstexte für Lizenzen und die
            „politische Geokodierung“: Über Amtliche Regionalschlüssel lässt sich angeben,
            für welches Land, welchen Kreis oder welche Gemeinde ein Datensatz gilt.
            So findet, wer nach Daten seiner Gemeinde sucht, auch Datensätze, die
            das Wort „Musterstadt“ gar nicht enthalten.</p>

            <h2>Lizenzen</h2>
            <p>Für deutsche Verwaltungsdaten verbreitet sind die <b>Datenlizenz
            Deutschland – Namensnennung – Version 2.0</b> (dl-de/by-2-0) und die
            <b>Datenlizenz Deutschland – Zero – Version 2.0</b> (dl-de/zero-2-0), die
            ohne jede Bedingung auskommt. Ebenso möglich sind Creative-Commons-Lizenzen
            wie CC BY 4.0 oder CC0. Wählen Sie eine Lizenz pro Datensatz bewusst aus und
            verwenden Sie die Kennung aus der DCAT-AP.de-Lizenzliste, damit Portale die
            Lizenz erkennen.</p>

            <h2>Ein Datensatz in fünf Schritten</h2>
            <ol>
              <li><b>Auswahl:</b> Welche Daten werden oft angefragt oder haben großen
              Nutzen? Hochwertige Datensätze zuerst.</li>
              <li><b>Prüfung:</b> Enthalten die Daten Personenbezug, Rechte Dritter
              (etwa an Kartengrundlagen) oder sicherheitsrelevante Angaben?</li>
              <li><b>Aufbereitung:</b> offenes Format (CSV in UTF-8 mit Kopfzeile,
              GeoJSON, JSON), sprechende Spaltennamen, eine Beschreibung der Felder.</li>
              <li><b>Beschreibung:</b> Metadaten nach DCAT-AP.de, Lizenz, Kontakt,
              Aktualisierungsrhythmus.</li>
              <li><b>Betrieb:</b> eine stabile URL, die bei jeder Aktualisierung gleich
              bleibt, und möglichst eine automatische Aktualisierung aus dem
              Fachverfahren.</li>
            </ol>
            """
        ),
        callout(
            "tip",
            "Stabile Adressen statt Dateiname mit Datum",
            """<p>Veröffentlichen Sie die jeweils aktuelle Fassung unter einer
            gleichbleibenden Adresse (zum Beispiel <code>/baumkataster.csv</code>) und
            ältere Stände getrennt davon. Wer Ihre Daten in eine Anwendung einbindet,
            muss dann nach einer Aktualisierung nichts ändern.</p>""",
        ),
        callout(
            "warning",
            "Anonymisierung gründlich prüfen",
            """<p>Auch ohne Namen können Daten Personen verraten, etwa kleinräumige
            Statistiken mit sehr kleinen Fallzahlen. Fassen Sie solche Werte zusammen
            oder lassen Sie sie aus und stimmen Sie das Vorgehen mit dem Datenschutz
            ab.</p>""",
        ),
        glossary_term(
            "Harvesting",
            "Das automatische Einsammeln von Metadaten aus anderen Portalen über eine "
            "standardisierte Schnittstelle, wie es GovData bei den Portalen der Länder "
            "und Kommunen tut.",
        ),
        glossary_term(
            "Distribution",
            "In DCAT eine konkrete, abrufbare Form eines Datensatzes, etwa eine "
            "CSV-Datei oder eine API, mit eigener Adresse, eigenem Format und Lizenz.",
        ),
        glossary_term(
            "Datenlizenz Deutschland",
            "Für Verwaltungsdaten entwickelte Lizenzen, in Version 2.0 als Variante "
            "mit Pflicht zur Namensnennung und als Variante „Zero“ ohne Bedingungen.",
        ),
    ],
}

_QUALITY_STRATEGY_LESSON: dict[str, Any] = {
    "title": "Datenqualität sichern und eine kommunale Datenstrategie entwickeln",
    "slug": "datenqualitaet-und-datenstrategie",
    "minutes": 35,
    "intro": (
        "Woran man gute Daten erkennt, wie man Qualität misst und verbessert, und wie "
        "aus einzelnen Maßnahmen eine beschlossene Datenstrategie wird."
    ),
    "body": [
        rich_text(
            """
            <p>Daten sind nur so nützlich wie ihre Qualität. Eine Auswertung über freie
            Kita-Plätze, die auf veralteten Zahlen beruht, führt zu falschen
            Entscheidungen; eine Adressliste mit Tippfehlern lässt sich nicht mit dem
            Melderegister abgleichen. Gute Datenqualität entsteht nicht durch eine
            einmalige Bereinigung, sondern durch klare Anforderungen, regelmäßige
            Messung und Korrekturen dort, wo die Daten entstehen.</p>

            <h2>Die Dimensionen der Datenqualität</h2>
            <p>Bewährt hat sich, Qualität in messbare Eigenschaften zu zerlegen:</p>
            <ul>
              <li><b>Vollständigkeit:</b> Sind alle Datensätze und Pflichtfelder
              vorhanden? Fehlt etwa bei Spielplätzen die Angabe zur
              Barrierefreiheit?</li>
              <li><b>Richtigkeit:</b> Stimmen die Angaben mit der Wirklichkeit überein?
              Liegt die eingetragene Bushaltestelle wirklich an dieser Stelle?</li>
              <li><b>Aktualität:</b> Wie alt ist der letzte Stand, und reicht das für den
              Zweck? Für Baustellen zählen Stunden, für Einwohnerzahlen Monate.</li>
              <li><b>Konsistenz:</b> Passen Daten aus verschiedenen Quellen zueinander?
              Steht dieselbe Schule in zwei Verzeichnissen unter derselben
              Adresse?</li>
              <li><b>Eindeutigkeit:</b> Gibt es Dubletten, etwa dieselbe Person zweimal
              im Vereinsregister der Ehrenamtsförderung?</li>
              <li><b>Verständlichkeit:</b> Sind Felder, Einheiten und Abkürzungen
              beschrieben, sodass auch Dritte die Daten richtig lesen?</li>
            </ul>

            <h2>Qualität messen und verbessern</h2>
            <p>Legen Sie für wichtige Datenbestände wenige Kennzahlen fest, die sich
            automatisch berechnen lassen, zum Beispiel „Anteil der Adressen mit
            gültigem Straßenschlüssel“ oder „Tage seit der letzten Aktualisierung“.
            Prüfregeln (Plausibilitäten) fangen Fehler bei der Eingabe ab: Ein
            Geburtsdatum liegt nicht in der Zukunft, eine Postleitzahl hat fünf Ziffern,
            eine Koordinate liegt im Gemeindegebiet. Der wichtigste Grundsatz lautet:
            <b>Fehler an der Quelle beheben</b>. Wer Fehler nur in einer Kopie korrigiert,
            korrigiert sie beim nächsten Export erneut.</p>
            <p>Ein großer Hebel sind <b>Referenzdaten</b>: amtliche Schlüssel wie der
            Amtliche Regionalschlüssel (ARS) und der Amtliche Gemeindeschlüssel (AGS),
            amtliche Hauskoordinaten und Straßenverzeichnisse aus dem
            Vermessungswesen oder Codelisten aus dem XRepository. Wer Auswahllisten statt
            Freitext verwendet, vermeidet ganze Fehlerklassen. Dokumentieren Sie die
            Qualität schließlich in den Metadaten – ehrlich, auch wenn sie noch nicht gut
            ist. Nutzende können dann selbst entscheiden, ob die Daten für ihren Zweck
            reichen.</p>

            <h2>Von Einzelmaßnahmen zur Datenstrategie</h2>
            <p>Eine kommunale Datenstrategie beschreibt, wozu die Kommune Daten nutzen
            will und was sie dafür in den nächsten Jahren tut. Sie ist kein
            Technikpapier, sondern leitet sich aus den Zielen der Kommune ab – etwa
            Klimaschutz, Mobilität oder bürgernahe Dienste. Typische Bausteine sind:</p>
            <ol>
              <li><b>Leitbild und Ziele:</b> Warum und wofür nutzt die Kommune Daten?
              Welche Werte gelten, etwa Gemeinwohl, Datenschutz und Offenheit?</li>
              <li><b>Governance:</b> Rollen, Gremien und Regeln, wie in der vorigen
              Lektion beschrieben.</li>
              <li><b>Infrastruktur:</b> Datenkatalog, Datenplattform, Schnittstellen und
              Betrieb – möglichst auf offenen Standards, damit die Kommune nicht an einen
              Anbieter gebunden ist.</li>
              <li><b>Kompetenzen und Kultur:</b> Schulungen, Austausch und Zeit für
              Datenarbeit in den Fachbereichen.</li>
              <li><b>Anwendungsfälle:</b> drei bis fünf konkrete Vorhaben mit
              erkennbarem Nutzen, zum Beispiel ein Dashboard zur Auslastung von
              Sporthallen oder die Veröffentlichung der Haushaltsdaten.</li>
              <li><b>Zusammenarbeit:</b> mit Nachbarkommunen, dem Kreis, dem Land,
              kommunalen IT-Dienstleistern, Hochschulen und der Zivilgesellschaft.</li>
              <li><b>Umsetzungsplan und Kennzahlen:</b> Maßnahmen mit Verantwortlichen,
              Zeitplan, Budget und messbaren Zielen.</li>
            </ol>

            <h2>Der Weg zur beschlossenen Strategie</h2>
            <p>Starten Sie mit einer Bestandsaufnahme: Welche Daten, Systeme und
            Kompetenzen gibt es, wo hakt es? Beteiligen Sie früh die Fachbereiche, den
            Personalrat, den Datenschutz und die Politik. Ein Entwurf von zehn bis
            zwanzig Seiten, den der Rat beschließt, verschafft der Arbeit Rückhalt und
            Budget. Planen Sie eine Überprüfung nach zwei bis drei Jahren ein; eine
            Strategie, die nie angepasst wird, veraltet schnell.</p>

            <h2>Der europäische Rahmen</h2>
            <p>Zwei EU-Verordnungen prägen das Umfeld: Der Data Governance Act
            (Verordnung (EU) 2022/868), anwendbar seit dem 24. September 2023, regelt
            unter anderem die Weiterverwendung geschützter Daten öffentlicher Stellen.
            Der Data Act (Verordnung (EU) 2023/2854), weitgehend anwendbar seit dem
            12. September 2025, regelt vor allem den Zugang zu Daten vernetzter Produkte
            und erlaubt öffentlichen Stellen in Fällen außergewöhnlicher Notwendigkeit,
            etwa bei Katastrophen, Daten von Unternehmen anzufordern.</p>
            """
        ),
        callout(
            "tip",
            "Mit einem sichtbaren Erfolg beginnen",
            """<p>Wählen Sie für den Anfang ein Vorhaben, das in wenigen Monaten einen
            sichtbaren Nutzen bringt. Ein gelungenes Beispiel überzeugt Fachbereiche
            und Politik mehr als jedes Konzeptpapier.</p>""",
        ),
        glossary_term(
            "Referenzdaten",
            "Verbindliche, gemeinsam genutzte Werte wie amtliche Schlüssel, "
            "Straßenverzeichnisse oder Codelisten, auf die andere Daten verweisen, "
            "statt dieselbe Angabe frei zu schreiben.",
        ),
        glossary_term(
            "Amtlicher Regionalschlüssel (ARS)",
            "Zwölfstelliger Schlüssel für Gebietseinheiten: Land (2 Stellen), "
            "Regierungsbezirk (1), Kreis (2), Gemeindeverband (4) und Gemeinde (3). "
            "Der achtstellige Amtliche Gemeindeschlüssel lässt sich daraus ableiten.",
        ),
    ],
}

COURSE_DATA_MANAGEMENT: dict[str, Any] = {
    "title": "Datenmanagement in der Kommune: Datenschutz, Governance und offene Daten",
    "slug": "datenmanagement-in-der-kommune",
    "topic": "datenmanagement",
    "level": LEVEL_BASIC,
    "hours": Decimal("4.5"),
    "summary": (
        "Der Kurs führt durch die Grundlagen des kommunalen Datenmanagements: welche "
        "Datenschutzregeln gelten, wer in der Verwaltung für welche Daten verantwortlich "
        "ist, wie offene Daten nach DCAT-AP.de über GovData auffindbar werden und wie "
        "eine Kommune Datenqualität sichert und eine Datenstrategie entwickelt."
    ),
    "easy_summary": (
        "In diesem Kurs geht es um Daten in der Verwaltung. "
        "Daten sind zum Beispiel Namen, Adressen oder Zahlen. "
        "Sie lernen: Wie schützt man Daten von Menschen? "
        "Wer in der Verwaltung kümmert sich um welche Daten? "
        "Wie kann die Verwaltung Daten für alle Menschen frei geben? "
        "Das nennt man: Offene Daten. "
        "Und: Wie bleiben Daten richtig und aktuell?"
    ),
    "outcomes": [
        "die für Kommunen geltenden Datenschutzregeln einordnen und die Pflichten bei einem neuen Verfahren benennen",
        "Rollen der Data Governance wie Datenverantwortliche und Data Stewards "
        "beschreiben und in der eigenen Verwaltung zuordnen",
        "einen Datensatz für die Veröffentlichung als offene Daten prüfen und mit "
        "Metadaten nach DCAT-AP.de beschreiben",
        "Dimensionen der Datenqualität benennen und die Bausteine einer kommunalen Datenstrategie skizzieren",
    ],
    "target_groups": [
        "Beschäftigte in Fachämtern, die mit Daten arbeiten",
        "Digitalisierungs- und Open-Data-Beauftragte",
        "Führungskräfte, die über Datenfreigaben entscheiden",
    ],
    "prerequisites": [
        "Keine besonderen Vorkenntnisse; Grundkenntnisse der eigenen Verwaltung sind hilfreich.",
    ],
    "lessons": [
        _DSGVO_LESSON,
        _GOVERNANCE_LESSON,
        _OPEN_DATA_LESSON,
        _QUALITY_STRATEGY_LESSON,
    ],
}


# ---------------------------------------------------------------------------
# Kurs 2: Organisationsentwicklung und Change
# ---------------------------------------------------------------------------

_CDO_LESSON: dict[str, Any] = {
    "title": "Die Rolle des Chief Digital Officer in der Kommune",
    "slug": "rolle-chief-digital-officer",
    "minutes": 30,
    "intro": (
        "Was eine oder ein CDO in einer Kommune tut, wo die Rolle angesiedelt sein "
        "sollte und welche Kompetenzen und Befugnisse sie braucht."
    ),
    "body": [
        rich_text(
            """
            <p>Immer mehr Städte, Kreise und Gemeinden benennen eine Person, die die
            digitale Transformation der Verwaltung steuert. Die Bezeichnungen sind
            vielfältig: Chief Digital Officer (CDO), Digitalisierungsbeauftragte,
            Leitung der Stabsstelle Digitalisierung oder Smart-City-Koordination. Gemeint
            ist fast immer dasselbe: eine Rolle, die über die einzelnen Fachbereiche
            hinweg dafür sorgt, dass Digitalisierung nicht als Sammlung einzelner
            IT-Projekte, sondern als Veränderung der ganzen Organisation gelingt.</p>

            <h2>Was unterscheidet die CDO von der IT-Leitung?</h2>
            <p>Die IT-Leitung (manchmal Chief Information Officer, CIO) verantwortet den
            sicheren und wirtschaftlichen Betrieb der Informationstechnik:
            Arbeitsplätze, Netze, Fachverfahren, Rechenzentrumsleistungen. Die CDO
            verantwortet die <b>Veränderung</b>: Welche Leistungen werden wie digital
            angeboten? Wie ändern sich Prozesse, Zuständigkeiten und Arbeitsweisen? Beide
            Rollen brauchen einander. Eine CDO ohne enge Abstimmung mit der IT produziert
            Konzepte, die sich nicht betreiben lassen; eine IT ohne strategische
            Steuerung modernisiert Technik, ohne dass sich für Bürgerinnen, Bürger und
            Beschäftigte viel ändert. In kleineren Kommunen liegen beide Aufgaben oft in
            einer Hand – dann hilft es, die beiden Blickwinkel bewusst zu trennen.</p>

            <h2>Typische Aufgaben</h2>
            <ul>
              <li><b>Strategie:</b> eine Digitalisierungsstrategie erarbeiten, die aus den
              Zielen der Kommune abgeleitet ist, und sie vom Rat beschließen lassen.</li>
              <li><b>Portfolio:</b> Vorhaben sammeln, bewerten und priorisieren, damit
              knappe Mittel dort wirken, wo der Nutzen am größten ist.</li>
              <li><b>Onlinezugang:</b> die Umsetzung des Onlinezugangsgesetzes (OZG)
              koordinieren, Online-Dienste anbinden und Nachnutzungsangebote
              prüfen.</li>
              <li><b>Prozesse:</b> Fachbereiche dabei unterstützen, Abläufe vom Antrag
              bis zum Bescheid durchgängig digital zu gestalten, statt Papierprozesse
              nachzubauen.</li>
              <li><b>Daten:</b> Data Governance, offene Daten und Datenplattformen
              voranbringen.</li>
              <li><b>Kompetenzen und Kultur:</b> Qualifizierung organisieren,
              Netzwerke von Digitallotsinnen und -lotsen in den Fachbereichen aufbauen,
              neue Arbeitsweisen erproben.</li>
              <li><b>Vernetzung:</b> Zusammenarbeit mit Land, Kreis, Nachbarkommunen,
              kommunalen Spitzenverbänden und IT-Dienstleistern.</li>
            </ul>

            <h2>Die richtige Verortung</h2>
            <p>Erfahrungen aus vielen Kommunen zeigen: Digitalisierung braucht die
            Rückendeckung der Verwaltungsspitze. Die Rolle sollte deshalb unmittelbar
            der Oberbürgermeisterin, dem Bürgermeister, der Landrätin oder dem Landrat
            beziehungsweise einem Dezernat mit Querschnittszuständigkeit zugeordnet
            sein – häufig als Stabsstelle. Eine Ansiedlung tief in einem Fachamt führt
            dazu, dass andere Fachbereiche die Rolle als „Konkurrenz“ oder als
            IT-Dienstleistung wahrnehmen.</p>
            <p>Ebenso wichtig wie die Stelle im Organigramm ist das <b>Mandat</b>. Es
            sollte schriftlich festhalten, wofür die CDO zuständig ist, welche
            Entscheidungen sie selbst trifft, wo sie Fachbereiche beteiligen muss und
            über welches Budget sie verfügt. Ein Beschluss der Verwaltungsspitze oder
            des Rates schafft Klarheit und schützt vor späteren
            Zuständigkeitsstreitigkeiten.</p>

            <h2>Kompetenzen</h2>
            <p>Niemand bringt alles mit. Hilfreich ist eine Mischung aus:</p>
            <ul>
              <li><b>Verwaltungskenntnis:</b> Haushaltsrecht, Vergaberecht, Gremienarbeit,
              kommunale Entscheidungswege.</li>
              <li><b>Technologieverständnis:</b> genug, um Anbieterversprechen
              einzuordnen und mit IT-Fachleuten auf Augenhöhe zu sprechen – keine
              Programmierkenntnisse.</li>
              <li><b>Veränderungs- und Projektkompetenz:</b> Beteiligung organisieren,
              Widerstände verstehen, Vorhaben steuern.</li>
              <li><b>Kommunikation:</b> komplexe Themen für Rat, Beschäftigte und
              Öffentlichkeit verständlich machen.</li>
            </ul>

            <h2>Woran man Erfolg erkennt</h2>
            <p>Messen Sie die Arbeit der CDO nicht an der Zahl gestarteter Projekte,
            sondern an Wirkungen: Anteil der Leistungen, die vollständig digital
            beantragt und bearbeitet werden können; Bearbeitungszeiten; Zufriedenheit
            von Nutzenden und Beschäftigten; eingesparte Wege und Papier. Als
            Orientierung für die inhaltliche Ausrichtung eignet sich die Smart City
            Charta, die die Dialogplattform Smart Cities des Bundes 2017 veröffentlicht
            hat: Sie betont, dass Digitalisierung der nachhaltigen, gemeinwohlorientierten
            Stadtentwicklung dienen soll und kein Selbstzweck ist.</p>
            """
        ),
        callout(
            "tip",
            "Mandat schriftlich festhalten",
            """<p>Lassen Sie sich Aufgaben, Entscheidungsbefugnisse und Budget der Rolle
            vor dem Start schriftlich bestätigen, zum Beispiel in einer Verfügung der
            Verwaltungsspitze. Das erspart Ihnen viele Grundsatzdiskussionen in
            einzelnen Projekten.</p>""",
        ),
        callout(
            "warning",
            "Einzelkämpfer-Falle",
            """<p>Eine CDO ohne Team und ohne Ansprechpersonen in den Fachbereichen wird
            schnell zum Flaschenhals. Planen Sie von Anfang an ein Netzwerk aus
            Digitallotsinnen und -lotsen oder Prozessverantwortlichen ein.</p>""",
        ),
        glossary_term(
            "Chief Digital Officer (CDO)",
            "Führungsrolle, die die digitale Transformation einer Organisation "
            "fachbereichsübergreifend steuert; in Kommunen oft als Stabsstelle bei der "
            "Verwaltungsspitze angesiedelt.",
        ),
        glossary_term(
            "Stabsstelle",
            "Organisationseinheit ohne eigene Weisungsbefugnis gegenüber der Linie, "
            "die der Leitung direkt zuarbeitet und sie berät.",
        ),
    ],
}

_UNIT_LESSON: dict[str, Any] = {
    "title": "Eine Stabsstelle oder Digitalagentur aufbauen",
    "slug": "digitalisierungseinheit-aufbauen",
    "minutes": 35,
    "intro": (
        "Organisationsformen von der Stabsstelle bis zur gemeinsamen Anstalt, Personal, "
        "Budget und die ersten Monate einer neuen Digitalisierungseinheit."
    ),
    "body": [
        rich_text(
            """
            <p>Wer die Digitalisierung einer Kommune ernsthaft steuern will, braucht mehr
            als eine Person. Die Frage ist, in welcher Form: als Stabsstelle in der
            Kernverwaltung, als eigenes Amt, als ausgegliederte Gesellschaft oder
            gemeinsam mit anderen Kommunen? Es gibt keine Form, die immer passt. Die
            Entscheidung hängt davon ab, welche Aufgaben die Einheit übernehmen soll,
            wie groß die Kommune ist und welche Partner es in der Region gibt.</p>

            <h2>Organisationsformen im Vergleich</h2>
            <ul>
              <li><b>Stabsstelle bei der Verwaltungsspitze:</b> kurze Wege, hohe
              Sichtbarkeit, schnell eingerichtet. Geeignet für Strategie, Steuerung und
              Koordination. Grenzen zeigen sich, wenn die Einheit viele operative
              Aufgaben übernimmt.</li>
              <li><b>Amt oder Fachbereich:</b> klare Linienverantwortung, eigene
              Haushaltsmittel, geeignet, wenn Digitalisierung und IT zusammengeführt
              werden sollen.</li>
              <li><b>Eigenbetrieb oder kommunale Anstalt des öffentlichen Rechts:</b>
              wirtschaftlich selbstständiger, mit eigener Buchführung; sinnvoll, wenn
              die Einheit Leistungen für mehrere Bereiche oder Gesellschaften erbringt.
              Die Voraussetzungen regelt das Kommunalrecht Ihres Landes.</li>
              <li><b>Gesellschaft in privater Rechtsform (etwa GmbH):</b> flexibler bei
              Personal und Vergütung, aber mit mehr Aufwand für Steuerung, Beteiligungs-
              management und Gremien.</li>
              <li><b>Interkommunale Zusammenarbeit:</b> ein Zweckverband, eine gemeinsame
              kommunale Anstalt oder eine öffentlich-rechtliche Vereinbarung nach dem
              Gesetz über kommunale Zusammenarbeit Ihres Landes. Gerade für kleinere
              Gemeinden oft der einzige Weg, Fachleute dauerhaft zu halten.</li>
            </ul>
            <p>Vergaberechtlich erleichtert die Zusammenarbeit öffentlicher Auftraggeber
            vieles: Unter den Voraussetzungen des § 108 des Gesetzes gegen
            Wettbewerbsbeschränkungen (GWB) – etwa bei Inhouse-Geschäften mit einer
            kontrollierten Einrichtung oder bei echter Zusammenarbeit zwischen
            öffentlichen Stellen – ist keine Ausschreibung nötig. Die Voraussetzungen
            sind eng; lassen Sie sie im Einzelfall prüfen. Klären Sie außerdem früh
            mit der Kämmerei die umsatzsteuerlichen Folgen von Leistungen zwischen
            Kommunen (§ 2b Umsatzsteuergesetz).</p>

            <h2>Aufgaben schneiden</h2>
            <p>Bevor Sie über Stellen sprechen, beschreiben Sie die Aufgaben. Ein
            bewährtes Raster unterscheidet:</p>
            <ol>
              <li><b>Steuerung:</b> Strategie, Portfolio, Berichte an Verwaltungsspitze
              und Rat, Fördermittel.</li>
              <li><b>Gestaltung:</b> Prozessanalyse, nutzerzentriertes Design von
              Online-Diensten, Begleitung der Fachbereiche.</li>
              <li><b>Daten:</b> Datenkoordination, offene Daten, Datenplattform.</li>
              <li><b>Befähigung:</b> Schulungen, Netzwerk der Digitallotsinnen und
              -lotsen, Kommunikation.</li>
            </ol>
            <p>Der Betrieb der IT bleibt in der Regel bei der IT-Abteilung oder dem
            kommunalen IT-Dienstleister. Schreiben Sie die Schnittstellen auf: Wer
            entscheidet über neue Software, wer über Standards, wer trägt die
            Betriebskosten?</p>

            <h2>Personal gewinnen</h2>
            <p>Fachkräfte für Prozessgestaltung, Datenanalyse oder Nutzerforschung sind
            gefragt, und die Verwaltung konkurriert mit der Privatwirtschaft. Hilfreich
            sind aussagekräftige Stellenbeschreibungen, die den gesellschaftlichen Sinn
            der Arbeit zeigen, die Möglichkeiten des Tarifrechts für Stufenzuordnung und
            Fachkräftezulagen, mobiles Arbeiten sowie Quereinstiege mit
            begleitender Qualifizierung. Unterschätzen Sie nicht das Potenzial im eigenen
            Haus: Beschäftigte, die Verwaltungsabläufe kennen und sich für Digitales
            begeistern, sind oft die besten Brückenbauer.</p>

            <h2>Budget und Finanzierung</h2>
            <p>Planen Sie neben Personal auch Mittel für externe Unterstützung,
            Schulungen, Software und Beteiligungsformate ein. Fördermittel von Bund,
            Ländern und EU können den Start erleichtern, laufen aber aus. Von Anfang an
            sollte klar sein, wie die Einheit nach einer Förderphase aus dem regulären
            Haushalt weiterfinanziert wird – sonst gehen mit dem Förderende auch die
            Fachleute.</p>

            <h2>Die ersten 100 Tage</h2>
            <ol>
              <li>Gespräche mit allen Fachbereichsleitungen, dem Personalrat, der IT, dem
              Datenschutz und der Gleichstellungsbeauftragten: Wo drückt der Schuh?</li>
              <li>Bestandsaufnahme der laufenden Vorhaben und Verträge.</li>
              <li>Ein bis zwei schnelle, sichtbare Verbesserungen auswählen und
              umsetzen.</li>
              <li>Einen Entwurf für Mandat, Arbeitsweise und Portfolio-Verfahren
              vorlegen.</li>
              <li>Einen regelmäßigen Bericht an Verwaltungsspitze und Rat
              vereinbaren.</li>
            </ol>
            """
        ),
        callout(
            "info",
            "Gemeinsam statt allein",
            """<p>Viele Länder fördern interkommunale Digitalisierungsvorhaben, und
            kommunale IT-Dienstleister bieten gemeinsame Leistungen an. Fragen Sie beim
            Kreis, beim kommunalen Spitzenverband und bei Ihrem IT-Dienstleister nach,
            bevor Sie eine eigene Struktur aufbauen.</p>""",
        ),
        glossary_term(
            "Inhouse-Vergabe",
            "Auftrag an eine Einrichtung, die der öffentliche Auftraggeber wie eine "
            "eigene Dienststelle kontrolliert; unter den Voraussetzungen von § 108 GWB "
            "ohne Vergabeverfahren möglich.",
        ),
        glossary_term(
            "Portfolio-Management",
            "Verfahren, mit dem alle Vorhaben einer Organisation gesammelt, nach "
            "Nutzen, Aufwand und Risiko bewertet und priorisiert werden.",
        ),
    ],
}

_CHANGE_LESSON: dict[str, Any] = {
    "title": "Veränderung gestalten mit Beschäftigten und Personalrat",
    "slug": "change-mit-beschaeftigten-und-personalrat",
    "minutes": 35,
    "intro": (
        "Warum Veränderungen auf Widerstand stoßen, wie Beteiligung gelingt und was die "
        "Mitbestimmung des Personalrats für Digitalisierungsvorhaben bedeutet."
    ),
    "body": [
        rich_text(
            """
            <p>Neue Software ist schnell gekauft. Dass sie genutzt wird und die Arbeit
            tatsächlich besser macht, ist die eigentliche Herausforderung. Digitale
            Vorhaben verändern Abläufe, Zuständigkeiten und manchmal das
            Selbstverständnis ganzer Teams. Wer Beschäftigte früh einbezieht, ihre
            Erfahrung nutzt und ihre Sorgen ernst nimmt, kommt meist schneller ans Ziel
            als mit einer perfekt geplanten Einführung von oben.</p>

            <h2>Warum Menschen Veränderungen skeptisch sehen</h2>
            <p>Widerstand ist selten Ablehnung um ihrer selbst willen. Häufige Gründe
            sind die Sorge, mit der neuen Technik nicht zurechtzukommen, die Angst vor
            Kontrolle oder vor dem Wegfall der eigenen Aufgabe, schlechte Erfahrungen mit
            früheren Projekten und schlicht fehlende Zeit neben dem Tagesgeschäft.
            Widerstand enthält oft wertvolle Hinweise: Wer sagt „Das funktioniert bei
            uns nicht“, kennt häufig einen Sonderfall, den die Planung übersehen hat.</p>

            <h2>Modelle, die Orientierung geben</h2>
            <p>Drei bekannte Modelle helfen, Veränderungen zu planen:</p>
            <ul>
              <li><b>Kurt Lewin</b> beschreibt drei Phasen: Auftauen (die Notwendigkeit
              erkennen), Verändern (Neues erproben) und Einfrieren (das Neue
              verankern).</li>
              <li><b>John P. Kotter</b> hat acht Schritte formuliert, vom Gefühl der
              Dringlichkeit über eine Führungskoalition, eine Vision und schnelle Erfolge
              bis zur Verankerung in der Kultur.</li>
              <li><b>Das ADKAR-Modell</b> betrachtet den einzelnen Menschen: Bewusstsein
              (Awareness), Wunsch (Desire), Wissen (Knowledge), Fähigkeit (Ability) und
              Verstärkung (Reinforcement).</li>
            </ul>
            <p>Allen gemeinsam ist: Erst muss klar sein, <i>warum</i> sich etwas ändert;
            dann brauchen Menschen Wissen, Übung und Unterstützung; schließlich muss das
            Neue zur Gewohnheit werden, sonst kehren alte Abläufe zurück.</p>

            <h2>Beteiligung in der Praxis</h2>
            <ul>
              <li><b>Früh informieren:</b> Was ist geplant, warum, was bedeutet es für
              mich? Lieber ehrlich sagen, was noch offen ist, als zu schweigen.</li>
              <li><b>Erfahrung nutzen:</b> Beschäftigte aus dem Fachbereich gehören in das
              Projektteam, nicht erst in den Test.</li>
              <li><b>Ausprobieren lassen:</b> Pilotgruppen, Testumgebungen und offene
              Sprechstunden senken die Hemmschwelle.</li>
              <li><b>Multiplikatoren stärken:</b> Digitallotsinnen und -lotsen in den
              Teams helfen Kolleginnen und Kollegen im Alltag.</li>
              <li><b>Zeit einplanen:</b> Schulungen und Umstellung brauchen Arbeitszeit.
              Wer das nicht einplant, erzeugt Überlastung und Ablehnung.</li>
              <li><b>Barrierefreiheit mitdenken:</b> Neue Software muss auch für
              Beschäftigte mit Behinderungen bedienbar sein.</li>
            </ul>

            <h2>Der Personalrat: Partner von Anfang an</h2>
            <p>Für Beschäftigte der Kommunen gelten die Personalvertretungsgesetze der
            Länder, nicht das Bundespersonalvertretungsgesetz. Die Gesetze unterscheiden
            sich im Detail, enthalten aber durchweg Beteiligungsrechte, die für
            Digitalisierungsvorhaben zentral sind. Besonders wichtig ist die
            Mitbestimmung bei der Einführung und Anwendung technischer Einrichtungen, die
            dazu <b>geeignet</b> sind, das Verhalten oder die Leistung der Beschäftigten
            zu überwachen. Nach ständiger Rechtsprechung genügt die objektive Eignung –
            auf die Absicht der Dienststelle kommt es nicht an. Weil nahezu jede Software
            protokolliert, wer wann was getan hat, ist die Mitbestimmung bei fast allen
            IT-Vorhaben berührt. Hinzu kommen je nach Landesrecht Beteiligungsrechte bei
            der Gestaltung von Arbeitsplätzen und Arbeitsabläufen, bei
            Rationalisierungsmaßnahmen und bei Fortbildungen.</p>
            <p>Ohne die erforderliche Zustimmung darf eine mitbestimmungspflichtige
            Maßnahme nicht umgesetzt werden. Das ist kein Hindernis, wenn der Personalrat
            früh und vollständig informiert wird. Bewährt haben sich:</p>
            <ul>
              <li>eine <b>Rahmendienstvereinbarung</b> über den Einsatz von
              Informationstechnik, die Grundsätze regelt (etwa: keine Leistungs- und
              Verhaltenskontrolle über Protokolldaten, Zweckbindung, Qualifizierung)
              und für einzelne Verfahren nur noch kurze Anlagen verlangt;</li>
              <li>die Beteiligung des Personalrats bereits bei der Anforderungsanalyse
              und Auswahl, nicht erst mit dem fertigen Vertrag;</li>
              <li>klare Unterlagen: Zweck des Systems, verarbeitete Daten, Auswertungen,
              Zugriffsrechte, Löschfristen.</li>
            </ul>
            <p>Denken Sie auch an die Schwerbehindertenvertretung, die nach § 178 SGB IX
            in Angelegenheiten schwerbehinderter Beschäftigter unverzüglich und umfassend
            zu unterrichten und vor Entscheidungen anzuhören ist, und an die
            Gleichstellungsbeauftragte nach dem Gleichstellungsrecht Ihres Landes.</p>
            """
        ),
        callout(
            "warning",
            "Nicht erst beim fertigen Vertrag beteiligen",
            """<p>Wird der Personalrat erst informiert, wenn der Vertrag unterschrieben
            und der Starttermin angekündigt ist, sind Konflikte programmiert – und die
            Einführung kann sich deutlich verzögern. Beteiligen Sie ihn so früh, dass
            seine Hinweise die Lösung noch verändern können.</p>""",
        ),
        callout(
            "tip",
            "Ergebnisse zurückmelden",
            """<p>Sagen Sie den Beschäftigten, was aus ihren Hinweisen geworden ist –
            auch wenn ein Vorschlag nicht umgesetzt wurde und warum. Das schafft
            Vertrauen für das nächste Vorhaben.</p>""",
        ),
        glossary_term(
            "Dienstvereinbarung",
            "Vereinbarung zwischen Dienststelle und Personalrat über Angelegenheiten, "
            "die der Mitbestimmung unterliegen, etwa den Einsatz eines IT-Systems; "
            "sie gilt für alle Beschäftigten der Dienststelle.",
        ),
        glossary_term(
            "Mitbestimmung",
            "Stärkste Form der Beteiligung der Personalvertretung: Eine Maßnahme darf "
            "nur mit Zustimmung des Personalrats oder nach Entscheidung im gesetzlich "
            "vorgesehenen Einigungsverfahren durchgeführt werden.",
        ),
    ],
}

_SELF_ASSESSMENT_LESSON: dict[str, Any] = {
    "title": "Erste Schritte: Standortbestimmung und Selbsteinschätzung",
    "slug": "erste-schritte-selbsteinschaetzung",
    "minutes": 30,
    "intro": (
        "Mit einer strukturierten Selbsteinschätzung den digitalen Reifegrad der "
        "eigenen Verwaltung bestimmen und daraus einen realistischen Fahrplan ableiten."
    ),
    "body": [
        rich_text(
            """
            <p>Bevor eine Kommune Maßnahmen plant, sollte sie wissen, wo sie steht. Eine
            Selbsteinschätzung des digitalen Reifegrads macht Stärken und Lücken
            sichtbar, schafft ein gemeinsames Bild bei Verwaltungsspitze, Fachbereichen
            und Personalrat und liefert einen Ausgangswert, an dem sich Fortschritte
            später messen lassen. Sie ersetzt keine ausführliche Analyse, ist aber in
            wenigen Wochen machbar.</p>

            <h2>Die Dimensionen</h2>
            <p>Reifegradmodelle unterscheiden sich in den Details, betrachten aber meist
            ähnliche Handlungsfelder. Für eine Kommune bieten sich diese acht an:</p>
            <ol>
              <li><b>Strategie:</b> Gibt es beschlossene Ziele für die Digitalisierung,
              die mit der Stadt- oder Kreisentwicklung verbunden sind?</li>
              <li><b>Organisation und Steuerung:</b> Sind Zuständigkeiten, Mandat und
              Budget geklärt? Gibt es ein Portfolio-Verfahren?</li>
              <li><b>Leistungen für Bürgerinnen, Bürger und Unternehmen:</b> Welche
              Leistungen sind online verfügbar – und werden sie auch digital
              weiterbearbeitet?</li>
              <li><b>Prozesse:</b> Sind Kernprozesse dokumentiert? Wird die E-Akte
              genutzt? Wie viele Medienbrüche gibt es?</li>
              <li><b>Daten:</b> Gibt es einen Datenkatalog, Verantwortliche und offene
              Daten?</li>
              <li><b>Technik und Sicherheit:</b> Ist die Infrastruktur zeitgemäß, ist die
              Informationssicherheit organisiert, gibt es ein Notfallkonzept?</li>
              <li><b>Personal und Kompetenzen:</b> Gibt es Qualifizierungsangebote und
              Fachkräfte für Digitalisierung?</li>
              <li><b>Kultur und Zusammenarbeit:</b> Werden neue Arbeitsweisen erprobt,
              arbeiten Fachbereiche zusammen, ist der Personalrat eingebunden?</li>
            </ol>

            <h2>Eine einfache Skala</h2>
            <p>Bewerten Sie jedes Handlungsfeld auf einer Skala von 1 bis 5:</p>
            <ul>
              <li><b>1 – Einstieg:</b> Einzelne Aktivitäten, abhängig von engagierten
              Personen, nichts ist festgelegt.</li>
              <li><b>2 – Erste Strukturen:</b> Zuständigkeiten sind benannt, erste
              Vorhaben laufen, aber unverbunden.</li>
              <li><b>3 – Etabliert:</b> Verbindliche Regeln und Verfahren gelten für die
              ganze Verwaltung.</li>
              <li><b>4 – Gesteuert:</b> Fortschritt wird gemessen, Entscheidungen
              beruhen auf Kennzahlen.</li>
              <li><b>5 – Lernend:</b> Die Organisation passt sich laufend an, teilt
              Lösungen und nutzt die anderer.</li>
            </ul>
            <p>Wichtig ist nicht die exakte Zahl, sondern das Gespräch darüber. Lassen Sie
            dieselben Fragen von mehreren Gruppen beantworten – Verwaltungsspitze,
            Fachbereiche, IT, Personalrat. Unterschiedliche Einschätzungen zeigen, wo
            Erwartungen auseinandergehen.</p>

            <h2>Ablauf in fünf Schritten</h2>
            <ol>
              <li><b>Auftrag klären:</b> Die Verwaltungsspitze beauftragt die
              Selbsteinschätzung und sagt zu, die Ergebnisse zu nutzen.</li>
              <li><b>Fragebogen anpassen:</b> Wählen Sie je Handlungsfeld drei bis fünf
              konkrete Fragen, die in Ihrer Kommune verständlich sind.</li>
              <li><b>Erheben:</b> kurze Online-Umfrage und zwei bis drei Workshops mit
              gemischten Gruppen.</li>
              <li><b>Auswerten:</b> Ergebnis je Handlungsfeld darstellen, etwa als
              Netzdiagramm, und die auffälligsten Lücken benennen.</li>
              <li><b>Ableiten:</b> drei bis fünf Prioritäten für die nächsten zwölf
              Monate festlegen, mit Verantwortlichen und einem Termin für die nächste
              Standortbestimmung.</li>
            </ol>

            <h2>Vom Ergebnis zum Fahrplan</h2>
            <p>Versuchen Sie nicht, alle Felder gleichzeitig zu verbessern. Oft lohnt es
            sich, zuerst die Grundlagen zu stärken – ein klares Mandat, ein Überblick über
            laufende Vorhaben, ein Netzwerk in den Fachbereichen – und parallel ein
            Vorhaben mit sichtbarem Nutzen umzusetzen, etwa einen vollständig digitalen
            Antragsprozess für eine häufig genutzte Leistung. Nutzen Sie außerdem, was
            andere schon erarbeitet haben: Nachnutzbare Online-Dienste nach dem
            Einer-für-Alle-Prinzip, Musterdokumente kommunaler Spitzenverbände und der
            Austausch mit Nachbarkommunen sparen Zeit und Geld.</p>
            <p>Wiederholen Sie die Selbsteinschätzung nach etwa einem Jahr mit denselben
            Fragen. So wird sichtbar, was sich bewegt hat, und die Ergebnisse taugen als
            Bericht an Verwaltungsspitze und Rat.</p>
            """
        ),
        callout(
            "tip",
            "Ehrlich bewerten",
            """<p>Eine Selbsteinschätzung ist kein Wettbewerb. Wer sich zu gut bewertet,
            verschenkt die Chance, Unterstützung und Budget für die tatsächlichen Lücken
            zu begründen.</p>""",
        ),
        glossary_term(
            "Reifegradmodell",
            "Stufenmodell, mit dem eine Organisation einschätzt, wie weit sie in "
            "einzelnen Handlungsfeldern entwickelt ist, und daraus nächste Schritte "
            "ableitet.",
        ),
        glossary_term(
            "Medienbruch",
            "Stelle in einem Ablauf, an der Informationen von einem Medium in ein "
            "anderes übertragen werden müssen, etwa ein Online-Antrag, der ausgedruckt "
            "und von Hand in ein Fachverfahren eingegeben wird.",
        ),
    ],
}

COURSE_ORGANISATIONAL_CHANGE: dict[str, Any] = {
    "title": "Digitale Transformation gestalten: Organisation und Change in der Kommune",
    "slug": "organisationsentwicklung-und-change",
    "topic": "organisationsentwicklung-und-change",
    "level": LEVEL_BASIC,
    "hours": Decimal("4"),
    "summary": (
        "Der Kurs zeigt, wie Kommunen die digitale Transformation organisatorisch "
        "verankern: die Rolle einer oder eines Chief Digital Officer, der Aufbau einer "
        "Stabsstelle oder Digitalagentur, Veränderungsmanagement gemeinsam mit "
        "Beschäftigten und Personalrat und eine Selbsteinschätzung als erster Schritt."
    ),
    "easy_summary": (
        "In diesem Kurs geht es um Veränderung in der Verwaltung. "
        "Die Verwaltung arbeitet immer mehr mit Computern und im Internet. "
        "Das nennt man: Digitalisierung. "
        "Sie lernen: Wer plant die Digitalisierung? "
        "Wie baut man dafür ein gutes Team auf? "
        "Wie nimmt man die Mitarbeiterinnen und Mitarbeiter mit? "
        "Und: Wie findet man heraus, wo die eigene Verwaltung gerade steht?"
    ),
    "outcomes": [
        "Aufgaben, Verortung und Mandat einer oder eines Chief Digital Officer beschreiben",
        "Organisationsformen für eine Digitalisierungseinheit vergleichen und für die eigene Kommune bewerten",
        "Beteiligung von Beschäftigten und Personalrat bei Digitalisierungsvorhaben planen",
        "eine Selbsteinschätzung des digitalen Reifegrads durchführen und daraus Prioritäten ableiten",
    ],
    "target_groups": [
        "Verwaltungsspitze und Führungskräfte",
        "Digitalisierungsbeauftragte und Mitarbeitende von Stabsstellen",
        "Personalräte und Personalverantwortliche",
    ],
    "prerequisites": [
        "Keine besonderen Vorkenntnisse.",
    ],
    "lessons": [
        _CDO_LESSON,
        _UNIT_LESSON,
        _CHANGE_LESSON,
        _SELF_ASSESSMENT_LESSON,
    ],
}


# ---------------------------------------------------------------------------
# Kurs 3: Standards und Interoperabilität
# ---------------------------------------------------------------------------

_INTEROP_LESSON: dict[str, Any] = {
    "title": "Interoperabilität verstehen: Ebenen, Prinzipien und Zuständigkeiten",
    "slug": "interoperabilitaet-verstehen",
    "minutes": 25,
    "intro": (
        "Was Interoperabilität bedeutet, welche Ebenen der Europäische "
        "Interoperabilitätsrahmen unterscheidet und wer in Deutschland Standards "
        "festlegt."
    ),
    "body": [
        rich_text(
            """
            <p>Zieht eine Familie von Leipzig nach Hannover, meldet sie sich in Hannover
            an. Die neue Meldebehörde schickt eine elektronische Rückmeldung an die alte,
            die den Wegzug einträgt – ohne dass jemand Daten abtippt. Das funktioniert,
            weil beide Behörden dieselbe Nachrichtenstruktur (den Standard XMeld),
            dieselben Schlüssel und einen gemeinsamen Transportweg nutzen, obwohl ihre
            Fachverfahren von unterschiedlichen Herstellern stammen. Diese Fähigkeit von
            Organisationen und Systemen, Informationen auszutauschen und gemeinsam zu
            nutzen, heißt <b>Interoperabilität</b>.</p>

            <h2>Vier Ebenen der Interoperabilität</h2>
            <p>Der Europäische Interoperabilitätsrahmen (European Interoperability
            Framework, EIF) der EU-Kommission aus dem Jahr 2017 unterscheidet vier
            Ebenen, die alle zusammenpassen müssen:</p>
            <ul>
              <li><b>Rechtlich:</b> Der Austausch ist erlaubt, und die Rechtsgrundlagen
              der Beteiligten widersprechen sich nicht. Beispiel: Das Fachrecht regelt,
              welche Daten eine Behörde an eine andere übermitteln darf.</li>
              <li><b>Organisatorisch:</b> Zuständigkeiten, Abläufe und Erwartungen sind
              abgestimmt – wer schickt wann was an wen, wer reagiert wie schnell?</li>
              <li><b>Semantisch:</b> Beide Seiten verstehen die Daten gleich. Das
              umfasst das Format (etwa ein XML-Schema) und die Bedeutung (etwa eine
              Codeliste, in der „1“ immer dasselbe bedeutet).</li>
              <li><b>Technisch:</b> Schnittstellen, Protokolle und sichere
              Transportwege sind vorhanden.</li>
            </ul>
            <p>Übergreifend verlangt der EIF eine abgestimmte Steuerung
            (Governance) öffentlicher Dienste und nennt zwölf Grundsätze, darunter
            Offenheit, Wiederverwendbarkeit, Technologieneutralität, Nutzerorientierung,
            Barrierefreiheit sowie Sicherheit und Schutz der Privatsphäre. In der Praxis
            scheitern Vorhaben selten an der Technik, sondern an ungeklärten
            Zuständigkeiten oder unterschiedlichen Begriffen: Was ist ein „Haushalt“ –
            im Melderecht, in der Statistik, im Sozialrecht?</p>

            <h2>Wer legt Standards fest?</h2>
            <p>In Deutschland steuert der <b>IT-Planungsrat</b> die Zusammenarbeit von
            Bund und Ländern in der Informationstechnik. Grundlage sind Art. 91c des
            Grundgesetzes und der IT-Staatsvertrag. Der IT-Planungsrat beschließt
            fachunabhängige und fachübergreifende IT-Interoperabilitäts- und
            IT-Sicherheitsstandards; die Länder sorgen für die Umsetzung in ihrem
            Bereich einschließlich der Kommunen. Operativ unterstützt ihn die
            <b>Föderale IT-Kooperation (FITKO)</b>, eine gemeinsame Anstalt von Bund
            und Ländern. Für die XÖV-Standards ist die <b>Koordinierungsstelle für
            IT-Standards (KoSIT)</b> in Bremen zuständig. Daneben gibt es fachliche
            Standards, die in Gesetzen oder Verordnungen vorgeschrieben sind, etwa für das
            Meldewesen, sowie Normen von DIN, CEN und ISO, die durch Verweis in Verträgen
            oder Ausschreibungen verbindlich werden.</p>
            <p>Auf europäischer Ebene ist seit 2024 die Verordnung für ein interoperables
            Europa (Interoperable Europe Act, Verordnung (EU) 2024/903) in Kraft. Sie
            verlangt unter anderem Interoperabilitätsbewertungen, wenn öffentliche
            Stellen verbindliche Anforderungen an grenzüberschreitend genutzte digitale
            Verwaltungsdienste einführen oder wesentlich ändern.</p>

            <h2>Warum Kommunen das angeht</h2>
            <ul>
              <li><b>Beschaffung:</b> Wer in Ausschreibungen offene, verbreitete
              Standards verlangt, kann später Komponenten austauschen und vermeidet die
              Abhängigkeit von einem Anbieter (Lock-in).</li>
              <li><b>Nachnutzung:</b> Lösungen, die auf gemeinsamen Standards beruhen,
              lassen sich von anderen Kommunen übernehmen – und umgekehrt.</li>
              <li><b>Durchgängige Prozesse:</b> Online-Anträge erreichen das Fachverfahren
              nur ohne Abtippen, wenn Formulardaten und Fachverfahren denselben Standard
              sprechen.</li>
              <li><b>Daten:</b> Daten aus Sensoren, Fachverfahren und offenen Portalen
              lassen sich nur verknüpfen, wenn Formate und Schlüssel übereinstimmen.</li>
            </ul>
            <p>Die folgenden Lektionen stellen die für Kommunen wichtigsten Standards vor:
            XÖV und das XRepository für den Datenaustausch in der Verwaltung, das OZG mit
            dem Einer-für-Alle-Prinzip für Online-Dienste, OASC MIMs, FIWARE und NGSI-LD
            für Smart-City-Daten sowie DIN SPEC 91357 und die Kennzahlen nach ISO 37120
            und ISO 37122.</p>
            """
        ),
        callout(
            "tip",
            "Standards in die Leistungsbeschreibung",
            """<p>Nennen Sie in Ausschreibungen die Standards, die ein System
            unterstützen muss, und verlangen Sie dokumentierte Schnittstellen sowie die
            Herausgabe Ihrer Daten in offenen Formaten bei Vertragsende.</p>""",
        ),
        glossary_term(
            "Interoperabilität",
            "Fähigkeit von Organisationen und Systemen, Informationen auszutauschen und "
            "gemeinsam zu nutzen – rechtlich, organisatorisch, semantisch und "
            "technisch.",
        ),
        glossary_term(
            "Lock-in",
            "Abhängigkeit von einem Anbieter, weil Daten, Schnittstellen oder Formate "
            "proprietär sind und ein Wechsel deshalb unverhältnismäßig teuer wäre.",
        ),
    ],
}

_XOEV_LESSON: dict[str, Any] = {
    "title": "XÖV-Standards und das XRepository",
    "slug": "xoev-und-xrepository",
    "minutes": 35,
    "intro": (
        "Wie XÖV-Standards aufgebaut sind, welche für Kommunen wichtig sind und wie "
        "man im XRepository Standards und Codelisten findet."
    ),
    "body": [
        rich_text(
            """
            <p>XÖV steht für „XML in der öffentlichen Verwaltung“. Unter diesem Namen
            entwickeln Bund, Länder und Kommunen seit vielen Jahren Standards für den
            elektronischen Datenaustausch zwischen Behörden und mit ihren Partnern. Ein
            XÖV-Standard legt fest, welche Nachrichten es in einem Verfahren gibt, welche
            Daten sie enthalten und in welcher Struktur sie übermittelt werden. Die
            Struktur wird als XML-Schema veröffentlicht, die Bedeutung der Inhalte in
            einer Spezifikation beschrieben.</p>

            <h2>Das XÖV-Rahmenwerk</h2>
            <p>Damit nicht jedes Fachgebiet eigene Regeln erfindet, gibt es ein
            gemeinsames Rahmenwerk, das die KoSIT betreut:</p>
            <ul>
              <li><b>XÖV-Handbuch:</b> verbindliche Regeln für Aufbau, Benennung,
              Versionierung und Dokumentation von XÖV-Standards.</li>
              <li><b>XÖV-Kernkomponenten:</b> wiederverwendbare Bausteine für häufige
              Inhalte wie den Namen einer natürlichen Person oder eine Anschrift. Wer
              sie nutzt, muss sie nicht neu modellieren, und Daten passen
              standardübergreifend zusammen.</li>
              <li><b>Codelisten:</b> Listen zulässiger Werte mit festgelegter
              Bedeutung, etwa für Staatsangehörigkeiten oder Familienstände.</li>
              <li><b>Werkzeuge:</b> etwa der XGenerator, der aus einem fachlichen Modell
              Schemata und Dokumentation erzeugt.</li>
              <li><b>Zertifizierung:</b> Die KoSIT prüft in einem
              Zertifizierungsverfahren, ob ein Standard die Regeln des Rahmenwerks
              einhält.</li>
            </ul>

            <h2>Beispiele, die in Kommunen vorkommen</h2>
            <ul>
              <li><b>XMeld</b> für den Datenaustausch im Meldewesen, etwa
              Rückmeldungen bei Umzügen und Datenübermittlungen an andere Behörden.</li>
              <li><b>XPersonenstand</b> für die Kommunikation der Standesämter.</li>
              <li><b>XAusländer</b> für die Ausländerbehörden.</li>
              <li><b>XBau</b> für das Baugenehmigungsverfahren, vom Antrag bis zur
              Beteiligung der Fachbehörden.</li>
              <li><b>XPlanung</b> für den Austausch von Bauleitplänen und Raumordnungsplänen
              als strukturierte Daten statt als Bild oder PDF.</li>
              <li><b>xdomea</b> für den Austausch von Akten und Vorgängen zwischen
              Dokumentenmanagementsystemen und die Aussonderung an Archive.</li>
            </ul>
            <p>Der IT-Planungsrat hat XPlanung und XBau als verbindliche Standards
            beschlossen; die Übergangsfristen sind inzwischen abgelaufen. Wer ein neues
            Bauportal oder ein Planungssystem beschafft, sollte deshalb die Unterstützung
            der aktuellen Versionen ausdrücklich verlangen. Neben den XÖV-Standards im
            engeren Sinn betreut die KoSIT weitere Standards, etwa XRechnung für
            elektronische Rechnungen an öffentliche Auftraggeber.</p>

            <h2>Transport: Nachrichten sicher zustellen</h2>
            <p>Ein XÖV-Standard beschreibt den Inhalt einer Nachricht, nicht, wie sie
            zugestellt wird. Für den sicheren, nachweisbaren Transport zwischen Behörden
            werden Protokolle wie OSCI-Transport und der Standard XTA für die Anbindung
            von Fachverfahren an Transportinfrastrukturen eingesetzt. Für die Übermittlung
            von Online-Anträgen an Fachverfahren steht außerdem die FITKO-Infrastruktur
            FIT-Connect zur Verfügung, die in der nächsten Lektion vorkommt.</p>

            <h2>Das XRepository</h2>
            <p>Das <a href="https://www.xrepository.de">XRepository</a> ist die zentrale
            Bibliothek für XÖV-Standards und ihre Codelisten, betrieben von der KoSIT.
            Dort finden Sie für jeden Standard die veröffentlichten Versionen mit
            Schemata, Spezifikationen und Änderungshistorie. Besonders wichtig ist das
            XRepository für <b>Codelisten</b>: Jede Codeliste hat eine eindeutige Kennung
            und Versionen mit Gültigkeitsangaben. Fachverfahren können Codelisten
            maschinell abrufen, statt Werte von Hand zu pflegen. Eine Nachricht nennt die
            Kennung und Version der verwendeten Liste, sodass der Empfänger weiß, wie ein
            Code gemeint ist – auch nach einer Aktualisierung.</p>
            <p>Nicht alle Codelisten entstehen im XÖV-Umfeld. Viele stammen von anderen
            Stellen, etwa vom Statistischen Bundesamt (zum Beispiel der Amtliche
            Gemeindeschlüssel), und werden im XRepository in einer einheitlichen Form
            bereitgestellt.</p>

            <h2>Was Sie in der Praxis tun können</h2>
            <ol>
              <li>Fragen Sie bei jedem Fachverfahren nach, welche Standards in welcher
              Version unterstützt werden, und lassen Sie sich die Aktualisierung bei
              neuen Versionen vertraglich zusichern.</li>
              <li>Nutzen Sie Codelisten aus dem XRepository auch in eigenen Anwendungen
              und Datenbeständen, statt eigene Schlüssel zu erfinden.</li>
              <li>Bringen Sie sich über Ihren kommunalen Spitzenverband oder Ihr Land in
              die Pflege der Standards ein: Die Anforderungen der Praxis kommen aus den
              Kommunen.</li>
            </ol>
            """
        ),
        callout(
            "info",
            "Versionen beachten",
            """<p>XÖV-Standards werden regelmäßig fortgeschrieben. Die jeweils verbindliche
            Version und der Stichtag ihres Einsatzes sind oft in Verordnungen oder
            Beschlüssen festgelegt. Prüfen Sie im XRepository, welche Version aktuell
            gilt.</p>""",
        ),
        glossary_term(
            "XÖV",
            "„XML in der öffentlichen Verwaltung“: Rahmenwerk und Familie von "
            "Standards für den elektronischen Datenaustausch der Verwaltung, betreut "
            "von der KoSIT.",
        ),
        glossary_term(
            "Codeliste",
            "Verbindliche Liste zulässiger Werte mit festgelegter Bedeutung, "
            "versioniert und mit einer eindeutigen Kennung veröffentlicht, etwa im "
            "XRepository.",
        ),
        glossary_term(
            "KoSIT",
            "Koordinierungsstelle für IT-Standards mit Sitz in Bremen; betreut im "
            "Auftrag des IT-Planungsrats das XÖV-Rahmenwerk und das XRepository.",
        ),
    ],
}

_OZG_LESSON: dict[str, Any] = {
    "title": "Das Onlinezugangsgesetz und das Einer-für-Alle-Prinzip",
    "slug": "ozg-und-efa",
    "minutes": 35,
    "intro": (
        "Was das OZG verlangt, was sich mit dem OZG-Änderungsgesetz 2024 geändert hat "
        "und wie Kommunen Online-Dienste nach dem Einer-für-Alle-Prinzip nachnutzen."
    ),
    "body": [
        rich_text(
            """
            <p>Das Onlinezugangsgesetz (OZG), in Kraft seit August 2017, verpflichtet Bund
            und Länder einschließlich der Kommunen, ihre Verwaltungsleistungen auch
            elektronisch über Verwaltungsportale anzubieten und diese Portale zu einem
            <b>Portalverbund</b> zu verknüpfen. Grundlage ist Art. 91c Abs. 5 des
            Grundgesetzes. Die ursprüngliche Frist lief Ende 2022 ab. Sie wurde bei
            Weitem nicht erreicht: Zwar gab es danach für viele Leistungen einen
            Online-Antrag, aber oft nicht flächendeckend und häufig endete der digitale
            Weg im Posteingang der Behörde, wo Anträge ausgedruckt und abgetippt
            wurden.</p>

            <h2>Der OZG-Umsetzungskatalog</h2>
            <p>Um die Aufgabe greifbar zu machen, wurden die Verwaltungsleistungen zu
            575 <b>OZG-Leistungen</b> gebündelt und nach Lebens- und Geschäftslagen in
            14 Themenfelder geordnet – von „Familie &amp; Kind“ über „Bauen &amp; Wohnen“
            bis „Unternehmensführung &amp; -entwicklung“. Für die Themenfelder übernahmen
            jeweils ein Land und ein Bundesministerium gemeinsam die Federführung.
            Der Katalog verweist auf die Leistungen des Föderalen Informationsmanagements
            (FIM), in dem Leistungsbeschreibungen, Datenfelder für Formulare und
            Prozesse standardisiert beschrieben werden.</p>

            <h2>Einer für Alle (EfA)</h2>
            <p>Statt dass jedes Land und jede Kommune denselben Online-Dienst selbst
            entwickelt, baut beim <b>Einer-für-Alle-Prinzip</b> ein Land (oder der
            Bund) einen Dienst und stellt ihn allen anderen zur Nachnutzung bereit. Mit
            dem Konjunkturpaket des Jahres 2020 stellte der Bund drei Milliarden Euro für
            die OZG-Umsetzung bereit, geknüpft an die Bedingung, dass die geförderten
            Lösungen nach diesem Prinzip entwickelt werden. Der IT-Planungsrat hat dafür
            Mindestanforderungen beschlossen, etwa zum Betrieb, zur Anbindung an
            Nutzerkonten und zum Transport der Antragsdaten.</p>
            <p>Für Kommunen bedeutet das vor allem: Sie entwickeln die meisten
            Online-Dienste nicht selbst, sondern schließen sich Lösungen an, die ihr Land
            für sie nachnutzt oder bereitstellt. Der Marktplatz <b>FIT-Store</b> der
            FITKO unterstützt Länder bei der Nachnutzung von EfA-Leistungen. Die
            Übermittlung der Antragsdaten an das zuständige Fachverfahren übernimmt in
            vielen Fällen die Infrastruktur <b>FIT-Connect</b>.</p>

            <h2>Das OZG-Änderungsgesetz 2024</h2>
            <p>Mit dem Gesetz zur Änderung des Onlinezugangsgesetzes (oft „OZG 2.0“
            genannt), das nach einem Vermittlungsverfahren am 24. Juli 2024 in Kraft trat,
            wird die Digitalisierung als Daueraufgabe verstanden. Wichtige Punkte
            sind:</p>
            <ul>
              <li><b>Ein zentrales Bürgerkonto:</b> Die BundID wird zur DeutschlandID,
              mit der sich Bürgerinnen und Bürger bundesweit ausweisen und ein Postfach
              für die Kommunikation mit der Verwaltung nutzen können. Für Unternehmen
              gibt es ein einheitliches Organisationskonto auf Basis von ELSTER.</li>
              <li><b>Ende-zu-Ende-Digitalisierung:</b> Nicht nur der Antrag, sondern auch
              die Bearbeitung und der Bescheid sollen digital erfolgen.</li>
              <li><b>Once-Only:</b> Nachweise, die der Verwaltung bereits vorliegen,
              sollen auf Wunsch der Antragstellenden direkt zwischen Behörden
              abgerufen werden, statt erneut vorgelegt zu werden. Voraussetzung ist die
              Registermodernisierung.</li>
              <li><b>Schriftform:</b> Schriftformerfordernisse werden abgebaut, damit
              Anträge nicht an der Unterschrift scheitern.</li>
              <li><b>Standards:</b> Der Bund erhält mehr Möglichkeiten, verbindliche
              Standards und Schnittstellen festzulegen.</li>
            </ul>

            <h2>Aufgaben der Kommune</h2>
            <p>Auch wenn das Land die Online-Dienste bereitstellt, bleibt für die Kommune
            viel zu tun:</p>
            <ol>
              <li><b>Leistungsbeschreibungen und Zuständigkeiten pflegen:</b> Nur wenn im
              Zuständigkeitsfinder Ihres Landes Ansprechpartner, Gebühren und Adressen
              stimmen, finden Antragstellende die richtige Stelle und Anträge erreichen
              die richtige Behörde.</li>
              <li><b>Empfang organisieren:</b> Fachverfahren anbinden, damit Anträge
              strukturiert ankommen, statt als PDF im Funktionspostfach.</li>
              <li><b>Bezahlung ermöglichen:</b> Gebühren online vereinnahmen und
              automatisch verbuchen.</li>
              <li><b>Prozesse anpassen:</b> Die digitale Eingangsseite nutzt wenig, wenn
              die Bearbeitung auf Papier weiterläuft. Prüfen Sie mit den Fachbereichen,
              welche Schritte entfallen können.</li>
              <li><b>Nutzung messen:</b> Wie viele Anträge kommen online? Wo brechen
              Menschen ab? Rückmeldungen helfen dem Land, die Dienste zu verbessern.</li>
            </ol>
            """
        ),
        callout(
            "tip",
            "Mit häufigen Leistungen beginnen",
            """<p>Setzen Sie Prioritäten nach Fallzahlen: Leistungen wie
            Wohnsitzanmeldung, Kfz-Zulassung, Wohngeld oder Bewohnerparkausweis betreffen
            viele Menschen. Dort bringt ein durchgängig digitaler Prozess für Bürgerinnen,
            Bürger und Beschäftigte den größten Nutzen.</p>""",
        ),
        callout(
            "warning",
            "Online-Antrag ist nicht gleich Digitalisierung",
            """<p>Ein Online-Formular, dessen Ergebnis ausgedruckt und von Hand erfasst
            wird, verlagert nur Arbeit. Planen Sie die Anbindung an das Fachverfahren
            von Anfang an mit.</p>""",
        ),
        glossary_term(
            "Einer für Alle (EfA)",
            "Prinzip der OZG-Umsetzung: Ein Land oder der Bund entwickelt einen "
            "Online-Dienst und stellt ihn anderen zur Nachnutzung bereit.",
        ),
        glossary_term(
            "Portalverbund",
            "Verknüpfung der Verwaltungsportale von Bund und Ländern nach dem OZG, "
            "sodass Leistungen über jedes Portal gefunden und erreicht werden können.",
        ),
        glossary_term(
            "FIM",
            "Föderales Informationsmanagement: standardisierte Beschreibungen von "
            "Verwaltungsleistungen, Formular-Datenfeldern und Prozessen als "
            "gemeinsame Grundlage für Bund, Länder und Kommunen.",
        ),
    ],
}

_SMART_CITY_LESSON: dict[str, Any] = {
    "title": "Smart-City-Daten austauschen: OASC MIMs, FIWARE und NGSI-LD",
    "slug": "oasc-mims-fiware-ngsi-ld",
    "minutes": 40,
    "intro": (
        "Wie die Minimal Interoperability Mechanisms des OASC-Netzwerks, die "
        "Open-Source-Plattform FIWARE und die Schnittstelle NGSI-LD zusammenhängen."
    ),
    "body": [
        rich_text(
            """
            <p>Smart-City-Vorhaben erzeugen Daten aus vielen Quellen: Parksensoren,
            Füllstandsmelder an Glascontainern, Messstationen für Luftqualität,
            Verkehrszählungen, Fahrplandaten. Wenn jede Anwendung ihre eigene
            Schnittstelle und ihr eigenes Datenformat mitbringt, entstehen Datensilos,
            und jede neue Anwendung muss alle Quellen einzeln anbinden. Drei eng
            verbundene Bausteine helfen, das zu vermeiden.</p>

            <h2>OASC und die Minimal Interoperability Mechanisms</h2>
            <p><a href="https://oascities.org">Open &amp; Agile Smart Cities (OASC)</a>
            ist ein internationales Netzwerk von Städten und Gemeinden, das 2015 gegründet
            wurde. Es hat die <b>Minimal Interoperability Mechanisms (MIMs)</b>
            entwickelt: eine kleine Zahl von Mechanismen, die gerade ausreichen, damit
            Lösungen zwischen Städten und Anbietern übertragbar werden. Die MIMs sind
            herstellerneutral und technologieoffen – sie schreiben kein Produkt vor,
            sondern definieren gemeinsame Schnittstellenpunkte. Formell angenommen sind
            unter anderem:</p>
            <ul>
              <li><b>MIM1 – Context:</b> Management von Kontextinformationen, also dem
              aktuellen Zustand von Dingen in der Stadt, über eine gemeinsame API
              (NGSI-LD).</li>
              <li><b>MIM2 – Data Models:</b> gemeinsame Datenmodelle, damit etwa ein
              Parkplatz in allen Städten gleich beschrieben wird.</li>
              <li><b>MIM3 – Contracts:</b> Mechanismen für Transaktionen im
              Datenökosystem, etwa Kataloge, Lizenzen und Nutzungsbedingungen.</li>
              <li><b>MIM4 – Trust:</b> Umgang mit personenbezogenen Daten und
              Einwilligungen.</li>
              <li><b>MIM5 – Transparency:</b> faire und nachvollziehbare Algorithmen und
              künstliche Intelligenz.</li>
              <li><b>MIM7 – Places:</b> Management von Geoinformationen.</li>
            </ul>
            <p>Weitere MIMs, etwa zur Sicherheit, sind in Arbeit. Auf europäischer Ebene
            sind die MIMs als „MIMs Plus“ in die Initiative Living-in.EU eingeflossen,
            zu der sich zahlreiche europäische Städte bekannt haben.</p>

            <h2>NGSI-LD: eine gemeinsame API für Kontextinformationen</h2>
            <p>NGSI-LD ist eine Spezifikation der Industry Specification Group „Context
            Information Management“ (ISG CIM) des Europäischen Instituts für
            Telekommunikationsnormen ETSI. Sie beschreibt ein Informationsmodell und eine
            REST-API, über die Anwendungen den Zustand der Stadt abfragen, ändern und
            abonnieren können. Das Informationsmodell ist einfach:</p>
            <ul>
              <li>Eine <b>Entität</b> ist ein Ding der realen Welt, etwa ein Parkhaus.
              Sie hat eine weltweit eindeutige Kennung als URI (zum Beispiel
              <code>urn:ngsi-ld:OffStreetParking:parkhaus-mitte</code>) und einen Typ
              (<code>OffStreetParking</code>).</li>
              <li>Eine <b>Property</b> ist eine Eigenschaft mit Wert, etwa die Zahl freier
              Stellplätze, optional mit Zeitstempel der Messung
              (<code>observedAt</code>) und Einheit.</li>
              <li>Eine <b>Relationship</b> verweist auf eine andere Entität, etwa vom
              Stellplatz auf das Parkhaus, zu dem er gehört.</li>
              <li>Eine <b>GeoProperty</b> beschreibt die Lage als GeoJSON, zum Beispiel
              einen Punkt oder eine Fläche.</li>
            </ul>
            <p>Weil NGSI-LD auf JSON-LD beruht, verweist jede Nachricht über einen
            <code>@context</code> auf die Definitionen der verwendeten Begriffe. So ist
            maschinenlesbar festgelegt, was „availableSpotNumber“ bedeutet – genau das,
            was MIM2 mit gemeinsamen Datenmodellen erreichen will. Über Abonnements
            (Subscriptions) werden Anwendungen benachrichtigt, wenn sich ein Wert ändert,
            etwa wenn ein Parkhaus voll ist; über die temporale Schnittstelle lassen sich
            Zeitreihen abfragen.</p>

            <h2>Smart Data Models</h2>
            <p>Die gemeinsamen Datenmodelle entstehen in der Initiative
            <a href="https://smartdatamodels.org">Smart Data Models</a>, die die FIWARE
            Foundation zusammen mit Partnern wie OASC und TM Forum betreibt. Die Modelle
            sind offen lizenziert, als JSON-Schema beschrieben und nach Domänen geordnet –
            etwa Parken, Abfallwirtschaft, Umweltmessungen, Energie oder
            Straßenbeleuchtung. Bevor Sie ein eigenes Datenmodell entwerfen, lohnt sich
            immer ein Blick, ob es dort schon eines gibt.</p>

            <h2>FIWARE: Open-Source-Bausteine</h2>
            <p>FIWARE ist eine Sammlung quelloffener Softwarekomponenten, die aus einem
            Forschungsprogramm der EU hervorgegangen ist und heute von der FIWARE
            Foundation mit Sitz in Berlin gepflegt wird. Ihr Kern ist ein <b>Context
            Broker</b>, der die NGSI-LD-API bereitstellt; für NGSI-LD gibt es mehrere
            Implementierungen, etwa Orion-LD, Scorpio und Stellio. Um den Broker herum
            gibt es Komponenten, die Geräteprotokolle wie MQTT oder LoRaWAN in NGSI-LD
            übersetzen (IoT-Agenten), Daten für Auswertungen speichern, Zugriffe
            absichern oder Daten visualisieren. Viele urbane Datenplattformen in
            Deutschland, auch in Modellprojekten Smart Cities des Bundes, nutzen
            FIWARE-Komponenten.</p>

            <h2>Was das für Ihre Beschaffung bedeutet</h2>
            <ol>
              <li>Verlangen Sie, dass Sensorlösungen ihre Daten über NGSI-LD oder
              zumindest über eine dokumentierte, offene Schnittstelle liefern und dass
              Ihre Kommune die Rechte an den Daten behält.</li>
              <li>Legen Sie fest, welche Smart Data Models zu verwenden sind.</li>
              <li>Prüfen Sie, ob eine Plattform Ihrer Region, Ihres Landes oder eines
              kommunalen IT-Dienstleisters mitgenutzt werden kann, statt eine eigene
              aufzubauen.</li>
              <li>Klären Sie Datenschutz und Informationssicherheit früh: Auch
              Sensordaten können personenbezogen sein, etwa bei Kameras oder
              Bewegungsdaten.</li>
            </ol>
            """
        ),
        callout(
            "info",
            "MIMs sind kein Produkt",
            """<p>Ein Anbieter kann nicht „die MIMs verkaufen“. Die MIMs beschreiben
            Schnittstellen und Mechanismen, die verschiedene Produkte erfüllen können.
            Fragen Sie deshalb konkret, welche MIMs eine Lösung wie umsetzt.</p>""",
        ),
        glossary_term(
            "Context Broker",
            "Zentrale Komponente einer urbanen Datenplattform, die den aktuellen "
            "Zustand von Entitäten verwaltet und über eine API wie NGSI-LD bereitstellt.",
        ),
        glossary_term(
            "NGSI-LD",
            "Von ETSI spezifiziertes Informationsmodell und REST-API für "
            "Kontextinformationen auf Basis von JSON-LD, mit Entitäten, Properties und "
            "Relationships.",
        ),
        glossary_term(
            "Entität",
            "In NGSI-LD ein Ding der realen Welt mit eindeutiger Kennung (URI) und Typ, "
            "etwa ein Parkhaus, eine Messstation oder ein Glascontainer.",
        ),
    ],
}

_PLATFORM_INDICATORS_LESSON: dict[str, Any] = {
    "title": "Urbane Datenplattformen nach DIN SPEC 91357 und Kennzahlen nach ISO 37120 und 37122",
    "slug": "din-spec-91357-und-iso-37120",
    "minutes": 35,
    "intro": (
        "Das Referenzarchitekturmodell Offene Urbane Plattform als Kompass für "
        "Plattformvorhaben und genormte Indikatoren, mit denen Kommunen ihre "
        "Entwicklung messen und vergleichen."
    ),
    "body": [
        rich_text(
            """
            <p>Viele Kommunen bauen eine urbane Datenplattform auf oder beteiligen sich
            an einer regionalen Lösung. Zwei Fragen stellen sich dabei immer wieder: Aus
            welchen Bausteinen sollte eine solche Plattform bestehen, damit sie offen und
            erweiterbar bleibt? Und woran lässt sich messen, ob die Stadt sich in die
            gewünschte Richtung entwickelt? Für die erste Frage bietet die DIN SPEC 91357
            eine Orientierung, für die zweite die Normen ISO 37120 und ISO 37122.</p>

            <h2>DIN SPEC 91357: Offene Urbane Plattform</h2>
            <p>Die DIN SPEC 91357 „Referenzarchitekturmodell Offene Urbane Plattform
            (OUP)“ wurde im Dezember 2017 veröffentlicht. Sie entstand als DIN SPEC im
            sogenannten PAS-Verfahren unter Federführung des Fraunhofer-Instituts FOKUS
            mit Beteiligung von Städten und Unternehmen und baut auf Arbeiten der
            Europäischen Innovationspartnerschaft „Smart Cities and Communities“
            (EIP-SCC) auf. Eine DIN SPEC ist keine Norm im Konsensverfahren, sondern eine
            Spezifikation, die schnell erarbeitet werden kann; ihre Anwendung ist
            freiwillig.</p>
            <p>Das Modell beschreibt eine Plattform in acht Schichten mit
            Fähigkeiten, die aufeinander aufbauen: von der Anbindung von Geräten und
            Sensoren im Feld über Kommunikation und die Verwaltung der Geräte, das
            Datenmanagement und die Analyse, die Integration und Orchestrierung von
            Diensten sowie allgemeine und fachspezifische städtische Dienste bis zur
            Einbindung und Zusammenarbeit der Beteiligten. Zwei querschnittliche Säulen
            betreffen alle Schichten: Sicherheit und Datenschutz sowie übergreifende
            Dienste für Betrieb und Verwaltung der Plattform.</p>
            <p>Der praktische Nutzen liegt weniger in den Details als im gemeinsamen Bild:</p>
            <ul>
              <li><b>Landkarte:</b> Sie können vorhandene Systeme den Schichten zuordnen und
              sehen, wo Lücken oder Doppelungen bestehen.</li>
              <li><b>Ausschreibung:</b> Sie können Anforderungen nach Schichten gliedern und
              offene Schnittstellen zwischen den Schichten verlangen, statt eine
              geschlossene Gesamtlösung zu kaufen.</li>
              <li><b>Zusammenarbeit:</b> Kommunen, die dasselbe Modell nutzen, können
              Komponenten leichter gemeinsam beschaffen und nachnutzen.</li>
            </ul>
            <p>In der Praxis wird die OUP häufig mit den OASC MIMs kombiniert: Die
            DIN SPEC beschreibt, welche Bausteine eine Plattform braucht, die MIMs
            beschreiben, wie die Bausteine an den entscheidenden Stellen
            zusammenarbeiten. Für urbane digitale Zwillinge gibt es inzwischen mit der
            DIN SPEC 91607 eine eigene Spezifikation.</p>

            <h2>ISO 37120: Indikatoren für städtische Dienstleistungen und Lebensqualität</h2>
            <p>Die internationale Norm ISO 37120 „Nachhaltige Städte und Gemeinden –
            Indikatoren für städtische Dienstleistungen und Lebensqualität“ erschien
            erstmals 2014; die zweite Ausgabe stammt von 2018. Sie legt Indikatoren mit
            genauen Definitionen und Berechnungsmethoden fest, gegliedert in 19
            Themenfelder, darunter Wirtschaft, Bildung, Energie, Umwelt und Klimawandel,
            Finanzen, Governance, Gesundheit, Wohnen, Sicherheit, Abfall, Verkehr,
            Stadtplanung, Abwasser und Wasser. Die Norm unterscheidet Kernindikatoren,
            die bei Anwendung der Norm zu erheben sind, unterstützende Indikatoren, die
            erhoben werden sollten, und Profilindikatoren, die den Kontext einer Stadt
            beschreiben. Die Norm gibt keine Zielwerte vor und bewertet nicht; sie sorgt
            dafür, dass Werte vergleichbar erhoben werden.</p>

            <h2>ISO 37122: Indikatoren für Smart Cities</h2>
            <p>ISO 37122 (2019) ergänzt ISO 37120 um Indikatoren für „intelligente“
            Städte, also dafür, wie Städte Daten und digitale Technik einsetzen, um
            Dienste und Lebensqualität zu verbessern – etwa zum Anteil online
            beantragbarer Leistungen, zu Echtzeitinformationen im öffentlichen Verkehr
            oder zu ferngesteuerter Straßenbeleuchtung. Zur Familie gehören außerdem
            ISO 37123 mit Indikatoren für resiliente Städte und ISO 37101 mit einem
            Managementsystem für nachhaltige Entwicklung in Gemeinden. Entwickelt werden
            diese Normen im technischen Komitee ISO/TC 268. Der World Council on City Data
            (WCCD) zertifiziert Städte, die ihre Daten nach diesen Normen berichten.</p>

            <h2>Kennzahlen in der eigenen Kommune nutzen</h2>
            <ol>
              <li><b>Zweck klären:</b> Wollen Sie sich mit anderen Städten vergleichen,
              die eigene Entwicklung verfolgen oder über Nachhaltigkeit berichten? Davon
              hängt ab, wie viele Indikatoren Sie brauchen.</li>
              <li><b>Mit Vorhandenem beginnen:</b> Viele Werte liegen bereits in der
              amtlichen Statistik, im Haushalt oder in Fachverfahren vor.</li>
              <li><b>Definitionen einhalten:</b> Ein Indikator ist nur vergleichbar, wenn
              er genau nach der Definition der Norm berechnet wird. Dokumentieren Sie
              Quellen und Abweichungen.</li>
              <li><b>Verknüpfen:</b> Ordnen Sie Indikatoren den Zielen Ihrer Strategie zu.
              In Deutschland verbreitet sind außerdem die „SDG-Indikatoren für
              Kommunen“, die die Nachhaltigkeitsziele der Vereinten Nationen auf die
              kommunale Ebene übertragen.</li>
              <li><b>Veröffentlichen:</b> Stellen Sie Kennzahlen als offene Daten bereit –
              mit Metadaten nach DCAT-AP.de und, wo Werte laufend entstehen, über die
              Datenplattform.</li>
            </ol>
            """
        ),
        callout(
            "tip",
            "Klein anfangen, sauber definieren",
            """<p>Zehn sorgfältig definierte und regelmäßig aktualisierte Kennzahlen sind
            wertvoller als hundert, die einmal erhoben und dann vergessen werden.</p>""",
        ),
        callout(
            "info",
            "Normen sind urheberrechtlich geschützt",
            """<p>DIN-, ISO- und DIN-SPEC-Dokumente werden über die jeweiligen Verlage
            vertrieben. Prüfen Sie vor einer Beschaffung, ob Ihre Kommune, Ihr Land oder
            Ihr kommunaler Spitzenverband bereits Zugang hat.</p>""",
        ),
        glossary_term(
            "DIN SPEC",
            "Spezifikation des Deutschen Instituts für Normung, die in einem "
            "beschleunigten Verfahren von einem Konsortium erarbeitet wird; anders "
            "als eine DIN-Norm ist kein vollständiger Konsens aller Kreise nötig.",
        ),
        glossary_term(
            "Kernindikator",
            "Indikator der ISO 37120, den eine Stadt erheben muss, wenn sie die Norm "
            "anwendet; unterstützende Indikatoren sind empfohlen.",
        ),
        glossary_term(
            "Urbane Datenplattform",
            "Technische Infrastruktur, die Daten aus vielen Quellen einer Stadt "
            "sammelt, harmonisiert und über offene Schnittstellen für Anwendungen "
            "bereitstellt.",
        ),
    ],
}

COURSE_STANDARDS: dict[str, Any] = {
    "title": "Standards und Interoperabilität in der kommunalen Digitalisierung",
    "slug": "standards-und-interoperabilitaet",
    "topic": "standards-und-interoperabilitaet",
    "level": LEVEL_ADVANCED,
    "hours": Decimal("6"),
    "summary": (
        "Der Kurs erklärt, wie Verwaltungen und Systeme zusammenarbeiten können: die "
        "Ebenen der Interoperabilität, XÖV-Standards und das XRepository, das "
        "Onlinezugangsgesetz mit dem Einer-für-Alle-Prinzip, OASC MIMs, FIWARE und "
        "NGSI-LD für Smart-City-Daten sowie die DIN SPEC 91357 und Kennzahlen nach "
        "ISO 37120 und ISO 37122."
    ),
    "easy_summary": (
        "In diesem Kurs geht es um Regeln für Computer-Programme in der Verwaltung. "
        "Die Programme sollen gut zusammen-arbeiten. "
        "Dafür braucht man gemeinsame Regeln. "
        "Diese Regeln heißen: Standards. "
        "Sie lernen wichtige Standards kennen. "
        "Zum Beispiel: Wie schicken Ämter sich Daten? "
        "Wie kann man Anträge im Internet stellen? "
        "Und: Wie misst eine Stadt, wie gut sie ist?"
    ),
    "outcomes": [
        "die vier Ebenen der Interoperabilität erklären und Zuständigkeiten für Standards in Deutschland benennen",
        "XÖV-Standards und Codelisten im XRepository finden und bei Beschaffungen berücksichtigen",
        "die Anforderungen des OZG und des OZG-Änderungsgesetzes sowie das "
        "Einer-für-Alle-Prinzip für die eigene Kommune einordnen",
        "OASC MIMs, NGSI-LD und FIWARE für Smart-City-Vorhaben bewerten",
        "eine urbane Datenplattform mit der DIN SPEC 91357 strukturieren und "
        "Kennzahlen nach ISO 37120 und ISO 37122 auswählen",
    ],
    "target_groups": [
        "IT- und Digitalisierungsverantwortliche in Kommunen",
        "Projektleitungen für Online-Dienste und Smart-City-Vorhaben",
        "Beschaffungsstellen, die IT-Leistungen ausschreiben",
    ],
    "prerequisites": [
        "Grundkenntnisse der Verwaltungsdigitalisierung, etwa aus dem Kurs „Datenmanagement in der Kommune“.",
    ],
    "lessons": [
        _INTEROP_LESSON,
        _XOEV_LESSON,
        _OZG_LESSON,
        _SMART_CITY_LESSON,
        _PLATFORM_INDICATORS_LESSON,
    ],
}

COURSES: list[dict[str, Any]] = [
    COURSE_DATA_MANAGEMENT,
    COURSE_ORGANISATIONAL_CHANGE,
    COURSE_STANDARDS,
]
