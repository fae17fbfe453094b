#!/usr/bin/env python3
"""Question import: time and peak memory of parsing and importing GIFT files of growing size.

Why: issue 10, finding 8 (a 20 MB GIFT took 139 s and 4.2 GB). The fix bounds an import by
its input: QUESTION_IMPORT_MAX_BYTES (checked before parsing) and QUESTION_IMPORT_MAX_QUESTIONS
(checked before the first write). This script shows that parsing grows linearly with the file, so
the size limit bounds memory, what a file at the limit costs, and that a refused file costs
nothing.

Each measurement runs in a fresh child process (peak RSS is per process), against a throwaway
SQLite database migrated once in a temporary folder. Usage:

    .venv/bin/python bench/question_import.py [--sizes-mb 1 5 20] [--import-questions 2000]

Prints one line per measurement: what, file size, questions, seconds, peak RSS in MB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gift(size: int) -> bytes:
    """Realistic multiple-choice questions with feedback, in twenty categories, up to ``size`` bytes."""
    parts: list[str] = []
    total, n = 0, 0
    while total < size:
        n += 1
        block = (
            f"$CATEGORY: Bench/Teil {n % 20}\n\n"
            f"::Frage {n}::Welche Aussage zur DSGVO trifft zu? Beispieltext {n} mit etwas mehr Inhalt, "
            f"damit die Frage realistisch lang ist.\n{{=Richtig {n} #Gut so.\n~Falsch A {n} #Nein.\n"
            f"~Falsch B {n} #Auch nicht.\n~Falsch C {n}}}\n\n"
        )
        parts.append(block)
        total += len(block.encode())
    return "".join(parts).encode()


def child(mode: str, path: str) -> None:
    import django

    django.setup()
    from django.conf import settings

    from courses.questions.formats import read_questions
    from courses.questions.services import category_create, questions_import
    from lernplattform.core.errors import ApplicationError

    content = Path(path).read_bytes()
    started = time.perf_counter()
    outcome = ""
    if mode == "parse":
        outcome = f"{len(read_questions(content, fmt='gift').questions)} questions"
    else:
        if mode == "import":  # the file at the question limit, whatever its size in bytes
            settings.QUESTION_IMPORT_MAX_BYTES = max(settings.QUESTION_IMPORT_MAX_BYTES, len(content))
        try:
            target = category_create(name=f"Bench {time.time()}")
            report = questions_import(content=content, fmt="gift", category=target)
            outcome = f"{len(report.created)} questions imported"
        except ApplicationError as exc:
            outcome = f"refused ({exc.code})"
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{mode:8} {len(content) / 1048576:6.1f} MB  {outcome:38} {elapsed:7.2f} s  peak RSS {peak:6.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes-mb", type=float, nargs="+", default=[1, 5, 20])
    parser.add_argument("--import-questions", type=int, default=2000, help="questions in the import run")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "lernplattform.settings.base",
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "CELERY_BROKER_URL": "",
        }
        env.pop("QUESTION_IMPORT_MAX_BYTES", None)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        runs: list[tuple[str, Path]] = []
        for size in args.sizes_mb:
            path = Path(tmp) / f"{size}.gift"
            path.write_bytes(gift(int(size * 1048576)))
            runs.append(("parse", path))
            runs.append(("refused", path))
        # The largest file an import may write: QUESTION_IMPORT_MAX_QUESTIONS questions.
        one = len(gift(1))
        path = Path(tmp) / "limit.gift"
        path.write_bytes(gift(one * args.import_questions - 1))
        runs.append(("import", path))
        print(f"{'what':8} {'file':>9}  {'outcome':38} {'time':>9}  peak memory")
        for mode, path in runs:
            subprocess.run(  # noqa: S603 - our own interpreter and script, paths we made
                [sys.executable, str(Path(__file__).resolve()), "--child", mode, str(path)],
                cwd=ROOT,
                env=env,
                check=True,
            )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
