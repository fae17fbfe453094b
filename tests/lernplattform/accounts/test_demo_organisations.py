"""The demo organisations: true Länder keys and keys consistent with their parents.

Pure Python: runs with ``pytest -p no:django`` too.
"""

from __future__ import annotations

from collections import Counter

import pytest

from lernplattform.accounts.demo_organisations import DEMO_ORGANISATIONS, LAENDER, by_ars
from lernplattform.accounts.gv100ad import directory_entries, parse_records

OFFICIAL_LAENDER = {
    "01": "Schleswig-Holstein", "02": "Hamburg", "03": "Niedersachsen", "04": "Bremen",
    "05": "Nordrhein-Westfalen", "06": "Hessen", "07": "Rheinland-Pfalz", "08": "Baden-Württemberg",
    "09": "Bayern", "10": "Saarland", "11": "Berlin", "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern", "14": "Sachsen", "15": "Sachsen-Anhalt", "16": "Thüringen",
}  # fmt: skip

# How many leading digits identify an organisation of each kind (the rest are zeros).
SIGNIFICANT = {"land": 2, "regierungsbezirk": 3, "kreis": 5, "kreisfreie_stadt": 5, "gemeindeverband": 9}
WITH_ARS = [o for o in DEMO_ORGANISATIONS if o.ars]


def test_all_sixteen_laender_with_their_official_keys():
    assert {o.ars[:2]: o.name for o in LAENDER} == OFFICIAL_LAENDER
    assert all(o.ars.endswith("0" * 10) for o in LAENDER)


def test_keys_are_unique_and_twelve_digits():
    assert all(len(o.ars) == 12 and o.ars.isdigit() for o in WITH_ARS)
    assert not [ars for ars, n in Counter(o.ars for o in WITH_ARS).items() if n > 1]


@pytest.mark.parametrize("organisation", WITH_ARS, ids=lambda o: o.name)
def test_key_has_the_shape_of_its_kind(organisation):
    ars = organisation.ars
    if organisation.kind in SIGNIFICANT:
        digits = SIGNIFICANT[organisation.kind]
        assert ars[digits:] == "0" * (12 - digits)
    if organisation.kind == "regierungsbezirk":
        assert ars[2] != "0"
    if organisation.kind == "gemeindeverband":
        # Real associations are numbered from 5001; 0xxx marks a verbandsfreie Gemeinde.
        assert ars[5] == "5"
    if organisation.kind == "gemeinde":
        assert ars[9:] != "000"


@pytest.mark.parametrize("organisation", [o for o in DEMO_ORGANISATIONS if o.parent_ars], ids=lambda o: o.name)
def test_child_key_lies_within_its_parent(organisation):
    parent = by_ars(organisation.parent_ars)
    if organisation.ars is None:
        assert organisation.kind == "other"
        return
    assert organisation.ars.startswith(parent.ars[: SIGNIFICANT[parent.kind]])
    if organisation.kind == "gemeinde" and parent.kind in {"kreis", "kreisfreie_stadt"}:
        # A verbandsfreie Gemeinde repeats its number in the Gemeindeverband part.
        assert organisation.ars[5:9] == "0" + organisation.ars[9:]


def test_demo_keys_read_back_through_the_gv100ad_rules_give_the_same_parents():
    satzart = {"land": 10, "regierungsbezirk": 20, "kreis": 40, "kreisfreie_stadt": 40, "gemeindeverband": 50,
               "gemeinde": 60}  # fmt: skip
    lines = [
        f"{satzart[o.kind]:02d}20241231{o.ars}{o.name:<50}".ljust(220)
        for o in sorted(WITH_ARS, key=lambda o: (satzart[o.kind], o.ars))
    ]
    entries = directory_entries(parse_records(lines))
    assert {e.ars: e.parent_ars for e in entries} == {o.ars: o.parent_ars for o in WITH_ARS}


def test_there_is_an_other_public_body_with_a_parent_and_every_kind_is_present():
    kinds = {o.kind for o in DEMO_ORGANISATIONS}
    assert kinds == {"land", "regierungsbezirk", "kreis", "kreisfreie_stadt", "gemeindeverband", "gemeinde", "other"}
    labels = {o.kind_label for o in DEMO_ORGANISATIONS if o.kind == "gemeindeverband"}
    assert {"Verbandsgemeinde", "Amt", "Samtgemeinde", "Verwaltungsgemeinschaft"} <= labels
    assert all(o.headcount > 0 for o in DEMO_ORGANISATIONS)
