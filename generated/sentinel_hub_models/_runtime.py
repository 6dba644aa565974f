"""Exact JSON round trip for generated dataclasses (copied into each generated package).

Every generated model derives from ``DataModel``; ``Model.from_dict(d).to_dict() == d`` for
every document ``d`` the schema accepts:

- JSON names: a field whose JSON name differs from its attribute carries it in
  ``field(metadata={"json": "costPU"})``.
- Absent is not null: an optional field defaults to ``UNSET`` and is left out of
  ``to_dict()``; ``None`` is written as ``null``. Schema defaults live in the field
  metadata (``"default"``) and are applied only on request (``with_defaults()``).
- Unknown keys the schema allows are kept in ``additional_properties``.
- ``date-time``, ``date`` and ``uuid`` strings load as ``datetime``, ``date`` and ``UUID``
  subclasses that remember the text they were read from, so ``Z``, ``+00:00``, seven
  fractional digits or upper-case hex come back unchanged; a value built in Python is
  written with ``isoformat()`` / ``str()``.
- Unions pick their branch by a tag (a property every branch fixes to its own constant,
  like ``type``), else by JSON kind, else by trying the branches in order; a document no
  branch fits raises ``DecodeError`` naming the JSON pointer.

How each class loads and dumps is worked out once, from its type hints, on first use.
This module depends on the standard library only.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import sys
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any, ClassVar, Final, Literal, TypeVar
from uuid import UUID, SafeUUID

__all__ = [
    "UNSET",
    "DataModel",
    "DecodeError",
    "JsonDate",
    "JsonDateTime",
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
            return (_load_datetime, (self.text,))
        return super().__reduce_ex__(protocol)


class JsonDate(date):
    """A ``date`` read from JSON; ``text`` is the string it was read from."""

    text: str | None = None

    def __reduce_ex__(self, protocol: Any) -> Any:
        # datetime defines __reduce_ex__ itself, so that is what copy and pickle call
        if self.text is not None:
            return (_load_date, (self.text,))
        return super().__reduce_ex__(protocol)


class JsonUUID(UUID):
    """A ``UUID`` read from JSON; ``text`` is the string it was read from (any case)."""

    __slots__ = ("text",)
    text: str

    def __reduce_ex__(self, protocol: Any) -> Any:
        return (_load_uuid, (self.text,))


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


def _load_datetime(value: Any) -> JsonDateTime:
    text = _need_string(value, "date-time")
    match = _DATE_TIME.fullmatch(text)
    if match is None:
        raise DecodeError(f"{text!r} is not an RFC 3339 date-time")
    year, month, day, hour, minute, second, fraction, zulu, sign, off_h, off_m = match.groups()
    if zulu:
        zone = timezone.utc
    else:
        offset = timedelta(hours=int(off_h), minutes=int(off_m))
        zone = timezone(-offset if sign == "-" else offset)
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    try:
        # A leap second (:60) has no datetime; the text keeps it, the value stops at :59.
        parsed = JsonDateTime(
            int(year), int(month), int(day), int(hour), int(minute),
            min(int(second), 59), micro, zone,
        )  # fmt: skip
    except ValueError as exc:
        raise DecodeError(f"{text!r} is not a valid date-time: {exc}") from None
    parsed.text = text
    return parsed


def _load_date(value: Any) -> JsonDate:
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


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _load_uuid(value: Any) -> JsonUUID:
    text = _need_string(value, "uuid")
    if _UUID.fullmatch(text) is None:
        raise DecodeError(f"{text!r} is not a UUID")
    # UUID.__init__ parses in Python and forbids attribute writes; set the slots directly.
    parsed = object.__new__(JsonUUID)
    object.__setattr__(parsed, "int", int(text.replace("-", ""), 16))
    object.__setattr__(parsed, "is_safe", SafeUUID.unknown)
    object.__setattr__(parsed, "text", text)
    return parsed


def _dump_datetime(value: datetime) -> str:
    text = getattr(value, "text", None)
    return text if text is not None else value.isoformat()


def _dump_uuid(value: UUID) -> str:
    text = getattr(value, "text", None)
    return text if text is not None else str(value)


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


class _Plan:
    """How one model class maps to JSON; built on first use and cached."""

    def __init__(self, cls: type[DataModel]) -> None:
        self.cls = cls
        self.fields: list[_Field] = []
        self.keys: frozenset[str] = frozenset()
        # JSON key -> (attribute, accepted plain types or None, loader or None), for speed
        self.steps: dict[str, tuple[str, frozenset[type] | None, Loader | None]] = {}
        self.tags: dict[str, frozenset[Any]] = {}
        self.required: frozenset[str] = frozenset()

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
                )
            )
            values = _constant_values(hint)
            if values is not None:
                self.tags[key] = values
        self.keys = frozenset(f.key for f in self.fields)
        self.steps = {f.key: (f.attr, f.accepted, f.load) for f in self.fields}
        self.required = frozenset(f.key for f in self.fields if f.required)

    def load(self, data: Any) -> Any:
        if type(data) is not dict:
            if not isinstance(data, Mapping):
                raise DecodeError(f"expected an object for {self.cls.__name__}, got {_kind(data)}")
            data = dict(data)
        # Walk the document's keys, not the declared fields: most optional fields are absent.
        steps = self.steps
        values: dict[str, Any] = {}
        extra: dict[str, Any] | None = None
        for key, value in data.items():
            step = steps.get(key)
            if step is None:
                if extra is None:
                    extra = {}
                extra[key] = _copy_json(value)
                continue
            attr, accepted, load = step
            if accepted is not None:
                if type(value) not in accepted and not _integral(value, accepted):
                    error = DecodeError(f"expected {_names(accepted)}, got {_kind(value)}")
                    raise error.inside(key)
            elif load is not None:
                try:
                    value = load(value)
                except DecodeError as error:
                    raise error.inside(key) from None
            values[attr] = value
        if self.required and not self.required <= data.keys():
            missing = ", ".join(repr(key) for key in sorted(self.required - data.keys()))
            raise DecodeError(f"{self.cls.__name__} needs property {missing}, which is missing")
        if extra is not None:
            if self.cls._closed:
                raise DecodeError(
                    f"{self.cls.__name__} allows no other properties, got {sorted(extra)}"
                )
            values["additional_properties"] = extra
        return self.cls(**values)

    def dump(self, model: Any) -> dict[str, Any]:
        state = model.__dict__
        out: dict[str, Any] = {}
        for spec in self.fields:
            value = state[spec.attr]
            if value is UNSET:
                continue
            out[spec.key] = value if spec.dump is None else spec.dump(value)
        extra = state["additional_properties"]
        if extra:
            for key, value in extra.items():
                out[key] = _copy_json(value)
        return out


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
    """Evaluate string or ForwardRef hints (recursive aliases) in the owner's module."""
    if isinstance(hint, typing.ForwardRef):
        hint = hint.__forward_arg__
    if isinstance(hint, str):
        namespace = vars(sys.modules[owner.__module__])
        hint = eval(hint, namespace)  # a type expression taken from the generated module
    return hint


def _accepted_primitives(hint: Any) -> frozenset[type] | None:
    """The exact JSON types a plain hint (``str``, ``float | None``) accepts, else None."""
    if hint in _PRIMITIVES:
        return _PRIMITIVES[hint]
    args = _union_args(hint)
    if args is None or not all(arg in _PRIMITIVES for arg in args):
        return None
    return frozenset().union(*(_PRIMITIVES[arg] for arg in args))


def _constant_values(hint: Any) -> frozenset[Any] | None:
    """The values a tag-like hint allows: a Literal, or an Enum's values."""
    if typing.get_origin(hint) is Literal:
        return frozenset(typing.get_args(hint))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return frozenset(member.value for member in hint)
    return None


def _loader(hint: Any, owner: type) -> Loader:
    hint = _resolve(hint, owner)
    accepted = _accepted_primitives(hint)
    if accepted is not None:
        return _primitive_loader(accepted, _names(accepted))
    if hint is Any or hint is object:
        return _copy_json
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


def _dumper(hint: Any, owner: type) -> Dumper | None:
    """How to write a value of ``hint``; None when the value already is its JSON."""
    hint = _resolve(_without_unset(hint), owner)
    if _accepted_primitives(hint) is not None:
        return None
    if typing.get_origin(hint) is Literal:
        return None
    if isinstance(hint, type) and issubclass(hint, DataModel):
        plan = _plan(hint)
        return lambda value: (
            plan.dump(value) if type(value) is plan.cls else _plan(type(value)).dump(value)
        )
    return encode


def _list_loader(hint: Any, owner: type) -> Loader:
    (item_hint,) = typing.get_args(hint) or (Any,)
    item = _loader(item_hint, owner)

    def load(value: Any) -> list[Any]:
        if type(value) is not list:
            raise DecodeError(f"expected an array, got {_kind(value)}")
        result = []
        for index, entry in enumerate(value):
            try:
                result.append(item(entry))
            except DecodeError as error:
                raise error.inside(index) from None
        return result

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


def _literal_loader(hint: Any, owner: type) -> Loader:
    allowed = typing.get_args(hint)

    def load(value: Any) -> Any:
        for option in allowed:
            if value == option and type(value) is type(option):
                return value
        raise DecodeError(f"expected one of {list(allowed)!r}, got {value!r}")

    return load


def _enum_loader(cls: type[enum.Enum]) -> Loader:
    members = {member.value: member for member in cls}

    def load(value: Any) -> Any:
        member = members.get(value) if type(value) in (str, int, float) else None
        if member is None:
            raise DecodeError(f"{value!r} is not a {cls.__name__} (one of {list(members)!r})")
        return member

    return load


def _model_loader(cls: type[DataModel]) -> Loader:
    plan = _plan(cls)
    return plan.load


_GENERIC_LOADERS: dict[Any, Callable[[Any, type], Loader]] = {
    list: _list_loader,
    dict: _dict_loader,
    Literal: _literal_loader,
}


# -- unions --------------------------------------------------------------------------------


def _accepts_kind(hint: Any, kind: type) -> bool:
    """Whether values of JSON type ``kind`` can ever load as ``hint`` (a cheap pre-filter)."""
    accepted = _accepted_primitives(hint)
    if accepted is not None:
        return kind in accepted or (kind is float and int in accepted)
    origin = typing.get_origin(hint)
    if origin is list:
        return kind is list
    if origin is dict:
        return kind is dict
    if origin is Literal:
        return any(type(option) is kind for option in typing.get_args(hint))
    if isinstance(hint, type):
        if issubclass(hint, DataModel):
            return kind is dict
        if issubclass(hint, enum.Enum):
            return any(type(member.value) is kind for member in hint)
        if issubclass(hint, (datetime, date, UUID)):
            return kind is str
    return True


class _Branch:
    def __init__(self, hint: Any, owner: type) -> None:
        self.hint = hint
        self.name = getattr(hint, "__name__", repr(hint))
        self.load = _loader(hint, owner)


def _union_loader(hint: Any, owner: type) -> Loader:
    branches = [_Branch(_resolve(arg, owner), owner) for arg in typing.get_args(hint)]
    by_kind: dict[type, list[_Branch]] = {
        kind: [b for b in branches if _accepts_kind(b.hint, kind)] for kind in _KIND_NAMES
    }
    dispatch = {kind: _Dispatch(options) for kind, options in by_kind.items() if options}
    label = " | ".join(b.name for b in branches)

    def load(value: Any) -> Any:
        chooser = dispatch.get(type(value))
        if chooser is None:
            raise DecodeError(f"{_kind(value)} fits none of {label}")
        return chooser.load(value, label)

    return load


class _Dispatch:
    """Branch choice for one JSON kind: by tag when the branches declare one, else in turn."""

    def __init__(self, branches: list[_Branch]) -> None:
        self.branches = branches
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

    def load(self, value: Any, label: str) -> Any:
        if self.tag is not None and type(value) is dict:
            tag = value.get(self.tag, UNSET)
            chosen = self.by_tag.get(tag) if type(tag) in (str, int, float, bool) else None
            if chosen is not None:
                return chosen.load(value)
        if len(self.untagged) == 1:
            return self.untagged[0].load(value)
        problems = []
        for branch in self.untagged:
            try:
                return branch.load(value)
            except DecodeError as error:
                problems.append(f"{branch.name}: {error}")
        if self.tag is not None:
            problems.insert(0, f"{self.tag}={value.get(self.tag)!r} names no branch")
        raise DecodeError(f"no branch of {label} fits ({'; '.join(problems)})")


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
        return value.value
    if isinstance(value, datetime):
        return _dump_datetime(value)
    if isinstance(value, date):
        text = getattr(value, "text", None)
        return text if text is not None else value.isoformat()
    if isinstance(value, UUID):
        return _dump_uuid(value)
    if isinstance(value, Mapping):
        return {key: encode(item) for key, item in value.items()}
    raise TypeError(f"cannot write {kind.__name__} as JSON")


def decode(hint: Any, data: Any) -> Any:
    """Load ``data`` as ``hint``: a model class or a generated alias such as a union."""
    if isinstance(hint, type) and issubclass(hint, DataModel):
        return hint.from_dict(data)
    return _loader(hint, DataModel)(data)


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
        return dataclasses.replace(self, **changes)


# Checked in order with issubclass (a JsonDateTime is a datetime, a datetime is a date).
_CLASS_LOADERS: list[tuple[type, Callable[[Any], Loader]]] = [
    (DataModel, _model_loader),
    (enum.Enum, _enum_loader),
    (datetime, lambda _cls: _load_datetime),
    (date, lambda _cls: _load_date),
    (UUID, lambda _cls: _load_uuid),
]
