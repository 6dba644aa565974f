"""``-o`` onto things that are not plain files: symlinks, FIFOs, devices, open descriptors.

A rename would replace them with a regular file; each must keep being what it was.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from schemakit.cli import main


def bundle_to(capsys: pytest.CaptureFixture[str], target: str) -> tuple[int, str]:
    code = main(["bundle", "TimeRange", "-o", target])
    return code, capsys.readouterr().err


def expected_text(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["bundle", "TimeRange"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("relative", [True, False])
def test_a_symlink_is_written_through_to_its_target(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, relative: bool
) -> None:
    real = tmp_path / "real" / "real.json"
    real.parent.mkdir()
    real.write_text("old")
    real.chmod(0o640)
    link = tmp_path / "link.json"
    link.symlink_to(Path("real") / "real.json" if relative else real)
    assert bundle_to(capsys, str(link)) == (0, "")
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text() == expected_text(capsys)
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.json"]


def test_a_fifo_is_written_into_not_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so the writer can open
    try:
        assert bundle_to(capsys, str(fifo)) == (0, "")
        received = os.read(reader, 1 << 16).decode()
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received) == json.loads(expected_text(capsys))


@pytest.mark.parametrize("form", ["/dev/fd/{}", "/proc/self/fd/{}"])
def test_an_open_descriptor_is_written_into(capsys: pytest.CaptureFixture[str], form: str) -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as pipe:
        try:
            assert bundle_to(capsys, form.format(write_end)) == (0, "")
        finally:
            os.close(write_end)
        received = pipe.read().decode()
    assert received == expected_text(capsys)


def test_a_descriptor_open_for_appending_is_appended_to(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    log = tmp_path / "log.txt"
    log.write_text("before\n")
    fd = os.open(log, os.O_WRONLY | os.O_APPEND)
    try:
        assert bundle_to(capsys, f"/dev/fd/{fd}") == (0, "")
    finally:
        os.close(fd)
    assert log.read_text() == "before\n" + expected_text(capsys)


def _device(path: Path, kind: int, major: int, minor: int) -> None:
    try:
        os.mknod(path, kind | 0o666, os.makedev(major, minor))
    except PermissionError:
        pytest.skip("creating device nodes needs privileges")


def test_a_character_device_is_written_into_not_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    null = tmp_path / "null"
    _device(null, stat.S_IFCHR, 1, 3)  # the same device as /dev/null
    assert bundle_to(capsys, str(null)) == (0, "")
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert os.major(null.lstat().st_rdev) == 1


def test_a_block_device_is_refused_and_kept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    disk = tmp_path / "disk"
    _device(disk, stat.S_IFBLK, 7, 0)
    code, err = bundle_to(capsys, str(disk))
    assert code == 2
    assert err == f"schemakit: error: {disk}: is a block device, not a file; nothing written\n"
    assert stat.S_ISBLK(disk.lstat().st_mode)


def test_looping_symlinks_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    loop = tmp_path / "loop.json"
    loop.symlink_to(loop)
    code, err = bundle_to(capsys, str(loop))
    assert code == 2 and err.count("\n") == 1 and str(loop) in err
    assert loop.is_symlink()
