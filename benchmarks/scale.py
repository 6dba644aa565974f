"""Throughput and memory of ``schemakit validate --jobs N`` on a big JSON Lines file.

Generates (once, cached beside the output) a JSONL file of ``--documents`` task documents
made by varying ``examples/task.json`` (1% invalid), then runs the real CLI
``schemakit validate -q -j N -s BatchV2ProcessTask`` for N in 1, 2 and the core count,
and prints documents/second, the speed-up over ``--jobs 1`` measured in the same run,
the CPU time used, and peak memory: the largest single process (getrusage) and the
whole process tree (sampled with psutil, when installed). A smaller file run at the top
``--jobs`` shows that memory does not grow with the input.

    python benchmarks/scale.py                      # 1,000,000 documents (~2 GB)
    python benchmarks/scale.py --documents 100000   # a quick look
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = "BatchV2ProcessTask"
STATUSES = ["CREATED", "ANALYSING", "ANALYSIS_DONE", "PROCESSING", "DONE", "FAILED", "STOPPED"]


def generate(path: Path, count: int) -> None:
    """``count`` task lines: id, status, timestamps and bbox vary; every 100th is invalid."""
    task = json.loads((ROOT / "examples" / "task.json").read_text())
    template = copy.deepcopy(task)
    template["id"] = "@ID@"
    template["status"] = "@STATUS@"
    text = json.dumps(template, separators=(",", ":"))
    id_field, status_field = '"@ID@"', '"@STATUS@"'
    started = time.perf_counter()
    temporary = path.with_suffix(".partial")
    with temporary.open("w", encoding="utf-8") as out:
        for i in range(count):
            status = "NOT_A_STATUS" if i % 100 == 99 else STATUSES[i % len(STATUSES)]
            line = text.replace(id_field, f'"{uuid.UUID(int=i + 1, version=4)}"', 1)
            out.write(line.replace(status_field, f'"{status}"', 1) + "\n")
    os.replace(temporary, path)
    size = path.stat().st_size / 2**20
    print(
        f"generated {count:,} documents ({size:,.0f} MiB) in {time.perf_counter() - started:.1f}s"
    )


def dataset(folder: Path, count: int) -> Path:
    path = folder / f"tasks-{count}.jsonl"
    if not path.exists():
        generate(path, count)
    return path


@dataclass
class Run:
    jobs: int
    documents: int
    seconds: float
    cpu: float  # user + system seconds of all processes
    peak_process_mib: float  # largest single process
    peak_tree_mib: float | None  # main + workers together, sampled


def _tree_rss(pid: int) -> float | None:
    try:
        import psutil
    except ImportError:
        return None
    try:
        process = psutil.Process(pid)
        processes = [process, *process.children(recursive=True)]
        return sum(p.memory_info().rss for p in processes) / 2**20
    except psutil.Error:
        return None


def measure(path: Path, documents: int, jobs: int) -> Run:
    command = [sys.executable, "-m", "schemakit.cli", "validate", "-q", "-j", str(jobs)]
    command += ["-s", SCHEMA, str(path)]
    # Run through a wrapper so RUSAGE_CHILDREN covers exactly this run's process tree.
    wrapper = (
        "import resource, subprocess, sys, json\n"
        "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps([code, usage.ru_utime + usage.ru_stime, usage.ru_maxrss]))\n"
    )
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", wrapper, *command], stdout=subprocess.PIPE)
    peak: list[float] = []

    def sample() -> None:
        while process.poll() is None:
            rss = _tree_rss(process.pid)
            if rss is not None:
                peak.append(rss)
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    seconds = time.perf_counter() - started
    sampler.join()
    code, cpu, maxrss_kib = json.loads(out)
    if code not in (0, 1):
        raise SystemExit(f"schemakit exited with {code}")
    return Run(jobs, documents, seconds, cpu, maxrss_kib / 1024, max(peak) if peak else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, nargs="*", help="default: 1, 2 and the core count")
    parser.add_argument("--data", type=Path, help="folder for the generated files (kept)")
    args = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    jobs_list = args.jobs or sorted({1, 2, cores or 1})
    folder = args.data or Path(tempfile.gettempdir()) / "schemakit-bench"
    folder.mkdir(parents=True, exist_ok=True)
    big = dataset(folder, args.documents)
    small_count = max(args.documents // 10, 1)
    small = dataset(folder, small_count)

    runs = [measure(big, args.documents, jobs) for jobs in jobs_list]
    control = measure(small, small_count, max(jobs_list))
    base = runs[0]
    print(f"\n{cores} cores; {args.documents:,} documents, {big.stat().st_size / 2**20:,.0f} MiB\n")
    header = (
        f"{'documents':>10} {'jobs':>4} {'seconds':>8} {'docs/s':>9} {'speed-up':>8} "
        f"{'cpu s':>7} {'docs/cpu-s':>10} {'peak proc MiB':>13} {'peak tree MiB':>13}"
    )
    print(header)
    print("-" * len(header))
    for run in [*runs, control]:
        rate = run.documents / run.seconds
        speedup = rate / (base.documents / base.seconds)
        tree = f"{run.peak_tree_mib:13.0f}" if run.peak_tree_mib is not None else f"{'n/a':>13}"
        print(
            f"{run.documents:>10,} {run.jobs:>4} {run.seconds:8.1f} {rate:9,.0f} "
            f"{speedup:7.2f}x {run.cpu:7.1f} {run.documents / run.cpu:10,.0f} "
            f"{run.peak_process_mib:13.0f} {tree}"
        )
    print(
        "\nspeed-up: documents/second relative to --jobs 1 in this run; the last row is a"
        " file 10x smaller at the top --jobs, to compare peak memory. docs/cpu-s counts the"
        " CPU time of all processes: its drop from --jobs 1 is the cost of the workers."
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load > 0.5:
        print(f"note: load average {load:.1f} at the end; other processes share the cores")


if __name__ == "__main__":
    main()
