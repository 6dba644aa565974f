"""Exact JSON round trip for generated dataclasses (copied into each generated package).

Every generated model derives from ``DataModel``; ``Model.from_dict(d).to_dict() == d`` for
every document ``d`` the schema accepts:

- JSON names: a field whose JSON name differs from its attribute carries it in
  ``field(metadata={"json": "costPU"})``.
- Absent is not null: an optional field defaults to ``UNSET`` and is left out of
  ``to_dict()``; ``None`` is written as ``null``. Schema defaults live in the field
  metadata (``"default"``) and are applied only on request (``with_defaults()``).
- Unknown keys the schema allows are kept in ``additional_properties``.
- ``date-time``, ``date`` and ``uuid`` strings are written back as they were read (``Z``
  or ``+00:00``, seven fractional digits, upper-case hex). A ``uuid`` loads as a ``UUID``
  subclass that keeps its text. A ``date-time`` field of a model holds a plain ``datetime``
  (the C parser's, cheap to make) and the model keeps the text beside it, under
  ``_json_text:<field>``, written back while the field holds that very value; in a list or
  a union it loads as a ``JsonDateTime`` keeping its text. A ``date`` in ``YYYY-MM-DD``
  (what ``isoformat()`` writes) is a plain ``date``, another spelling a ``JsonDate``.
  A value built in Python is written with ``isoformat()`` / ``str()``.
- Unions pick their branch by a tag (a property every branch fixes to its own constant,
  like ``type``), else by JSON kind, else by trying the branches in order; a document no
  branch fits raises ``DecodeError`` naming the JSON pointer.

How each class loads and dumps is worked out once, from its type hints, on first use:
one generated function per class and direction, and closures built once for the rest.
This module depends on the standard library only.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import re
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, ClassVar, Final, Literal, NoReturn, TypeVar
from uuid import UUID, SafeUUID

__all__ = [
    "UNSET",
    "DataModel",
    "DecodeError",
    "JsonDate",
    "JsonDateTime",
    "JsonDecimal",
    "JsonUUID",
    "Unset",
    "decode",
    "encode",
]

Loader = Callable[[Any], Any]
Dumper = Callable[[Any], Any]
_M = TypeVar("_M", bound="DataModel")


class _UnsetType(enum.Enum):
    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> Literal[False]:
        return False

    def __str__(self) -> str:
        return "UNSET"


UNSET: Final = _UnsetType.UNSET
"""The value of an optional field that is absent from the document (not the same as null)."""
Unset = Literal[_UnsetType.UNSET]


class DecodeError(ValueError):
    """A document does not fit the model; ``pointer`` is where (a JSON pointer)."""

    def __init__(self, message: str, pointer: str = "") -> None:
        self.message = message
        self.pointer = pointer
        super().__init__(message)

    def __str__(self) -> str:
        return f"{self.pointer or '(document root)'}: {self.message}"

    def inside(self, token: str | int) -> DecodeError:
        """The same error seen from the enclosing object or array."""
        escaped = str(token).replace("~", "~0").replace("/", "~1")
        self.pointer = f"/{escaped}{self.pointer}"
        return self


# -- strings that remember their text -----------------------------------------------------

_DATE_TIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?"
    r"(?:([Zz])|([+-])(\d{2}):(\d{2}))",
)
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class JsonDateTime(datetime):
    """A ``datetime`` read from JSON; ``text`` is the string it was read from."""

    text: str | None = None

    def __reduce_ex__(self, protocol: Any) -> Any:
        # datetime defines __reduce_ex__ itself, so that is what copy and pickle call
        if self.text is not None:
            return (_load_datetime_text, (self.text,))
        return super().__reduce_ex__(protocol)


class JsonDate(date):
    """A ``date`` read from JSON; ``text`` is the string it was read from."""

    text: str | None = None

    def __reduce_ex__(self, protocol: Any) -> Any:
        # datetime defines __reduce_ex__ itself, so that is what copy and pickle call
        if self.text is not None:
            return (_load_date_text, (self.text,))
        return super().__reduce_ex__(protocol)


class JsonUUID(UUID):
    """A ``UUID`` read from JSON; ``text`` is the string it was read from (any case)."""

    __slots__ = ("text",)
    text: str

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (_load_uuid, (self.text,))


_set_uuid_text = vars(JsonUUID)["text"].__set__


def _kind(value: Any) -> str:
    return _KIND_NAMES.get(type(value), type(value).__name__)


_KIND_NAMES = {
    dict: "object",
    list: "array",
    str: "string",
    int: "integer",
    float: "number",
    bool: "boolean",
    type(None): "null",
}


def _need_string(value: Any, what: str) -> str:
    if type(value) is not str:
        raise DecodeError(f"expected a {what} string, got {_kind(value)}")
    return value


def _read_datetime(value: Any) -> datetime:
    """A date-time field of a model. The common shapes load as a plain ``datetime`` read by
    the C parser (3.11+; about three times faster than making a subclass), and the model
    keeps the text beside it; other spellings load as a ``JsonDateTime`` keeping its own."""
    if type(value) is str and _common_date_time(value) is not None:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass  # 3.10 reads no "Z"; a date that does not exist: the strict path says why
    return _load_datetime_text(value)


def _load_datetime(value: Any) -> JsonDateTime:
    """A date-time in a list, a union or an alias: a ``JsonDateTime`` that keeps its text."""
    parsed = _read_datetime(value)
    if isinstance(parsed, JsonDateTime):
        return parsed
    kept = JsonDateTime.fromisoformat(value)  # a common shape (the C parser read it)
    kept.text = value
    return kept


# The shapes most documents use (T, Z or +HH:MM, ASCII digits): a subset of _DATE_TIME that
# fromisoformat reads exactly (it reads more, so it is no check by itself).
_common_date_time = re.compile(
    r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)", re.ASCII
).fullmatch


def _load_datetime_text(value: Any) -> JsonDateTime:
    text = _need_string(value, "date-time")
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise DecodeError(f"{text!r} is not an RFC 3339 date-time")
    try:
        # The C parser, where it reads RFC 3339 (Python 3.11: "Z", any fraction length).
        fast = JsonDateTime.fromisoformat(text)
    except ValueError:
        pass  # a leap second, or an older Python: the fields below
    else:
        fast.text = text
        return fast
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        if zulu:
            zone = timezone.utc
        else:  # an offset of 24 hours or more is refused here
            offset = timedelta(hours=int(off_h), minutes=int(off_m))
            zone = timezone(-offset if sign == "-" else offset)
        # A leap second (:60) has no datetime; the text keeps it, the value stops at :59.
        parsed = JsonDateTime(
            int(year), int(month), int(day), int(hour), int(minute),
            min(int(second), 59), micro, zone,
        )  # fmt: skip
    except ValueError as exc:
        raise DecodeError(f"{text!r} is not a valid date-time: {exc}") from None
    parsed.text = text
    return parsed


def _load_date(value: Any) -> date:
    # YYYY-MM-DD in ASCII digits is what isoformat() writes back: a plain date.
    if type(value) is str and len(value) == 10 and value[4:8:3] == "--":
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass  # the strict parser below says why
    return _load_date_text(value)


def _load_date_text(value: Any) -> JsonDate:
    text = _need_string(value, "date")
    match = _DATE.fullmatch(text)
    try:
        if match is None:
            raise ValueError("expected YYYY-MM-DD")
        parsed = JsonDate(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise DecodeError(f"{text!r} is not a valid date: {exc}") from None
    parsed.text = text
    return parsed


# UUID.__init__ parses in Python and its __setattr__ forbids writes: the slots are set
# through their descriptors, and SafeUUID.unknown is looked up once (enum access is slow).
_set_uuid_int = vars(UUID)["int"].__set__
_set_uuid_safe = vars(UUID)["is_safe"].__set__
_UUID_SAFE = SafeUUID.unknown


def _load_uuid(value: Any) -> JsonUUID:
    # 8-4-4-4-12 hex digits: the dashes by one slice, the digits by bytes.fromhex, which
    # takes nothing but hex and spaces (a space leaves fewer than 16 bytes). int(x, 16)
    # would also take "0x", "+" and "_".
    if type(value) is str and len(value) == 36 and value[8:24:5] == "----":
        try:
            raw = bytes.fromhex(value.replace("-", ""))
        except ValueError:
            raw = b""
        if len(raw) == 16:
            parsed = object.__new__(JsonUUID)
            _set_uuid_int(parsed, int.from_bytes(raw, "big"))
            _set_uuid_safe(parsed, _UUID_SAFE)
            _set_uuid_text(parsed, value)
            return parsed
    text = _need_string(value, "uuid")
    raise DecodeError(f"{text!r} is not a UUID")


def _dump_datetime(value: datetime) -> str:
    text = getattr(value, "text", None)
    return text if text is not None else value.isoformat()


def _dump_uuid(value: UUID) -> str:
    text = getattr(value, "text", None)
    return text if text is not None else str(value)


class JsonDecimal(Decimal):
    """A ``Decimal`` read from a JSON number; ``number`` is that number (``3`` or ``0.1``)."""

    number: int | float | None = None

    def __reduce__(self) -> Any:
        if self.number is not None:
            return (_load_decimal, (self.number,))
        return (Decimal, (str(self),))


def _load_decimal(value: Any) -> JsonDecimal:
    kind = type(value)
    if kind is not int and kind is not float:
        raise DecodeError(f"expected number, got {_kind(value)}")
    # repr() is the shortest text that reads back as the same float: 0.1 stays 0.1.
    parsed = JsonDecimal(repr(value))
    parsed.number = value
    return parsed


def _dump_decimal(value: Decimal) -> int | float:
    number = getattr(value, "number", None)
    if number is not None:
        return number  # type: ignore[no-any-return]
    return int(value) if value == value.to_integral_value() else float(value)


# -- plain JSON values ---------------------------------------------------------------------


def _copy_json(value: Any) -> Any:
    """A copy that shares no dict or list with ``value`` (so models never alias input)."""
    kind = type(value)
    if kind is dict:
        return {key: _copy_json(item) for key, item in value.items()}
    if kind is list:
        return [_copy_json(item) for item in value]
    return value


# JSON kinds each plain type accepts; bool is not an integer here, an integer is a number.
_PRIMITIVES: dict[Any, frozenset[type]] = {
    str: frozenset({str}),
    int: frozenset({int}),
    float: frozenset({int, float}),
    bool: frozenset({bool}),
    type(None): frozenset({type(None)}),
}


def _integral(value: Any, accepted: frozenset[type]) -> bool:
    """JSON Schema counts 1.0 as an integer; it loads (and is written back) as the float."""
    return type(value) is float and int in accepted and value.is_integer()


def _primitive_loader(accepted: frozenset[type], name: str) -> Loader:
    def load(value: Any) -> Any:
        if type(value) not in accepted and not _integral(value, accepted):
            raise DecodeError(f"expected {name}, got {_kind(value)}")
        return value

    return load


# -- compiling type hints into loaders and dumpers ------------------------------------------


@dataclasses.dataclass
class _Field:
    attr: str
    key: str
    required: bool
    accepted: frozenset[type] | None  # plain JSON types: checked inline, no call
    load: Loader | None
    dump: Dumper | None
    default: Any
    model: type[DataModel] | None  # the field's model class (its dump is called inline)
    remember: bool  # a date-time field: the model keeps the text beside the plain value


class _Plan:
    """How one model class maps to JSON, worked out once per class: its ``load`` and
    ``dump`` are functions generated for that class (one line per field, the checks of
    plain JSON types inline), as cattrs does, instead of a loop that interprets a table."""

    def __init__(self, cls: type[DataModel]) -> None:
        self.cls = cls
        self.fields: list[_Field] = []
        self.keys: frozenset[str] = frozenset()
        self.tags: dict[str, frozenset[Any]] = {}
        self.required: tuple[str, ...] = ()
        self.ready = False
        self.load: Loader = self._not_ready
        self.dump: Callable[[Any], dict[str, Any]] = self._not_ready

    def _not_ready(self, value: Any) -> Any:  # pragma: no cover - compile() replaces it
        raise RuntimeError(f"{self.cls.__name__}: plan used before it was compiled")

    def compile(self) -> None:
        hints = typing.get_type_hints(self.cls)
        for spec in dataclasses.fields(self.cls):
            if spec.name == "additional_properties" or not spec.init:
                continue
            hint = hints[spec.name]
            optional = spec.default is UNSET
            if optional:
                hint = _without_unset(hint)
            key = spec.metadata.get("json", spec.name)
            accepted = _accepted_primitives(hint)
            remember = _resolve(hint, self.cls) is datetime
            if remember:
                load: Loader | None = _read_datetime
            else:
                load = None if accepted is not None else _loader(hint, self.cls)
            self.fields.append(
                _Field(
                    attr=spec.name,
                    key=key,
                    required=not optional,
                    accepted=accepted,
                    load=load,
                    dump=_dumper(hint, self.cls),
                    default=spec.metadata.get("default", UNSET),
                    model=_model_class(hint, self.cls),
                    remember=remember,
                )
            )
            values = _constant_values(hint)
            if values is not None:
                self.tags[key] = values
        self.keys = frozenset(f.key for f in self.fields)
        self.required = tuple(f.key for f in self.fields if f.required)
        self.load = _compile_load(self)
        self.dump = _compile_dump(self)
        self.ready = True

    def as_dict(self, data: Any) -> dict[str, Any]:
        """A document that is not a ``dict``: a Mapping is copied, anything else refused."""
        if not isinstance(data, Mapping):
            raise DecodeError(f"expected an object for {self.cls.__name__}, got {_kind(data)}")
        return dict(data)

    def missing(self, data: dict[str, Any]) -> None:
        absent = ", ".join(repr(key) for key in sorted(k for k in self.required if k not in data))
        raise DecodeError(f"{self.cls.__name__} needs property {absent}, which is missing")

    def extra(self, data: dict[str, Any]) -> dict[str, Any]:
        """The keys that are no declared property (there is at least one)."""
        keys = self.keys
        extra = {key: _copy_json(value) for key, value in data.items() if key not in keys}
        if self.cls._closed:
            raise DecodeError(
                f"{self.cls.__name__} allows no other properties, got {sorted(extra)}"
            )
        return extra


def _type_test(accepted: frozenset[type], name: str, value: str) -> str:
    """Python source that is true when ``value`` is not one of the ``accepted`` JSON types."""
    simple = {
        frozenset({str}): f"type({value}) is not str",
        frozenset({bool}): f"type({value}) is not bool",
        frozenset({type(None)}): f"{value} is not None",
        frozenset({int, float}): f"type({value}) is not float and type({value}) is not int",
    }
    default = f"type({value}) not in {name} and not _integral({value}, {name})"
    return simple.get(accepted, default)


def _direct(cls: type) -> bool:
    """Whether instances can be made without ``__init__`` (a generated dataclass: its
    ``__init__`` only stores arguments; a subclass written by hand goes through its own)."""
    return "__dataclass_fields__" in vars(cls) and not hasattr(cls, "__post_init__")


def _compile_load(plan: _Plan) -> Any:
    cls = plan.cls
    direct = _direct(cls)
    namespace: dict[str, Any] = {
        "DecodeError": DecodeError, "_integral": _integral, "_kind": _kind, "KEYS": plan.keys,
        "_type_error": _type_error, "_as_dict": plan.as_dict, "_missing": plan.missing,
        "_extra": plan.extra, "_new": object.__new__, "CLS": cls, "ORDER": _ORDER,
    }  # fmt: skip
    hidden = ["ORDER: tuple(data)"]  # entries of the instance dict beside the fields
    body = ["def load(data):", "    if type(data) is not dict:", "        data = _as_dict(data)"]
    if not direct:
        body.append("    state = {}")
    declared = {spec.name: spec for spec in dataclasses.fields(cls)}
    for index, spec in enumerate(plan.fields):
        # "in" then [] costs less than .get(): most absent keys take one lookup, no call
        body.append(f"    if {spec.key!r} in data:")
        body += [f"        {line}" for line in _present_source(spec, index, namespace)]
        absent = []
        if spec.remember:
            hidden.append(f"{_TEXT + spec.attr!r}: h{index}")
            absent.append(f"h{index} = None")
        if not direct:
            body.append(f"        state[{spec.attr!r}] = a{index}")
        if spec.required:
            absent.append("_missing(data)")
        elif direct:
            absent.append(f"a{index} = {_default_source(declared[spec.attr], namespace)}")
        if absent:
            body += ["    else:", *(f"        {line}" for line in absent)]
    # every key declared (one C loop), else the others are kept or refused
    body.append("    extra = {} if KEYS.issuperset(data) else _extra(data)")
    if direct:
        # The instance's whole __dict__ in one display: every field, declared order.
        attrs = {spec.attr: f"a{index}" for index, spec in enumerate(plan.fields)}
        entries = []
        for name, field in declared.items():
            if name in attrs:
                entries.append(f"{name!r}: {attrs[name]}")
            elif name == "additional_properties":
                entries.append(f"{name!r}: extra")
            elif _has_default(field):
                entries.append(f"{name!r}: {_default_source(field, namespace)}")
        # The document's key order, for to_dict() (a tuple costs less than checking it).
        entries += hidden
        body += ["    model = _new(CLS)", f"    model.__dict__ = {{{', '.join(entries)}}}"]
    else:
        body += [
            "    model = CLS(additional_properties=extra, **state)",
            f"    vars(model).update({{{', '.join(hidden)}}})",
        ]
    body.append("    return model")
    return _define(body, namespace, f"{cls.__name__}.from_dict")


def _present_source(spec: _Field, index: int, namespace: dict[str, Any]) -> list[str]:
    """Lines that read a present field into ``a<index>``, checked or converted."""
    key = repr(spec.key)
    value = f"a{index}"
    if spec.accepted is not None:
        namespace[f"A{index}"] = spec.accepted
        return [
            f"{value} = data[{key}]",
            f"if {_type_test(spec.accepted, f'A{index}', value)}:",
            f"    raise _type_error({value}, A{index}).inside({key})",
        ]
    if spec.load is None:
        return [f"{value} = data[{key}]"]
    namespace[f"L{index}"] = spec.load
    if not spec.remember:
        return [
            "try:",
            f"    {value} = L{index}(data[{key}])",
            "except DecodeError as error:",
            f"    raise error.inside({key}) from None",
        ]
    # A date-time field: _read_datetime's fast path written inline (two C calls, no
    # Python frame); the value and the text it was read from are kept together.
    namespace["DATE_TIME_SHAPE"], namespace["FROM_ISO"] = _common_date_time, datetime.fromisoformat
    text = f"t{index}"
    return [
        f"{text} = data[{key}]",
        "try:",
        f"    if type({text}) is str and DATE_TIME_SHAPE({text}) is not None:",
        "        try:",
        f"            {value} = FROM_ISO({text})",
        "        except ValueError:",
        f"            {value} = L{index}({text})",
        "    else:",
        f"        {value} = L{index}({text})",
        "except DecodeError as error:",
        f"    raise error.inside({key}) from None",
        f"h{index} = ({value}, {text})",
    ]


def _model_class(hint: Any, owner: type) -> type[DataModel] | None:
    hint = _resolve(_without_unset(hint), owner)
    return hint if isinstance(hint, type) and issubclass(hint, DataModel) else None


def _has_default(spec: dataclasses.Field[Any]) -> bool:
    return (
        spec.default is not dataclasses.MISSING or spec.default_factory is not dataclasses.MISSING
    )


def _default_source(spec: dataclasses.Field[Any], namespace: dict[str, Any]) -> str:
    """Source for a field's default: a name bound to the value, or a call of its factory."""
    name = f"K_{spec.name}"
    if spec.default is not dataclasses.MISSING:
        namespace[name] = spec.default
        return name
    namespace[name] = spec.default_factory
    return f"{name}()"


def _compile_dump(plan: _Plan) -> Any:
    namespace: dict[str, Any] = {
        "UNSET": UNSET, "_copy_json": _copy_json, "ORDER": _ORDER, "M": _ABSENT,
    }  # fmt: skip
    # A model read from a document starts from that document's keys, so each key written
    # takes its old place and a key set since goes after them (in declared order); one
    # dict and no reordering. A key of the document that is gone leaves M behind: the
    # count of keys written tells, and only then are those taken out.
    body = [
        "def dump(model):",
        "    state = vars(model)",
        "    order = state.get(ORDER)",
        "    out = {} if order is None else dict.fromkeys(order, M)",
        "    written = 0",
    ]
    for index, spec in enumerate(plan.fields):
        value = "v"
        if spec.dump is not None:
            namespace[f"D{index}"] = spec.dump
            value = f"D{index}(v)"
        if spec.model is not None:
            # a nested model of the declared class: its dump without a call in between
            namespace[f"P{index}"], namespace[f"C{index}"] = _plan(spec.model), spec.model
            value = f"P{index}.dump(v) if type(v) is C{index} else D{index}(v)"
        body += [f"    v = state[{spec.attr!r}]", "    if v is not UNSET:", "        written += 1"]
        if spec.remember:
            # the text read with this very value, else the value written anew
            body += [f"        h = state.get({_TEXT + spec.attr!r})"]
            value = f"h[1] if h is not None and h[0] is v else D{index}(v)"
        body += [f"        out[{spec.key!r}] = {value}"]
    body += [
        "    extra = state['additional_properties']",
        "    if extra:",
        "        written += len(extra)",
        "        for key, v in extra.items():",
        "            out[key] = _copy_json(v)",
        "    if written != len(out):",
        "        return {key: v for key, v in out.items() if v is not M}",
        "    return out",
    ]
    return _define(body, namespace, f"{plan.cls.__name__}.to_dict")


def _define(body: list[str], namespace: dict[str, Any], label: str) -> Any:
    """The one function that ``body`` defines (source generated above, never user text:
    keys and attribute names enter it only through ``repr``)."""
    exec(compile("\n".join(body), f"<schemakit {label}>", "exec"), namespace)
    function: Any = namespace["load" if body[0].startswith("def load") else "dump"]
    return function


def _type_error(value: Any, accepted: frozenset[type]) -> DecodeError:
    return DecodeError(f"expected {_names(accepted)}, got {_kind(value)}")


class _Absent:
    """A key missing from the document (``dict.get`` default; never a JSON value)."""


_ABSENT: Final = _Absent()
# Where a model read from a document keeps that document's key order (an instance
# attribute outside the dataclass fields: equality and repr ignore it).
_ORDER = "_json_key_order"
# Where it keeps the text of a date-time field's plain value: "_json_text:created" -> (the
# datetime, "2025-03-11T09:41:27.118204Z"); written back while the field holds that value.
_TEXT = "_json_text:"
_HIDDEN = "_json_"  # the prefix of both (copied along by with_defaults)


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type[DataModel]) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
        try:
            plan.compile()  # registered first: recursive models find their own plan
        except BaseException:
            del _PLANS[cls]
            raise
    return plan


def _names(accepted: frozenset[type]) -> str:
    return " or ".join(sorted(_KIND_NAMES[t] for t in accepted))


def _union_args(hint: Any) -> tuple[Any, ...] | None:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return typing.get_args(hint)
    return None


def _without_unset(hint: Any) -> Any:
    args = _union_args(hint)
    if args is None:
        return hint
    kept = [arg for arg in args if arg != Unset]
    if len(kept) == 1:
        return kept[0]
    return typing.Union[tuple(kept)]  # noqa: UP007 - built at run time from a tuple


def _resolve(hint: Any, owner: type) -> Any:
    """Evaluate string or ForwardRef hints (recursive aliases) in the owner's module, and
    take the plain type out of ``Annotated[...]`` and the bare ``None`` of an alias."""
    if isinstance(hint, typing.ForwardRef):
        hint = hint.__forward_arg__
    if isinstance(hint, str):
        namespace = vars(sys.modules[owner.__module__])
        hint = eval(hint, namespace)  # a type expression taken from the generated module
    if typing.get_origin(hint) is typing.Annotated:
        return _resolve(typing.get_args(hint)[0], owner)
    return type(None) if hint is None else hint


def _accepted_primitives(hint: Any) -> frozenset[type] | None:
    """The exact JSON types a plain hint (``str``, ``float | None``) accepts, else None."""
    if hint in _PRIMITIVES:
        return _PRIMITIVES[hint]
    args = _union_args(hint)
    if args is None or not all(arg in _PRIMITIVES for arg in args):
        return None
    return frozenset().union(*(_PRIMITIVES[arg] for arg in args))


def _constant_values(hint: Any) -> frozenset[Any] | None:
    """The values a tag-like hint allows (a Literal, or an Enum's values), as tag keys."""
    if typing.get_origin(hint) is Literal:
        values: Any = typing.get_args(hint)
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        values = [member.value for member in hint]
    else:
        return None
    return frozenset(_tag_key(value) for value in values)


def _canon(value: Any) -> Any:
    """A hashable key under which JSON values are equal as JSON Schema compares them:
    ``1 == 1.0``, ``true != 1``, objects regardless of key order."""
    kind = type(value)
    if kind is bool:
        return ("b", value)
    if kind is int or kind is float:
        return ("n", int(value) if kind is float and value.is_integer() else value)
    if kind is list or kind is tuple:
        return ("a", tuple(_canon(item) for item in value))
    if kind is dict:
        return ("o", frozenset((key, _canon(item)) for key, item in value.items()))
    return (kind.__name__, value)


def _tag_key(value: Any) -> Any:
    """Strings (almost every tag) are their own key; other constants use ``_canon``."""
    return value if type(value) is str else _canon(value)


def _loader(hint: Any, owner: type) -> Loader:
    if isinstance(hint, (str, typing.ForwardRef)):
        return _named_loader(hint, owner)
    hint = _resolve(hint, owner)
    accepted = _accepted_primitives(hint)
    if accepted is not None:
        return _primitive_loader(accepted, _names(accepted))
    if hint is Any or hint is object:
        return _copy_json
    if hint in _BARE_CONTAINERS:
        return _BARE_CONTAINERS[hint]
    origin = typing.get_origin(hint)
    if origin is not None and origin in _GENERIC_LOADERS:
        return _GENERIC_LOADERS[origin](hint, owner)
    if _union_args(hint) is not None:
        return _union_loader(hint, owner)
    if isinstance(hint, type):
        for base, factory in _CLASS_LOADERS:
            if issubclass(hint, base):
                return factory(hint)
    raise TypeError(f"{owner.__name__}: no JSON loader for type {hint!r}")


_NAMED: dict[tuple[str, str], Loader] = {}


def _named_loader(hint: str | typing.ForwardRef, owner: type) -> Loader:
    """The loader of a name written as a string (``dict[str, "Tree"]``): compiled on first
    use and shared, so a recursive alias refers to its own loader instead of recursing."""
    text = hint.__forward_arg__ if isinstance(hint, typing.ForwardRef) else hint
    key = (owner.__module__, text)
    known = _NAMED.get(key)
    if known is not None:
        return known
    compiled: list[Loader] = []

    def load(value: Any) -> Any:
        if not compiled:
            compiled.append(_loader(_resolve(text, owner), owner))
        return compiled[0](value)

    _NAMED[key] = load
    return load


def _dumper(hint: Any, owner: type) -> Dumper | None:
    """How to write a value of ``hint``; None when the value already is its JSON.

    The common hints get a function that writes the declared type directly and hands
    anything else (a value of another type set in Python) to ``encode``."""
    hint = _resolve(_without_unset(hint), owner)
    if _accepted_primitives(hint) is not None:
        return None
    if typing.get_origin(hint) is Literal and all(
        type(option) in _PRIMITIVES for option in typing.get_args(hint)
    ):
        return None
    if isinstance(hint, type):
        for base, factory in _CLASS_DUMPERS:
            if issubclass(hint, base):
                return factory(hint)
    if typing.get_origin(hint) is list:
        return _list_dumper(hint, owner)
    if _union_args(hint) is not None:
        return _union_dumper(hint, owner)
    return encode


def _model_dumper(cls: type[DataModel]) -> Dumper:
    plan = _plan(cls)  # maybe still compiling (a recursive model): plan.dump is read late
    return lambda value: (
        plan.dump(value) if type(value) is plan.cls else _plan(type(value)).dump(value)
    )


def _enum_dumper(cls: type[enum.Enum]) -> Dumper:
    if not all(type(member.value) in _PRIMITIVES for member in cls):
        return encode  # object or array values: encode copies them
    return lambda value: value._value_ if type(value) is cls else encode(value)


def _dump_json_datetime(value: Any) -> Any:
    if type(value) is JsonDateTime:
        text = value.text
        if text is not None:
            return text
    return encode(value)


def _dump_json_uuid(value: Any) -> Any:
    return value.text if type(value) is JsonUUID else encode(value)


def _list_dumper(hint: Any, owner: type) -> Dumper:
    (item_hint,) = typing.get_args(hint)
    if isinstance(item_hint, (str, typing.ForwardRef)):
        return encode  # a recursive alias: encode walks it
    item = _dumper(item_hint, owner)
    if item is None:
        return lambda value: value.copy() if type(value) is list else encode(value)
    return lambda value: [item(entry) for entry in value] if type(value) is list else encode(value)


def _union_dumper(hint: Any, owner: type) -> Dumper:
    """Models and enums by their exact type (one dict lookup); other values by ``encode``."""
    by_type: dict[type, Dumper] = {}
    for arg in typing.get_args(hint):
        branch = _resolve(arg, owner)
        if isinstance(branch, type) and issubclass(branch, (DataModel, enum.Enum)):
            written = _dumper(branch, owner)
            if written is not None:
                by_type[branch] = written
    if not by_type:
        return encode

    def dump(value: Any) -> Any:
        written = by_type.get(type(value))
        return written(value) if written is not None else encode(value)

    return dump


def _list_loader(hint: Any, owner: type) -> Loader:
    (item_hint,) = typing.get_args(hint) or (Any,)
    item = _loader(item_hint, owner)
    if not isinstance(item_hint, (str, typing.ForwardRef)):
        accepted = _accepted_primitives(_resolve(item_hint, owner))
        if accepted is not None:
            return _primitive_array_loader(accepted, _array_loader(item))
    return _array_loader(item)


def _array_loader(item: Loader) -> Loader:
    def load(value: Any) -> list[Any]:
        if type(value) is not list:
            raise DecodeError(f"expected an array, got {_kind(value)}")
        try:
            return [item(entry) for entry in value]
        except DecodeError:
            return _locate(item, value)

    return load


def _locate(item: Loader, value: list[Any]) -> NoReturn:
    """Raise the error of the first item that does not load, with its index (the loaders
    are pure, so loading again fails at the same item; the fast path skips the count)."""
    for index, entry in enumerate(value):
        try:
            item(entry)
        except DecodeError as error:
            raise error.inside(index) from None
    raise AssertionError("an item failed to load once but not twice")  # pragma: no cover


def _primitive_array_loader(accepted: frozenset[type], checked: Loader) -> Loader:
    """``list[float]`` and the like: the type of every item, checked without a call each."""

    def load(value: Any) -> list[Any]:
        if type(value) is list:
            for entry in value:
                if type(entry) not in accepted:
                    break  # 1.0 in a list[int], or an error: the general path says which
            else:
                return value.copy()
        return checked(value)  # type: ignore[no-any-return]

    return load


def _dict_loader(hint: Any, owner: type) -> Loader:
    args = typing.get_args(hint)
    item = _loader(args[1] if len(args) == 2 else Any, owner)

    def load(value: Any) -> dict[str, Any]:
        if type(value) is not dict:
            raise DecodeError(f"expected an object, got {_kind(value)}")
        result = {}
        for key, entry in value.items():
            try:
                result[key] = item(entry)
            except DecodeError as error:
                raise error.inside(key) from None
        return result

    return load


def _tuple_loader(hint: Any, owner: type) -> Loader:
    args = typing.get_args(hint)
    if len(args) == 2 and args[1] is Ellipsis:
        return _array_loader(_loader(args[0], owner))
    items = [_loader(arg, owner) for arg in args]
    size = len(items)

    def load(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise DecodeError(f"expected an array, got {_kind(value)}")
        if len(value) != size:
            raise DecodeError(f"expected an array of {size} items, got {len(value)}")
        result = []
        for index, (item, entry) in enumerate(zip(items, value, strict=True)):
            try:
                result.append(item(entry))
            except DecodeError as error:
                raise error.inside(index) from None
        return tuple(result)

    return load


def _literal_loader(hint: Any, owner: type) -> Loader:
    allowed = typing.get_args(hint)
    keys = {_canon(option) for option in allowed}
    if all(type(option) is str for option in allowed):
        strings = frozenset(allowed)

        def load_string(value: Any) -> Any:
            # the usual tag (Literal["sentinel-2-l2a"]): one type test and one set lookup
            if type(value) is str and value in strings:
                return value
            raise DecodeError(f"expected one of {list(allowed)!r}, got {value!r}")

        return load_string

    def load(value: Any) -> Any:
        # The document's own value is kept: 1.0 for Literal[1] is written back as 1.0.
        if _canon(value) in keys:
            return _copy_json(value)
        raise DecodeError(f"expected one of {list(allowed)!r}, got {value!r}")

    return load


def _enum_loader(cls: type[enum.Enum]) -> Loader:
    # Strings are looked up as they are; other values (numbers, objects) by JSON equality.
    strings = {member.value: member for member in cls if type(member.value) is str}
    others = {_canon(member.value): member for member in cls if type(member.value) is not str}

    def load(value: Any) -> Any:
        member = strings.get(value) if type(value) is str else others.get(_canon(value))
        if member is None:
            allowed = [member.value for member in cls]
            raise DecodeError(f"{value!r} is not a {cls.__name__} (one of {allowed!r})")
        return member

    return load


def _model_loader(cls: type[DataModel]) -> Loader:
    plan = _plan(cls)
    if plan.ready:
        return plan.load
    return lambda value: plan.load(value)  # a recursive model: its plan is being compiled


_GENERIC_LOADERS: dict[Any, Callable[[Any, type], Loader]] = {
    list: _list_loader,
    dict: _dict_loader,
    tuple: _tuple_loader,
    Literal: _literal_loader,
}


def _bare_loader(kind: type) -> Loader:
    """A bare ``list`` or ``dict`` (a recursive alias the generator left untyped)."""

    def load(value: Any) -> Any:
        if type(value) is not kind:
            raise DecodeError(f"expected {_KIND_NAMES[kind]}, got {_kind(value)}")
        return _copy_json(value)

    return load


_BARE_CONTAINERS: dict[Any, Loader] = {
    list: _bare_loader(list),
    tuple: _bare_loader(list),
    dict: _bare_loader(dict),
}


# -- unions --------------------------------------------------------------------------------


def _accepts_kind(hint: Any, kind: type) -> bool:
    """Whether values of JSON type ``kind`` can ever load as ``hint`` (a cheap pre-filter)."""
    accepted = _accepted_primitives(hint)
    if accepted is not None:
        return kind in accepted or (kind is float and int in accepted)
    origin = typing.get_origin(hint) or hint
    if origin is list or origin is tuple:
        return kind is list
    if origin is dict:
        return kind is dict
    if origin is Literal:
        return any(_same_kind(type(option), kind) for option in typing.get_args(hint))
    if isinstance(hint, type):
        if issubclass(hint, DataModel):
            return kind is dict
        if issubclass(hint, enum.Enum):
            return any(_same_kind(type(member.value), kind) for member in hint)
        if issubclass(hint, (datetime, date, UUID)):
            return kind is str
        if issubclass(hint, Decimal):
            return kind is int or kind is float
    return True


def _same_kind(declared: type, kind: type) -> bool:
    """Whether a constant of type ``declared`` can equal a JSON value of type ``kind``."""
    numbers = (int, float)
    return declared is kind or (declared in numbers and kind in numbers)


class _Branch:
    def __init__(self, hint: Any, owner: type) -> None:
        self.hint = hint
        self.name = getattr(hint, "__name__", repr(hint))
        self.load = _loader(hint, owner)


def _union_loader(hint: Any, owner: type) -> Loader:
    branches = [_Branch(_resolve(arg, owner), owner) for arg in typing.get_args(hint)]
    label = " | ".join(b.name for b in branches)
    by_kind: dict[type, list[_Branch]] = {
        kind: [b for b in branches if _accepts_kind(b.hint, kind)] for kind in _KIND_NAMES
    }
    dispatch = {kind: _Dispatch(options, label) for kind, options in by_kind.items() if options}
    if len(dispatch) == 1:  # one JSON kind (a union of models): one function, one type test
        ((only_kind, only),) = dispatch.items()
        return only.compile(only_kind)
    choosers = {kind: chooser.compile() for kind, chooser in dispatch.items()}

    def load(value: Any) -> Any:
        chooser = choosers.get(type(value))
        if chooser is None:
            raise DecodeError(f"{_kind(value)} fits none of {label}")
        return chooser(value)

    return load


class _Dispatch:
    """Branch choice for one JSON kind: by tag when the branches declare one, else in turn.
    ``compile()`` gives the function that chooses, built once per union and kind."""

    def __init__(self, branches: list[_Branch], label: str) -> None:
        self.branches = branches
        self.label = label
        self.tag: str | None = None
        self.by_tag: dict[Any, _Branch] = {}
        self.untagged = branches
        models = [b for b in branches if isinstance(b.hint, type) and issubclass(b.hint, DataModel)]
        if len(models) > 1:
            self._find_tag(models)

    def _find_tag(self, models: list[_Branch]) -> None:
        plans = {id(b): _plan(b.hint) for b in models}
        keys = sorted({key for plan in plans.values() for key in plan.tags})
        best: tuple[int, str] | None = None
        for key in keys:
            seen: set[Any] = set()
            tagged = 0
            for b in models:
                values = plans[id(b)].tags.get(key)
                if values is None:
                    continue
                if seen & values:
                    break  # two branches share a value: this key does not decide
                seen |= values
                tagged += 1
            else:
                if tagged > 1 and (best is None or tagged > best[0]):
                    best = (tagged, key)
        if best is None:
            return
        self.tag = best[1]
        for b in models:
            for value in plans[id(b)].tags.get(self.tag, ()):
                self.by_tag[value] = b
        self.untagged = [b for b in self.branches if b not in self.by_tag.values()]

    def compile(self, only: type | None = None) -> Loader:
        """The function that chooses; with ``only``, it first refuses other JSON kinds."""
        untagged = self.untagged[0].load if len(self.untagged) == 1 else self.in_turn
        label = self.label
        if self.tag is None:
            if only is None:
                return untagged

            def one_kind(value: Any) -> Any:
                if type(value) is only:
                    return untagged(value)
                raise DecodeError(f"{_kind(value)} fits none of {label}")

            return one_kind
        tag = self.tag
        by_tag = {value: branch.load for value, branch in self.by_tag.items()}

        def by_tag_or_in_turn(value: Any) -> Any:
            if type(value) is not dict:  # tags are only found on objects
                raise DecodeError(f"{_kind(value)} fits none of {label}")
            # one dict lookup picks the branch; strings (almost every tag) are their own key
            found = value.get(tag, _ABSENT)
            chosen = by_tag.get(found if type(found) is str else _canon(found))
            if chosen is not None:
                return chosen(value)
            return untagged(value)

        return by_tag_or_in_turn

    def in_turn(self, value: Any) -> Any:
        problems = []
        for branch in self.untagged:
            try:
                return branch.load(value)
            except DecodeError as error:
                problems.append(f"{branch.name}: {error}")
        if self.tag is not None:
            problems.insert(0, f"{self.tag}={value.get(self.tag)!r} names no branch")
        raise DecodeError(f"no branch of {self.label} fits ({'; '.join(problems)})")


# -- writing any value ---------------------------------------------------------------------


def encode(value: Any) -> Any:
    """The JSON form of any model, enum, date, UUID or container of them."""
    kind = type(value)
    if kind in _PRIMITIVES:
        return value
    if isinstance(value, DataModel):
        return _plan(kind).dump(value)
    if kind is list or kind is tuple:
        return [encode(item) for item in value]
    if kind is dict:
        return {key: encode(item) for key, item in value.items()}
    if isinstance(value, enum.Enum):
        return _copy_json(value.value)
    if isinstance(value, datetime):
        return _dump_datetime(value)
    if isinstance(value, date):
        text = getattr(value, "text", None)
        return text if text is not None else value.isoformat()
    if isinstance(value, UUID):
        return _dump_uuid(value)
    if isinstance(value, Decimal):
        return _dump_decimal(value)
    if isinstance(value, Mapping):
        return {key: encode(item) for key, item in value.items()}
    raise TypeError(f"cannot write {kind.__name__} as JSON")


def decode(hint: Any, data: Any) -> Any:
    """Load ``data`` as ``hint``: a model class, or any other entry of ``SCHEMAS`` (a union
    or list alias, an enum, ``None``, a tuple, a ``Decimal``, a plain type)."""
    if isinstance(hint, type) and issubclass(hint, DataModel):
        return hint.from_dict(data)
    try:
        load = _DECODERS.get(hint)
    except TypeError:  # an unhashable hint: compiled each time
        return _loader(hint, _alias_owner())(data)
    if load is None:
        load = _DECODERS[hint] = _loader(hint, _alias_owner())
    return load(data)


_DECODERS: dict[Any, Loader] = {}
_MODELS_MODULE = __name__.rpartition(".")[0] + ".models"


def _alias_owner() -> type:
    """An owner for a bare alias: names in it ("User") are those of the generated module."""
    try:
        module = importlib.import_module(_MODELS_MODULE).__name__
    except ImportError:  # this file outside a generated package
        module = __name__
    return type("alias", (), {"__module__": module})


# -- the base class ------------------------------------------------------------------------


@dataclasses.dataclass(kw_only=True)
class DataModel:
    """Base of every generated model: ``from_dict``, ``to_dict`` and extra keys."""

    additional_properties: dict[str, Any] = dataclasses.field(default_factory=dict, repr=False)
    """Keys of the document that are not declared properties (kept for the round trip)."""

    _closed: ClassVar[bool] = False  # True when the schema forbids other properties

    @classmethod
    def from_dict(cls: type[_M], data: Mapping[str, Any]) -> _M:
        """Build the model from a JSON document; raises ``DecodeError`` if it does not fit."""
        model: _M = _plan(cls).load(data)
        return model

    def to_dict(self) -> dict[str, Any]:
        """The JSON document: present fields under their JSON names, plus extra keys."""
        return _plan(type(self)).dump(self)

    def with_defaults(self: _M) -> _M:
        """A copy in which every absent field that has a schema default holds that default."""
        changes = {
            spec.attr: (spec.load or _copy_json)(spec.default)
            for spec in _plan(type(self)).fields
            if spec.default is not UNSET and getattr(self, spec.attr) is UNSET
        }
        copy = dataclasses.replace(self, **changes)
        # the document's order stays (defaults follow it), and so do the texts read
        vars(copy).update((k, v) for k, v in vars(self).items() if k.startswith(_HIDDEN))
        return copy


# Checked in order with issubclass (a JsonDateTime is a datetime, a datetime is a date).
_CLASS_DUMPERS: list[tuple[type, Callable[[Any], Dumper]]] = [
    (DataModel, _model_dumper),
    (enum.Enum, _enum_dumper),
    (datetime, lambda _cls: _dump_json_datetime),
    (UUID, lambda _cls: _dump_json_uuid),
]
_CLASS_LOADERS: list[tuple[type, Callable[[Any], Loader]]] = [
    (DataModel, _model_loader),
    (enum.Enum, _enum_loader),
    (datetime, lambda _cls: _load_datetime),
    (date, lambda _cls: _load_date),
    (UUID, lambda _cls: _load_uuid),
    (Decimal, lambda _cls: _load_decimal),
]
