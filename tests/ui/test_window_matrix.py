"""The consistency matrix's window side: a new application set up in the window for Rewst,
n8n, Hire2Retire or a script of my own gets, in each situation that reaches the test, the
verdict `check --for` gives the same connection (the result, the error codes, each scope's
status), and the window shows it: the headline's mark and the Test step's."""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.conftest import HaloFactory
from tests.ui.conftest import WizardFactory
from tests.ui.driver import (
    QT_LOG_MARKS,
    click_next,
    enter_credentials,
    wait_idle,
    walk_to_credentials,
)
from tests.ui.test_honest_steps import step_rows
from wizard.cli import main
from wizard.flow import StepKey

pytestmark = QT_LOG_MARKS

SITUATIONS = [
    "healthy",
    "wrong_secret",
    "scope_not_ticked",
    "scope_rejected",
    "agent_no_permission",
    "agent_sees_nothing",
    "application_identity",
]
TOOLS = ["rewst", "n8n", "hire2retire", "script"]


def verdict(ok: bool, findings: list[Any], scopes: list[Any]) -> tuple[Any, ...]:
    errors = sorted({f["code"] for f in findings if f["severity"] == "error"})
    return ok, errors, {s["scope"]: s["status"] for s in scopes}


@pytest.mark.parametrize("situation", SITUATIONS)
@pytest.mark.parametrize("tool", TOOLS)
def test_the_window_and_the_command_line_give_one_verdict(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    monkeypatch: pytest.MonkeyPatch,
    tool: str,
    situation: str,
) -> None:
    halo = start_halo(situation, tick_all=situation not in ("scope_not_ticked", "scope_rejected"))
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo, tool=tool, preset=None)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None
    data = report.to_dict()
    in_window = verdict(report.ok, data["findings"], data["scopes"])

    monkeypatch.setenv("HALO_CLIENT_SECRET", halo.client_secret)
    out = io.StringIO()
    argv = [
        "check", "--host", halo.url, "--client-id", halo.client_id, "--for", tool,
        "--scopes", " ".join(report.requested_scopes), "--ca-bundle", ca_bundle, "--json",
    ]  # fmt: skip
    # In a thread of its own: the window's event loop runs in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(main, argv, stdin=io.StringIO(""), stdout=out).result()
    cli = json.loads(out.getvalue())
    assert verdict(cli["ok"], cli["findings"], cli["scopes"]) == in_window

    # What the window shows is that verdict: the headline's mark, and the Test step's once
    # the admin has moved on to Save.
    expected = "ok" if report.ok else "error"
    assert live_test.summary.mark.kind in ((expected, "warning") if report.ok else (expected,))
    click_next(qtbot, window, StepKey.EXPORT)
    assert step_rows(window)["Test"][0] == expected
