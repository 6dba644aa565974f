"""Safety: remote refs only when allowed, no file refs out of the set, no ReDoS, input
limits as clear errors, atomic writes."""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

import schemakit
from schemakit.cli import main
from schemakit.core import atomic
from schemakit.core.errors import (
    RemoteRefError,
    SchemaLoadError,
    SourceError,
    UnresolvableRefError,
)
from schemakit.core.regex import DetailedValidator, search
from schemakit.load import jsonio
from schemakit.load.remote import Fetcher

# -- remote $refs ---------------------------------------------------------------


@dataclass
class Route:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    delay: float = 0.0
    send_length: bool = True
    raw: bool = False  # send the body as the whole reply, no status line or headers


class SchemaServer:
    """An HTTP server on 127.0.0.1 that counts the requests it gets."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.hits.append(self.path)
                route = server.routes.get(self.path, Route(b"not found", status=404))
                time.sleep(route.delay)
                if route.raw:
                    self.wfile.write(route.body)
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up (limit, timeout)
                    self.wfile.write(route.body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def json(self, path: str, value: Any, **options: Any) -> str:
        self.routes[path] = Route(json.dumps(value).encode(), **options)
        return self.url + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[SchemaServer]:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path / "cache"))
    running = SchemaServer()
    yield running
    running.close()


def _schema_dir(tmp_path: Path, ref: str) -> Path:
    folder = tmp_path / "schemas"
    folder.mkdir(exist_ok=True)
    schema = {"type": "object", "properties": {"size": {"$ref": ref}}}
    (folder / "Order.json").write_text(json.dumps(schema))
    return folder


def test_remote_refs_are_not_fetched_by_default(
    server: SchemaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.json("/size.json", {"type": "integer", "minimum": 1})
    folder = _schema_dir(tmp_path, url)
    with pytest.raises(RemoteRefError) as caught:
        schemakit.load(folder)
    assert "--allow-remote" in str(caught.value) and url in str(caught.value)
    for command in (["list"], ["show", "Order"], ["bundle", "Order"]):
        assert main([*command, "--schemas", str(folder)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "--allow-remote" in err, err
    code = main(["validate", "-s", "Order", "--schemas", str(folder), str(folder / "Order.json")])
    assert code == 2 and "--allow-remote" in capsys.readouterr().err
    assert server.hits == []


def test_allowed_remote_refs_are_fetched_once_cached_and_kept_in_the_set(
    server: SchemaServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.json("/size.json", {"$defs": {"unit": {"$ref": "unit.json"}}, "type": "integer"})
    server.json("/unit.json", {"enum": ["px", "cm"]})
    folder = _schema_dir(tmp_path, url + "#")
    assert main(["list", "--schemas", str(folder), "--allow-remote"]) == 0
    listed = capsys.readouterr().out.split()
    assert listed == ["Order", server.url + "/size.json", server.url + "/unit.json"]
    assert sorted(server.hits) == ["/size.json", "/unit.json"]

    schema_set = schemakit.load(folder, allow_remote=True)  # served from the cache
    assert len(server.hits) == 2
    cached = list((tmp_path / "cache" / "remote").glob("*.json"))
    assert len(cached) == 2
    server.close()  # everything below works offline
    bundle = schema_set.bundle("Order")
    refs = re.findall(r'"\$ref": "([^"]*)"', json.dumps(bundle))
    assert refs and all(ref.startswith("#/$defs/") for ref in refs)  # no remote ref left
    validator = schema_set.validator("Order")
    assert validator.is_valid({"size": 3}) and not validator.is_valid({"size": "3"})
    import pickle

    assert pickle.loads(pickle.dumps(schema_set)).validator("Order").is_valid({"size": 1})


def test_remote_limits(server: SchemaServer, tmp_path: Path) -> None:
    big = {"enum": ["x" * 1000] * 200}  # ~200 kB
    cases = {
        "/big.json": (Route(json.dumps(big).encode()), "larger than the 10000-byte limit"),
        "/big-unsized.json": (
            Route(json.dumps(big).encode(), send_length=False),
            "larger than the 10000-byte limit",
        ),
        "/slow.json": (Route(b"{}", delay=30.0), "timed out"),
        "/missing.json": (Route(b"", status=404), "HTTP 404"),
        "/garbage.json": (Route(b"GARBAGE\r\n\r\n", raw=True), "cannot fetch: GARBAGE"),
        "/text.json": (Route(b"<html>hello</html>"), "not a JSON or YAML document"),
        "/to-file.json": (
            Route(b"", status=302, headers={"Location": "file:///etc/passwd"}),
            "Redirection to url 'file:///etc/passwd' is not allowed",
        ),
        "/to-ftp.json": (
            Route(b"", status=302, headers={"Location": "ftp://127.0.0.1/x.json"}),
            "redirected to ftp://127.0.0.1/x.json, which is not http(s)",
        ),
    }
    # A timeout with room for a loaded CI machine; the slow route sleeps far beyond it.
    fetcher = Fetcher(timeout=3.0, max_bytes=10_000, cache_dir=tmp_path / "c")
    for path, (route, message) in cases.items():
        server.routes[path] = route
        folder = _schema_dir(tmp_path, server.url + path)
        with pytest.raises(RemoteRefError) as caught:
            schemakit.load(folder, allow_remote=True, fetcher=fetcher)
        assert message in str(caught.value), (path, str(caught.value))
        assert "Order.json#/properties/size/$ref" in str(caught.value)
    assert not list((tmp_path / "c").glob("**/*.json"))  # failures are not cached


# -- file refs cannot leave the schema directory ---------------------------------


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("../../etc/passwd", "no schema file 'etc/passwd' in the set"),
        ("../outside.json", "no schema file 'outside.json' in the set"),
        ("file:///etc/passwd", "file:///etc/passwd is outside the schema set"),
        ("/etc/passwd#/x", "no schema file 'etc/passwd' in the set"),
    ],
)
def test_file_refs_cannot_escape_the_schema_root(tmp_path: Path, ref: str, message: str) -> None:
    (tmp_path / "outside.json").write_text('{"type": "string"}')
    folder = _schema_dir(tmp_path, ref)
    with pytest.raises(UnresolvableRefError) as caught:
        schemakit.load(folder)
    assert message in str(caught.value)
    assert str(caught.value).count("\n") == 0


def test_symlinks_out_of_the_schema_root_are_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Secret.json").write_text('{"type": "string"}')
    folder = _schema_dir(tmp_path, "Secret.json")
    (folder / "Secret.json").symlink_to(outside / "Secret.json")
    with pytest.raises(SchemaLoadError, match="symbolic link points outside"):
        schemakit.load(folder)
    (folder / "Secret.json").unlink()
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnresolvableRefError):  # files behind a linked folder are not read
        schemakit.load(folder)


# -- regular expressions ---------------------------------------------------------

REDOS = ["^(a+)+$", "(x+x+)+y", "^(\\w+\\s?)*$", "^(a|a)*$", "^(?=a)(a+)+$"]
EVIL = ["a" * 40 + "!", "x" * 40, "a " * 30 + "!", "a" * 5000 + "!"]

_REDOS_SCRIPT = """
import json, sys
from schemakit.validate.validator import Validator
from schemakit.core.regex import DetailedValidator
patterns, strings = json.load(sys.stdin)
verdicts = []
for pattern in patterns:
    schema = {
        "type": "object",
        "required": ["missing"],  # every document is invalid: the detailed pass runs
        "properties": {"s": {"pattern": pattern}, "n": {"propertyNames": {"pattern": pattern}}},
        "patternProperties": {pattern: {"type": "integer"}},
        "additionalProperties": False,
        "$defs": {"u": {"unevaluatedProperties": False, "patternProperties": {pattern: True}}},
        "allOf": [{"$ref": "#/$defs/u"}],
    }
    validator = Validator(schema)
    for text in strings:
        document = {"s": text, "n": {text: 1}, text: "x"}
        issues = validator.errors(document)
        detailed = sorted(e.validator for e in DetailedValidator(schema).iter_errors(document))
        verdicts.append([pattern, text[:8], sorted({i.rule for i in issues}), detailed])
print(json.dumps(verdicts))
"""


def test_catastrophic_patterns_do_not_hang_validation() -> None:
    # A hang guard, not a timing assertion: Python's re needs years for these.
    done = subprocess.run(
        [sys.executable, "-c", _REDOS_SCRIPT],
        input=json.dumps([REDOS, EVIL]),
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    verdicts = json.loads(done.stdout)
    assert len(verdicts) == len(REDOS) * len(EVIL)
    matching = ("^(\\w+\\s?)*$", "xxxxxxxx")  # the one pair where the pattern matches
    for pattern, text, rules, detailed in verdicts:
        assert "required" in rules and "required" in detailed
        assert ("pattern" in rules) == ((pattern, text) != matching), (pattern, text)
        assert ("pattern" in detailed) == ((pattern, text) != matching), (pattern, text)
        assert ("additionalProperties" in detailed) == ((pattern, text) != matching)


_SAFE_PATTERNS = st.sampled_from(["^a", "b$", "^[a-c]+$", "x|y", "^$", "[0-9]{2}", "^ab?c"])
_KEYS = st.text(alphabet="abcxy09", max_size=5)
_VALUES = st.one_of(st.integers(-3, 3), st.text(alphabet="abcxy09", max_size=5), st.none())


@st.composite
def _regex_schemas(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {}
    if draw(st.booleans()):
        schema["patternProperties"] = draw(
            st.dictionaries(_SAFE_PATTERNS, st.sampled_from([True, False, {"type": "integer"}]))
        )
    if draw(st.booleans()):
        schema["properties"] = {draw(_KEYS): {"pattern": draw(_SAFE_PATTERNS)}}
    keyword = draw(st.sampled_from(["additionalProperties", "unevaluatedProperties", None]))
    if keyword:
        schema[keyword] = draw(st.sampled_from([False, {"type": "string"}]))
    if draw(st.booleans()):
        schema = {"allOf": [schema], "unevaluatedProperties": draw(st.booleans())}
    return schema


@settings(max_examples=150, deadline=None)
@given(_regex_schemas(), st.dictionaries(_KEYS, _VALUES, max_size=4))
def test_safe_regex_keywords_agree_with_jsonschema(schema: dict[str, Any], doc: Any) -> None:
    # ours show patterns as written (the pattern /^a/), jsonschema as literals ('^a')
    ours = sorted(
        re.sub(r"(the pattern )?/([^/]*)/", r"'\2'", e.message)
        for e in DetailedValidator(schema).iter_errors(doc)
    )
    theirs = sorted(e.message for e in Draft202012Validator(schema).iter_errors(doc))
    assert ours == theirs


def test_search_is_ecma_like_and_bounded() -> None:
    assert search("^a+$", "aaa") and not search("^a+$", "aab")
    assert search("(?<=a)b", "ab") and not search("(?<=a)b", "cb")  # lookbehind: fancy engine
    assert not search("^(a+)+$", "a" * 50_000 + "!")


# -- input limits ---------------------------------------------------------------

_SCHEMA = {"type": "object", "properties": {"a": {"type": ["integer", "string", "array"]}}}


def _bomb() -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in "bcdefgh":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


INPUTS: list[tuple[str, bytes, str]] = [
    ("nan.json", b'{"a": NaN}', "NaN is not valid JSON"),
    ("inf.json", b'{"a": -Infinity}', "-Infinity is not valid JSON"),
    ("overflow.json", b'{"a": 1e400}', "1e400 is not valid JSON"),
    ("bigint.json", b'{"a": ' + b"9" * 5000 + b"}", "Exceeds the limit"),
    ("duplicate.json", b'{"a": 1, "a": 2}', "duplicate object key 'a'"),
    ("utf8.json", b'{"a": "\xff"}', "not valid UTF-8 (byte 0xff)"),
    ("utf16.json", '{"a": 1}'.encode("utf-16"), "not valid UTF-8"),
    ("surrogate.json", b'{"a": "\\ud800"}', "lone surrogate \\ud800"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nesting deeper than"),
    ("deep.yaml", b"a: " + b"[" * 5000 + b"]" * 5000, "nesting deeper than"),
    ("bomb.yaml", _bomb().encode(), "YAML aliases expand to more than"),
    ("loop.yaml", b"a: &x [*x]", "recursive YAML alias"),
    ("nan.yaml", b"a: .nan", ".nan is not valid JSON"),
    ("binary.yaml", b"a: !!binary aGVsbG8=", "has no JSON equivalent"),
    ("key.yaml", b"? [a]\n: 1", "mapping key must be a scalar"),
    ("lines.jsonl", b'{"a": 1}\n{"a": NaN}\n', "lines.jsonl:2:7: NaN is not valid JSON"),
    ("empty.json", b"", "file is empty"),
]


def _validate(folder: Path, name: str) -> int:
    return main(["validate", "-s", "s", "--schemas", str(folder / "s.json"), str(folder / name)])


@pytest.mark.parametrize(("name", "data", "message"), INPUTS, ids=[i[0] for i in INPUTS])
def test_bad_input_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, message: str
) -> None:
    (tmp_path / "s.json").write_text(json.dumps(_SCHEMA))
    (tmp_path / name).write_bytes(data)
    code = main(
        ["validate", "-s", "s", "--schemas", str(tmp_path / "s.json"), str(tmp_path / name)]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert message in err, err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "data", "document"),
    [
        ("bom.json", b'\xef\xbb\xbf{"a": 1}', {"a": 1}),
        ("date.yaml", b"a: 2024-01-31", {"a": "2024-01-31"}),
        ("crlf.jsonl", b'{"a": 1}\r\n{"a": 2}\r\n', {"a": 2}),
        ("big-string.json", b'{"a": "' + b"x" * 5_000_000 + b'"}', {"a": "x" * 5_000_000}),
    ],
)
def test_documented_choices_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes, document: Any
) -> None:
    (tmp_path / "s.json").write_text(json.dumps(_SCHEMA))
    (tmp_path / name).write_bytes(data)
    code = main(
        ["validate", "-s", "s", "--schemas", str(tmp_path / "s.json"), str(tmp_path / name)]
    )
    assert code == 0, capsys.readouterr().err
    last = list(jsonio.iter_documents(str(tmp_path / name)))[-1]
    assert last.document == document


# YAML 1.2 core schema (what OpenAPI recommends): each plain scalar as JSON would read it.
CORE_SCHEMA_SCALARS: list[tuple[str, Any]] = [
    ("yes", "yes"),  # YAML 1.1: true (the "Norway problem")
    ("off", "off"),
    ("NO", "NO"),
    ("True", True),
    ("FALSE", False),
    ("12:30:00", "12:30:00"),  # 1.1: 45000 (base 60); a format: time value stays a string
    ("017", 17),  # 1.1: octal 15
    ("0o17", 15),
    ("0x1F", 31),
    ("0b11", "0b11"),  # 1.1 only
    ("1_000", "1_000"),  # 1.1 only
    ("1e5", 100000.0),  # 1.1: the string "1e5"
    ("-1E-3", -0.001),
    (".5", 0.5),
    ("3.", 3.0),
    ("~", None),
    ("Null", None),
    ("2024-01-31", "2024-01-31"),
]


@pytest.mark.parametrize(
    ("plain", "value"), CORE_SCHEMA_SCALARS, ids=[c[0] for c in CORE_SCHEMA_SCALARS]
)
def test_yaml_plain_scalars_follow_the_core_schema(plain: str, value: Any) -> None:
    document = jsonio.parse_yaml(f"a: {plain}\nb: [{plain}]\n", "x.yaml")
    assert document == {"a": value, "b": [value]}
    assert type(document["a"]) is type(value)


def test_yaml_merge_keys_merge_and_own_keys_win() -> None:
    text = (
        "base: &base {type: string, maxLength: 9}\n"
        "more: &more {maxLength: 1, pattern: x, format: y}\n"
        "name: {<<: *base, maxLength: 3}\n"
        "both:\n  <<: [*base, *more]\n  format: z\n"
    )
    document = jsonio.parse_yaml(text, "x.yaml")
    assert document["name"] == {"type": "string", "maxLength": 3}
    # earlier merged mappings win over later ones, the mapping's own keys over both
    assert document["both"] == {"type": "string", "maxLength": 9, "pattern": "x", "format": "z"}
    assert document["base"] == {"type": "string", "maxLength": 9}  # the anchor is unchanged


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("responses:\n  200: {description: OK}\n", {"responses": {"200": {"description": "OK"}}}),
        ("true: 1\n~: 2\n1.5: 3\n0x1F: 4\n", {"true": 1, "null": 2, "1.5": 3, "31": 4}),
        ('"<<": 1\n', {"<<": 1}),  # quoted: an ordinary key
    ],
)
def test_yaml_mapping_keys_are_json_strings(text: str, document: Any) -> None:
    assert jsonio.parse_yaml(text, "x.yaml") == document


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: *nowhere\n", "x.yaml:1:4: alias *nowhere names no anchor before it"),
        ("<<: 5\n", "x.yaml:1:5: a merge key (<<) takes a mapping or a list of them"),
        ("a: !Ref b\n", "x.yaml:1:4: YAML tag !Ref has no JSON equivalent"),
        ("a: !!bool maybe\n", "x.yaml:1:4: 'maybe' is not a bool"),
        ("? [a]\n: 1\n", "x.yaml:1:3: mapping key must be a scalar"),
        ("a: &x [1]\n? *x\n: 2\n", "x.yaml:2:3: mapping key must be a scalar"),
        ("a: 1\n---\nb: 2\n", "x.yaml:2:1: invalid YAML: a second document ('---')"),
        ("a: " + "[" * 512 + "]" * 512, "x.yaml:1:515: nesting deeper than 512 levels"),
        # an alias brings its depth along
        (
            "a: &d " + "[" * 300 + "]" * 300 + "\nb: " + "[" * 300 + "*d" + "]" * 300,
            "x.yaml:2:304: nesting deeper than 512",
        ),
    ],
)
def test_yaml_errors_name_the_place(text: str, message: str) -> None:
    with pytest.raises(SourceError) as caught:
        jsonio.parse_yaml(text, "x.yaml")
    assert str(caught.value).startswith(message), str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1, 2.5, "x", null, true], "b": {"c": 1e5}}',
        '\ufeff  [{"openapi": "3.0.3"}]\n',
        "{a: 1, b: [yes, 017]}",  # flow-style YAML, not JSON: read as YAML
    ],
)
def test_json_text_in_a_yaml_file_reads_as_json(text: str) -> None:
    from schemakit.load.yamlio import parse_yaml_document

    assert jsonio.parse_yaml(text, "x.yaml") == parse_yaml_document(text.lstrip("\ufeff"), "x")


def test_json_text_in_a_yaml_file_keeps_the_strict_rules() -> None:
    with pytest.raises(SourceError, match="duplicate"):
        jsonio.parse_yaml('{"a": 1, "a": 2}', "x.yaml")


def test_huge_files_are_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonio, "MAX_DOCUMENT_BYTES", 1000)
    (tmp_path / "big.json").write_text(json.dumps({"a": "x" * 2000}))
    [record] = jsonio.iter_documents(str(tmp_path / "big.json"))
    assert record.error is not None and "larger than 1000 bytes" in str(record.error)


def test_huge_schema_strings_are_fine_for_the_validator() -> None:
    validator = schemakit.Validator({"type": "string", "maxLength": 3})
    [issue] = validator.errors("y" * 1_000_000)
    assert issue.rule == "maxLength" and len(issue.message) < 200  # the value is shortened


# -- atomic writes ------------------------------------------------------------------


def _failing_replace(fail_on_call: int) -> Any:
    real = os.replace
    calls = 0

    def replace(source: Any, target: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == fail_on_call:
            raise OSError("simulated crash during rename")
        real(source, target)

    return replace


def test_interrupted_bundle_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out" / "task.json"
    assert main(["bundle", "BatchV2ProcessTask", "-o", str(out)]) == 0
    out.write_text("old contents")
    monkeypatch.setattr(os, "replace", _failing_replace(1))
    assert main(["bundle", "BatchV2ProcessTask", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{out}: cannot write: simulated crash" in err and err.count("\n") == 1
    assert out.read_text() == "old contents"
    assert [p.name for p in out.parent.iterdir()] == ["task.json"]  # no temporary left over


def test_interrupted_directory_swap_keeps_the_old_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "pkg"
    target.mkdir()
    (target / "old.py").write_text("old = True\n")
    for failing_call in (1, 2):  # before the old tree moves aside, and after
        staged = atomic.staging_directory(target)
        (staged / "new.py").write_text("new = True\n")
        monkeypatch.setattr(os, "replace", _failing_replace(failing_call))
        with pytest.raises(schemakit.OutputError, match="simulated crash"):
            atomic.replace_directory(target, staged)
        monkeypatch.undo()
        assert [p.name for p in target.iterdir()] == ["old.py"]
    atomic.replace_directory(target, staged)
    assert [p.name for p in target.iterdir()] == ["new.py"]


def test_interrupted_remote_cache_write_leaves_no_entry(
    server: SchemaServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _schema_dir(tmp_path, server.json("/size.json", {"type": "integer"}))
    monkeypatch.setattr(os, "replace", _failing_replace(1))
    with pytest.raises(schemakit.OutputError, match="simulated crash"):
        schemakit.load(folder, allow_remote=True)
    monkeypatch.undo()
    assert not list((tmp_path / "cache").glob("**/*.json"))
    assert not list((tmp_path / "cache").glob("**/*.tmp"))


def test_every_writer_goes_through_atomic() -> None:
    """An audit that fails when a module writes files without ``schemakit.core.atomic``."""
    source = Path(schemakit.__file__).parent
    offenders = []
    for path in sorted(source.rglob("*.py")):
        if path.name == "atomic.py":
            continue
        text = path.read_text()
        for needle in (".write_text(", ".write_bytes(", 'open("w', "open('w", '"wb")', '"w")'):
            for line in text.splitlines():
                if needle in line and "atomic." not in line and "staged" not in line:
                    offenders.append(f"{path.relative_to(source)}: {line.strip()}")
    assert offenders == [], textwrap.indent("\n".join(offenders), "  ")


def test_every_command_that_loads_schemas_takes_allow_remote() -> None:
    import typer

    from schemakit.cli import app

    group: Any = typer.main.get_command(app)
    loaders = {
        name: {option for param in command.params for option in param.opts}
        for name, command in group.commands.items()
        if any("--schemas" in param.opts for param in command.params)
    }
    assert {"validate", "list", "bundle"} <= set(loaders)
    assert [name for name, options in loaders.items() if "--allow-remote" not in options] == []


def test_yaml_reads_the_same_without_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """PyYAML built without libyaml parses in Python: same events, same documents."""
    import yaml

    from schemakit.load import yamlio

    text = "b: &x {c: 1, e: 3}\na: {<<: *x, c: 2}\nl: [1, '2', yes, 1e5, ~, 12:30:00]\n200: z\n"
    with_libyaml = yamlio.parse_yaml_document(text, "x.yaml")
    monkeypatch.setattr(yamlio, "_EventLoader", yaml.BaseLoader)
    assert yamlio.parse_yaml_document(text, "x.yaml") == with_libyaml
    with pytest.raises(SourceError, match=r"^x\.yaml:2:1: invalid YAML: a second document"):
        yamlio.parse_yaml_document("a: 1\n---\nb: 2\n", "x.yaml")
