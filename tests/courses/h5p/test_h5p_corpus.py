"""The H5P corpus: every package the project builds or keeps, uploaded, classified and scored as H5P does.

``corpus.yaml`` lists each package builder (``path::function``), each kept ``.h5p`` file and each demo
source (``*.h5p.md``) with what the upload's validator must say, the main library, whether it reports
scores, and for the statements its player sends the result and attempt count the services record
(written from H5P's rules; the file's header says which). A new builder or file without an entry
fails here, so the corpus grows with every package a test invents.
"""

from __future__ import annotations

import ast
import importlib.util
import io
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from courses.catalog.completion import Completes
from courses.h5p.demo_files import load_activity
from courses.h5p.models import H5PContent, H5PLibrary, H5PResult, H5PStatement
from courses.h5p.package import H5PPackageError
from courses.h5p.selectors import h5p_activity_iri, h5p_actor_for
from courses.h5p.services import h5p_content_import, h5p_statement_record
from tests.factories.pages import h5p_activity_page

ROOT = Path(__file__).resolve().parents[3]
CORPUS: dict[str, dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "corpus.yaml").read_text("utf-8"))
VERBS = {
    name: f"http://adlnet.gov/expapi/verbs/{name}" for name in ("answered", "completed", "experienced", "interacted")
}
BUILD_CALLS = {"build", "build_quiz_package", "build_package"}
# Where package builders live besides tests/: the builder of our own content type.
BUILDER_SOURCES = ["courses/h5p/builder.py"]


def _builds_a_package(function: ast.FunctionDef) -> bool:
    returns = function.returns
    if not (isinstance(returns, ast.Name) and returns.id == "bytes"):
        return False
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            callee = node.func
            name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", None)
            if name in BUILD_CALLS:
                return True
    return False


def _package_sources() -> list[str]:
    """Every package builder and kept package the corpus must list."""
    found = []
    python_files = [*ROOT.joinpath("tests").rglob("*.py"), *(ROOT / path for path in BUILDER_SOURCES)]
    for path in python_files:
        tree = ast.parse(path.read_text("utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("test_") and _builds_a_package(node):
                found.append(f"{path.relative_to(ROOT).as_posix()}::{node.name}")
    for folder in ("tests", "content"):
        for pattern in ("*.h5p", "*.h5p.md"):
            found.extend(p.relative_to(ROOT).as_posix() for p in ROOT.joinpath(folder).rglob(pattern))
    return sorted(found)


def _load_function(key: str) -> Callable[[], bytes]:
    path, name = key.split("::")
    module_name = "h5p_corpus_" + path.replace("/", "_").removesuffix(".py").replace(".", "_")
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(module_name, ROOT / path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    return getattr(module, name)


def _package(key: str, args: list[Any]) -> tuple[bytes, str, int | None]:
    """The package's bytes, its file name and the passing threshold its source sets (if any)."""
    if "::" in key:
        return _load_function(key)(*args), key.rsplit("::", 1)[1] + ".h5p", None
    path = ROOT / key
    if key.endswith(".h5p.md"):
        item = load_activity(path, course_slug=path.parent.name)
        return item.data, item.filename, item.passing_threshold
    return path.read_bytes(), path.name, None


def _statement(page, content, user, spec: dict[str, Any]) -> dict[str, Any]:
    iri = h5p_activity_iri(page=page, content=content)
    data: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Lernende Person", "mbox": "mailto:" + h5p_actor_for(user)["mail"]},
        "verb": {"id": VERBS[spec["verb"]], "display": {"en-US": spec["verb"]}},
        "object": {"id": iri, "objectType": "Activity"},
    }
    if "raw" in spec:
        raw, maximum = spec["raw"], spec["max"]
        data["result"] = {
            "score": {"min": 0, "raw": raw, "max": maximum, "scaled": raw / maximum},
            "completion": True,
            "success": raw == maximum,
        }
    if spec.get("sub"):
        data["object"]["id"] = f"{iri}?subContentId={spec.get('sub_id', 'frage')}"
        data["context"] = {"contextActivities": {"parent": [{"id": iri}]}}
    return data


def test_every_package_the_project_builds_or_keeps_is_in_the_corpus():
    assert _package_sources() == sorted(CORPUS)


def test_the_corpus_finds_builders_by_what_they_do():
    source = "def probe() -> bytes:\n    return H5PPackageBuilder().build()\n\ndef other() -> bytes:\n    return b''\n"
    functions = [node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef)]

    assert [_builds_a_package(f) for f in functions] == [True, False]


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(CORPUS))
def test_corpus_package(key, learner):
    entry = CORPUS[key]
    data, filename, threshold = _package(key, entry.get("args", []))

    if entry["validator"] != "accepted":
        with pytest.raises(H5PPackageError) as error:
            h5p_content_import(file=io.BytesIO(data), filename=filename)
        assert error.value.code == entry["validator"], error.value.message
        assert not H5PContent.objects.exists() and not H5PLibrary.objects.exists()
        return

    content = h5p_content_import(file=io.BytesIO(data), filename=filename)
    main = content.main_library
    assert f"{main.machine_name} {main.major_version}.{main.minor_version}" == entry["main_library"]
    assert content.reports_scores is entry["reports_scores"]
    threshold = entry.get("passing_threshold", threshold if threshold is not None else 50)
    page = h5p_activity_page(content=content, passing_threshold=threshold)
    condition = page.completion_condition()
    if entry["reports_scores"]:
        assert condition.completes == Completes.ON_PASS and condition.pass_percent == Decimal(threshold)
    else:
        assert condition.completes == Completes.ON_VIEW

    for spec in entry["statements"]:
        h5p_statement_record(
            user=learner, page=page, content=content, statement=_statement(page, content, learner, spec)
        )

    assert H5PStatement.objects.filter(page=page).count() == len(entry["statements"])
    result = H5PResult.objects.filter(user=learner, page=page, content=content).first()
    expected = entry["result"]
    if expected is None:
        assert result is None
        return
    assert result is not None
    assert (result.score, result.max_score) == (Decimal(str(expected["score"])), Decimal(str(expected["max_score"])))
    assert result.score / result.max_score == Decimal(str(expected["scaled"]))
    assert (result.passed, result.attempts) == (expected["passed"], expected["attempts"])
