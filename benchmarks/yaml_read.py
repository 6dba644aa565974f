"""Reading big YAML API descriptions: schemakit's strict reader against PyYAML, same run.

    python benchmarks/yaml_read.py [--repeat N] [--document github|stripe|docker|kubernetes ...]

The documents are the OpenAPI descriptions the ``openapi-spec-validator`` sdist ships as
benchmark data (GitHub 8.8 MB and Stripe 6 MB of YAML, Docker Engine's Swagger 2.0 YAML,
Kubernetes' 3.8 MB of JSON text in a .yaml file; see ``corpus.py``). Each is read by
``schemakit.load.jsonio.parse_yaml`` (strict rules, YAML 1.2 core schema, built from
libyaml's events) and by the peer ``yaml.load(text, Loader=yaml.CSafeLoader)`` (libyaml
parser, PyYAML's Python composer and constructor, no strict checks). Time is this
process's CPU time, best of ``--repeat``; the ratio is schemakit's time over the peer's
(below 1: faster).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus

from schemakit.load.jsonio import parse_yaml

DOCUMENTS = ("github", "stripe", "docker", "kubernetes")
_PEER_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def best(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        action()
        times.append(time.process_time() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--document", action="append", choices=DOCUMENTS)
    args = parser.parse_args()
    archive = corpus.sdist(*corpus.OPENAPI)
    members = {member.name.rsplit("/", 1)[-1]: member for member in archive.getmembers()}
    print(f"peer: PyYAML {yaml.__version__} with {_PEER_LOADER.__name__}")
    print("| document | MB | schemakit (s) | PyYAML (s) | ratio |")
    print("|---|---|---|---|---|")
    for name in args.document or DOCUMENTS:
        handle = archive.extractfile(members[f"{name}.yaml"])
        assert handle is not None
        text = handle.read().decode("utf-8")
        ours = best(args.repeat, partial(parse_yaml, text, name))
        peer = best(args.repeat, partial(yaml.load, text, Loader=_PEER_LOADER))
        size = len(text.encode()) / 1e6
        print(f"| {name} | {size:.1f} | {ours:.2f} | {peer:.2f} | {ours / peer:.2f} |")


if __name__ == "__main__":
    main()
