"""Start-up cost: ``schemakit validate`` of one small document against check-jsonschema
on the same document and schema, measured in the same run (wall time of the whole
command, interpreter start included).

Method
------
Two cases, each a fresh process per run:

- ``task``: ``examples/task.json`` against ``BatchV2ProcessTask``. schemakit loads the
  bundled set (about 70 files, corrections, load-time checks); check-jsonschema gets the
  bundle of that schema as one file (``schemakit bundle``), which is less work for it.
- ``small``: a two-property document against a one-file schema, the same file for both.

The commands alternate so that a busy machine slows all alike; the median of N runs is
kept. Both run from this interpreter's environment (check-jsonschema is in the ``bench``
extra). Here ``jsonschema`` has its ``format-nongpl`` extra, whose ``rfc3987-syntax``
builds a grammar on import (seconds): schemakit defers it (``core/_lazy_imports``),
check-jsonschema does not, but its own install does not have that package at all. So
check-jsonschema is also timed with that package hidden (as in its own install), and the
headline ratio, schemakit / check-jsonschema, is against that faster time (below 1:
schemakit starts faster). ``--imports`` also prints the slowest imports
of ``schemakit.cli`` (``python -X importtime``), to find what to defer.

Run: ``python benchmarks/startup.py [--runs N] [--imports]``
"""

from __future__ import annotations

import argparse
import compileall
import json
import shutil
import site
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

SMALL_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["id", "created"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "created": {"type": "string", "format": "date-time"},
    },
    "additionalProperties": False,
}
SMALL_DOCUMENT = {"id": "5ef87410-307e-4171-9fea-b4d4e638964e", "created": "2024-02-29T10:00:00Z"}


def command(name: str) -> str:
    found = BIN / name
    if found.exists():
        return str(found)
    on_path = shutil.which(name)
    if on_path is None:
        sys.exit(f"{name} is not installed: pip install -e '.[bench]'")
    return on_path


def cases(folder: Path) -> dict[str, tuple[list[str], list[str], list[str]]]:
    schemakit, check = command("schemakit"), command("check-jsonschema")
    bundle = folder / "task.schema.json"
    subprocess.run([schemakit, "bundle", "BatchV2ProcessTask", "-o", str(bundle)], check=True)
    small_schema, small_document = folder / "small.json", folder / "doc.json"
    small_schema.write_text(json.dumps(SMALL_SCHEMA))
    small_document.write_text(json.dumps(SMALL_DOCUMENT))
    task = str(ROOT / "examples" / "task.json")
    runs = {
        "task": (
            [schemakit, "validate", "-s", "BatchV2ProcessTask", task],
            ["--schemafile", str(bundle), task],
        ),
        "small": (
            [
                schemakit,
                "validate",
                "-s",
                "small",
                "--schemas",
                str(small_schema),
                str(small_document),
            ],
            ["--schemafile", str(small_schema), str(small_document)],
        ),
    }
    return {
        name: (ours, [check, *theirs], [sys.executable, "-c", _WITHOUT_RFC3987, *theirs])
        for name, (ours, theirs) in runs.items()
    }


# check-jsonschema as its own install has it: jsonschema without rfc3987-syntax
_WITHOUT_RFC3987 = (
    "import sys; sys.modules['rfc3987_syntax'] = None; "
    "from check_jsonschema import main; sys.argv[0] = 'check-jsonschema'; main()"
)


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stdout}{done.stderr}")
    return elapsed


def slowest_imports(count: int = 15) -> list[tuple[int, str]]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import schemakit.cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].strip()))
    return sorted(rows, reverse=True)[:count]


def compile_bytecode() -> None:
    """Byte-code for both tools, as a regular install has: with PYTHONDONTWRITEBYTECODE
    set (as on some CI machines) or an editable install, every run would otherwise compile
    every module it imports, and the tool with more modules would pay more for it."""
    for folder in {*site.getsitepackages(), str(ROOT / "src"), str(ROOT / "generated")}:
        compileall.compile_dir(folder, quiet=2, workers=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--imports", action="store_true")
    args = parser.parse_args()
    compile_bytecode()
    with tempfile.TemporaryDirectory() as scratch:
        for name, commands in cases(Path(scratch)).items():
            for argv in commands:  # warm the file cache and byte-code
                timed(argv)
            times: list[list[float]] = [[], [], []]
            for _ in range(args.runs):
                for column, argv in zip(times, commands, strict=True):
                    column.append(timed(argv))
            ours, theirs, lean = (statistics.median(column) for column in times)
            print(
                f"{name:6} schemakit {ours:.3f} s   check-jsonschema {theirs:.3f} s "
                f"({lean:.3f} s without rfc3987-syntax)   ratio {ours / lean:.2f}  "
                f"(median of {args.runs})"
            )
    if args.imports:
        print("slowest imports of schemakit.cli (cumulative microseconds):")
        for micros, module in slowest_imports():
            print(f"  {micros:>9}  {module}")


if __name__ == "__main__":
    main()
