"""Remote ``$ref`` targets (http/https): fetched only when allowed, then kept in the set.

By default schemakit never touches the network: a remote ``$ref`` fails the load with a
``RemoteRefError`` that says to pass ``--allow-remote``. With ``allow_remote=True``
every remote document the set refers to (and those *they* refer to) is fetched once
(by ``schemakit.load.external``), before the set is checked, with a timeout, a size
limit and an on-disk cache, and becomes a resource of the set: bundles, validators and
pickled copies then work offline.

Cache: ``$SCHEMAKIT_CACHE_DIR/remote/<sha256 of the URI>.json``, default
``~/.cache/schemakit`` (or ``$XDG_CACHE_HOME/schemakit``). Entries never expire;
delete the folder to refetch.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..core import atomic
from ..core.errors import SchemakitError
from ..core.schemaset import SYNTHETIC_BASE
from .jsonio import decode_utf8, parse_json, parse_yaml

REMOTE_SCHEMES = ("http", "https")
DEFAULT_TIMEOUT = 10.0  # seconds per network operation, and twice that in all
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_REMOTE_DOCUMENTS = 100  # a set that pulls in more is more likely a crawl than a schema set
_CHUNK = 64 * 1024
_ACCEPT = "application/schema+json, application/json, application/yaml;q=0.9, */*;q=0.1"


def default_cache_dir() -> Path:
    configured = os.environ.get("SCHEMAKIT_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "schemakit"


def is_remote(uri: str) -> bool:
    return urlsplit(uri).scheme in REMOTE_SCHEMES and not uri.startswith(SYNTHETIC_BASE)


class _FetchFailed(Exception):
    """Why one download failed; turned into a RemoteRefError naming the $ref."""


def _opener() -> Any:
    # Only HTTP(S) handlers: no file:, ftp: or data: URLs, whatever a server redirects to.
    # (urllib is imported here: loading the HTTP stack costs every run that fetches nothing)
    import urllib.request

    class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(
            self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
        ) -> Any:
            if not is_remote(newurl):  # urllib would also follow a redirect to ftp:
                raise _FetchFailed(f"redirected to {newurl}, which is not http(s)")
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


@dataclass(frozen=True)
class Fetcher:
    """Downloads remote schema documents within limits, through a disk cache."""

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    cache_dir: Path | None = None  # None: default_cache_dir() at fetch time
    use_cache: bool = True
    user_agent: str = field(default="schemakit (+remote $ref retrieval)")

    def cache_path(self, uri: str) -> Path:
        root = self.cache_dir if self.cache_dir is not None else default_cache_dir()
        return root / "remote" / (hashlib.sha256(uri.encode("utf-8")).hexdigest() + ".json")

    def fetch(self, uri: str) -> Any:
        """The parsed document at ``uri`` (no fragment); raises ``_FetchFailed``."""
        cached = self.cache_path(uri)
        if self.use_cache and cached.is_file():
            try:
                return json.loads(cached.read_text(encoding="utf-8"))["document"]
            except (OSError, ValueError, KeyError, TypeError):
                pass  # a damaged cache entry is refetched
        data, content_type = self._download(uri)
        try:
            document = _parse(data, uri, content_type)
        except SchemakitError as exc:
            raise _FetchFailed(f"not a JSON or YAML document ({exc})") from None
        if self.use_cache:
            entry = {"uri": uri, "fetched": int(time.time()), "document": document}
            atomic.write_text(cached, json.dumps(entry, ensure_ascii=False) + "\n")
        return document

    def _download(self, uri: str) -> tuple[bytes, str]:
        import http.client
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            uri, headers={"Accept": _ACCEPT, "User-Agent": self.user_agent}
        )
        deadline = time.monotonic() + 2 * self.timeout
        try:
            with _opener().open(request, timeout=self.timeout) as response:
                declared = response.headers.get("Content-Length")
                if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
                    raise _FetchFailed(f"larger than the {self.max_bytes}-byte limit")
                chunks: list[bytes] = []
                size = 0
                while chunk := response.read(_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise _FetchFailed(f"larger than the {self.max_bytes}-byte limit")
                    if time.monotonic() > deadline:
                        raise _FetchFailed(f"timed out after {2 * self.timeout:g}s")
                    chunks.append(chunk)
                return b"".join(chunks), str(response.headers.get("Content-Type", ""))
        except urllib.error.HTTPError as exc:
            raise _FetchFailed(f"HTTP {exc.code} {exc.reason}") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                raise _FetchFailed(f"timed out after {self.timeout:g}s") from None
            raise _FetchFailed(f"cannot fetch: {reason}") from None
        except TimeoutError:
            raise _FetchFailed(f"timed out after {self.timeout:g}s") from None
        except (OSError, ValueError, http.client.HTTPException) as exc:  # reset, bad reply
            raise _FetchFailed(f"cannot fetch: {exc}") from None


def _parse(data: bytes, uri: str, content_type: str) -> Any:
    text = decode_utf8(data, uri)
    path = urlsplit(uri).path.lower()
    if "yaml" in content_type.lower() or path.endswith((".yaml", ".yml")):
        return parse_yaml(text, uri)
    return parse_json(text, uri)
