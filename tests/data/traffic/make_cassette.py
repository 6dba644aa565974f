"""Record ``batch-v2-cassette.yaml`` with vcrpy (run by hand; not a test).

    python tests/data/traffic/make_cassette.py

It starts the test server of ``tests/traffic_support.py`` on 127.0.0.1 and records a short,
valid Batch V2 session made with ``requests`` and ``httpx`` (gzip'd bodies are kept as
they arrived, as YAML ``!!binary``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import httpx
import requests
import vcr

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/

from traffic_support import MISSING_ID, PREFIX, TASK_ID, serving  # noqa: E402

REQUEST = json.loads((HERE.parent / "docs" / "request-cdse-geotiff-tiling-grid.json").read_text())


def main() -> None:
    out = HERE / "batch-v2-cassette.yaml"
    out.unlink(missing_ok=True)
    with serving() as base, vcr.use_cassette(str(out), record_mode="all"):
        api = base + PREFIX
        httpx.post(f"{api}/process", json=REQUEST["document"])
        requests.get(f"{api}/process/{TASK_ID}")
        httpx.get(f"{api}/process/{TASK_ID}")
        requests.post(f"{api}/process/{TASK_ID}/start")
        requests.get(f"{api}/process/{MISSING_ID}")
        httpx.get(f"{api}/process", params={"count": 5, "sort": "created:desc"})
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
