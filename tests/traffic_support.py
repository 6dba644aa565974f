"""A small Batch V2 look-alike served on 127.0.0.1 for the traffic tests (stdlib only).

It answers under the documented deployment prefix ``/api/v2/batch`` with documents built
from ``examples/task.json``. Some task ids are answered wrongly on purpose, so the tests can
see the checker catch what a real server could do wrong.
"""

from __future__ import annotations

import copy
import gzip
import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
TASK: dict[str, Any] = json.loads((ROOT / "examples" / "task.json").read_text())
TASK_ID = TASK["id"]
BROKEN_ID = "0b8a8c51-6b37-4f0e-9d7b-3f2d1c0e9a77"  # answered with an invalid task
MISSING_ID = "7d1f3f0e-2c3b-4a5d-8e9f-0a1b2c3d4e5f"  # answered 404
PREFIX = "/api/v2/batch"
_TASK_PATH = re.compile(rf"^{PREFIX}/process/(?P<id>[^/]+)(?P<action>/analyse|/start|/stop)?$")


def error(status: int, code: str, message: str) -> dict[str, Any]:
    return {"error": {"status": status, "reason": "Bad Request", "message": message, "code": code}}


def task_document(task_id: str) -> dict[str, Any]:
    task = copy.deepcopy(TASK)
    task["id"] = task_id
    if task_id == BROKEN_ID:
        task["status"] = "SLEEPING"  # not one of the documented statuses
        task["costPU"] = "a lot"  # not a number
    return task


class BatchHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def _send(self, status: int, body: Any = None, content_type: str = "application/json") -> None:
        data = b"" if body is None else json.dumps(body).encode()
        if body is not None and content_type != "application/json":
            data = str(body).encode()
        gzipped = data and "gzip" in (self.headers.get("Accept-Encoding") or "")
        if gzipped:
            data = gzip.compress(data, mtime=0)
        self.send_response(status)
        if body is not None:
            self.send_header("Content-Type", content_type)
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else b""
        try:
            return json.loads(data) if data else None
        except ValueError:
            return None

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == f"{PREFIX}/process":
            link = f"http://{self.headers['Host']}{PREFIX}/process"
            self._send(200, {"data": [task_document(TASK_ID)], "links": {"@id": link}})
        elif (found := _TASK_PATH.match(path)) and not found["action"]:
            if found["id"] == MISSING_ID:
                self._send(404, error(404, "COMMON_NOT_FOUND", "no such task"))
            else:
                self._send(200, task_document(found["id"]))
        else:
            self._send(404, "not found", "text/plain")

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        body = self._body()
        if path == f"{PREFIX}/process":
            if not isinstance(body, dict) or "processRequest" not in body:
                self._send(400, error(400, "COMMON_BAD_PAYLOAD", "processRequest is missing"))
                return
            task = task_document(TASK_ID)
            task["request"] = body
            self._send(201, task)
        elif (found := _TASK_PATH.match(path)) and found["action"]:
            self._send(204)
        else:
            self._send(404, "not found", "text/plain")

    def do_PUT(self) -> None:
        found = _TASK_PATH.match(urlsplit(self.path).path)
        body = self._body()
        if not found or found["action"]:
            self._send(404, "not found", "text/plain")
        elif not isinstance(body, dict):
            self._send(400, error(400, "COMMON_BAD_PAYLOAD", "expected a JSON object"))
        else:
            request = copy.deepcopy(TASK["request"])
            request.update(body)
            self._send(200, request)


@contextmanager
def serving() -> Iterator[str]:
    """The base URL (``http://127.0.0.1:PORT``) of a fresh server, stopped afterwards."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BatchHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
