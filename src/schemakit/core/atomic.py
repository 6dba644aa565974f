"""Atomic writes: a reader sees the old file or the new one, never half of either.

Temporary files and directories are created beside their target (same filesystem, so the
final step is a rename) and given the permissions a plain write would have had: the
target's current mode when it exists, else the default allowed by the umask. Every
``OSError`` becomes an ``OutputError`` that names the target, not the temporary file.

Only regular files are replaced. ``-o`` may name something a rename would destroy: a
symbolic link is followed and its target replaced; a FIFO, a character device (``/dev/null``,
a terminal) or an open descriptor (``/dev/stdout``, ``/dev/fd/3``) is written into as it is;
a block device or a socket is refused rather than turned into a file.
"""

from __future__ import annotations

import errno
import os
import re
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


# /dev/fd/N, /dev/stdout and /proc/self/fd/N name a descriptor this process already holds.
_DESCRIPTOR = re.compile(r"^/(?:dev|proc/self|proc/(\d+))/fd/(\d+)$")
_MAX_LINKS = 40  # as the kernel's ELOOP limit


def _follow(path: Path) -> tuple[Path, int | None]:
    """The path a write through ``path`` lands on, or the open descriptor it names."""
    seen = 0
    while True:
        match = _DESCRIPTOR.match(os.path.abspath(path))
        if match and match.group(1) in (None, str(os.getpid())):
            return path, int(match.group(2))
        if not path.is_symlink():
            return path, None
        seen += 1
        if seen > _MAX_LINKS:
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP))
        link = os.readlink(path)
        if match and not os.path.isabs(link):
            return path, None  # another process's pipe or socket: "pipe:[1234]" is no path
        path = path.parent / link


def _write_stream(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _write_into(path: Path, data: bytes) -> None:
    """Write into a FIFO or character device as a plain ``open(..., "w")`` would."""
    fd = os.open(path, os.O_WRONLY)
    try:
        _write_stream(fd, data)
    finally:
        os.close(fd)


# What a write does to an existing target that is not a regular file, by file type.
_NOT_REPLACED = {
    stat.S_IFIFO: _write_into,
    stat.S_IFCHR: _write_into,
}
_REFUSED = {
    stat.S_IFBLK: "is a block device, not a file",
    stat.S_IFSOCK: "is a socket, not a file",
    stat.S_IFDIR: "is a directory, expected a file path",
}


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path``: atomically for a regular file, straight into a stream."""
    path = Path(path)
    with output_errors(path):
        target, descriptor = _follow(path)
        if descriptor is not None:
            _write_stream(descriptor, data)
            return
        try:
            kind = stat.S_IFMT(os.stat(target).st_mode)
        except FileNotFoundError:
            kind = stat.S_IFREG
        if kind in _REFUSED:
            raise OutputError(f"{_REFUSED[kind]}; nothing written", str(path))
        if kind in _NOT_REPLACED:
            _NOT_REPLACED[kind](target, data)
            return
        _replace_file(target, data)


def _replace_file(path: Path, data: bytes) -> None:
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
