"""Each app's API is its package `<app>/api/`, included once by lernplattform/api.py (docs/architecture.md)."""

import ast
from pathlib import Path

from django.apps import apps
from django.urls import URLResolver

from lernplattform import api

ROOT = Path(__file__).resolve().parents[2]


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules a file imports (relative imports resolved)."""
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _api_packages() -> list[str]:
    ours = [c for c in apps.get_app_configs() if c.name.startswith(("lernplattform.", "courses."))]
    return sorted(f"{c.name}.api" for c in ours if (Path(c.path) / "api" / "__init__.py").exists())


def test_every_app_api_is_included_once_the_same_way():
    included = [p.urlconf_module.__name__ for p in api.urlpatterns if isinstance(p, URLResolver)]
    assert sorted(included) == [f"{package}.urls" for package in _api_packages()]
    assert all(str(p.pattern) == "" for p in api.urlpatterns if isinstance(p, URLResolver))


def test_no_module_outside_an_api_package_imports_its_views_or_serializers():
    packages = _api_packages()
    assert packages, "no api packages found"
    offenders = []
    for path in sorted([*ROOT.joinpath("courses").rglob("*.py"), *ROOT.joinpath("lernplattform").rglob("*.py")]):
        if "migrations" in path.parts:
            continue
        module = _module(path)
        for package in packages:
            if module == package or module.startswith(f"{package}."):
                continue
            inner = {f"{package}.views", f"{package}.serializers", f"{package}.attempt_views"}
            if any(name == i or name.startswith(f"{i}.") for name in _imports(path) for i in inner):
                offenders.append(f"{module} -> {package}")
    assert offenders == []


def test_no_app_keeps_an_api_module_beside_its_package():
    leftovers = [
        str(path.relative_to(ROOT))
        for path in [*ROOT.joinpath("courses").rglob("api*.py"), *ROOT.joinpath("lernplattform").rglob("api*.py")]
        if path.parent.name != "api" and _module(path) not in {"lernplattform.api", "lernplattform.core.api"}
    ]
    assert leftovers == []
