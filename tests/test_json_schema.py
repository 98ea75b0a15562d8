"""The JSON of check and diagnose against docs/report.schema.json, on real runs over TLS:
every key the schema lists is present in every situation, with the values it allows."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HaloFactory
from tests.test_cli import EXIT_OK, EXIT_PROBLEMS, check_args, run_cli

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[1] / "docs" / "report.schema.json").read_text("utf-8")
)
TYPES: dict[str, Any] = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
    "null": type(None),
}


def problems(value: Any, schema: dict[str, Any], where: str = "$") -> list[str]:
    """What in `value` the schema does not allow (the parts of JSON Schema the file uses)."""
    found: list[str] = []
    kinds = schema.get("type")
    if kinds is not None:
        allowed = [kinds] if isinstance(kinds, str) else kinds
        ok = any(
            isinstance(value, TYPES[k])
            and not (k in ("integer", "number") and value is True)
            and not (k in ("integer", "number") and value is False)
            for k in allowed
        )
        if not ok:
            return [f"{where}: {type(value).__name__} is not {allowed}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of {schema['enum']}"]
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                found.append(f"{where}: no {key!r}")
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                found += problems(value[key], sub, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += problems(item, schema["items"], f"{where}[{index}]")
    return found


def test_the_validator_finds_what_the_schema_does_not_allow() -> None:
    assert problems({"ok": True}, SCHEMA)  # keys missing
    changes = SCHEMA["properties"]["changes"]
    assert problems([{"kind": "nonsense"}], changes)
    assert problems("x", {"type": ["integer", "null"]})
    assert problems(True, {"type": "integer"}), "a boolean is no number"


@pytest.mark.parametrize("scenario", ["healthy", "wrong_secret", "agent_no_permission", "not_halo"])
def test_check_json_matches_the_schema(
    start_halo: HaloFactory, ca_bundle: str, scenario: str
) -> None:
    halo = start_halo(scenario)
    result = run_cli(*check_args(halo, ca_bundle, "--json"), secret=halo.client_secret)
    assert result.returncode in (EXIT_OK, EXIT_PROBLEMS), result.stderr
    data = json.loads(result.stdout)
    assert problems(data, SCHEMA) == []
    assert data["secret_from"] == "environment"


def test_diagnose_json_matches_the_schema_with_every_kind_of_change(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("healthy")
    target = tmp_path / "acme.json"
    saved = run_cli(
        *check_args(halo, ca_bundle, "--save", str(target), "--secret-store", "none"),
        secret=halo.client_secret,
    )
    assert saved.returncode == EXIT_OK, saved.stderr
    halo.scenario = "agent_no_permission"
    result = run_cli(
        "diagnose", "--connection", str(target), "--ca-bundle", ca_bundle, "--json",
        secret=halo.client_secret,
    )  # fmt: skip
    assert result.returncode == EXIT_PROBLEMS, result.stderr
    data = json.loads(result.stdout)
    schema = {**SCHEMA, "required": [*SCHEMA["required"], "last_tested_at", "changes",
                                     "source", "secret_rotated"]}  # fmt: skip
    assert problems(data, schema) == []
    kinds = {change["kind"] for change in data["changes"]}
    assert {"result", "scope", "finding"} <= kinds
    result_change = next(c for c in data["changes"] if c["kind"] == "result")
    assert (result_change["before_value"], result_change["now_value"]) == (True, False)
    tickets = next(
        c for c in data["changes"] if c["scope"] == "read:tickets" and c["kind"] == "scope"
    )
    assert (tickets["before_value"], tickets["now_value"]) == ("ok", "denied")
    new = [c for c in data["changes"] if c["kind"] == "finding" and c["now_value"]]
    assert new and all(c["code"] == c["now_value"] and c["severity"] for c in new)
