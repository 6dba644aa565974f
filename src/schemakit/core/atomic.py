"""Atomic writes: a reader sees the old file or the new one, never half of either.

Temporary files and directories are created beside their target (same filesystem, so the
final step is a rename) and given the permissions a plain write would have had: the
target's current mode when it exists, else the default allowed by the umask. Every
``OSError`` becomes an ``OutputError`` that names the target, not the temporary file.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import OutputError


@contextmanager
def output_errors(target: Path) -> Iterator[None]:
    """Turn any ``OSError`` inside the block into an ``OutputError`` naming ``target``."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot write: {reason}", str(target)) from None


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _mode_for(target: Path, default: int) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return default & ~_umask()


def write_text(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` via a temporary file in the same folder and a rename."""
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    with output_errors(path):
        if path.is_dir():
            raise OutputError("is a directory, expected a file path", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = _mode_for(path, 0o666)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def replace_directory(target: Path, staged: Path) -> None:
    """Swap the fully written directory ``staged`` into place at ``target``.

    The old directory is renamed aside first and removed only after the new one is in
    place, so an interruption leaves either the old or the new tree at ``target``.
    """
    target = Path(target)
    with output_errors(target):
        if target.exists() and not target.is_dir():
            raise OutputError("exists and is not a directory", str(target))
        aside = target.with_name(f".{target.name}.old")
        if aside.exists():
            shutil.rmtree(aside)
        if target.exists():
            os.chmod(staged, stat.S_IMODE(target.stat().st_mode))
            os.replace(target, aside)
        try:
            os.replace(staged, target)
        except BaseException:
            if aside.exists() and not target.exists():
                os.replace(aside, target)
            raise
        if aside.exists():
            shutil.rmtree(aside)


def staging_directory(target: Path) -> Path:
    """A fresh empty directory beside ``target`` (same filesystem, so the swap is a rename)."""
    target = Path(target)
    with output_errors(target):
        if target.exists() and not target.is_dir():
            raise OutputError("exists and is not a directory", str(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".new", dir=target.parent))
        os.chmod(staged, 0o777 & ~_umask())
        return staged
