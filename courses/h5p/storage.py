"""Where H5P files live on disk: ``MEDIA_ROOT/h5p/{libraries,content}/``."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings


def h5p_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "h5p"


def libraries_root() -> Path:
    return h5p_root() / "libraries"


def contents_root() -> Path:
    return h5p_root() / "content"


def staging_root() -> Path:
    return h5p_root() / ".staging"


def pending_root() -> Path:
    """Library upgrades waiting for a platform admin; a dot folder, so never served."""
    return h5p_root() / ".pending"


def pending_dir(folder: str) -> Path:
    return pending_root() / folder


def content_dir(content_id: int) -> Path:
    return contents_root() / str(content_id)


def library_dir(folder_name: str) -> Path:
    return libraries_root() / folder_name


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def remove_empty_parents(path: Path, *, stop: Path) -> None:
    """Remove ``path`` and its parents while they are empty, never ``stop`` or above."""
    stop = stop.resolve()
    current = path.resolve()
    while current != stop and stop in current.parents:
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent
