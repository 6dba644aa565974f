"""Generators for every string ``format`` schemakit asserts, built valid (never filtered).

Each strategy produces strings that ``schemakit.core.formats.FORMAT_CHECKER`` accepts, and looks
like what an API would carry (URLs with real-looking hosts and paths, timestamps in this
century, ...). The numeric OpenAPI formats (``int32``, ``float``, ...) are bounds, folded into
the numeric keywords by the normaliser, so they do not appear here.
"""

from __future__ import annotations

import base64
import datetime as dt
import string
import uuid

from hypothesis import strategies as st

from ..core.pointer import escape
from .choices import number, packed

_LOWER_DIGITS = string.ascii_lowercase + string.digits
# Lowercase letters valid in internationalised labels (IDNA 2008 PVALID), plus a few scripts.
_IDN_LETTERS = "àáâäçèéêëìíîïñòóôöùúûüýÿßøåæœ" + "αβγδεζηθ" + "абвгдежз" + "日本語中文例"
_UNICODE_TEXT = "äöüéñçøåłžšßαβγжщ日本語中文"


def _joined(parts: st.SearchStrategy[list[str]], sep: str = "") -> st.SearchStrategy[str]:
    return parts.map(sep.join)


def _label(alphabet: str = _LOWER_DIGITS, max_size: int = 12) -> st.SearchStrategy[str]:
    """A DNS label: letters/digits with inner hyphens."""
    edge = st.sampled_from(alphabet)
    middle = st.text(alphabet=alphabet + "-", max_size=max_size)
    return st.builds(lambda a, m, b: a + m + b, edge, middle, edge) | edge


_TLD = st.sampled_from(["com", "org", "net", "io", "eu", "de", "si", "example", "test"])

hostnames = st.builds(
    lambda labels, tld: ".".join([*labels, tld]), st.lists(_label(), min_size=1, max_size=3), _TLD
)
idn_hostnames = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_label(_IDN_LETTERS + _LOWER_DIGITS[:10], 8), min_size=1, max_size=2),
    _TLD,
)

_LOCAL = _joined(st.lists(_label(_LOWER_DIGITS + "_+", 6), min_size=1, max_size=2), ".")
emails = st.builds(lambda local, host: f"{local}@{host}", _LOCAL, hostnames)
idn_emails = st.builds(
    lambda local, host: f"{local}@{host}",
    st.text(alphabet=_UNICODE_TEXT + _LOWER_DIGITS, min_size=1, max_size=12),
    idn_hostnames,
)

_OFFSETS = ("Z", "Z", "Z", "+01:00", "+02:00", "-05:00", "+05:30", "-08:00", "+09:00", "+12:45")
_FRACTIONS = ("", "", ".000", ".5", ".123", ".123456")
# A timestamp is one uniform choice of a few bytes, split into its parts: cheap to draw,
# spread over the whole range, and it shrinks to 1970-01-01T00:00:00Z.
_STYLES = [(f, z) for z in _OFFSETS for f in _FRACTIONS]


def _split(value: int, *sizes: int) -> list[int]:
    parts = []
    for size in sizes:
        value, part = divmod(value, size)
        parts.append(part)
    return parts


def _date(years: int, day: int) -> str:
    return (dt.date(1970 + years, 1, 1) + dt.timedelta(days=day)).isoformat()


def _clock(hours: int, seconds: int, style: int) -> str:
    fraction, offset = _STYLES[style]
    return f"{hours:02d}:{seconds // 60:02d}:{seconds % 60:02d}{fraction}{offset}"


def _decode_date(raw: bytes, draw: st.DrawFn) -> str:
    return _date(*_split(number(raw), 130, 365))


def _decode_time(raw: bytes, draw: st.DrawFn) -> str:
    return _clock(*_split(number(raw), 24, 3600, len(_STYLES)))


def _decode_date_time(raw: bytes, draw: st.DrawFn) -> str:
    years, day, hours, seconds, style = _split(number(raw), 130, 365, 24, 3600, len(_STYLES))
    return f"{_date(years, day)}T{_clock(hours, seconds, style)}"


def _decode_uuid(raw: bytes, draw: st.DrawFn) -> str:
    return str(uuid.UUID(bytes=raw))


dates = packed(3, _decode_date)
times = packed(3, _decode_time)
date_times = packed(6, _decode_date_time)
uuids = packed(16, _decode_uuid)


def _duration(parts: tuple[int | None, ...]) -> str:
    years, months, days, hours, minutes, seconds = parts
    text = "P" + "".join(
        f"{v}{u}" for v, u in zip((years, months, days), "YMD", strict=True) if v is not None
    )
    clock = "".join(
        f"{v}{u}" for v, u in zip((hours, minutes, seconds), "HMS", strict=True) if v is not None
    )
    if clock:
        text += "T" + clock
    return text if len(text) > 1 else "P0D"


_amount = st.none() | st.integers(0, 99)
durations = st.one_of(
    st.tuples(_amount, _amount, _amount, _amount, _amount, _amount).map(_duration),
    st.integers(1, 52).map(lambda w: f"P{w}W"),
)

ipv4s = st.ip_addresses(v=4).map(str)
ipv6s = st.ip_addresses(v=6).map(str)

_SEGMENT_CHARS = _LOWER_DIGITS + "-._~"
_segment = st.text(alphabet=_SEGMENT_CHARS, min_size=1, max_size=12)
_path = _joined(st.lists(_segment, max_size=4).map(lambda parts: ["", *parts]), "/")
_query = st.one_of(
    st.just(""),
    _joined(
        st.lists(st.builds(lambda k, v: f"{k}={v}", _segment, _segment), min_size=1, max_size=3),
        "&",
    ).map(lambda q: "?" + q),
)
_fragment = st.one_of(st.just(""), _segment.map(lambda f: "#" + f))


def _url(scheme: str, host: str, path: str, query: str, fragment: str) -> str:
    return f"{scheme}://{host}{path}{query}{fragment}"


_buckets = st.builds(lambda a, b: a + b, st.sampled_from(["data", "eo", "my", "sh"]), _label())
_web = st.builds(
    _url, st.sampled_from(["https", "http", "ftp"]), hostnames, _path, _query, _fragment
)
_buckets_urls = st.builds(
    lambda scheme, bucket, path: f"{scheme}://{bucket}{path}",
    st.sampled_from(["s3", "gs"]),
    _buckets,
    _path,
)
_urns = st.builds(
    lambda nid, nss: f"urn:{nid}:{nss}", st.sampled_from(["isbn", "example"]), _segment
)
uris = st.one_of(_web, _buckets_urls, _urns)
_relative = st.one_of(
    st.just(""),
    st.builds(lambda p, q, f: (p or "/") + q + f, _path, _query, _fragment),
    _segment.map(lambda s: f"{s}/index.html"),
    _segment.map(lambda s: f"../{s}"),
    _segment.map(lambda f: "#" + f),
)
uri_references = uris | _relative

_iri_segment = st.text(alphabet=_SEGMENT_CHARS + _UNICODE_TEXT, min_size=1, max_size=12)
_iri_path = _joined(st.lists(_iri_segment, max_size=4).map(lambda parts: ["", *parts]), "/")
iris = st.builds(
    _url,
    st.sampled_from(["https", "http"]),
    hostnames | idn_hostnames,
    _iri_path,
    _query,
    _fragment,
)
iri_references = iris | _iri_path.map(lambda p: p or "/")

_VARS = st.text(alphabet=string.ascii_lowercase + "_", min_size=1, max_size=8)
_expression = st.builds(
    lambda op, names: "{" + op + ",".join(names) + "}",
    st.sampled_from(["", "+", "#", ".", "/", ";", "?", "&"]),
    st.lists(_VARS, min_size=1, max_size=3),
)
uri_templates = st.builds(
    lambda base, parts: base + "".join(parts),
    st.builds(_url, st.just("https"), hostnames, _path, st.just(""), st.just("")),
    st.lists(st.one_of(_expression, _segment.map(lambda s: "/" + s)), max_size=3),
)

_token = st.text(alphabet=string.ascii_letters + string.digits + "~/_-", max_size=8).map(escape)
json_pointers = _joined(st.lists(_token.map(lambda t: "/" + t), max_size=4))
relative_json_pointers = st.builds(
    lambda n, rest: f"{n}{rest}", st.integers(0, 20), st.just("#") | json_pointers
)

_ATOMS = [
    r"[a-z]+",
    r"\d{2,4}",
    r"[A-Z][a-z]*",
    r"\w+",
    r"(foo|bar)",
    r"\s*",
    r"[0-9a-f]{8}",
    r".+",
]
regexes = st.builds(
    lambda start, atoms, end: start + "".join(atoms) + end,
    st.sampled_from(["", "^"]),
    st.lists(st.sampled_from(_ATOMS), min_size=1, max_size=4),
    st.sampled_from(["", "$"]),
)
bytes_base64 = st.binary(max_size=48).map(lambda b: base64.b64encode(b).decode("ascii"))

STRING_FORMATS: dict[str, st.SearchStrategy[str]] = {
    "date-time": date_times,
    "date": dates,
    "time": times,
    "duration": durations,
    "email": emails,
    "idn-email": idn_emails,
    "hostname": hostnames,
    "idn-hostname": idn_hostnames,
    "ipv4": ipv4s,
    "ipv6": ipv6s,
    "uri": uris,
    "uri-reference": uri_references,
    "iri": iris,
    "iri-reference": iri_references,
    "uri-template": uri_templates,
    "uuid": uuids,
    "regex": regexes,
    "json-pointer": json_pointers,
    "relative-json-pointer": relative_json_pointers,
    "byte": bytes_base64,
}
