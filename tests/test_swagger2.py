"""Swagger 2.0 documents, read through their OpenAPI 3.0 translation (``load.swagger2``).

``tests/data/swagger2/petstore.yaml`` uses every translation rule once; ``petstore-3.0.yaml``
is its translation written by hand, so the rules are checked against a document a person
wrote, and the two must load into the same schemas and operations. Then: verdicts that
depend on each rule, problems reported at their place in the 2.0 file, every command on a
2.0 document (traffic matched under ``basePath``), and the Docker Engine and Kubernetes
descriptions that ``openapi-spec-validator`` ships (fetched with pip at test time, skipped
only when the index cannot be reached).
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import schemakit
from models_support import generated
from schemakit.cli import main
from schemakit.core.formats import FORMAT_CHECKER
from schemakit.load.swagger2 import translate
from schemakit.testing.fixtures import fixtures
from test_operations import facts

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "swagger2"
PETSTORE = DATA / "petstore.yaml"
PETSTORE_30 = DATA / "petstore-3.0.yaml"


def petstore_document() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(PETSTORE.read_text())
    return document


def write(tmp_path: Path, document: dict[str, Any], name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def petstore() -> schemakit.SchemaSet:
    return schemakit.load(PETSTORE)


# -- the translation ------------------------------------------------------------------
def test_translation_is_the_hand_written_30_document() -> None:
    translated = translate(petstore_document(), str(PETSTORE))
    assert translated.document == yaml.safe_load(PETSTORE_30.read_text())


def _contents(schema_set: schemakit.SchemaSet, file_name: str) -> dict[str, str]:
    """Every resource's contents as JSON text, the document's own name taken out of URIs."""
    return {
        resource.name: json.dumps(resource.contents, sort_keys=True).replace(file_name, "API")
        for resource in schema_set.resources
    }


def test_loads_into_the_schemas_and_operations_of_its_30_translation(
    petstore: schemakit.SchemaSet,
) -> None:
    three = schemakit.load(PETSTORE_30)
    assert petstore.names == three.names
    assert "io.example.v1.Owner" in petstore.names  # names with dots are kept as they are
    assert _contents(petstore, PETSTORE.name) == _contents(three, PETSTORE_30.name)
    assert [facts(op) for op in petstore.operations] == [facts(op) for op in three.operations]


def test_the_input_document_is_not_changed() -> None:
    document = petstore_document()
    before = copy.deepcopy(document)
    translate(document, "api.yaml")
    assert document == before


# (schema, document, valid): each row depends on one rule
VERDICTS = [
    ("Pet", {"id": 1, "name": "Rex", "kind": "Dog"}, True),
    ("Pet", {"id": 1, "name": "Rex", "kind": "Dog", "tag": None}, True),  # x-nullable
    ("Pet", {"id": 1, "name": "Rex", "kind": "Dog", "tag": 3}, False),
    ("Pet", {"id": 1, "name": "Rex", "kind": "Dog", "owner": None}, True),  # x-nullable $ref
    ("Pet", {"id": 1, "name": "Rex", "kind": "Dog", "owner": {"name": 5}}, False),
    ("Pet", {"id": 1, "name": "Rex", "kind": "Dog", "weight": 0}, False),  # boolean exclusive
    ("Pet", {"id": 1, "name": "Rex", "kind": "Dog", "weight": 0.5}, True),
    ("Pet", {"id": 1, "name": "Rex", "kind": "Dog", "nickname": "x" * 21}, False),  # nested ref
    ("Pet", {"id": 2**63, "name": "Rex", "kind": "Dog"}, False),  # int64
    ("Dog", {"id": 1, "name": "Rex", "kind": "Dog", "packSize": -1}, False),  # allOf of a ref
    ("io.example.v1.Owner", {"port": 8080}, True),  # int-or-string
    ("io.example.v1.Owner", {"port": "http"}, True),
    ("io.example.v1.Owner", {"port": 1.5}, False),
    ("uploadPhoto.request", {"file": "...bytes..."}, True),  # type: file
    ("uploadPhoto.request", {"caption": "x"}, False),  # a required form field
    ("updatePet.request", {"name": "Rex", "tag": None}, True),  # inline body schema
    ("listPets.query.tags", ["a", "d"], False),  # items enum of a query parameter
    ("listPets.query.limit", 101, False),  # a global parameter's bound
]


@pytest.mark.parametrize(("name", "document", "valid"), VERDICTS)
def test_verdicts_follow_the_rules(
    petstore: schemakit.SchemaSet, name: str, document: Any, valid: bool
) -> None:
    assert petstore.validator(name).is_valid(document) is valid
    reference = jsonschema.Draft202012Validator(
        petstore.bundle(name), format_checker=FORMAT_CHECKER
    )
    assert reference.is_valid(document) is valid


def test_annotations_are_kept(petstore: schemakit.SchemaSet) -> None:
    pet = petstore.schema("Pet")
    assert pet["discriminator"] == {"propertyName": "kind"}
    assert pet["xml"] == {"name": "pet"} and pet["externalDocs"]["url"].endswith("/pets")
    assert pet["properties"]["id"]["readOnly"] is True
    assert pet["properties"]["name"]["examples"] == ["Rex"]


def test_parameters_bodies_and_responses(petstore: schemakit.SchemaSet) -> None:
    operations = {op.operation_id: op for op in petstore.operations}
    styles = {p.name: (p.style, p.explode) for p in operations["listPets"].parameters}
    assert styles == {
        "X-Request-Id": ("simple", False),  # the path item's, through a global ref
        "limit": ("form", True),
        "tags": ("form", True),  # multi
        "ids": ("form", False),  # csv
        "names": ("pipeDelimited", False),  # pipes
    }
    get_pet = operations["getPet"]
    media = [m.media_type for m in get_pet.responses[0].content]
    assert media == ["application/json", "application/xml"]  # the operation's produces
    assert get_pet.parameters[0].required and get_pet.parameters[0].location == "path"
    assert get_pet.responses[1].content[0].schema == "Error"  # a global response
    headers = operations["listPets"].responses[0].headers
    assert [(h.name, h.schema) for h in headers] == [
        ("X-Rate-Limit", "listPets.response.200.header.X-Rate-Limit")
    ]
    upload, rename = operations["uploadPhoto"], operations["renamePet"]
    assert upload.request_body is not None and rename.request_body is not None
    assert [m.media_type for m in upload.request_body.content] == ["multipart/form-data"]
    assert [m.media_type for m in rename.request_body.content] == [
        "application/x-www-form-urlencoded"
    ]
    assert operations["listPets"].servers == (
        "https://pets.example.com/v2",
        "http://pets.example.com/v2",
    )


@pytest.mark.parametrize(
    ("fields", "servers"),
    [
        ({}, []),
        ({"basePath": "/v1.53"}, [{"url": "/v1.53"}]),  # no host: a relative server
        ({"host": "api.example.com"}, [{"url": "https://api.example.com"}]),
        (
            {"host": "api.example.com:8443", "basePath": "/api/", "schemes": ["http", "wss"]},
            [{"url": "http://api.example.com:8443/api"}, {"url": "wss://api.example.com:8443/api"}],
        ),
    ],
)
def test_servers_from_host_base_path_and_schemes(
    fields: dict[str, Any], servers: list[dict[str, str]]
) -> None:
    document = {"swagger": "2.0", "info": {"title": "x", "version": "1"}, "paths": {}, **fields}
    assert translate(document, "api.yaml").document.get("servers", []) == servers


def test_media_types_default_to_json() -> None:
    document = {
        "swagger": "2.0",
        "info": {"title": "x", "version": "1"},
        "paths": {
            "/a": {
                "post": {
                    "parameters": [{"name": "b", "in": "body", "schema": {"type": "object"}}],
                    "responses": {"200": {"description": "ok", "schema": {"type": "string"}}},
                }
            }
        },
    }
    operation = translate(document, "api.yaml").document["paths"]["/a"]["post"]
    assert list(operation["requestBody"]["content"]) == ["application/json"]
    assert list(operation["responses"]["200"]["content"]) == ["application/json"]


# -- problems, at their place in the 2.0 file -----------------------------------------
def _pets_get(document: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = document["paths"]["/pets"]["get"]
    return operation


BROKEN: list[tuple[Callable[[dict[str, Any]], Any], str, str]] = [
    (
        lambda d: d["definitions"]["Pet"]["properties"].update(x={"$ref": "#/definitions/Nope"}),
        "#/definitions/Pet/properties/x/$ref",
        "cannot resolve $ref '#/definitions/Nope'",
    ),
    (  # x-nullable beside a $ref: translated into an anyOf, reported where it is written
        lambda d: d["definitions"]["Pet"]["properties"]["owner"].update({"$ref": "#/x/y"}),
        "#/definitions/Pet/properties/owner/$ref",
        "cannot resolve $ref '#/x/y'",
    ),
    (
        lambda d: d["definitions"]["io.example.v1.Owner"]["properties"].update(x={"type": 5}),
        "#/definitions/io.example.v1.Owner/properties/x/type",
        "not a valid draft 2020-12 schema",
    ),
    (
        lambda d: d["paths"]["/pets/{petId}"]["put"]["parameters"][0]["schema"].update(type=5),
        "#/paths/~1pets~1{petId}/put/parameters/0/schema/type",
        "not a valid draft 2020-12 schema",
    ),
    (
        lambda d: _pets_get(d)["responses"]["200"]["schema"].update(minItems=-1),
        "#/paths/~1pets/get/responses/200/schema/minItems",
        "not a valid draft 2020-12 schema",
    ),
    (
        lambda d: _pets_get(d)["parameters"][1].update(pattern="(a"),
        "#/paths/~1pets/get/parameters/1/pattern",
        "not a valid draft 2020-12 schema",
    ),
    (
        lambda d: _pets_get(d)["parameters"].append({"$ref": "#/parameters/nope"}),
        "#/paths/~1pets/get/parameters/4",
        "no such parameter",
    ),
    (
        lambda d: d["paths"]["/pets/{petId}/photo"]["post"]["parameters"].append(
            {"name": "b", "in": "body", "schema": {}}
        ),
        "#/paths/~1pets~1{petId}~1photo/post/parameters/1",
        "both a body and formData parameters",
    ),
    (lambda d: _pets_get(d)["parameters"].append(5), "#/paths/~1pets/get/parameters/4", "mapping"),
    (
        lambda d: _pets_get(d)["parameters"].append({"in": "query", "type": "string"}),
        "#/paths/~1pets/get/parameters/4",
        "a parameter needs a name",
    ),
    (lambda d: _pets_get(d).update(consumes="text/plain"), "#/paths/~1pets/get/consumes", "list"),
    (lambda d: d.update(definitions=[]), "#/definitions", "definitions is not a mapping"),
    (
        lambda d: d["paths"]["/pets/{petId}"]["get"]["responses"].update({"500": 5}),
        "#/paths/~1pets~1{petId}/get/responses/500",
        "a response must be a mapping",
    ),
    (lambda d: d.update(swagger="1.2"), "", "unsupported Swagger version '1.2' (2.0 is)"),
]


@pytest.mark.parametrize(("change", "where", "message"), BROKEN)
def test_problems_are_reported_where_the_2_0_file_has_them(
    tmp_path: Path, change: Callable[[dict[str, Any]], Any], where: str, message: str
) -> None:
    document = petstore_document()
    change(document)
    path = write(tmp_path, document)
    with pytest.raises(schemakit.SchemaLoadError) as caught:
        schemakit.load(path)
    assert caught.value.where == f"{path}{where}"
    assert message in caught.value.message


def test_lint_findings_name_the_2_0_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = petstore_document()
    document["definitions"]["Error"]["properties"]["code"]["minimum"] = 5
    document["definitions"]["Error"]["properties"]["code"]["maximum"] = 1
    path = write(tmp_path, document)
    code, out, _err = run(capsys, "lint", "--schemas", str(path))
    assert code == 1
    assert f"{path}#/definitions/Error/properties/code" in out


# -- every command on a 2.0 document --------------------------------------------------
def test_list_validate_fixtures_and_bundle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas = str(PETSTORE)
    code, out, _ = run(capsys, "list", "--schemas", schemas)
    assert code == 0 and out.split() == ["Dog", "Error", "NewPet", "Pet", "io.example.v1.Owner"]
    fixtures = tmp_path / "pets.jsonl"
    code, _, _ = run(
        capsys, "fixtures", "--schemas", schemas, "-n", "20", "Dog", "--jsonl", str(fixtures)
    )
    assert code == 0
    bundle = tmp_path / "dog.json"
    assert run(capsys, "bundle", "--schemas", schemas, "Dog", "-o", str(bundle))[0] == 0
    reference = jsonschema.Draft202012Validator(
        json.loads(bundle.read_text()), format_checker=FORMAT_CHECKER
    )
    documents = [json.loads(line) for line in fixtures.read_text().split("\n") if line]
    assert len(documents) == 20
    assert all(reference.is_valid(document) for document in documents)
    code, out, _ = run(capsys, "validate", "--schemas", schemas, "-s", "Dog", str(fixtures))
    assert code == 0 and out.count(": valid\n") == 20
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**documents[0], "packSize": -1}))
    code, out, _ = run(capsys, "validate", "--schemas", schemas, "-s", "Dog", str(bad))
    assert code == 1 and "packSize" in out


def test_diff_of_two_2_0_versions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    document = petstore_document()
    document["definitions"]["NewPet"]["properties"]["name"]["maxLength"] = 10
    newer = write(tmp_path, document, "newer.yaml")
    code, out, _ = run(capsys, "diff", str(PETSTORE), str(newer))
    assert code == 1, out
    assert "NewPet" in out and "maxLength" in out


def test_models_round_trip(tmp_path: Path, petstore: schemakit.SchemaSet) -> None:
    package = generated(petstore, tmp_path, "pets_models")
    pet = {"id": 1, "name": "Rex", "kind": "Dog", "tag": None, "owner": {"port": 8080}}
    decoded = package.Pet.from_dict(pet)
    assert decoded.to_dict() == pet


def _har_entry(method: str, url: str, status: int, body: Any = None, form: str = "") -> Any:
    request: dict[str, Any] = {"method": method, "url": url, "headers": [], "queryString": []}
    if form:
        request["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": form}
        request["headers"] = [
            {"name": "Content-Type", "value": "application/x-www-form-urlencoded"}
        ]
    text = "" if body is None else json.dumps(body)
    response = {
        "status": status,
        "headers": [{"name": "Content-Type", "value": "application/json"}],
        "content": {"mimeType": "application/json", "text": text},
    }
    return {"request": request, "response": response}


def _har(tmp_path: Path, entries: list[Any]) -> Path:
    path = tmp_path / "pets.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    return path


def _exchanges(out: str) -> list[dict[str, Any]]:
    """The exchange records of ``traffic --format json`` (one JSON object a line)."""
    records = [json.loads(line) for line in out.split("\n") if line]
    return [record for record in records if "index" in record]


def test_traffic_is_matched_under_host_and_base_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = "https://pets.example.com/v2"
    har = _har(
        tmp_path,
        [
            _har_entry("GET", f"{base}/pets?tags=a&tags=b&ids=1,2", 200, [{"id": 1}]),
            _har_entry("GET", f"{base}/pets?limit=1000", 200, []),
            _har_entry("GET", f"{base}/pets/7", 404, {"code": 4, "message": "gone"}),
            _har_entry("POST", f"{base}/pets/7/rename", 204, form="name="),
            _har_entry("GET", "https://pets.example.com/pets", 200, []),  # outside basePath
        ],
    )
    code, out, _ = run(capsys, "traffic", "--schemas", str(PETSTORE), "--format", "json", str(har))
    assert code == 1
    exchanges = _exchanges(out)
    assert [e.get("operation") for e in exchanges[:4]] == [
        "listPets",
        "listPets",
        "getPet",
        "renamePet",
    ]
    messages = [[error["message"] for error in e["errors"]] for e in exchanges]
    assert any("'name' is a required property" in m for m in messages[0])
    assert any("greater than the maximum of 100" in m for m in messages[1])
    assert messages[2] == []
    assert any("should be non-empty" in m for m in messages[3])
    assert exchanges[4].get("operation") is None


def test_traffic_under_a_base_path_without_host(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = petstore_document()
    del document["host"], document["schemes"]
    path = write(tmp_path, document)
    har = _har(tmp_path, [_har_entry("GET", "http://127.0.0.1:8080/v2/pets/3", 200, {"id": 3})])
    code, out, _ = run(capsys, "traffic", "--schemas", str(path), "--format", "json", str(har))
    (exchange,) = _exchanges(out)
    assert exchange.get("operation") == "getPet"
    assert code == 1 and any("'name' is a required" in e["message"] for e in exchange["errors"])


# -- the Docker Engine and Kubernetes descriptions ------------------------------------
def _corpus_module() -> Any:
    spec = importlib.util.spec_from_file_location("corpus", ROOT / "benchmarks" / "corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("corpus", module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def specs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``tests/bench/specs`` of the openapi-spec-validator sdist (docker.yaml, kubernetes.yaml)."""
    corpus = _corpus_module()
    try:
        archive = corpus.sdist(*corpus.OPENAPI)
    except Exception as exc:  # no package index: nothing to test against
        pytest.skip(f"cannot download the openapi-spec-validator sdist: {exc}")
    folder = tmp_path_factory.mktemp("specs")
    for member in archive.getmembers():
        if member.name.endswith(("/specs/docker.yaml", "/specs/kubernetes.yaml")):
            target = folder / Path(member.name).name
            extracted = archive.extractfile(member)
            assert extracted is not None
            target.write_bytes(extracted.read())
    return folder


def _sample(names: list[str], size: int) -> list[str]:
    step = max(1, len(names) // size)
    return names[::step][:size]


def _generated_are_valid(schema_set: schemakit.SchemaSet, names: list[str]) -> Iterator[str]:
    """The names whose generated documents the reference validator rejects."""
    for name in names:
        reference = jsonschema.Draft202012Validator(
            schema_set.bundle(name), format_checker=FORMAT_CHECKER
        )
        documents = list(fixtures(schema_set, name, 5, seed=0))
        assert len(documents) == 5
        if not all(reference.is_valid(document) for document in documents):
            yield name


@pytest.fixture(scope="module")
def docker(specs: Path) -> schemakit.SchemaSet:
    return schemakit.load(specs / "docker.yaml")


def test_docker_engine_api(docker: schemakit.SchemaSet) -> None:
    definitions = yaml.safe_load((Path(docker.source)).read_text())["definitions"]
    assert set(docker.names) == set(definitions)
    assert docker.resource("ContainerConfig").origin.endswith(
        "docker.yaml#/definitions/ContainerConfig"
    )
    create = next(op for op in docker.operations if op.operation_id == "ContainerCreate")
    assert create.servers == ("/v1.53",)
    assert create.request_body is not None
    assert "application/json" in [m.media_type for m in create.request_body.content]
    sample = sorted({*_sample(sorted(docker.names), 8), "ContainerConfig", "Mount"})
    assert list(_generated_are_valid(docker, sample)) == []


def test_docker_engine_models(docker: schemakit.SchemaSet, tmp_path: Path) -> None:
    package = generated(docker, tmp_path, "docker_models")
    mount = {
        "Target": "/data",
        "Type": "volume",
        "ReadOnly": True,
        "VolumeOptions": {"NoCopy": True},
    }
    assert package.Mount.from_dict(mount).to_dict() == mount
    config = {"Hostname": "web", "Env": ["A=1"], "Healthcheck": {"Interval": 1000}}
    assert package.ContainerConfig.from_dict(config).to_dict() == config


def test_kubernetes_api(specs: Path) -> None:
    path = specs / "kubernetes.yaml"
    k8s = schemakit.load(path)
    assert set(k8s.names) == set(json.loads(path.read_text())["definitions"])
    pod = "io.k8s.api.core.v1.Pod"
    assert k8s.resource(pod).origin == f"{path}#/definitions/{pod}"
    port = k8s.validator("io.k8s.api.core.v1.ServicePort")
    assert port.is_valid({"port": 80, "targetPort": 8080})  # int-or-string
    assert port.is_valid({"port": 80, "targetPort": "http"})
    assert not port.is_valid({"port": "80"})
    sample = sorted({*_sample(sorted(k8s.names), 8), pod, "io.k8s.api.core.v1.ServicePort"})
    assert list(_generated_are_valid(k8s, sample)) == []
