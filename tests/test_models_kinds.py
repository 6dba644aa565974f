"""Each kind of schema that once broke the generated models, as a minimal schema.

All of them form one schema set (one generated package); each test checks its kind, and
a property test round-trips documents drawn from ``SchemaSet.strategy`` for every schema
of the set through ``decode(SCHEMAS[name], doc)`` / ``encode`` as exact JSON text.
"""

from __future__ import annotations

import copy
import json
import pickle
import re
import subprocess
import sys
from decimal import Decimal
from enum import Enum
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schemakit
from models_support import assert_valid, generated, round_trip, text, write_schemas
from schemakit.core.ecmaregex import to_python

ROOT = Path(__file__).resolve().parents[1]
OBJ = "object"
KINDS: dict[str, Any] = {
    # a property named like a builtin or an imported type: the generator imports the
    # type under an alias (float_aliased), which must survive
    "Builtins": {
        "type": OBJ,
        "properties": {
            "Float": {"type": "number"},
            "str": {"type": "string"},
            "datetime": {"type": "string", "format": "date-time"},
            "when": {"type": "string", "x-python-type": "datetime"},
        },
    },
    "Price": {
        "type": OBJ,
        "properties": {
            "amount": {"type": "number", "format": "decimal"},
            "label": {"type": "string", "format": "decimal"},
            "step": {"type": "number", "multipleOf": 0.01},
        },
    },
    "Triple": {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"type": "string"}, {"type": "string"}],
        "minItems": 3,
        "maxItems": 3,
    },
    "Prefixed": {
        "type": "array",
        "prefixItems": [{"type": "integer"}],
        "items": {"type": "string"},
    },
    "Kind": {"type": "string", "enum": ["a", "b"]},
    "KindA": {"allOf": [{"$ref": "Kind.json"}], "const": "a"},
    "Holder": {
        "type": OBJ,
        "required": ["kind"],
        "properties": {"kind": {"allOf": [{"$ref": "Kind.json"}], "const": "b"}},
    },
    "Nested": {"type": "array", "items": {"$ref": "#"}},
    "NestedMap": {"type": OBJ, "additionalProperties": {"$ref": "#"}},
    "Nothing": {"type": "null"},
    "User": {
        "type": OBJ,
        "properties": {"name": {"type": "string"}, "friend": {"$ref": "#/$defs/Friend"}},
        "$defs": {"Friend": {"$ref": "#"}},
    },
    "Shape": {"enum": [{"kind": "dot"}, {"kind": "line", "points": [1, 2]}, [0, 1]]},
    "Level": {"type": "number", "enum": [1, 2, 3]},
    "Ratio": {"type": "number", "enum": [1, 2.5]},
    "Flag": {"enum": [1, "one", None, True, False, 0]},
    "Cat": {
        "type": OBJ,
        "required": ["kind"],
        "properties": {"kind": {"const": 1}, "meow": {"type": "string"}},
    },
    "Dog": {
        "type": OBJ,
        "required": ["kind"],
        "properties": {"kind": {"const": 2}, "bark": {"type": "string"}},
    },
    "Pet": {
        "oneOf": [{"$ref": "Cat.json"}, {"$ref": "Dog.json"}],
        "discriminator": {"propertyName": "kind", "mapping": {"1": "Cat.json", "2": "Dog.json"}},
    },
    "Item": {"type": OBJ, "required": ["x"], "properties": {"x": {"type": "integer"}}},
    "Bag": {"type": OBJ, "patternProperties": {"^x-": {"$ref": "Item.json"}}},
    "ClosedBag": {
        "type": OBJ,
        "patternProperties": {"^x-": {"$ref": "Item.json"}, "^n-": {"type": "integer"}},
        "additionalProperties": False,
    },
    "Person": {
        "type": OBJ,
        "properties": {
            "home": {"$ref": "#/definitions/Addr"},
            "work": {"$ref": "#/definitions/Addr"},
            "nick": {"$ref": "#/$defs/Person"},
        },
        "definitions": {"Addr": {"type": OBJ, "properties": {"street": {"type": "string"}}}},
        "$defs": {"Person": {"type": "string", "minLength": 1}},
    },
    "Company": {
        "type": OBJ,
        "properties": {"seat": {"$ref": "#/definitions/Addr"}},
        "definitions": {"Addr": {"type": OBJ, "properties": {"city": {"type": "string"}}}},
    },
    "Any": {"type": "string"},
    "Model": {"type": OBJ, "properties": {"any": {"$ref": "Any.json"}}},
    "Strong": {"type": "string", "pattern": "^(?=.*[A-Z]).+$"},
    "Ordered": {
        "type": OBJ,
        "properties": {"first": {"type": "integer"}, "second": {"type": "string"}},
    },
}

SETTINGS = settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


@pytest.fixture(scope="module")
def kinds_set(tmp_path_factory: pytest.TempPathFactory) -> schemakit.SchemaSet:
    return schemakit.load(write_schemas(tmp_path_factory.mktemp("kinds") / "schemas", KINDS))


@pytest.fixture(scope="module")
def kinds(kinds_set: schemakit.SchemaSet, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated(kinds_set, tmp_path_factory.mktemp("kinds_out"), "kinds_models")


def test_schemas_table_covers_every_name(kinds_set: schemakit.SchemaSet, kinds: ModuleType) -> None:
    assert set(kinds.SCHEMAS) == set(kinds_set.names) == set(KINDS)
    assert kinds.SCHEMAS["User"] is kinds.User and kinds.SCHEMAS["Kind"] is kinds.Kind
    assert "SCHEMAS" in kinds.__all__


@pytest.mark.parametrize("name", sorted(KINDS))
@SETTINGS
@given(data=st.data())
def test_every_kind_round_trips(
    kinds_set: schemakit.SchemaSet, kinds: ModuleType, name: str, data: st.DataObject
) -> None:
    document = data.draw(kinds_set.strategy(name))
    assert_valid(kinds_set, name, document)
    assert text(round_trip(kinds, name, document)) == text(document)


def test_import_aliases(kinds: ModuleType) -> None:
    doc = {"Float": 3, "str": "s", "datetime": "2020-01-02T03:04:05Z", "when": "not a date"}
    value = kinds.decode(kinds.SCHEMAS["Builtins"], doc)
    assert value.float == 3 and value.str == "s" and value.when == "not a date"
    assert value.datetime.year == 2020
    assert value.to_dict() == doc


def test_decimals(kinds: ModuleType) -> None:
    doc = {"amount": 0.1, "label": "12.50", "step": 3}
    price = kinds.Price.from_dict(doc)
    assert isinstance(price.amount, Decimal) and price.amount == Decimal("0.1")
    assert price.label == "12.50"  # a decimal *string* stays a string
    assert text(price.to_dict()) == text(doc)
    assert text(kinds.Price.from_dict({"amount": 3}).to_dict()) == '{"amount": 3}'
    assert kinds.encode(kinds.Price(amount=Decimal("2.50"))) == {"amount": 2.5}
    assert kinds.encode(Decimal("4")) == 4
    assert pickle.loads(pickle.dumps(price)).to_dict() == doc
    with pytest.raises(kinds.DecodeError, match="/amount: expected number, got boolean"):
        kinds.Price.from_dict({"amount": True})


def test_tuples(kinds: ModuleType) -> None:
    triple = kinds.decode(kinds.SCHEMAS["Triple"], [1, "a", "b"])
    assert triple == (1, "a", "b")
    assert kinds.encode(triple) == [1, "a", "b"]
    with pytest.raises(kinds.DecodeError, match="expected an array of 3 items, got 2"):
        kinds.decode(kinds.SCHEMAS["Triple"], [1, "a"])
    with pytest.raises(kinds.DecodeError, match="/1: expected string, got integer"):
        kinds.decode(kinds.SCHEMAS["Triple"], [1, 2, "b"])
    # a prefix followed by more items is a list of either
    assert kinds.decode(kinds.SCHEMAS["Prefixed"], [1, "x", "y"]) == [1, "x", "y"]


def test_const_beside_allof(kinds: ModuleType) -> None:
    assert kinds.decode(kinds.SCHEMAS["KindA"], "a") == "a"
    with pytest.raises(kinds.DecodeError):
        kinds.decode(kinds.SCHEMAS["KindA"], "b")
    assert kinds.Holder.from_dict({"kind": "b"}).to_dict() == {"kind": "b"}


def test_recursive_aliases(kinds: ModuleType) -> None:
    nested: list[Any] = [[], [[[]]]]
    assert kinds.encode(kinds.decode(kinds.SCHEMAS["Nested"], nested)) == nested
    tree: dict[str, Any] = {"a": {"b": {}}, "c": {}}
    assert kinds.encode(kinds.decode(kinds.SCHEMAS["NestedMap"], tree)) == tree
    with pytest.raises(kinds.DecodeError):
        kinds.decode(kinds.SCHEMAS["NestedMap"], {"a": 1})
    user = {"name": "a", "friend": {"friend": {"name": "c"}}}
    loaded = kinds.decode(kinds.SCHEMAS["User"], user)
    assert isinstance(loaded.friend.friend, kinds.User)
    assert kinds.encode(loaded) == user


def test_null_root(kinds: ModuleType) -> None:
    assert kinds.decode(kinds.SCHEMAS["Nothing"], None) is None
    with pytest.raises(kinds.DecodeError, match="expected null, got integer"):
        kinds.decode(kinds.SCHEMAS["Nothing"], 0)


def test_object_valued_enums(kinds: ModuleType) -> None:
    shape = kinds.SCHEMAS["Shape"]
    line = {"points": [1, 2], "kind": "line"}
    member = kinds.decode(shape, line)
    assert isinstance(member, Enum)
    written = kinds.encode(member)
    assert written == line
    written["points"].append(3)  # the enum's own value is not shared with the output
    assert kinds.encode(member) == line
    assert kinds.encode(kinds.decode(shape, [0, 1])) == [0, 1]
    with pytest.raises(kinds.DecodeError, match="is not a Shape"):
        kinds.decode(shape, {"kind": "square"})


@pytest.mark.parametrize("name,value", [("Level", 3), ("Ratio", 1), ("Ratio", 2.5)])
def test_numeric_enums_keep_the_number(kinds: ModuleType, name: str, value: Any) -> None:
    written = kinds.encode(kinds.decode(kinds.SCHEMAS[name], value))
    assert json.dumps(written) == json.dumps(value)


@pytest.mark.parametrize("value", [1, "one", None, True, False, 0])
def test_booleans_and_numbers_stay_apart(kinds: ModuleType, value: Any) -> None:
    written = kinds.encode(kinds.decode(kinds.SCHEMAS["Flag"], value))
    assert json.dumps(written) == json.dumps(value)


def test_numeric_discriminator(kinds: ModuleType) -> None:
    dog = kinds.decode(kinds.SCHEMAS["Pet"], {"kind": 2, "bark": "woof"})
    assert isinstance(dog, kinds.Dog) and dog.to_dict() == {"kind": 2, "bark": "woof"}
    cat = kinds.decode(kinds.SCHEMAS["Pet"], {"kind": 1})
    assert isinstance(cat, kinds.Cat)
    with pytest.raises(kinds.DecodeError):
        kinds.decode(kinds.SCHEMAS["Pet"], {"kind": 3})


def test_pattern_properties(kinds: ModuleType) -> None:
    # keys that match no pattern may hold anything
    bag = {"x-one": {"x": 1}, "other": [None, "free"], "x-two": {"x": 2, "y": 0}}
    assert text(kinds.encode(kinds.decode(kinds.SCHEMAS["Bag"], bag))) == text(bag)
    closed = {"x-one": {"x": 1}, "n-two": 2}
    assert text(kinds.encode(kinds.decode(kinds.SCHEMAS["ClosedBag"], closed))) == text(closed)


def test_names(kinds: ModuleType) -> None:
    source = Path(str(kinds.__file__)).with_name("models.py").read_text()
    defined = re.findall(r"^(?:class )?([A-Za-z_]\w*)(?:\(|: TypeAlias)", source, re.M)
    # no Addr1 or Type22: a number only as a position (the 2nd branch of a oneOf: Variant2)
    assert not [name for name in defined if re.search(r"(?<!Variant)(?<!Item)\d+$", name)]
    assert kinds.SCHEMAS["Person"].__name__ == "Person"  # the root keeps its name
    assert kinds.SCHEMAS["Model"].__name__ == "Model"  # not "Model1"
    assert kinds.SCHEMAS["Any"] is kinds.AnySchema  # a name the module needs is not taken
    home = kinds.Person.from_dict({"home": {"street": "s"}, "nick": "n"}).home
    seat = kinds.Company.from_dict({"seat": {"city": "c"}}).seat
    assert type(home).__name__ == "PersonAddr" and type(seat).__name__ == "CompanyAddr"


@SETTINGS
@given(data=st.data())
def test_patterns_generate_ecma_strings(
    kinds_set: schemakit.SchemaSet, data: st.DataObject
) -> None:
    value = data.draw(kinds_set.strategy("Strong"))
    assert kinds_set.validator("Strong").is_valid(value)
    assert not re.search(r"[\n\r\u2028\u2029]", value)


def test_pattern_translation_excludes_line_terminators() -> None:
    translated = re.compile(to_python("^(?=.*[A-Z]).+$"))
    assert translated.search("Ab") and not translated.search("A\r")
    assert not translated.search("A\u2028") and re.compile(to_python("[.]")).search(".")


def test_document_key_order(kinds: ModuleType) -> None:
    doc = {"second": "b", "extra": 1, "first": 1}
    model = kinds.Ordered.from_dict(doc)
    assert list(model.to_dict()) == ["second", "extra", "first"]
    assert list(copy.deepcopy(model).to_dict()) == list(doc)
    assert list(pickle.loads(pickle.dumps(model)).to_dict()) == list(doc)
    built = kinds.Ordered(second="b", first=1)
    assert list(built.to_dict()) == ["first", "second"]  # the schema's order
    model.first = 2
    assert model.to_dict() == {"second": "b", "extra": 1, "first": 2}
    assert model == kinds.Ordered.from_dict({"first": 2, "second": "b", "extra": 1})
    # keys gone since the document was read leave no gap; a key set since goes last
    model.first = kinds.UNSET
    del model.additional_properties["extra"]
    assert list(model.to_dict()) == ["second"]
    late = kinds.Ordered.from_dict({"second": "b"})
    late.first = 1
    assert list(late.to_dict()) == ["second", "first"]


def test_kinds_package_passes_ruff_and_mypy_strict(kinds: ModuleType) -> None:
    package = str(Path(str(kinds.__file__)).parent)
    config = str(ROOT / "pyproject.toml")
    ruff = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--config", config, package],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file", config,
         package],
        capture_output=True, text=True, check=False, cwd=Path(package).parent,
    )  # fmt: skip
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
