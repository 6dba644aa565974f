"""Record ``batch-v2.har`` with mitmproxy's HAR export (run by hand; not a test).

    python -m venv /tmp/mitm && /tmp/mitm/bin/pip install mitmproxy requests
    /tmp/mitm/bin/python tests/data/traffic/make_har.py

It starts the test server of ``tests/traffic_support.py`` on 127.0.0.1, runs ``mitmdump``
as a proxy in front of it with ``hardump`` set, sends a fixed sequence of requests through
it with ``requests``, and stops the proxy, which writes the HAR file.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/

from traffic_support import BROKEN_ID, MISSING_ID, PREFIX, TASK_ID, serving  # noqa: E402

REQUEST = json.loads((HERE.parent / "docs" / "request-cdse-geotiff-tiling-grid.json").read_text())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def main() -> None:
    out = HERE / "batch-v2.har"
    port = free_port()
    mitmdump = Path(sys.executable).with_name("mitmdump")
    proxy = subprocess.Popen(
        [
            str(mitmdump),
            "--listen-host",
            "127.0.0.1",
            "--listen-port",
            str(port),
            "-q",
            "--set",
            f"hardump={out}",
        ]
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.1)
        proxies = {"http": f"http://127.0.0.1:{port}"}
        with serving() as base, requests.Session() as session:
            session.proxies.update(proxies)
            session.trust_env = False
            api = base + PREFIX
            listing: dict[str, str | int] = {"count": 10, "sort": "created:desc"}
            session.get(f"{api}/process", params=listing)
            session.post(f"{api}/process", json=REQUEST["document"])
            session.get(f"{api}/process/{TASK_ID}")
            session.post(f"{api}/process/{TASK_ID}/analyse")
            session.get(f"{api}/process/{BROKEN_ID}")
            session.get(f"{api}/process/{MISSING_ID}")
            session.get(f"{api}/process", params={"count": "ten"})
            json_type = {"Content-Type": "application/json"}
            session.put(f"{api}/process/{TASK_ID}", data="{", headers=json_type)
    finally:
        proxy.terminate()
        proxy.wait(timeout=30)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
