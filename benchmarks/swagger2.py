"""What reading a Swagger 2.0 document costs beside the same API written as OpenAPI 3.0.

    python benchmarks/swagger2.py [--repeat N] [--document docker|kubernetes ...]

The Docker Engine and Kubernetes descriptions (Swagger 2.0, shipped by the
``openapi-spec-validator`` sdist; see ``corpus.py``) are loaded with ``schemakit.load``, and
so is their 3.0 translation (``schemakit.load.swagger2``) written to a file of the same
kind (same suffix, same JSON or YAML text), in the same run. Prints the best time of each,
the ratio, and the time of the translation alone.
"""

from __future__ import annotations

import argparse
import json
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

import schemakit
from schemakit.load.jsonio import load_file
from schemakit.load.swagger2 import translate

DOCUMENTS = ("docker", "kubernetes")


def best(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def extract(archive: tarfile.TarFile, name: str, folder: Path) -> Path:
    member = next(m for m in archive.getmembers() if m.name.endswith(f"/specs/{name}.yaml"))
    extracted = archive.extractfile(member)
    assert extracted is not None
    path = folder / f"{name}.yaml"
    path.write_bytes(extracted.read())
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--document", action="append", choices=DOCUMENTS)
    args = parser.parse_args()
    archive = corpus.sdist(*corpus.OPENAPI)
    print("| document | 2.0 load (s) | 3.0 load (s) | ratio | translation alone (s) |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for name in args.document or DOCUMENTS:
            source = extract(archive, name, folder)
            document = load_file(source)
            translated = translate(document, str(source)).document
            # the same kind of text: Kubernetes' file is JSON text, Docker's is YAML
            as_json = source.read_text().lstrip().startswith("{")
            text = json.dumps(translated) if as_json else yaml.safe_dump(translated)
            same_api = folder / f"{name}-3.0.yaml"
            same_api.write_text(text)
            two = best(args.repeat, lambda s=source: schemakit.load(s))  # type: ignore[misc]
            three = best(args.repeat, lambda s=same_api: schemakit.load(s))  # type: ignore[misc]
            alone = best(args.repeat, lambda d=document: translate(d, "x"))  # type: ignore[misc]
            print(f"| {name} | {two:.2f} | {three:.2f} | {two / three:.2f} | {alone:.3f} |")


if __name__ == "__main__":
    main()
