"""Demo organisations: the 16 Länder and a realistic handful below them, with their true keys.

Every ARS here is the official one (Amtlicher Regionalschlüssel, Gebietsstand 2024/2025):
Land 2, Regierungsbezirk 1, Kreis 2, Gemeindeverband 4, Gemeinde 3 digits. A Gemeinde that
belongs to no Gemeindeverband carries ``0`` plus its own number as the Gemeindeverband part
(Halberstadt: 15 0 85 0135 135); a kreisfreie Stadt is all zeros below the Kreis (München:
09 1 62 0000 000). ``tests/lernplattform/accounts/test_demo_organisations.py`` checks that
every key is consistent with its parent.

Headcounts are plausible staff numbers for the demo, not statistics. Other public bodies have
no ARS; the Zweckverband below is invented for the demo and hangs below its Landkreis.

Pure data, no Django import: ``demo.py`` turns it into ``Organisation`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoOrganisation:
    ars: str | None
    name: str
    kind: str  # a value of Organisation.Kind
    kind_label: str
    parent_ars: str | None
    headcount: int
    requires_approval: bool = False

    @property
    def ags(self) -> str | None:
        return self.ars[:5] + self.ars[9:] if self.ars else None


def _land(key: str, name: str, headcount: int) -> DemoOrganisation:
    return DemoOrganisation(f"{key}0000000000", name, "land", "Land", None, headcount)


LAENDER: tuple[DemoOrganisation, ...] = (
    _land("01", "Schleswig-Holstein", 2100),
    _land("02", "Hamburg", 9800),
    _land("03", "Niedersachsen", 4300),
    _land("04", "Bremen", 3100),
    _land("05", "Nordrhein-Westfalen", 7900),
    _land("06", "Hessen", 3900),
    _land("07", "Rheinland-Pfalz", 2600),
    _land("08", "Baden-Württemberg", 5200),
    _land("09", "Bayern", 6400),
    _land("10", "Saarland", 900),
    _land("11", "Berlin", 12500),
    _land("12", "Brandenburg", 2300),
    _land("13", "Mecklenburg-Vorpommern", 1700),
    _land("14", "Sachsen", 3300),
    _land("15", "Sachsen-Anhalt", 2200),
    _land("16", "Thüringen", 2000),
)

BELOW_LAENDER: tuple[DemoOrganisation, ...] = (
    # Bayern: two Regierungsbezirke, a kreisfreie Stadt, Landkreise, a Verwaltungsgemeinschaft.
    DemoOrganisation("091000000000", "Oberbayern", "regierungsbezirk", "Regierungsbezirk", "090000000000", 1900),
    DemoOrganisation("091620000000", "Landeshauptstadt München", "kreisfreie_stadt", "Kreisfreie Stadt",
                     "091000000000", 42000),
    DemoOrganisation("091780000000", "Landkreis Freising", "kreis", "Landkreis", "091000000000", 850),
    DemoOrganisation("091780124124", "Große Kreisstadt Freising", "gemeinde", "Große Kreisstadt",
                     "091780000000", 1100),
    DemoOrganisation("091840000000", "Landkreis München", "kreis", "Landkreis", "091000000000", 1400),
    DemoOrganisation("091840119119", "Stadt Garching b.München", "gemeinde", "Stadt", "091840000000", 260),
    DemoOrganisation("091840145145", "Gemeinde Taufkirchen", "gemeinde", "Gemeinde", "091840000000", 210),
    DemoOrganisation("091810000000", "Landkreis Landsberg am Lech", "kreis", "Landkreis", "091000000000", 700),
    DemoOrganisation("091815142000", "Verwaltungsgemeinschaft Reichling", "gemeindeverband",
                     "Verwaltungsgemeinschaft", "091810000000", 30),
    DemoOrganisation("091815142111", "Gemeinde Apfeldorf", "gemeinde", "Gemeinde", "091815142000", 6),
    DemoOrganisation("092000000000", "Niederbayern", "regierungsbezirk", "Regierungsbezirk", "090000000000", 950),
    DemoOrganisation("092740000000", "Landkreis Landshut", "kreis", "Landkreis", "092000000000", 800),
    DemoOrganisation("092740128128", "Markt Essenbach", "gemeinde", "Markt", "092740000000", 120),
    # Sachsen-Anhalt: Landeshauptstadt, Landkreis Harz with a Verbandsgemeinde and its members.
    DemoOrganisation("150030000000", "Landeshauptstadt Magdeburg", "kreisfreie_stadt", "Kreisfreie Stadt",
                     "150000000000", 4800),
    DemoOrganisation("150850000000", "Landkreis Harz", "kreis", "Landkreis", "150000000000", 1400),
    DemoOrganisation("150850135135", "Stadt Halberstadt", "gemeinde", "Stadt", "150850000000", 450),
    DemoOrganisation("150855051000", "Verbandsgemeinde Vorharz", "gemeindeverband", "Verbandsgemeinde",
                     "150850000000", 85, requires_approval=True),
    DemoOrganisation("150855051090", "Gemeinde Ditfurt", "gemeinde", "Gemeinde", "150855051000", 6),
    DemoOrganisation("150855051365", "Stadt Wegeleben", "gemeinde", "Stadt", "150855051000", 12),
    # Rheinland-Pfalz: no Regierungsbezirke any more (the 3 in 07 3 39 is historical).
    DemoOrganisation("073150000000", "Landeshauptstadt Mainz", "kreisfreie_stadt", "Kreisfreie Stadt",
                     "070000000000", 5000),
    DemoOrganisation("073390000000", "Landkreis Mainz-Bingen", "kreis", "Landkreis", "070000000000", 900),
    DemoOrganisation("073395002000", "Verbandsgemeinde Bodenheim", "gemeindeverband", "Verbandsgemeinde",
                     "073390000000", 140),
    DemoOrganisation("073395002006", "Ortsgemeinde Bodenheim", "gemeinde", "Gemeinde", "073395002000", 25),
    # Brandenburg: an Amt with its member Gemeinden.
    DemoOrganisation("120540000000", "Landeshauptstadt Potsdam", "kreisfreie_stadt", "Kreisfreie Stadt",
                     "120000000000", 2700),
    DemoOrganisation("120620000000", "Landkreis Elbe-Elster", "kreis", "Landkreis", "120000000000", 950),
    DemoOrganisation("120625209000", "Amt Schlieben", "gemeindeverband", "Amt", "120620000000", 40),
    DemoOrganisation("120625209289", "Gemeinde Lebusa", "gemeinde", "Gemeinde", "120625209000", 3),
    DemoOrganisation("120625209445", "Stadt Schlieben", "gemeinde", "Stadt", "120625209000", 15),
    # Niedersachsen: the Region Hannover and a Samtgemeinde.
    DemoOrganisation("032410000000", "Region Hannover", "kreis", "Region", "030000000000", 3600),
    DemoOrganisation("032410001001", "Landeshauptstadt Hannover", "gemeinde", "Stadt", "032410000000", 11000),
    DemoOrganisation("032570000000", "Landkreis Schaumburg", "kreis", "Landkreis", "030000000000", 800),
    DemoOrganisation("032575403000", "Samtgemeinde Nenndorf", "gemeindeverband", "Samtgemeinde",
                     "032570000000", 110),
    DemoOrganisation("032575403006", "Stadt Bad Nenndorf", "gemeinde", "Stadt", "032575403000", 20),
)  # fmt: skip

# Other public bodies have no ARS; they are found again by name and parent.
OTHER_BODIES: tuple[DemoOrganisation, ...] = (
    DemoOrganisation(None, "Zweckverband Digitale Verwaltung Harz", "other", "Zweckverband", "150850000000", 24),
)

DEMO_ORGANISATIONS: tuple[DemoOrganisation, ...] = LAENDER + BELOW_LAENDER + OTHER_BODIES


def by_ars(ars: str) -> DemoOrganisation:
    """The demo organisation with this ARS (KeyError when there is none)."""
    for organisation in DEMO_ORGANISATIONS:
        if organisation.ars == ars:
            return organisation
    raise KeyError(ars)
