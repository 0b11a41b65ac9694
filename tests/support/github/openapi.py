"""Validate response bodies against GitHub's official OpenAPI description.

OpenAPI 3.0 schemas are JSON Schema with `nullable`; they are rewritten once (nullable -> a null
alternative) and validated with jsonschema, `$ref`s resolved inside the one document.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.support.paths import OPENAPI

BASE_URI = "urn:github-openapi"


def _with_null(node: dict[str, Any]) -> dict[str, Any]:
    if (
        "type" in node
        and isinstance(node["type"], str)
        and not any(k in node for k in ("allOf", "anyOf", "oneOf", "$ref"))
    ):
        out = {**node, "type": [node["type"], "null"]}
        if "enum" in out and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    return {"anyOf": [node, {"type": "null"}]}


def to_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schema -> JSON Schema: `nullable: true` becomes an explicit null alternative."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: to_json_schema(value) for key, value in node.items() if key != "nullable"}
    return _with_null(converted) if node.get("nullable") is True else converted


@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    greedy: re.Pattern[str]


class OpenApi:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.registry = Registry().with_resource(
            BASE_URI, Resource.from_contents(document, default_specification=DRAFT7)
        )
        self.operations = [
            Operation(
                method.upper(), template, _template_pattern(template), _greedy_pattern(template)
            )
            for template, item in document["paths"].items()
            for method in item
            if method in ("get", "post", "put", "patch", "delete")
        ]
        self.operations.sort(key=lambda op: op.template.count("{"))

    def example(self, template: str, method: str = "get", status: str = "200") -> Any:
        """The documented example answer of an operation (resolved through $ref)."""
        content = self.document["paths"][template][method]["responses"][status]["content"]
        example = next(iter(content["application/json"]["examples"].values()))
        while "$ref" in example:
            example = self._resolve(example["$ref"])
        return example["value"]

    def find(self, method: str, path: str) -> Operation | None:
        for operation in self.operations:
            if operation.method == method and operation.pattern.fullmatch(path):
                return operation
        greedy = [op for op in self.operations if op.method == method and op.greedy.fullmatch(path)]
        return max(greedy, key=lambda op: len(re.sub(r"\{[^}]+\}", "", op.template)), default=None)

    def errors(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """Why `body` is not what GitHub documents for this operation and status ([] when it is)."""
        operation = self.find(method, path)
        if operation is None:
            return [f"{method} {path}: no such operation in GitHub's OpenAPI description"]
        responses = self.document["paths"][operation.template][method.lower()]["responses"]
        key = (
            str(status)
            if str(status) in responses
            else "default" if "default" in responses else None
        )
        if key is None:
            return [f"{method} {operation.template}: status {status} is not documented"]
        response = responses[key]
        if "$ref" in response:
            response = self._resolve(response["$ref"])
        content = (response.get("content") or {}).get("application/json")
        if content is None or "schema" not in content:
            return (
                []
                if body is None
                else [f"{method} {operation.template} {status}: no JSON body is documented"]
            )
        pointer = _pointer(
            [
                "paths",
                operation.template,
                method.lower(),
                "responses",
                key,
                "content",
                "application/json",
                "schema",
            ]
        )
        if "$ref" in responses[key]:
            pointer = responses[key]["$ref"] + "/content/application~1json/schema"
        validator = Draft7Validator({"$ref": f"{BASE_URI}{pointer}"}, registry=self.registry)
        return [
            f"{method} {operation.template} {status}: {'/'.join(map(str, e.absolute_path)) or '<body>'}: {e.message[:200]}"
            for e in validator.iter_errors(body)
        ][:10]

    def _resolve(self, ref: str) -> dict[str, Any]:
        node: Any = self.document
        for part in ref.lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


def _template_pattern(template: str) -> re.Pattern[str]:
    escaped = re.escape(template)
    return re.compile(re.sub(r"\\\{[^}]+\\\}", r"[^/]+", escaped))


def _greedy_pattern(template: str) -> re.Pattern[str]:
    """A trailing parameter may hold slashes: `git/refs/{ref}` with heads/oasis/auto-fix."""
    escaped = re.escape(template)
    pattern = re.sub(r"\\\{[^}]+\\\}", r"[^/]+", escaped)
    if template.endswith("}"):
        pattern = pattern[: -len("[^/]+")] + ".+"
    return re.compile(pattern)


def _pointer(parts: list[str]) -> str:
    return "#/" + "/".join(part.replace("~", "~0").replace("/", "~1") for part in parts)


@functools.lru_cache(maxsize=1)
def load() -> OpenApi:
    with gzip.open(OPENAPI, "rt", encoding="utf-8") as handle:
        return OpenApi(to_json_schema(json.load(handle)))
