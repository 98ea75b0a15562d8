"""Recipes on the command line, as real subprocesses against the simulated Halo over TLS."""

from __future__ import annotations

import json

from tests.test_cli import EXIT_OK, EXIT_USAGE, run_cli
from wizard.sim import SimulatedHalo


def check_for(halo: SimulatedHalo, ca_bundle: str, tool: str, *extra: str) -> list[str]:
    return [
        "check", "--host", halo.url, "--client-id", halo.client_id, "--for", tool,
        "--ca-bundle", ca_bundle, "--timeout", "5", *extra,
    ]  # fmt: skip


def test_recipes_lists_every_tool() -> None:
    result = run_cli("recipes", "--json")
    assert result.returncode == EXIT_OK
    ids = [recipe["id"] for recipe in json.loads(result.stdout)]
    assert ids == [
        "rewst", "hire2retire", "n8n", "halo-custom-integration", "haloapi-powershell",
        "script", "other",
    ]  # fmt: skip
    readable = run_cli("recipes")
    assert "n8n" in readable.stdout and "asked for by the tool itself" in readable.stdout
    signs = [line.strip() for line in readable.stdout.splitlines() if "signs in with" in line]
    assert signs.count("signs in with a client secret or a private key") == 2  # script, other
    assert signs.count("signs in with a client secret") == 5


def test_check_for_a_tool_adds_its_form_and_never_prints_the_secret(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    result = run_cli(
        *check_for(halo, ca_bundle, "rewst", "--scopes", "read:tickets read:customers", "--json"),
        secret=halo.client_secret,
    )
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    data = json.loads(result.stdout)
    assert data["for"]["tool"] == "rewst" and data["for"]["name"] == "Rewst"
    fields = {f["label"]: f for f in data["for"]["fields"]}
    assert fields["Resource Server Hostname"]["value"] == halo.url.removeprefix("https://")
    assert fields["Tenant ID"]["value"] == "acme"
    assert fields["Client Secret"] == {"label": "Client Secret", "value": None, "secret": True}
    assert halo.client_secret not in result.stdout + result.stderr
    readable = run_cli(
        *check_for(halo, ca_bundle, "rewst", "--scopes", "read:tickets"), secret=halo.client_secret
    )
    assert "Type these into Rewst:" in readable.stdout
    assert "never printed" in readable.stdout


def test_a_tool_that_asks_for_its_own_scopes_is_tested_with_them(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    # n8n asks Halo for admin edit:tickets edit:customers; admin is not ticked here.
    result = run_cli(*check_for(halo, ca_bundle, "n8n", "--json"), secret=halo.client_secret)
    data = json.loads(result.stdout)
    assert data["requested_scopes"] == ["admin", "edit:tickets", "edit:customers"]
    missing = [f for f in data["findings"] if f["code"] == "SCOPE_NOT_GRANTED"]
    assert [f["scope"] for f in missing] == ["admin"]


def test_an_unknown_tool_or_no_scopes_at_all_is_a_usage_error(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    unknown = run_cli(*check_for(halo, ca_bundle, "zapier"), secret=halo.client_secret)
    assert unknown.returncode == EXIT_USAGE and "rewst" in unknown.stderr
    neither = run_cli(
        "check", "--host", halo.url, "--client-id", halo.client_id, secret=halo.client_secret
    )
    assert neither.returncode == EXIT_USAGE and "--for" in neither.stderr
    assert not any(r.path.lower() == "/auth/token" for r in halo.requests)
