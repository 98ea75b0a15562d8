"""The consistency matrix's window side, on each path of the window:

- a new application set up for Rewst, n8n, Hire2Retire or a script of my own, in each
  situation that reaches the test, gets the verdict `check --for` gives the same connection
  (the result, the error codes, each scope's status), and shows it on the headline and the
  Test step;
- "I already have an application" gets the same verdict as `check --for`;
- a file saved for the tool, diagnosed in the window once the situation changed, gets the
  verdict `diagnose --connection` gives it (the tool travelling with the file).

The command line's own matrix is tests/test_consistency_matrix.py."""

from __future__ import annotations

import io
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HaloFactory
from tests.ui.conftest import FileDialogs, WizardFactory
from tests.ui.driver import (
    QT_LOG_MARKS,
    choose_tool,
    click,
    click_next,
    enter_credentials,
    page,
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


def cli_json(argv: list[str], monkeypatch: pytest.MonkeyPatch, secret: str) -> dict[str, Any]:
    """The command line's JSON for `argv`, run in a thread of its own (the window's event
    loop runs in this one)."""
    monkeypatch.setenv("HALO_CLIENT_SECRET", secret)
    out = io.StringIO()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(main, [*argv, "--json"], stdin=io.StringIO(""), stdout=out).result()
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


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

    cli = cli_json(
        ["check", "--host", halo.url, "--client-id", halo.client_id, "--for", tool,
         "--scopes", " ".join(report.requested_scopes), "--ca-bundle", ca_bundle],
        monkeypatch, halo.client_secret,
    )  # fmt: skip
    assert verdict(cli["ok"], cli["findings"], cli["scopes"]) == in_window

    # What the window shows is that verdict: the headline's mark, and the Test step's once
    # the admin has moved on to Save.
    expected = "ok" if report.ok else "error"
    assert live_test.summary.mark.kind in ((expected, "warning") if report.ok else (expected,))
    click_next(qtbot, window, StepKey.EXPORT)
    assert step_rows(window)["Test"][0] == expected


PATH_SITUATIONS = ["healthy", "wrong_secret", "agent_no_permission", "scope_not_ticked"]


@pytest.mark.parametrize("situation", PATH_SITUATIONS)
@pytest.mark.parametrize("tool", ["rewst", "script"])
def test_the_existing_application_path_gives_the_same_verdict(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    monkeypatch: pytest.MonkeyPatch,
    tool: str,
    situation: str,
) -> None:
    halo = start_halo(situation, tick_all=situation != "scope_not_ticked")
    window = make_wizard()
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window, tool)
    click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
    click_next(qtbot, window, StepKey.SCOPES)
    hostname = click_next(qtbot, window, StepKey.HOSTNAME)
    qtbot.keyClicks(hostname.address, halo.url)
    click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    click_next(qtbot, window, StepKey.CREDENTIALS)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None
    data = report.to_dict()
    cli = cli_json(
        ["check", "--host", halo.url, "--client-id", halo.client_id, "--for", tool,
         "--scopes", " ".join(report.requested_scopes), "--ca-bundle", ca_bundle],
        monkeypatch, halo.client_secret,
    )  # fmt: skip
    assert verdict(cli["ok"], cli["findings"], cli["scopes"]) == verdict(
        report.ok, data["findings"], data["scopes"]
    )


@pytest.mark.parametrize("situation", PATH_SITUATIONS)
@pytest.mark.parametrize("tool", ["rewst", "script"])
def test_the_diagnose_path_gives_the_command_lines_verdict_for_a_saved_file(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    files: FileDialogs,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tool: str,
    situation: str,
) -> None:
    """A file saved for the tool while it worked, diagnosed once the situation changed: the
    window (which judges it as the tool's, from the file) and `diagnose` agree."""
    halo = start_halo("healthy", tick_all=situation != "scope_not_ticked")
    saved = tmp_path / "saved.json"
    cli_json(
        ["check", "--host", halo.url, "--client-id", halo.client_id, "--for", tool,
         "--save", str(saved), "--secret-store", "file", "--ca-bundle", ca_bundle],
        monkeypatch, halo.client_secret,
    )  # fmt: skip
    halo.scenario = situation
    window = make_wizard()
    click(qtbot, page(window).diagnose)
    opener = click_next(qtbot, window, StepKey.OPEN)
    files.answers.append(str(saved))
    click(qtbot, opener.open_file_button)
    qtbot.waitUntil(lambda: window.context.flow.state.diagnosing, timeout=8000)
    wait_idle(qtbot, window)
    assert window.context.flow.state.tool == tool, "the tool travels with the file"
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None
    data = report.to_dict()
    cli = cli_json(
        ["diagnose", "--connection", str(saved), "--ca-bundle", ca_bundle],
        monkeypatch, halo.client_secret,
    )  # fmt: skip
    assert verdict(cli["ok"], cli["findings"], cli["scopes"]) == verdict(
        report.ok, data["findings"], data["scopes"]
    )


@pytest.mark.parametrize("situation", PATH_SITUATIONS)
@pytest.mark.parametrize("tool", ["rewst", "script"])
def test_the_diagnose_path_gives_the_command_lines_verdict_for_a_saved_profile(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    browser: Any,
    files: FileDialogs,
    monkeypatch: pytest.MonkeyPatch,
    tool: str,
    situation: str,
) -> None:
    """A profile saved for the tool with `check --save-profile` (its secret in this
    computer's keychain, a real Secret Service), opened in the window once the situation
    changed: the window finds the same secret the command line does, judges the connection
    as the tool's, and agrees with `diagnose --profile`."""
    from wizard.core.store import KeychainStore
    from wizard.ui.context import Services

    halo = start_halo("healthy", tick_all=situation != "scope_not_ticked")
    name = f"matrix {tool} {situation}"
    cli_json(
        ["check", "--host", halo.url, "--client-id", halo.client_id, "--for", tool,
         "--save-profile", name, "--ca-bundle", ca_bundle],
        monkeypatch, halo.client_secret,
    )  # fmt: skip
    # Nothing in the environment for the window: it must find the profile's own secret.
    monkeypatch.delenv("HALO_CLIENT_SECRET")
    halo.scenario = situation
    services = Services(
        secret_store=KeychainStore(), open_url=browser.open, choose_file=files.choose
    )
    window = make_wizard(services=services)
    click(qtbot, page(window).diagnose)
    opener = click_next(qtbot, window, StepKey.OPEN)
    click(qtbot, opener.from_profile)
    rows = [opener.profile_list.item(i).text() for i in range(opener.profile_list.count())]
    opener.profile_list.setCurrentRow(next(i for i, row in enumerate(rows) if name in row))
    qtbot.waitUntil(lambda: window.context.flow.state.diagnosing, timeout=8000)
    wait_idle(qtbot, window)
    state = window.context.flow.state
    assert state.tool == tool, "the tool travels with the profile"
    assert state.diagnosis is not None and state.diagnosis.secret_kept
    assert "Type it below" not in opener.secret_where.text()
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None
    data = report.to_dict()
    out = io.StringIO()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(
            main,
            ["diagnose", "--profile", name, "--ca-bundle", ca_bundle, "--json"],
            stdin=io.StringIO(""),
            stdout=out,
        ).result()
    cli = json.loads(out.getvalue())
    assert cli["secret_from"] == "keychain"
    assert verdict(cli["ok"], cli["findings"], cli["scopes"]) == verdict(
        report.ok, data["findings"], data["scopes"]
    )


@pytest.mark.parametrize("situation", PATH_SITUATIONS)
@pytest.mark.parametrize("tool", ["rewst", "n8n", "hire2retire"])
def test_the_diagnose_path_gives_the_command_lines_verdict_for_a_pasted_form(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tool: str,
    situation: str,
) -> None:
    """The tool's own form, as the wizard fills it, pasted into the window and given to
    `diagnose --from-text`: both recognise the tool from its labels and give one verdict."""
    from tests.test_consistency_matrix import form_text
    from wizard.core import recipes
    from wizard.core.connection_file import ConnectionFile

    halo = start_halo("healthy", tick_all=situation != "scope_not_ticked")
    saved_path = tmp_path / "saved.json"
    cli_json(
        ["check", "--host", halo.url, "--client-id", halo.client_id, "--for", tool,
         "--save", str(saved_path), "--secret-store", "none", "--ca-bundle", ca_bundle],
        monkeypatch, halo.client_secret,
    )  # fmt: skip
    pasted = form_text(tool, ConnectionFile.load(saved_path))
    halo.scenario = situation
    scopes = " ".join(recipes.recipe(tool).scopes)
    window = make_wizard()
    click(qtbot, page(window).diagnose)
    opener = click_next(qtbot, window, StepKey.OPEN)
    click(qtbot, opener.from_text)
    opener.pasted.setPlainText(pasted)
    click(qtbot, opener.read_button)
    qtbot.waitUntil(lambda: window.context.flow.state.diagnosing, timeout=8000)
    assert window.context.flow.state.tool == tool, "recognised from the form's labels"
    if not opener.scopes.text().strip():
        qtbot.keyClicks(opener.scopes, scopes)
    qtbot.keyClicks(opener.secret, halo.client_secret)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None
    data = report.to_dict()
    text_file = tmp_path / "form.txt"
    text_file.write_text(pasted, "utf-8")
    cli = cli_json(
        ["diagnose", "--from-text", str(text_file), "--scopes",
         " ".join(report.requested_scopes), "--ca-bundle", ca_bundle],
        monkeypatch, halo.client_secret,
    )  # fmt: skip
    assert cli["tool"] == tool
    assert verdict(cli["ok"], cli["findings"], cli["scopes"]) == verdict(
        report.ok, data["findings"], data["scopes"]
    )
