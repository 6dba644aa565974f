"""Validation throughput against a bare loop, on one core and on many, measured in one run.

The reference is what a user would write by hand: ``json.loads`` and jsonschema-rs's
``is_valid`` over the lines of the file, in one process, and the same loop run as N
processes on N line-aligned parts of the file (started, then released together). Against
it, the real CLI: ``schemakit validate -q -j 1``, ``-j N``, and ``--items /data`` on the
same documents written as one JSON array. The CLI's start-up (interpreter, imports,
loading the schema set), measured on a one-line file, is subtracted from its runs.

Printed: seconds, documents/second, each run relative to the bare loop, the speed-up of
N processes over one for both (and their quotient), and peak memory per process.

    python benchmarks/scale.py                       # 60,000 documents (~120 MiB)
    python benchmarks/scale.py --documents 200000 --jobs 4 --repeat 3
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from startup import compile_bytecode  # this folder is on sys.path when run as a script

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = "BatchV2ProcessTask"
STATUSES = ["CREATED", "ANALYSING", "ANALYSIS_DONE", "PROCESSING", "DONE", "FAILED", "STOPPED"]


def generate(path: Path, count: int) -> None:
    """``count`` valid task lines (compact JSON): id, status vary."""
    task = json.loads((ROOT / "examples" / "task.json").read_text())
    template = copy.deepcopy(task)
    template["id"], template["status"] = "@ID@", "@STATUS@"
    text = json.dumps(template, separators=(",", ":"))
    temporary = path.with_suffix(".partial")
    with temporary.open("w", encoding="utf-8") as out:
        for i in range(count):
            line = text.replace('"@ID@"', f'"{uuid.UUID(int=i + 1, version=4)}"', 1)
            out.write(line.replace('"@STATUS@"', f'"{STATUSES[i % len(STATUSES)]}"', 1) + "\n")
    os.replace(temporary, path)


def as_array(lines: Path, path: Path) -> None:
    """The same documents as ``{"data": [...]}``, written line by line."""
    temporary = path.with_suffix(".partial")
    with lines.open("rb") as source, temporary.open("wb") as out:
        out.write(b'{"data": [\n')
        for number, line in enumerate(source):
            out.write((b",\n" if number else b"") + line.rstrip(b"\n"))
        out.write(b"\n]}\n")
    os.replace(temporary, path)


def datasets(folder: Path, count: int) -> tuple[Path, Path, Path]:
    lines, array = folder / f"tasks-{count}.jsonl", folder / f"tasks-{count}-array.json"
    if not lines.exists():
        generate(lines, count)
    if not array.exists():
        as_array(lines, array)
    tiny = folder / "one-task.jsonl"
    with lines.open("rb") as source:
        tiny.write_bytes(source.readline())
    return lines, array, tiny


# -- the bare loop, in worker processes --------------------------------------------------

BARE = """
import json, sys, time
import jsonschema_rs, schemakit
path, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
is_valid = jsonschema_rs.validator_for(schemakit.load().bundle(sys.argv[4])).is_valid
print("ready", flush=True)
sys.stdin.readline()
cpu = time.process_time()
valid = 0
with open(path, "rb") as lines:
    lines.seek(start)
    for line in lines:
        valid += is_valid(json.loads(line))
        if lines.tell() >= end:
            break
print(valid, time.process_time() - cpu, flush=True)
"""


def line_aligned_parts(path: Path, parts: int) -> list[tuple[int, int]]:
    size = path.stat().st_size
    cuts = [0]
    with path.open("rb") as stream:
        for k in range(1, parts):
            stream.seek(size * k // parts)
            stream.readline()
            cuts.append(stream.tell())
    cuts.append(size)
    return list(itertools.pairwise(cuts))


def bare(path: Path, processes: int) -> tuple[float, float]:
    """Seconds for ``processes`` bare loops over the parts of ``path``, and their CPU
    seconds (the loops only, not their start-up)."""
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", BARE, str(path), str(start), str(end), SCHEMA],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for start, end in line_aligned_parts(path, processes)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    cpu = 0.0
    for worker in workers:
        out, _ = worker.communicate()
        cpu += float(out.split()[1])
    return time.perf_counter() - started, cpu


# -- the CLI -----------------------------------------------------------------------------

WRAPPER = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(code, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)
"""


def cli(*args: str) -> tuple[float, float, float]:
    """Seconds and CPU seconds of one ``schemakit validate -q`` run (all its processes),
    and the peak MiB of the largest of them."""
    command = [sys.executable, "-m", "schemakit.cli", "validate", "-q", "-s", SCHEMA, *args]
    out = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True
    ).stdout.split()
    code, seconds, cpu, peak_kib = int(out[0]), float(out[1]), float(out[2]), int(out[3])
    if code != 0:
        raise SystemExit(f"schemakit {' '.join(args)} exited with {code}")
    return seconds, cpu, peak_kib / 1024


@dataclass
class Row:
    name: str
    seconds: float
    cpu: float
    peak_mib: float | None = None


def best(runs: list[tuple[float, ...]]) -> tuple[float, ...]:
    """The fastest run's figures (the least disturbed by other processes)."""
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=60_000)
    parser.add_argument("--jobs", type=int, help="N (default: the cores this process may use)")
    parser.add_argument(
        "--repeat", type=int, default=5, help="best of this many runs each (a shared VM is noisy)"
    )
    parser.add_argument("--data", type=Path, help="folder for the generated files (kept)")
    args = parser.parse_args()
    compile_bytecode()  # start-up as an installed package has it (see startup.py)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jobs = args.jobs or cores or 1
    folder = args.data or Path(tempfile.gettempdir()) / "schemakit-bench"
    folder.mkdir(parents=True, exist_ok=True)
    lines, array, tiny = datasets(folder, args.documents)
    repeat = range(args.repeat)

    startup, startup_cpu, _ = best([cli(str(tiny)) for _ in range(3)])
    bare_1, bare_1_cpu = best([bare(lines, 1) for _ in repeat])
    bare_n, bare_n_cpu = best([bare(lines, jobs) for _ in repeat])
    runs = {
        "-j 1": best([cli("-j", "1", str(lines)) for _ in repeat]),
        f"-j {jobs}": best([cli("-j", str(jobs), str(lines)) for _ in repeat]),
        "--items /data": best([cli("--items", "/data", str(array)) for _ in repeat]),
    }
    rows = [
        Row("bare loop, 1 process", bare_1, bare_1_cpu),
        Row(f"bare loop, {jobs} processes", bare_n, bare_n_cpu),
        *(
            Row(f"schemakit validate -q {name}", run[0] - startup, run[1] - startup_cpu, run[2])
            for name, run in runs.items()
        ),
    ]

    size = lines.stat().st_size / 2**20
    print(f"\n{cores} cores; {args.documents:,} valid documents, {size:,.0f} MiB of JSON Lines")
    print(f"schemakit start-up {startup:.2f}s, subtracted from its runs\n")
    header = (
        f"{'run':<38} {'seconds':>8} {'docs/s':>9} {'vs bare 1':>9}"
        f" {'cpu s':>7} {'cpu vs bare':>11} {'peak MiB':>9}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        peak = f"{row.peak_mib:9.0f}" if row.peak_mib is not None else f"{'':>9}"
        text = (
            f"{row.name:<38} {row.seconds:8.2f} {args.documents / row.seconds:9,.0f} "
            f"{row.seconds / bare_1:8.2f}x {row.cpu:7.2f} {row.cpu / bare_1_cpu:10.2f}x {peak}"
        )
        print(text.rstrip())
    bare_speedup = bare_1 / bare_n
    our_speedup = rows[2].seconds / rows[3].seconds
    print(
        f"\none core: -j 1 takes {rows[2].seconds / bare_1:.2f}x the bare loop's time"
        f" ({rows[2].cpu / bare_1_cpu:.2f}x its CPU time; target: at most 1.2x)"
    )
    print(
        f"{jobs} cores: bare loop {bare_speedup:.2f}x faster than on one, -j {jobs}"
        f" {our_speedup:.2f}x faster than -j 1: {our_speedup / bare_speedup:.2f} of the"
        " bare loop's speed-up (target: at least 0.9)"
    )
    print(
        f"--items: {rows[4].seconds / bare_1:.2f}x the bare loop's time, peak"
        f" {rows[4].peak_mib:.0f} MiB for a {array.stat().st_size / 2**20:,.0f} MiB file"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load > 0.5 * (cores or 1):
        print(f"note: load average {load:.1f}; other processes shared the cores")


if __name__ == "__main__":
    main()
