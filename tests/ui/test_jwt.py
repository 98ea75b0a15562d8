"""JWT Assertion (Services) in the window: the key pair made on the Create-application page,
its public key registered in the simulated Halo as an admin pastes it, a test that signs
instead of sending a secret, and a connection file that says where the private key is and
never holds it; a key Halo does not hold is refused with what to check."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.conftest import HaloFactory
from tests.ui.conftest import FakeKeychain, FileDialogs, WizardFactory
from tests.ui.driver import (
    NEXT,
    QT_LOG_MARKS,
    choose_tool,
    click,
    click_next,
    page,
    shot,
    wait_idle,
)
from tests.ui.test_paths import save_file
from wizard.core import assertion
from wizard.core.connection_file import ConnectionFile
from wizard.core.messages import Front
from wizard.core.secrets import PRIVATE_KEY_SUFFIX, account_for, is_own_account
from wizard.flow import AuthMethod, StepKey
from wizard.sim import SimulatedHalo
from wizard.ui.app import demo_state
from wizard.ui.demo import DemoSession
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS


def make_key_pair(
    qtbot: Any, window: WizardWindow, shots: str | None = None, tool: str = "script"
) -> Any:
    """From Welcome to the Create-application page for `tool`, choose JWT Assertion there,
    and wait for the key pair; returns the page."""
    click(qtbot, page(window).new)
    choose_tool(qtbot, window, tool)
    create = click_next(qtbot, window, StepKey.CREATE_APP)
    assert create.secret_method.isChecked() and not create.key_box.isVisible()
    click(qtbot, create.key_method)
    assert window.context.flow.state.auth_method is AuthMethod.ASSERTION
    assert create.key_box.isVisible()
    # The key is made in a worker: the window goes on answering, Next waits for it.
    if create.busy:
        assert not window.button(NEXT).isEnabled()
        assert create.key_status.label.text() == "Making a key pair (RSA, 3072 bits)\u2026"
        shot(window, shots, "03-create-making-key")
    qtbot.waitUntil(lambda: window.context.flow.state.private_key is not None, timeout=30_000)
    wait_idle(qtbot, window)
    assert window.button(NEXT).isEnabled()
    return create


def paste_into_halo(qtbot: Any, create: Any, halo: SimulatedHalo) -> str:
    """Copy the public key as shown and register it with the simulated Halo, as an admin
    pastes it into the application's public key field and clicks Save."""
    QApplication.clipboard().setText("")
    click(qtbot, create.copy_key_button)
    pasted = QApplication.clipboard().text()
    halo.assertion_public_key = pasted
    return pasted


def to_credentials(qtbot: Any, window: WizardWindow, halo: SimulatedHalo) -> Any:
    click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
    click_next(qtbot, window, StepKey.SCOPES)
    hostname = click_next(qtbot, window, StepKey.HOSTNAME)
    qtbot.keyClicks(hostname.address, halo.url)
    click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    return click_next(qtbot, window, StepKey.CREDENTIALS)


def test_a_jwt_assertion_connection_is_made_tested_and_saved_without_its_key_in_the_file(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    keychain: FakeKeychain,
) -> None:
    halo = start_halo("jwt_assertion")
    window = make_wizard()
    create = make_key_pair(qtbot, window, shots="jwt")
    state = window.context.flow.state
    key = state.private_key
    assert key.key_size == 3072
    shown = create.public_key.text()
    assert shown.startswith("-----BEGIN PUBLIC KEY-----")
    assert shown.endswith("-----END PUBLIC KEY-----")
    assert len(state.public_key_pem) <= assertion.PUBLIC_KEY_LIMIT
    assert shown == assertion.public_pem(key).strip()
    where = create.key_where.plain_text()
    assert "Authentication Method to JWT Assertion (Services)" in where
    assert "View Applications" in where and "click Save" in where
    # The private key is never shown.
    assert "PRIVATE KEY" not in " ".join(
        label.text() for label in create.findChildren(type(create.key_where))
    )
    steps = create.steps.plain_text()
    assert "Authentication Method: choose JWT Assertion (Services)" in steps
    assert "Generate" not in steps, "no secret to generate"
    pasted = paste_into_halo(qtbot, create, halo)
    assert pasted == state.public_key_pem
    assert create.key_copied.text() == "Copied the public key. Paste all of it into Halo."
    shot(window, "jwt", "03-create-key")
    create.scroll_area.ensureWidgetVisible(create.key_private)
    shot(window, "jwt", "03-create-key-scrolled")

    credentials = to_credentials(qtbot, window, halo)
    # Only the Client ID: there is no secret.
    assert credentials.title() == "Client ID"
    assert not credentials.secret.isVisible() and not credentials.remember.isVisible()
    assert credentials.key_note.isVisible()
    assert not window.button(NEXT).isEnabled()
    assert credentials.blocked.text() == "To continue: enter the Client ID."
    qtbot.keyClicks(credentials.client_id, halo.client_id)
    assert window.button(NEXT).isEnabled(), "no secret is asked for"
    shot(window, "jwt", "07-credentials")
    click(qtbot, credentials.advanced)
    assert credentials.audience.isVisible() and credentials.issuer.isVisible()
    token_url = window.context.flow.state.discovery.token_url  # type: ignore[union-attr]
    assert credentials.audience.placeholderText() == assertion.default_audience(token_url)
    assert credentials.issuer.placeholderText() == halo.client_id
    assert "Halo does not publish which audience it expects" in credentials.assertion_hint.text()
    shot(window, "jwt", "07-credentials-advanced")

    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None and report.ok, report and report.codes()
    assert live_test.summary.label.text() == "The connection works."
    tokens = [r for r in halo.requests if r.path.endswith("/token")]
    assert tokens and all("client_assertion" in r.form for r in tokens)
    assert not any("client_secret" in r.form for r in tokens), "no secret travels"
    shot(window, "jwt", "08-test")

    export = click_next(qtbot, window, StepKey.EXPORT)
    assert export.key_box.isVisible() and not export.secret_box.isVisible()
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=5000)
    assert export.key_keychain_radio.isChecked()
    # For a script of one's own: the variables name the method and the assertion it signs,
    # and say where the key is kept; no secret, and never the key.
    assert export.env_box.isVisible()
    QApplication.clipboard().setText("")
    click(qtbot, export.env_button)
    commands = QApplication.clipboard().text()
    assert "export HALO_AUTH_METHOD='jwt_assertion'" in commands
    assert f"export HALO_ASSERTION_ISSUER='{halo.client_id}'" in commands
    assert "HALO_CLIENT_SECRET" not in commands and "PRIVATE KEY-----" not in commands
    assert "kept in the keychain" in commands.splitlines()[-1]
    assert "The private key is not included" in export.env_result.text()
    shot(window, "jwt", "09-export")
    data = save_file(qtbot, window)
    path = window.context.flow.state.exported_to
    assert path is not None
    written = Path(path).read_text(encoding="utf-8")
    assert "PRIVATE KEY" not in written and "BEGIN" not in written
    assert data["auth_method"] == "jwt_assertion"
    # An entry of its own for this connection, named in the file.
    account = data["assertion"]["private_key"]["account"]
    assert account.startswith(account_for(halo.url, halo.client_id) + " [")
    assert account.endswith(PRIVATE_KEY_SUFFIX) and is_own_account(account)
    assert data["assertion"]["private_key"] == {
        "store": "keychain",
        "service": "Halo connection wizard",
        "account": account,
    }
    assert data["secret"]["store"] == "none"
    assert ConnectionFile.load(path).auth_method == "jwt_assertion"
    # The key is in the keychain, under the entry the file names; no secret was stored.
    kept = keychain.private_keys[(halo.url, halo.client_id)]
    assert assertion.load_private_key_pem(kept).private_numbers() == key.private_numbers()
    assert keychain.stored == {}
    said = export.save_result.label.text()
    assert f"account \u201c{account}\u201d" in said
    shot(window, "jwt", "09-export-saved")


def test_a_key_halo_does_not_hold_is_refused_with_what_to_check(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    # The pair is made, but the public key is never pasted: Halo holds another one.
    halo = start_halo("jwt_wrong_key")
    window = make_wizard()
    make_key_pair(qtbot, window)
    credentials = to_credentials(qtbot, window, halo)
    qtbot.keyClicks(credentials.client_id, halo.client_id)
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    views = {view.finding.code: view for view in live_test.finding_views}
    assert "ASSERTION_REFUSED" in views, sorted(views)
    finding = views["ASSERTION_REFUSED"].finding
    checks = " ".join(finding.fix_for(Front.WINDOW))
    for what in ("JWT Assertion (Services)", "public key", "Save", "clock", "audience"):
        assert what in checks, what
    shot(window, "jwt-wrong-key", "08-test")
    # What the wizard can change itself: the audience and the issuer.
    button = views["ASSERTION_REFUSED"].fix_button
    assert button is not None and button.text() == "Change the audience or issuer"
    click(qtbot, button)
    qtbot.waitUntil(lambda: window.context.flow.current is StepKey.CREDENTIALS)
    credentials = page(window)
    assert credentials.advanced.isChecked() and credentials.audience.isVisible()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is credentials.audience)


def test_a_tool_that_sends_a_secret_cannot_choose_the_key_method(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    click(qtbot, page(window).new)
    choose_tool(qtbot, window, "rewst")
    create = click_next(qtbot, window, StepKey.CREATE_APP)
    assert not create.key_method.isEnabled()
    assert create.key_not_for.isVisible()
    assert create.key_not_for.text() == (
        "Rewst signs in with a client secret, so it cannot use this method."
    )
    shot(window, "jwt-rewst", "03-create")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_private_key_can_be_saved_to_a_file_readable_only_by_its_owner(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("jwt_assertion")
    window = make_wizard()
    create = make_key_pair(qtbot, window)
    paste_into_halo(qtbot, create, halo)
    credentials = to_credentials(qtbot, window, halo)
    qtbot.keyClicks(credentials.client_id, halo.client_id)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    export = click_next(qtbot, window, StepKey.EXPORT)
    click(qtbot, export.key_file_radio)
    # Finish would lose the key: it asks for the file first.
    click(qtbot, window.button(window.WizardButton.FinishButton))
    assert window.isVisible()
    assert "The private key is not saved yet" in export.finish_status.label.text()
    folder = tmp_path / "keys"
    files.answers.append(str(folder))
    click(qtbot, export.key_file_button)
    qtbot.waitUntil(lambda: window.context.flow.state.key_file is not None, timeout=8000)
    assert files.asked[-1].folder_only
    private = folder / assertion.PRIVATE_KEY_FILE
    assert stat.S_IMODE(os.stat(private).st_mode) == 0o600
    assert (folder / assertion.PUBLIC_KEY_FILE).read_text("ascii") == (
        window.context.flow.state.public_key_pem
    )
    assert "readable only by you" in export.key_file_result.label.text()
    assert not export.finish_status.isVisible()
    shot(window, "jwt-key-file", "09-export")
    # The same folder again: nothing is overwritten. (The key is recorded before the page
    # stops being busy: wait for the button to come back, as a person would.)
    qtbot.waitUntil(export.key_file_button.isEnabled, timeout=8000)
    files.answers.append(str(folder))
    before = private.read_bytes()
    click(qtbot, export.key_file_button)
    qtbot.waitUntil(lambda: export.key_file_result.mark.kind == "error", timeout=8000)
    assert "nothing was written" in export.key_file_result.label.text()
    assert private.read_bytes() == before
    qtbot.waitUntil(export.save_button.isEnabled, timeout=8000)
    data = save_file(qtbot, window)
    assert data["assertion"]["private_key"] == {"store": "file", "path": str(private)}
    assert keychain.private_keys == {}, "kept in the file, not the keychain"
    assert "PRIVATE KEY" not in json.dumps(data)


@pytest.fixture
def session() -> Iterator[DemoSession]:
    demo = DemoSession("healthy")
    demo.start()
    yield demo
    demo.stop()


def test_the_demo_has_the_jwt_assertion_situation_and_keeps_the_key_in_memory(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    panel = window.steps.demo
    assert panel is not None
    index = panel.scenarios.findData("jwt_assertion")
    assert index >= 0 and panel.scenarios.findData("jwt_wrong_key") >= 0
    panel.scenarios.setCurrentIndex(index)
    assert session.halo.scenario == "jwt_assertion"
    create = make_key_pair(qtbot, window)
    assert create.demo_key_button is not None
    click(qtbot, create.demo_key_button)
    assert session.halo.assertion_public_key == window.context.flow.state.public_key_pem
    shot(window, "demo-jwt", "03-create-key")
    click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
    click_next(qtbot, window, StepKey.SCOPES)
    click_next(qtbot, window, StepKey.HOSTNAME)
    click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    click_next(qtbot, window, StepKey.CREDENTIALS)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None and report.ok, report and report.codes()
    # Another situation: its application signs in with a secret, so the key is refused.
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("healthy"))
    assert session.halo.assertion_public_key is None
    panel.scenarios.setCurrentIndex(index)
    assert session.halo.assertion_public_key == window.context.flow.state.public_key_pem
    live_test = page(window)
    click(qtbot, live_test.again_button)
    wait_idle(qtbot, window)
    click_next(qtbot, window, StepKey.EXPORT)
    data = save_file(qtbot, window)
    assert data["assertion"]["private_key"]["store"] == "keychain"
    memory = window.context.memory_keychain
    assert memory is not None
    kept = memory.entries[data["assertion"]["private_key"]["account"]]
    assert "PRIVATE KEY" in kept
    shot(window, "demo-jwt", "09-export-saved")


def test_another_tool_signing_with_a_key_is_told_the_method_audience_and_issuer(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, keychain: FakeKeychain
) -> None:
    halo = start_halo("jwt_assertion")
    window = make_wizard()
    create = make_key_pair(qtbot, window, tool="other")
    paste_into_halo(qtbot, create, halo)
    credentials = to_credentials(qtbot, window, halo)
    qtbot.keyClicks(credentials.client_id, halo.client_id)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    export = click_next(qtbot, window, StepKey.EXPORT)
    values = {label: value.text() for label, value in export.tool_form.values.items()}
    assert "Client Secret" not in values
    assert values["Authentication Method"] == "JWT Assertion (Services)"
    assert values["Assertion audience (aud)"] == f"{halo.url}/auth/token"
    assert values["Assertion issuer (iss)"] == halo.client_id
    shot(window, "jwt-other", "09-export")
