"""One verdict on every path: a connection is said to work only when every area it is tested
with returned records, whichever tool, path or scope. The window's side of each case is in
tests/ui/test_tools.py; here the command line, as real subprocesses over TLS."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import HaloFactory
from tests.test_cli import EXIT_OK, EXIT_PROBLEMS, run_cli


def check_for(halo: object, ca_bundle: str, tool: str, *extra: str) -> tuple[int, dict]:
    result = run_cli(
        "check", "--host", halo.url, "--client-id", halo.client_id,  # type: ignore[attr-defined]
        "--for", tool, "--ca-bundle", ca_bundle, "--timeout", "5", "--json", *extra,
        secret=halo.client_secret,  # type: ignore[attr-defined]
    )  # fmt: skip
    assert result.returncode in (EXIT_OK, EXIT_PROBLEMS), result.stdout + result.stderr
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize("tool", ["rewst", "script"])
def test_a_wildcard_connection_whose_agent_cannot_read_tickets_does_not_work(
    start_halo: HaloFactory, ca_bundle: str, tool: str
) -> None:
    """Rewst asks for `all`: under it, tickets, customers and assets are read as for any tool,
    so an agent that may read customers only is found, as for a script of my own."""
    halo = start_halo("agent_no_permission", tick_all=True)
    extra = ("--scopes", "all") if tool == "script" else ()
    code, data = check_for(halo, ca_bundle, tool, *extra)
    assert code == EXIT_PROBLEMS
    assert data["ok"] is False
    scopes = {s["scope"]: s["status"] for s in data["scopes"]}
    assert scopes.get("read:tickets") not in (None, "ok")
    assert scopes.get("read:assets") not in (None, "ok")
    assert scopes.get("read:customers") == "ok"


def test_a_healthy_wildcard_connection_reads_each_area(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("healthy", tick_all=True)
    code, data = check_for(halo, ca_bundle, "rewst")
    assert code == EXIT_OK, data["findings"]
    scopes = {s["scope"]: s["status"] for s in data["scopes"]}
    for area in ("tickets", "customers", "assets"):
        assert scopes[f"read:{area}"] == "ok"


def test_rewsts_own_form_pasted_is_judged_as_rewst_on_every_path(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    """The same connection, new (check --for Rewst) and diagnosed from Rewst's own labels:
    the same verdict, and the all Rewst asks for is said as such on both."""
    halo = start_halo("healthy", tick_all=True)
    code, checked = check_for(halo, ca_bundle, "Rewst")
    assert code == EXIT_OK
    form = tmp_path / "rewst.txt"
    host = halo.url.removeprefix("https://")
    form.write_text(
        f"Resource Server Hostname: {host}\nClient ID: {halo.client_id}\nTenant ID: acme\n"
        "Is On-Premise?: No\n",
        "utf-8",
    )
    result = run_cli(
        "diagnose", "--from-text", str(form), "--ca-bundle", ca_bundle, "--scopes", "all",
        "--json", secret=halo.client_secret,
    )  # fmt: skip
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "Judged as Rewst's connection" in result.stderr
    diagnosed = json.loads(result.stdout)
    assert diagnosed["tool"] == "rewst" and diagnosed["for"]["tool"] == "rewst"
    codes = {f["code"] for f in diagnosed["findings"]}
    assert codes == {f["code"] for f in checked["findings"]}
    assert "TOOL_NEEDS_BROAD_ACCESS" in codes and "BROAD_ACCESS" not in codes
    scopes = {s["scope"]: s["status"] for s in diagnosed["scopes"]}
    assert scopes == {s["scope"]: s["status"] for s in checked["scopes"]}
