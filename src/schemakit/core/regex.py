"""Regular-expression keywords for the detailed (``jsonschema``) pass without ReDoS.

``jsonschema`` matches ``pattern`` and ``patternProperties`` with Python's backtracking
``re``: ``^(a+)+$`` against ``"a" * 40 + "!"`` takes longer than the universe. The
fast path already uses the Rust engine (linear time; lookaround and backreferences in
a backtracking engine with a step budget), so the detailed pass asks that same engine:
the verdicts of the two passes agree by construction and neither can hang. Patterns with
a backreference, which that engine gets wrong, go to ``backrefs`` in both passes.

``DetailedValidator`` is ``Draft202012Validator`` with the four keywords that match
regexes (``pattern``, ``patternProperties``, ``additionalProperties``,
``unevaluatedProperties``) replaced; everything else is jsonschema's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import jsonschema_rs
from attrs import fields
from jsonschema import Draft202012Validator, validators
from jsonschema._utils import extras_msg
from jsonschema.exceptions import ValidationError as JsonSchemaError

from .backrefs import backref_pattern
from .ecmaregex import to_rust

BACKTRACK_LIMIT = 1_000_000
_Errors = Iterator[JsonSchemaError]


@lru_cache(maxsize=4096)
def matcher(pattern: str) -> Any:
    """A compiled matcher for ``pattern``; ``ValueError`` if no engine can read it."""
    schema = {"pattern": to_rust(pattern)}
    try:
        return jsonschema_rs.validator_for(schema, pattern_options=jsonschema_rs.RegexOptions())
    except ValueError:  # lookaround or a backreference: needs the backtracking engine
        options = jsonschema_rs.FancyRegexOptions(backtrack_limit=BACKTRACK_LIMIT)
        compiled = jsonschema_rs.validator_for(schema, pattern_options=options)
    # compiled, so the syntax is ECMA-262's; a backreference is matched by backrefs
    interpreted = backref_pattern(pattern)
    return compiled if interpreted is None else _Interpreted(interpreted.search)


def is_regex(value: object) -> bool:
    """Whether ``value`` is a regular expression in ECMA-262 syntax, as JSON Schema's
    ``regex`` format and ``pattern`` keyword mean (``(?<name>...)`` included, Python-only
    forms such as ``\\Z`` not); anything but a string passes, as formats apply to strings."""
    if not isinstance(value, str):
        return True
    try:
        matcher(value)
    except ValueError:
        return False
    return True


class _Interpreted:
    """``backrefs`` behind the compiled validator's ``is_valid``."""

    def __init__(self, search: Any) -> None:
        self.search = search

    def is_valid(self, text: Any) -> bool:
        return not isinstance(text, str) or bool(self.search(text))


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` (ECMA-262 syntax) matches anywhere in ``text``, in bounded time."""
    return bool(matcher(pattern).is_valid(text))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> _Errors:
    if validator.is_type(instance, "string") and not search(pattern, instance):
        yield JsonSchemaError(pattern_message(instance, pattern))


def _pattern_properties(
    validator: Any, pattern_properties: dict[str, Any], instance: Any, schema: Any
) -> _Errors:
    if not validator.is_type(instance, "object"):
        return
    for pattern, subschema in pattern_properties.items():
        for key, value in instance.items():
            if search(pattern, key):
                yield from validator.descend(value, subschema, path=key, schema_path=pattern)


def _additional(instance: dict[str, Any], schema: dict[str, Any]) -> list[str]:
    properties = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [
        key
        for key in instance
        if key not in properties and not any(search(p, key) for p in patterns)
    ]


def _additional_properties(validator: Any, additional: Any, instance: Any, schema: Any) -> _Errors:
    if not validator.is_type(instance, "object"):
        return
    extras = _additional(instance, schema)
    if validator.is_type(additional, "object"):
        for extra in extras:
            yield from validator.descend(instance[extra], additional, path=extra)
    elif not additional and extras:
        yield JsonSchemaError(additional_message(extras, schema))


def pattern_message(instance: str, pattern: str) -> str:
    """The pattern as written: ``repr()`` would double every backslash."""
    return f"{instance!r} does not match the pattern /{pattern}/"


def additional_message(extras: list[str], schema: dict[str, Any]) -> str:
    """jsonschema's words for properties ``additionalProperties: false`` rejects."""
    if "patternProperties" in schema:
        verb = "does" if len(extras) == 1 else "do"
        joined = ", ".join(repr(each) for each in sorted(extras))
        patterns = ", ".join(f"/{each}/" for each in sorted(schema["patternProperties"]))
        return f"{joined} {verb} not match any of the regexes: {patterns}"
    listed, verb = extras_msg(sorted(extras, key=str))
    return f"Additional properties are not allowed ({listed} {verb} unexpected)"


def _unevaluated_properties(
    validator: Any, unevaluated: Any, instance: Any, schema: Any
) -> _Errors:
    if not validator.is_type(instance, "object"):
        return
    evaluated = set(_evaluated_keys(validator, instance, schema))
    failing = [
        key
        for key in instance
        if key not in evaluated
        and next(validator.descend(instance[key], unevaluated, path=key, schema_path=key), None)
    ]
    if failing:
        yield JsonSchemaError(unevaluated_message(failing, unevaluated))


def unevaluated_message(failing: list[str], unevaluated: Any) -> str:
    """jsonschema's words for properties ``unevaluatedProperties`` rejects."""
    if unevaluated is False:
        listed, verb = extras_msg(sorted(failing, key=str))
        return f"Unevaluated properties are not allowed ({listed} {verb} unexpected)"
    listed, verb = extras_msg(failing)
    return (
        "Unevaluated properties are not valid under the given schema "
        f"({listed} {verb} unevaluated and invalid)"
    )


def _evaluated_keys(validator: Any, instance: dict[str, Any], schema: Any) -> list[str]:
    """jsonschema's ``find_evaluated_property_keys_by_schema`` with ``search`` for ``re``."""
    if validator.is_type(schema, "boolean"):
        return []
    keys: list[str] = []
    for keyword in ("$ref", "$dynamicRef"):
        if (ref := schema.get(keyword)) is not None:
            resolved = validator._resolver.lookup(ref)
            inner = validator.evolve(schema=resolved.contents, _resolver=resolved.resolver)
            keys += _evaluated_keys(inner, instance, resolved.contents)
    properties = schema.get("properties")
    if validator.is_type(properties, "object"):
        keys += properties.keys() & instance.keys()
    for keyword in ("additionalProperties", "unevaluatedProperties"):
        if (sub := schema.get(keyword)) is not None:
            keys += (k for k, v in instance.items() if _passes(validator.descend(v, sub)))
    for pattern in schema.get("patternProperties", {}):
        keys += (k for k in instance if search(pattern, k))
    for key, sub in schema.get("dependentSchemas", {}).items():
        if key in instance:
            keys += _evaluated_keys(validator, instance, sub)
    for keyword in ("allOf", "oneOf", "anyOf"):
        for sub in schema.get(keyword, []):
            if _passes(validator.descend(instance, sub)):
                keys += _evaluated_keys(validator, instance, sub)
    if "if" in schema:
        if validator.evolve(schema=schema["if"]).is_valid(instance):
            keys += _evaluated_keys(validator, instance, schema["if"])
            if "then" in schema:
                keys += _evaluated_keys(validator, instance, schema["then"])
        elif "else" in schema:
            keys += _evaluated_keys(validator, instance, schema["else"])
    return keys


def _passes(errors: _Errors) -> bool:
    return next(errors, None) is None


_REGEX_KEYWORDS = {
    "pattern": _pattern,
    "patternProperties": _pattern_properties,
    "additionalProperties": _additional_properties,
    "unevaluatedProperties": _unevaluated_properties,
}
_DETAILED: dict[Any, Any] = {}


def detailed_class(stock: Any) -> Any:
    """``stock`` (a ``jsonschema`` validator class) with the regex keywords it has replaced."""
    if stock in _DETAILED.values():
        return stock
    if stock not in _DETAILED:
        # only where ``stock`` checks the keyword as 2020-12 does: 2019-09's own
        # ``unevaluatedProperties`` follows ``$recursiveRef``, which ours does not know
        keywords = {
            k: f
            for k, f in _REGEX_KEYWORDS.items()
            if k in stock.VALIDATORS and stock.VALIDATORS[k] is Draft202012Validator.VALIDATORS[k]
        }
        detailed = validators.extend(stock, keywords)
        detailed.evolve = _evolve
        _DETAILED[stock] = detailed
    return _DETAILED[stock]


def _evolve(self: Any, **changes: Any) -> Any:
    # jsonschema's evolve picks the class from a subschema's own "$schema" (as a $ref into
    # another resource does), which would be the stock class with Python's backtracking re:
    # keep the regex keywords whatever the dialect.
    schema = changes.setdefault("schema", self.schema)
    new_class = detailed_class(validators.validator_for(schema, default=type(self)))
    for attribute in fields(type(self)):
        if attribute.init and attribute.alias not in changes:
            changes[attribute.alias] = getattr(self, attribute.name)
    return new_class(**changes)


DetailedValidator: Any = detailed_class(Draft202012Validator)


with_ecma_regexes = detailed_class  # the name the strategies use
