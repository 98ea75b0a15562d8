"""One connection, one truth: the consistency matrix of the command line.

For every simulated situation (those that answer at once and need no private key) and four
tools (Rewst, n8n, Hire2Retire, a script of my own), the same connection is judged on three
paths, and the verdict must be the same: the result, the error codes, and each scope's status.

- new:     `check --for TOOL` with the values the saved connection holds;
- saved:   `check --save` in the healthy situation, then `diagnose --connection FILE` once
           the situation has changed (the tool travels with the file);
- pasted:  `diagnose --from-text` of the tool's own form, filled as the wizard fills it (the
           tool recognised from its labels).

The window's paths against the same judgement are in tests/ui/test_tools.py,
tests/ui/test_honest_steps.py and tests/ui/test_diagnose.py. Runs in-process (main()) to keep
the 300-odd runs to seconds; tests/test_one_verdict.py runs some of them as subprocesses.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from wizard.cli import main
from wizard.core import recipes
from wizard.core.connection_file import ConnectionFile
from wizard.sim import SimulatedHalo
from wizard.sim.scenarios import DEMO_SCENARIOS

# Situations left out: they wait on purpose (a Halo that never answers, one that trickles,
# rate limits that ask for a pause) or need a private key instead of a secret.
SLOW_OR_SIGNED = {
    "never_answers",
    "drip",
    "rate_limited",
    "rate_limited_briefly",
    "jwt_assertion",
    "jwt_wrong_key",
}
SITUATIONS = [name for name in DEMO_SCENARIOS if name not in SLOW_OR_SIGNED]
TOOLS = ["rewst", "n8n", "hire2retire", "script"]


def run(argv: list[str], monkeypatch: pytest.MonkeyPatch, secret: str) -> dict[str, Any]:
    monkeypatch.setenv("HALO_CLIENT_SECRET", secret)
    out = io.StringIO()
    code = main([*argv, "--json"], stdin=io.StringIO(""), stdout=out)
    assert code in (0, 1), (argv, out.getvalue())
    data: dict[str, Any] = json.loads(out.getvalue())
    assert (code == 0) == data["ok"]
    return data


def verdict(data: dict[str, Any]) -> tuple[bool, list[str], dict[str, str]]:
    """What must be the same on every path."""
    errors = sorted({f["code"] for f in data["findings"] if f["severity"] == "error"})
    return data["ok"], errors, {s["scope"]: s["status"] for s in data["scopes"]}


def form_text(tool: str, saved: ConnectionFile) -> str:
    """The tool's form as the wizard fills it, one "Label: value" line a field (no secret)."""
    chosen = recipes.recipe(tool)
    facts = recipes.Facts(
        host=saved.host,
        client_id=saved.client_id,
        auth_url=saved.auth_url or saved.host + "/auth",
        token_url=saved.token_url or "",
        tenant=saved.tenant,
        scopes=tuple(saved.scopes),
    )
    fields = recipes.form(chosen, facts)
    return "".join(f"{f.label}: {f.value}\n" for f in fields if f.value is not None)


@pytest.fixture(scope="module")
def module_halo(tls_context: Any) -> Any:
    halo = SimulatedHalo("healthy", tls=tls_context, public_host="localhost", tick_all=True)
    # The matrix sends far more than one integration would in five minutes: the instance-wide
    # rate limit is a situation of its own, not a side effect of the test.
    halo.rate_limit_requests = 1_000_000
    halo.start()
    yield halo
    halo.stop()


@pytest.mark.parametrize("tool", TOOLS)
def test_every_situation_gets_one_verdict_on_every_path(
    tool: str,
    module_halo: SimulatedHalo,
    ca_bundle: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    halo = module_halo
    halo.scenario = "healthy"
    secret = halo.client_secret
    saved_path = tmp_path / "saved.json"
    common = ["--ca-bundle", ca_bundle, "--timeout", "5"]
    scopes = " ".join(recipes.recipe(tool).scopes)
    run(
        ["check", "--host", halo.url, "--client-id", halo.client_id, "--for", tool,
         "--save", str(saved_path), "--secret-store", "file", *common],
        monkeypatch, secret,
    )  # fmt: skip
    saved = ConnectionFile.load(saved_path)
    assert saved.tool == tool
    pasted = tmp_path / "form.txt"
    pasted.write_text(form_text(tool, saved), "utf-8")
    has_tenant = any(spec.source == "tenant" for spec in recipes.recipe(tool).fields)
    differences = []
    for situation in SITUATIONS:
        halo.scenario = situation
        new = run(
            ["check", "--host", saved.host, "--client-id", saved.client_id, "--for", tool,
             *(["--tenant", saved.tenant] if saved.tenant else []), *common],
            monkeypatch, secret,
        )  # fmt: skip
        # A tool whose form has no tenant (Hire2Retire) sends none: its pasted form is the
        # same connection as a new one without --tenant.
        as_the_tool = new
        if not has_tenant:
            as_the_tool = run(
                ["check", "--host", saved.host, "--client-id", saved.client_id, "--for", tool,
                 *common],
                monkeypatch, secret,
            )  # fmt: skip
        from_file = run(["diagnose", "--connection", str(saved_path), *common], monkeypatch, secret)
        from_text = run(
            ["diagnose", "--from-text", str(pasted), "--scopes", scopes, *common],
            monkeypatch, secret,
        )  # fmt: skip
        assert from_file["tool"] == tool and from_text["tool"] == tool, situation
        # The saved file knows the token address from its last test; a situation that moves
        # it is said as such (SAVED_TOKEN_URL_CHANGED) only there: not a verdict of its own.
        judged = {"new": verdict(new), "saved": verdict(from_file)}
        pasted_pair = {
            "new, as the tool sends it": verdict(as_the_tool),
            "pasted": verdict(from_text),
        }
        for pair in (judged, pasted_pair):
            if len({json.dumps(v) for v in pair.values()}) != 1:
                differences.append((situation, pair))
    assert differences == [], json.dumps(differences, indent=1)
