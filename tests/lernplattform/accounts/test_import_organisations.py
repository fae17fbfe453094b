"""import_organisations FILE: idempotent, all or nothing, German errors with line numbers."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from lernplattform.accounts.models import Organisation
from tests.factories.accounts import OrganisationFactory
from tests.lernplattform.accounts.test_gv100ad import gv_line

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "gv100ad_sample.txt"


def run(path) -> str:
    out = StringIO()
    call_command("import_organisations", str(path), stdout=out)
    return out.getvalue()


def test_sample_file_creates_the_tree_with_parents(db):
    output = run(SAMPLE)

    assert "20 neu" in output
    ditfurt = Organisation.objects.get(ars="150855051090")
    assert ditfurt.kind == Organisation.Kind.GEMEINDE
    assert ditfurt.parent.name == "Vorharz"
    assert ditfurt.parent.kind_label == "Verbandsgemeinde"
    assert ditfurt.parent.parent.ars == "150850000000"
    assert Organisation.objects.get(ars="091620000000").kind == Organisation.Kind.KREISFREIE_STADT
    assert Organisation.objects.get(ars="110000000000").kind == Organisation.Kind.LAND


def test_second_import_changes_nothing_and_keeps_headcounts(db):
    run(SAMPLE)
    Organisation.objects.filter(ars="150850000000").update(headcount=1400, requires_approval=True)

    output = run(SAMPLE)

    assert "0 neu, 0 geändert, 20 unverändert" in output
    assert Organisation.objects.count() == 20
    harz = Organisation.objects.get(ars="150850000000")
    assert (harz.headcount, harz.requires_approval) == (1400, True)


def test_renamed_organisation_is_updated_in_place(db, tmp_path):
    run(SAMPLE)
    pk = Organisation.objects.get(ars="150855051090").pk
    renamed = tmp_path / "gv.txt"
    renamed.write_text(SAMPLE.read_text(encoding="utf-8").replace("Ditfurt ", "Ditfurt-Neu"), encoding="utf-8")

    assert "1 geändert" in run(renamed)
    assert Organisation.objects.get(pk=pk).name == "Ditfurt-Neu"


def test_malformed_line_saves_nothing_and_names_the_line(db, tmp_path):
    bad = tmp_path / "GV100AD_31122024.txt"
    lines = [gv_line(10, "15", "Sachsen-Anhalt"), gv_line(40, "15085", "Harz", code="44"), gv_line(60, "15085x", "X")]
    bad.write_text("\n".join(lines), encoding="utf-8")

    with pytest.raises(CommandError, match=r"GV100AD_31122024\.txt, Zeile 3: .*Es wurde nichts gespeichert"):
        run(bad)
    assert Organisation.objects.count() == 0


def test_partial_file_hangs_below_organisations_already_there(db, tmp_path):
    land = OrganisationFactory(ars="150000000000", name="Sachsen-Anhalt", kind=Organisation.Kind.LAND)
    part = tmp_path / "teil.txt"
    part.write_text(gv_line(40, "15085", "Harz", code="44"), encoding="utf-8")

    run(part)

    assert Organisation.objects.get(ars="150850000000").parent == land


def test_gemeinde_record_of_a_kreisfreie_stadt_does_not_demote_it(db, tmp_path):
    run(SAMPLE)
    part = tmp_path / "teil.txt"
    part.write_text(gv_line(60, "150030000000", "Magdeburg, Landeshauptstadt", code="61"), encoding="utf-8")

    run(part)

    assert Organisation.objects.get(ars="150030000000").kind == Organisation.Kind.KREISFREIE_STADT


def test_unreadable_file_fails_with_german_message(db, tmp_path):
    with pytest.raises(CommandError, match="kann nicht gelesen werden"):
        run(tmp_path / "fehlt.txt")


def test_command_exits_non_zero_on_error(tmp_path):
    import subprocess
    import sys

    bad = tmp_path / "bad.txt"
    bad.write_text("99 kaputt\n", encoding="utf-8")
    root = Path(__file__).resolve().parents[3]
    env = {"PATH": "/usr/bin:/bin", "LERNPLATTFORM_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "manage.py", "import_organisations", str(bad)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "Zeile 1" in done.stderr
