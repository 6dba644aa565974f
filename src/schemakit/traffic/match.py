"""Which operation, declared response and media type an exchange is about.

* URL -> document path: a known server or deployment prefix (``--server URL=PATH``, the
  set's deployments, the document's ``servers``) is replaced by its path prefix; a URL on
  any other origin (a local test server) is matched by its path, with or without a
  server's base path.
* path + method -> operation: concrete paths before templated ones (fewest templated
  segments wins); two equally concrete matches are reported as ambiguous, never guessed.
  A HEAD the document does not declare is the GET's (RFC 9110 9.1: servers answer HEAD
  wherever they answer GET), checked without a body.
* status -> response: exact code, then ``NXX``, then ``default``.
* media type -> content entry: exact, then ``+json`` as ``application/json``, then
  ``type/*``, then ``*/*``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from urllib.parse import urlsplit

from ..core.operations import Deployment, MediaType, Operation, Operations, Response

_TEMPLATE = re.compile(r"\{([^{}/]+)\}")


@dataclass(frozen=True)
class Route:
    operation: Operation
    pattern: re.Pattern[str]
    names: tuple[str, ...]  # path parameter names, in template order
    templated: int  # segments holding a template: the fewer, the more concrete


@dataclass(frozen=True)
class Matched:
    operation: Operation
    path: str  # the document path the URL stands for
    path_values: dict[str, str]  # raw (still percent-encoded) path parameter values


@dataclass(frozen=True)
class Unmatched:
    rule: str  # "unknown-path" | "unknown-method" | "ambiguous-path"
    message: str


@dataclass(frozen=True)
class _Prefix:
    origin: re.Pattern[str] | None  # None: any origin (a relative server URL)
    base: str  # the URL's path prefix, as written ("/{version}")
    path: str  # the document path prefix it stands for
    base_pattern: re.Pattern[str]  # the base (a variable: any one segment), at a segment end


def _template_regex(text: str) -> str:
    parts, last = [], 0
    for found in re.finditer(r"\{[^{}]*\}", text):
        parts.append(re.escape(text[last : found.start()]))
        parts.append("[^/]+")
        last = found.end()
    return "".join(parts) + re.escape(text[last:])


def _prefix(url: str, path: str) -> _Prefix:
    split = urlsplit(url)
    mapped = path.rstrip("/")
    origin = None
    base = url.rstrip("/")
    if split.scheme and split.netloc:
        origin = re.compile(_template_regex(f"{split.scheme}://{split.netloc}").lower() + "$")
        base = split.path.rstrip("/")
    return _Prefix(origin, base, mapped, re.compile(_template_regex(base) + r"(?=/|$)"))


def _route(operation: Operation) -> Route:
    names: list[str] = []
    pattern = ""
    last = 0
    for found in _TEMPLATE.finditer(operation.path):
        pattern += re.escape(operation.path[last : found.start()])
        pattern += f"(?P<p{len(names)}>[^/]+)"
        names.append(found.group(1))
        last = found.end()
    pattern += re.escape(operation.path[last:])
    templated = sum(1 for segment in operation.path.split("/") if "{" in segment)
    return Route(operation, re.compile(pattern), tuple(names), templated)


class Router:
    """Routes for one set of operations, plus the URL prefixes they are served under."""

    def __init__(self, operations: Operations, servers: Sequence[Deployment] = ()) -> None:
        self.routes = tuple(_route(operation) for operation in operations)
        declared: dict[tuple[str, str], None] = {}
        for deployment in (*servers, *operations.deployments):
            declared[(deployment.url, deployment.path)] = None
        for operation in operations:
            declared.update({(url, ""): None for url in operation.servers})
        self.prefixes = tuple(_prefix(url, path) for url, path in declared)

    # -- paths ------------------------------------------------------------------------
    def candidate_paths(self, url: str) -> list[str]:
        """Document paths the URL may stand for, most specific prefix first (none: the URL
        is on a server's origin but under none of its base paths)."""
        split = urlsplit(url)
        raw_path = split.path or "/"
        origin = f"{split.scheme}://{split.netloc}".lower() if split.netloc else None
        known = [
            p for p in self.prefixes if p.origin is not None and origin and p.origin.match(origin)
        ]
        pool: Iterable[_Prefix] = known or self.prefixes
        found: list[tuple[int, str]] = []
        for prefix in pool:
            base = prefix.base_pattern.match(raw_path)
            if base is not None:
                found.append((base.end(), prefix.path + raw_path[base.end() :]))
        if not known:
            found.append((0, raw_path))  # another origin: the path as it is
        found.sort(key=lambda item: -item[0])
        return list(dict.fromkeys(path for _length, path in found))

    def match(self, method: str, url: str) -> Matched | Unmatched:
        method = method.upper()
        candidates = self.candidate_paths(url)
        if not candidates:
            return Unmatched(
                "unknown-path",
                f"{url} is under none of the servers' base paths ({self._bases(url)})",
            )
        methods_seen: dict[str, list[str]] = {}
        for path in candidates:
            hits = [(route, m) for route in self.routes if (m := route.pattern.fullmatch(path))]
            if not hits:
                continue
            with_method = [(r, m) for r, m in hits if r.operation.method == method]
            if not with_method and method == "HEAD":  # served as GET by every HTTP server
                with_method = [(r, m) for r, m in hits if r.operation.method == "GET"]
            if not with_method:
                template = hits[0][0].operation.path
                methods_seen.setdefault(template, sorted({r.operation.method for r, _ in hits}))
                continue
            fewest = min(route.templated for route, _ in with_method)
            best = [(r, m) for r, m in with_method if r.templated == fewest]
            if len(best) > 1:
                templates = " and ".join(r.operation.path for r, _ in best)
                return Unmatched(
                    "ambiguous-path", f"{method} {path} matches {templates} equally well"
                )
            route, found = best[0]
            values = {name: found.group(f"p{i}") for i, name in enumerate(route.names)}
            return Matched(route.operation, path, values)
        if methods_seen:
            path, methods = next(iter(methods_seen.items()))
            return Unmatched(
                "unknown-method",
                f"{method} is not declared for {path} (declared: {', '.join(methods)})",
            )
        tried = f" (tried {', '.join(candidates)})" if len(candidates) > 1 else ""
        return Unmatched(
            "unknown-path",
            f"no operation has the path {candidates[0]}{tried}{self._slash_hint(candidates)}",
        )

    def _slash_hint(self, candidates: list[str]) -> str:
        """Servers often answer a path with or without a trailing slash alike; the document
        declares one of them, so the user is told which (the path is still unmatched)."""
        for path in candidates:
            other = path.rstrip("/") if path.endswith("/") else path + "/"
            for route in self.routes:
                if other != "/" and route.pattern.fullmatch(other):
                    how = "without" if path.endswith("/") else "with"
                    return f"; {route.operation.path} is declared, {how} the trailing slash"
        return ""

    def _bases(self, url: str) -> str:
        split = urlsplit(url)
        origin = f"{split.scheme}://{split.netloc}".lower()
        bases = [p.base or "/" for p in self.prefixes if p.origin and p.origin.match(origin)]
        return ", ".join(dict.fromkeys(bases))


def match_response(operation: Operation, status: int) -> Response | None:
    """The response declared for ``status``: exact, then ``NXX``, then ``default``."""
    for key in (str(status), f"{status // 100}XX", "default"):
        found = operation.response(key)
        if found is not None:
            return found
    return None


def match_media(content: Sequence[MediaType], media_type: str) -> MediaType | None:
    """The content entry for ``media_type``: exact, ``+json``, ``type/*``, ``*/*``."""
    essence = media_type.split(";", 1)[0].strip().lower()
    declared = [(entry.media_type.split(";", 1)[0].strip(), entry) for entry in content]
    suffix_json = essence.endswith("+json")
    checks: tuple[Callable[[str], bool], ...] = (
        lambda d: d == essence,
        lambda d: suffix_json and d == "application/json",
        lambda d: d != "*/*" and fnmatchcase(essence, d),
        lambda d: d == "*/*",
    )
    for check in checks:
        for name, entry in declared:
            if check(name):
                return entry
    return None
