"""Recipes on the command line, as real subprocesses against the simulated Halo over TLS."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import HaloFactory
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
        "rewst", "hire2retire", "n8n", "cipp", "nango", "halo-custom-integration",
        "haloapi-powershell", "script", "other",
    ]  # fmt: skip
    readable = run_cli("recipes")
    assert "n8n" in readable.stdout and "asked for by the tool itself" in readable.stdout
    signs = [line.strip() for line in readable.stdout.splitlines() if "signs in with" in line]
    assert signs.count("signs in with a client secret or a private key") == 2  # script, other
    assert signs.count("signs in with a client secret") == 7
    # What the tool's own code asks Halo for, where it differs from what to tick.
    lines = [line.strip() for line in readable.stdout.splitlines()]
    assert "its token request asks Halo for all (seen)" in lines  # CIPP
    assert "its token request asks Halo for no scope unless one is set in it (seen)" in lines
    assert sum(line.startswith("source: ") for line in lines) == len(ids)


def test_the_recipes_json_names_each_facts_source() -> None:
    listed = {r["id"]: r for r in json.loads(run_cli("recipes", "--json").stdout)}
    cipp = listed["cipp"]
    assert cipp["scopes"] == ["read:tickets", "edit:tickets", "read:customers", "edit:customers"]
    assert cipp["requests"] == ["all"]
    assert cipp["sources"]["scopes"]["sure"] == "documented"
    assert cipp["sources"]["requests"] == {
        "source": "CIPP-API's Get-HaloToken.ps1 (halo-api-reference.md §10)",
        "sure": "seen",
    }
    assert listed["nango"]["requests"] == []
    assert listed["rewst"]["requests"] is None and "requests" not in listed["rewst"]["sources"]
    assert {f["label"]: f["sure"] for f in listed["nango"]["field_sources"]}["Hostname"] == (
        "inferred"
    )


def form_of(
    halo: SimulatedHalo, ca_bundle: str, tool: str, exit_code: int = EXIT_OK
) -> tuple[dict[str, Any], str]:
    """`check --for TOOL` against `halo`: the JSON form's fields by label, and the readable
    report's "Type these into" part."""
    as_json = run_cli(*check_for(halo, ca_bundle, tool, "--json"), secret=halo.client_secret)
    assert as_json.returncode == exit_code, as_json.stdout + as_json.stderr
    data = json.loads(as_json.stdout)
    assert data["for"]["tool"] == tool
    readable = run_cli(*check_for(halo, ca_bundle, tool), secret=halo.client_secret)
    assert readable.returncode == exit_code, readable.stdout + readable.stderr
    assert halo.client_secret not in as_json.stdout + readable.stdout
    return {f["label"]: f for f in data["for"]["fields"]}, readable.stdout


def test_check_for_cipp_on_hosted_trial_and_on_premise(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    hosted = start_halo("healthy")
    fields, said = form_of(hosted, ca_bundle, "cipp")
    assert "Type these into CIPP:" in said
    assert fields["HaloPSA Resource Server URL"]["value"] == f"{hosted.url}/api"
    assert fields["HaloPSA Authorisation Endpoint URL"]["value"] == f"{hosted.url}/auth"
    assert fields["HaloPSA Tenant"]["value"] == "acme"
    assert fields["HaloPSA Client ID"]["value"] == hosted.client_id
    secret = fields["HaloPSA Client Secret"]
    assert secret["value"] is None and secret["secret"] is True
    assert fields["HaloPSA Ticket Type ID"]["value"] == ""
    assert "the page's address" in fields["HaloPSA Ticket Type ID"]["note"]
    trial = start_halo("trial")
    fields, _ = form_of(trial, ca_bundle, "cipp")
    assert fields["HaloPSA Authorisation Endpoint URL"]["value"] == trial.auth_url
    assert not trial.auth_url.endswith("/auth")
    assert fields["HaloPSA Tenant"]["value"] == "SimTrial42"
    own = start_halo("on_premise")
    fields, said = form_of(own, ca_bundle, "cipp")
    assert fields["HaloPSA Tenant"]["value"] == ""
    assert fields["HaloPSA Tenant"]["note"].startswith("Leave it empty")
    assert "HaloPSA Tenant" in said and "Leave it empty" in said


def test_check_for_nango_says_it_cannot_connect_to_a_trial(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    hosted = start_halo("healthy")
    fields, said = form_of(hosted, ca_bundle, "nango")
    assert "Type these into Nango:" in said
    assert fields["Hostname"]["value"] == hosted.url.removeprefix("https://")
    assert fields["Hostname"]["sure"] == "inferred"
    assert fields["Scopes"]["value"] == "read:tickets"
    assert "401 or 403" in fields["Scopes"]["note"]
    assert "cannot connect" not in said
    trial = start_halo("trial")
    # The test itself passes (it signs in where the trial does); Nango would not: an error.
    fields, said = form_of(trial, ca_bundle, "nango", exit_code=1)
    assert fields["Hostname"]["note"].startswith("Nango cannot connect to this Halo")
    assert "Nango cannot connect to this Halo" in said
    assert "Nango cannot sign in to this Halo" in said
    own = start_halo("on_premise")
    fields, said = form_of(own, ca_bundle, "nango")
    assert fields["Hostname"]["value"] == own.url.removeprefix("https://")
    assert "cannot connect" not in said


def test_check_for_n8n_on_premise_keeps_n8ns_default_hosting_type(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    own = start_halo("on_premise", tick_all=True)
    fields, said = form_of(own, ca_bundle, "n8n")
    assert fields["Hosting Type"]["value"] == "On-Premise Solution"
    assert fields["Hosting Type"]["note"] == "n8n's default"
    assert fields["HaloPSA Authorisation Server URL"]["value"] == f"{own.url}/auth"
    assert "on-premise too" in fields["HaloPSA Authorisation Server URL"]["note"]
    assert "Tenant" not in fields
    assert "Type these into n8n:" in said


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
