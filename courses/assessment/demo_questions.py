# ruff: noqa: E501 - GIFT and XML sample content; a question text is one line.
"""Demo question bank content: one category per topic, written in GIFT and Moodle XML.

The demo goes through the same import as trainers' files do, so it also shows
that both formats work.  Keep the facts checkable: each question states the
rule or source its answer rests on.
"""

DATENMANAGEMENT_GIFT = r"""
$CATEGORY: Datenschutz

::Rechtsgrundlage Behörde::Auf welche Rechtsgrundlage stützt eine Gemeinde die Verarbeitung personenbezogener Daten, die sie zur Erfüllung ihrer gesetzlichen Aufgaben braucht?{
	=Art. 6 Abs. 1 lit. e DSGVO (Wahrnehmung einer Aufgabe im öffentlichen Interesse bzw. in Ausübung öffentlicher Gewalt)#Richtig. Die konkrete Aufgabe ergibt sich aus dem Fachrecht.
	~Art. 6 Abs. 1 lit. f DSGVO (berechtigtes Interesse)#Nein: Behörden können sich bei der Erfüllung ihrer Aufgaben nicht auf das berechtigte Interesse stützen (Art. 6 Abs. 1 Satz 2 DSGVO).
	~Immer die Einwilligung der betroffenen Person#Nein: Eine Einwilligung ist im Über- und Unterordnungsverhältnis selten freiwillig und nicht der Regelfall.
	####Art. 6 Abs. 1 lit. e DSGVO in Verbindung mit dem jeweiligen Fachgesetz.
}

::Meldung Datenpanne::Eine Verletzung des Schutzes personenbezogener Daten ist der Aufsichtsbehörde in der Regel binnen 72 Stunden nach Bekanntwerden zu melden.{TRUE#Doch: Art. 33 Abs. 1 DSGVO nennt 72 Stunden.#Richtig, Art. 33 Abs. 1 DSGVO.}

::Meldefrist in Stunden::Binnen wie vieler Stunden nach Bekanntwerden muss eine meldepflichtige Datenpanne der Aufsichtsbehörde gemeldet werden?{#
	=72:0#Richtig (Art. 33 Abs. 1 DSGVO).
	~#Die Frist beträgt 72 Stunden.
}

::Grundsätze Art. 5::Welche der folgenden sind Grundsätze für die Verarbeitung personenbezogener Daten nach Art. 5 DSGVO?{
	~%33.33333%Zweckbindung#Ja, Art. 5 Abs. 1 lit. b.
	~%33.33333%Datenminimierung#Ja, Art. 5 Abs. 1 lit. c.
	~%33.33333%Speicherbegrenzung#Ja, Art. 5 Abs. 1 lit. e.
	~%-100%Datenmaximierung#Nein, das Gegenteil ist richtig.
	~%-100%Vorratsdatenspeicherung als Regelfall#Nein.
}

$CATEGORY: Data Governance

::Rollen Data Governance::Ordnen Sie die Rollen ihren Aufgaben zu.{
	=Data Owner -> fachliche Verantwortung für einen Datenbestand
	=Data Steward -> Pflege von Datenqualität und Metadaten im Alltag
	=Datenschutzbeauftragte/r -> Überwachung der Einhaltung des Datenschutzrechts
	=Chief Data Officer -> Gesamtverantwortung für die Datenstrategie
}

::Datenqualität verbessern::Beschreiben Sie drei Maßnahmen, mit denen Ihre Verwaltung die Qualität eines wichtigen Datenbestands (z. B. des Straßenverzeichnisses) dauerhaft verbessern kann. Nennen Sie jeweils, wer verantwortlich ist.{####Gute Antworten nennen z. B. Verantwortliche (Data Owner/Steward), Prüfregeln bei der Erfassung, regelmäßige Qualitätsberichte und Rückmeldewege für Nutzende.}

$CATEGORY: Offene Daten

::Metadatenprofil::Wie heißt das deutsche Metadatenprofil, mit dem offene Verwaltungsdaten für GovData beschrieben werden?{
	=DCAT-AP.de#Richtig.
	=%100%DCAT-AP*de#Richtig.
	=%50%DCAT#Fast: gemeint ist das deutsche Anwendungsprofil DCAT-AP.de.
}

Das zentrale Datenportal für offene Verwaltungsdaten von Bund, Ländern und Kommunen heißt {=GovData ~Destatis ~Datenportal der Bundesagentur} und sammelt Metadaten aus vielen Portalen ein.

::Offene Lizenz::Welche Lizenz empfiehlt GovData für offene Verwaltungsdaten ohne Nutzungsbeschränkung?{
	=Datenlizenz Deutschland – Zero – Version 2.0#Richtig, oder „Namensnennung“, wenn eine Quellenangabe gewünscht ist.
	~Alle Rechte vorbehalten#Nein, dann wären die Daten nicht offen.
	~Nur zur internen Nutzung#Nein.
}
"""

DATENMANAGEMENT_XML = r"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Offene Daten</text></category></question>
  <question type="ordering">
    <name><text>Datensatz veröffentlichen</text></name>
    <questiontext format="html"><text><![CDATA[<p>Bringen Sie die Schritte zur Veröffentlichung eines offenen Datensatzes in eine sinnvolle Reihenfolge.</p>]]></text></questiontext>
    <generalfeedback format="html"><text>Erst prüfen, dann aufbereiten, lizenzieren, beschreiben und veröffentlichen.</text></generalfeedback>
    <defaultgrade>2</defaultgrade>
    <layouttype>VERTICAL</layouttype><selecttype>ALL</selecttype><selectcount>0</selectcount>
    <gradingtype>RELATIVE_NEXT_EXCLUDE_LAST</gradingtype><showgrading>SHOW</showgrading>
    <answer fraction="1" format="html"><text>Datensatz auswählen und rechtlich prüfen (Datenschutz, Rechte Dritter)</text></answer>
    <answer fraction="2" format="html"><text>Daten bereinigen und in einem offenen, maschinenlesbaren Format aufbereiten</text></answer>
    <answer fraction="3" format="html"><text>Offene Lizenz festlegen</text></answer>
    <answer fraction="4" format="html"><text>Metadaten nach DCAT-AP.de erfassen</text></answer>
    <answer fraction="5" format="html"><text>Im Open-Data-Portal veröffentlichen</text></answer>
    <tags><tag><text>Open Data</text></tag></tags>
  </question>
  <question type="category"><category><text>$course$/top/Datenschutz</text></category></question>
  <question type="cloze">
    <name><text>Lückentext DSGVO</text></name>
    <questiontext format="html"><text><![CDATA[<p>Personenbezogene Daten dürfen nur für {1:MULTICHOICE:=festgelegte, eindeutige und legitime#Richtig, Art. 5 Abs. 1 lit. b~beliebige#Nein~nachträglich bestimmte#Nein} Zwecke erhoben werden. Eine meldepflichtige Datenpanne ist binnen {1:NUMERICAL:=72:0#Richtig} Stunden zu melden. Die Aufsicht über öffentliche Stellen eines Landes führt der oder die {1:SHORTANSWER:=Landesdatenschutzbeauftragte~=Landesbeauftragte für den Datenschutz}.</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <tags><tag><text>DSGVO</text></tag></tags>
  </question>
</quiz>
"""

ORGANISATION_GIFT = r"""
$CATEGORY: Rolle des CDO

::Aufgabe CDO::Was ist die Kernaufgabe eines Chief Digital Officer (CDO) in einer Kommune?{
	=Die digitale Transformation der Verwaltung strategisch steuern und Fachbereiche, IT und Politik zusammenbringen#Richtig.
	~Den IT-Support für alle Arbeitsplätze leisten#Nein, das ist Aufgabe des IT-Betriebs.
	~Den Haushalt der Kommune aufstellen#Nein, das ist Aufgabe der Kämmerei.
	####Der CDO verantwortet Strategie und Steuerung, nicht den IT-Betrieb.
}

::OZG Pflicht::Das Onlinezugangsgesetz (OZG) verpflichtet Bund und Länder, ihre Verwaltungsleistungen auch elektronisch über Verwaltungsportale anzubieten.{T#Doch: § 1 OZG.#Richtig, § 1 OZG; die Länder beziehen ihre Kommunen ein.}

::Personalvertretung::Welches Gremium bestimmt in einer kommunalen Dienststelle mit, bevor technische Einrichtungen eingeführt werden, die das Verhalten oder die Leistung der Beschäftigten überwachen können?{
	=Personalrat#Richtig, nach dem Personalvertretungsgesetz des Landes.
	=%100%Personalvertretung#Richtig.
	=%50%Betriebsrat#In privaten Betrieben ja; in Dienststellen der Verwaltung ist es der Personalrat.
}

$CATEGORY: Change-Management

::Lewin Phasen::Ordnen Sie die Phasen nach Kurt Lewin zu.{
	=Unfreezing (Auftauen) -> Bereitschaft zur Veränderung schaffen
	=Moving (Bewegen) -> neue Abläufe erproben und einführen
	=Refreezing (Einfrieren) -> das Neue stabilisieren und verankern
}

Nach Kurt Lewin beginnt jede Veränderung mit dem {=Auftauen ~Einfrieren ~Verwerfen} bestehender Routinen.

::Kotter Stufen::Wie viele Stufen hat das Veränderungsmodell von John P. Kotter?{#8#Richtig, acht Stufen.}

::Beteiligung::Welche Maßnahmen stärken die Akzeptanz eines Veränderungsprojekts in der Verwaltung?{
	~%33.33333%Personalrat frühzeitig einbinden#Ja, das ist oft auch rechtlich geboten.
	~%33.33333%Beschäftigte regelmäßig und ehrlich informieren#Ja.
	~%33.33333%Pilotphasen mit Rückmeldungen der Nutzenden#Ja.
	~%-100%Entscheidungen erst nach der Einführung bekannt geben#Nein, das erzeugt Widerstand.
}

::Widerstand E-Akte::Die Einführung der E-Akte stößt in Ihrem Amt auf Widerstand. Beschreiben Sie, wie Sie die Bedenken aufnehmen und das Projekt dennoch voranbringen.{####Gute Antworten unterscheiden Ursachen (Sorge, Überlastung, schlechte Erfahrungen), nennen Beteiligung, Schulung, Ansprechpersonen und sichtbare erste Erfolge.}
"""

ORGANISATION_XML = r"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Change-Management</text></category></question>
  <question type="ordering">
    <name><text>Kotters acht Stufen</text></name>
    <questiontext format="html"><text><![CDATA[<p>Bringen Sie die Stufen des Veränderungsmodells nach Kotter in die richtige Reihenfolge.</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>2</defaultgrade>
    <layouttype>VERTICAL</layouttype><selecttype>ALL</selecttype><selectcount>0</selectcount>
    <gradingtype>RELATIVE_NEXT_EXCLUDE_LAST</gradingtype><showgrading>SHOW</showgrading>
    <answer fraction="1" format="html"><text>Ein Gefühl der Dringlichkeit erzeugen</text></answer>
    <answer fraction="2" format="html"><text>Eine Führungskoalition aufbauen</text></answer>
    <answer fraction="3" format="html"><text>Vision und Strategie entwickeln</text></answer>
    <answer fraction="4" format="html"><text>Die Vision kommunizieren</text></answer>
    <answer fraction="5" format="html"><text>Hindernisse beseitigen und Beschäftigte befähigen</text></answer>
    <answer fraction="6" format="html"><text>Kurzfristige Erfolge sichtbar machen</text></answer>
    <answer fraction="7" format="html"><text>Erfolge ausbauen und weitere Veränderungen anstoßen</text></answer>
    <answer fraction="8" format="html"><text>Das Neue in der Kultur verankern</text></answer>
    <tags><tag><text>Kotter</text></tag></tags>
  </question>
</quiz>
"""

STANDARDS_GIFT = r"""
$CATEGORY: XÖV und OZG

::XÖV::Wofür steht die Abkürzung XÖV?{
	=XML in der öffentlichen Verwaltung#Richtig: XÖV-Standards regeln den Datenaustausch zwischen Behörden.
	~Externe öffentliche Vergabe#Nein.
	~Extended Office Verification#Nein.
}

::XÖV-Standards zuordnen::Ordnen Sie die XÖV-Standards ihren Fachgebieten zu.{
	=XMeld -> Meldewesen
	=XPersonenstand -> Personenstandswesen
	=XBau -> Baugenehmigungsverfahren
	=XRechnung -> elektronische Rechnungen an öffentliche Auftraggeber
}

::XRechnung::XRechnung ist der Standard für elektronische Rechnungen an öffentliche Auftraggeber in Deutschland.{TRUE}

::OZG Jahr::In welchem Jahr trat das Onlinezugangsgesetz (OZG) in Kraft?{#2017:0#Richtig, im August 2017.}

$CATEGORY: Smart City

::Kontextdaten API::Wie heißt die Schnittstelle für Kontextdaten, die FIWARE-Komponenten wie der Orion-LD Context Broker anbieten?{
	=NGSI-LD
	=%100%NGSI LD
	=%50%NGSI#Fast: die aktuelle Fassung heißt NGSI-LD (Linked Data).
}

::MIMs::Die Minimal Interoperability Mechanisms (MIMs) werden von der Initiative Open & Agile Smart Cities (OASC) gepflegt.{T}

::Offene urbane Plattform::Die DIN SPEC 91357 beschreibt ein Referenzarchitekturmodell für {~Verkehrsleitsysteme =offene urbane Plattformen ~Rechenzentren} in Städten und Gemeinden.

::Stadtindikatoren::Welche Normen definieren Kennzahlen für Städte und Gemeinden?{
	~%50%ISO 37120#Ja: Indikatoren für städtische Dienstleistungen und Lebensqualität.
	~%50%ISO 37122#Ja: Indikatoren für Smart Cities.
	~%-50%ISO 9001#Nein: Qualitätsmanagement.
	~%-50%ISO/IEC 27001#Nein: Informationssicherheit.
}

::Offene Standards::Erläutern Sie an einem Beispiel aus Ihrer Kommune, warum offene Standards vor Abhängigkeit von einem einzelnen Anbieter (Vendor-Lock-in) schützen.{####Gute Antworten nennen austauschbare Komponenten, offene Schnittstellen, Weiterverwendung von Daten und geringere Wechselkosten.}
"""

STANDARDS_XML = r"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="category"><category><text>$course$/top/Smart City</text></category></question>
  <question type="cloze">
    <name><text>Lückentext Interoperabilität</text></name>
    <questiontext format="html"><text><![CDATA[<p>FIWARE-Komponenten tauschen Kontextdaten über die Schnittstelle {1:SHORTANSWER:=NGSI-LD~=NGSI LD} aus. Für den Datenaustausch zwischen deutschen Behörden gibt es die {1:MULTICHOICE:=XÖV-Standards#Richtig~ISO-9000-Reihe#Nein~EU-Verordnungen#Nein}. Die Norm ISO {1:NUMERICAL:=37122:0} beschreibt Indikatoren für Smart Cities.</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <tags><tag><text>Interoperabilität</text></tag></tags>
  </question>
</quiz>
"""

# topic name -> files (format, content) imported into the topic's category.
BANK = {
    "Datenmanagement": [("gift", DATENMANAGEMENT_GIFT), ("moodlexml", DATENMANAGEMENT_XML)],
    "Organisationsentwicklung und Change": [("gift", ORGANISATION_GIFT), ("moodlexml", ORGANISATION_XML)],
    "Standards und Interoperabilität": [("gift", STANDARDS_GIFT), ("moodlexml", STANDARDS_XML)],
}
