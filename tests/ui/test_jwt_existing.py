"""An application that exists already and signs with JWT Assertion (Services): the admin
chooses the method and the private key file on the credentials page, the test signs with it
against the simulated Halo over TLS, and Save names the key file; a file that holds no usable
private key is refused naming it, and a key Halo does not hold is ASSERTION_REFUSED."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization

from tests.conftest import HaloFactory
from tests.ui.conftest import FakeKeychain, FileDialogs, WizardFactory
from tests.ui.driver import (
    FINISH,
    NEXT,
    QT_LOG_MARKS,
    WAIT_MS,
    choose_tool,
    click,
    click_next,
    page,
    shot,
    wait_idle,
)
from tests.ui.test_diagnose_key import assert_no_key_in, assert_signed_without_a_secret, key_files
from tests.ui.test_jargon import Reader
from tests.ui.test_paths import save_file
from wizard.core import assertion
from wizard.core.messages import Front
from wizard.flow import AuthMethod, StepKey
from wizard.sim import SimulatedHalo
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS


def to_existing_credentials(
    qtbot: Any, window: WizardWindow, halo: SimulatedHalo, tool: str = "script"
) -> Any:
    """From Welcome, "I already have an application", to the credentials page."""
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window, tool)
    click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
    click_next(qtbot, window, StepKey.SCOPES)
    hostname = click_next(qtbot, window, StepKey.HOSTNAME)
    qtbot.keyClicks(hostname.address, halo.url)
    click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    return click_next(qtbot, window, StepKey.CREDENTIALS)


def choose_key_file(qtbot: Any, window: WizardWindow, files: FileDialogs, path: Path) -> Any:
    credentials = page(window)
    files.answers.append(str(path))
    click(qtbot, credentials.key_chooser.button)
    qtbot.waitUntil(lambda: credentials.key_chooser.status.mark.kind != "running")
    wait_idle(qtbot, window)
    return credentials


def test_an_existing_application_signs_with_its_key_file_and_the_file_names_it(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("jwt_assertion")
    private, public = key_files(halo, tmp_path / "keys")
    window = make_wizard()
    reader = Reader(window)
    credentials = to_existing_credentials(qtbot, window, halo)
    # The method is asked here: the Create-application page was not on this path.
    assert credentials.method.isVisible() and credentials.method.secret_button.isChecked()
    assert credentials.secret.isVisible() and not credentials.key_chooser.isVisible()
    reader.read("credentials, an existing application")
    click(qtbot, credentials.method.key_button)
    assert window.context.flow.state.auth_method is AuthMethod.ASSERTION
    assert credentials.title() == "Client ID and private key"
    assert not credentials.secret.isVisible() and not credentials.remember.isVisible()
    assert not credentials.key_note.isVisible(), "no key was made here"
    assert credentials.key_chooser.isVisible()
    assert "halo-private-key.pem" in credentials.key_chooser.note.text()
    assert credentials.blocked.text() == (
        "To continue: enter the Client ID and choose the private key file."
    )
    qtbot.keyClicks(credentials.client_id, halo.client_id)
    assert credentials.blocked.text() == "To continue: choose the private key file."
    assert "Client ID and key" in [label.text() for _row, _mark, label in window.steps._rows]

    # The public key, chosen by mistake: refused, naming the file.
    choose_key_file(qtbot, window, files, public)
    assert files.asked[-1].title == "Choose the private key file"
    assert files.asked[-1].folder == str(tmp_path), "the Documents folder at first"
    status = credentials.key_chooser.status
    assert status.mark.kind == "error"
    assert status.label.text().startswith(f"This file cannot be used: {public} holds a public key")
    assert not window.button(NEXT).isEnabled()
    reader.read("credentials, a public key chosen")
    shot(window, "jwt-existing", "07-credentials-public-key")

    choose_key_file(qtbot, window, files, private)
    assert files.asked[-1].folder == str(tmp_path)
    assert status.mark.kind == "ok"
    assert status.label.text() == f"The test signs with the private key in {private}."
    state = window.context.flow.state
    assert state.key_file == str(private) and state.private_key is not None
    assert window.button(NEXT).isEnabled()
    reader.read("credentials, a key file chosen")
    shot(window, "jwt-existing", "07-credentials-key")

    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert live_test.summary.label.text() == "The connection works."
    assert_signed_without_a_secret(halo)

    export = click_next(qtbot, window, StepKey.EXPORT)
    assert export.key_box.isVisible() and export.key_file_radio.isChecked()
    assert export.key_file_result.label.text() == f"The private key is saved in {private}."
    shot(window, "jwt-existing", "09-export")
    data = save_file(qtbot, window)
    wait_idle(qtbot, window)
    assert data["auth_method"] == "jwt_assertion"
    assert data["assertion"]["private_key"] == {"store": "file", "path": str(private)}
    assert data["secret"] == {"store": "none"}
    path = window.context.flow.state.exported_to
    assert path is not None
    assert_no_key_in(Path(path).read_text(encoding="utf-8"), halo)
    assert keychain.private_keys == {} and keychain.stored == {}
    assert reader.problems == []
    click(qtbot, window.button(FINISH))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)


def test_a_key_file_kept_in_the_keychain_instead_is_saved_there(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("jwt_assertion")
    private, _public = key_files(halo, tmp_path / "keys")
    window = make_wizard()
    credentials = to_existing_credentials(qtbot, window, halo)
    click(qtbot, credentials.method.key_button)
    qtbot.keyClicks(credentials.client_id, halo.client_id)
    choose_key_file(qtbot, window, files, private)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    export = click_next(qtbot, window, StepKey.EXPORT)
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=WAIT_MS)
    click(qtbot, export.key_keychain_radio)
    data = save_file(qtbot, window)
    assert data["assertion"]["private_key"]["store"] == "keychain"
    kept = keychain.private_keys[(halo.url, halo.client_id)]
    assert assertion.load_private_key_pem(kept).private_numbers() == (
        assertion.load_private_key_pem(halo.assertion_private_key).private_numbers()
    )


def test_a_key_halo_does_not_hold_is_refused_on_an_existing_application(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    # Halo holds another public key than the one made with this private key.
    halo = start_halo("jwt_wrong_key")
    private, _public = key_files(halo, tmp_path / "keys")
    window = make_wizard()
    credentials = to_existing_credentials(qtbot, window, halo)
    click(qtbot, credentials.method.key_button)
    qtbot.keyClicks(credentials.client_id, halo.client_id)
    choose_key_file(qtbot, window, files, private)
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    views = {view.finding.code: view for view in live_test.finding_views}
    assert "ASSERTION_REFUSED" in views, sorted(views)
    assert "public key" in " ".join(views["ASSERTION_REFUSED"].finding.fix_for(Front.WINDOW))
    assert live_test.summary.mark.kind == "error"
    shot(window, "jwt-existing-wrong-key", "08-test")


def _encrypted(halo: SimulatedHalo) -> bytes:
    key = assertion.load_private_key_pem(halo.assertion_private_key)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"a passphrase"),
    )


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("protected.pem", _encrypted, "is protected by a passphrase"),
        ("notes.txt", lambda halo: b"not a key at all\n", "is not a PEM key file"),
    ],
)
def test_a_file_that_holds_no_usable_private_key_says_why(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    files: FileDialogs,
    tmp_path: Path,
    name: str,
    content: Any,
    said: str,
) -> None:
    halo = start_halo("jwt_assertion")
    path = tmp_path / name
    path.write_bytes(content(halo))
    window = make_wizard()
    credentials = to_existing_credentials(qtbot, window, halo)
    click(qtbot, credentials.method.key_button)
    qtbot.keyClicks(credentials.client_id, halo.client_id)
    choose_key_file(qtbot, window, files, path)
    status = credentials.key_chooser.status
    assert status.mark.kind == "error"
    assert status.label.text().startswith(f"This file cannot be used: {path} {said}")
    assert window.context.flow.state.private_key is None
    assert not window.button(NEXT).isEnabled()


def test_a_tool_that_sends_a_secret_cannot_choose_the_key_on_an_existing_application(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    credentials = to_existing_credentials(qtbot, window, halo, tool="rewst")
    assert credentials.method.isVisible()
    assert not credentials.method.key_button.isEnabled()
    assert credentials.method.key_not_for.isVisible()
    assert credentials.method.key_not_for.text() == (
        "Rewst signs in with a client secret, so it cannot use this method."
    )
    shot(window, "jwt-existing-rewst", "07-credentials")
