"""Support mode for a connection that signs with a private key (JWT Assertion (Services)).

A supporter opens a connection file or profile whose key is in a key file or in this
computer's keychain; the page says where the key came from, the test signs with it against
the simulated Halo over TLS, and Save keeps the connection's assertion entry without a secret
or the key in the file. A key this computer does not have, or a file that holds no private
key, says what happened and what to click.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.conftest import HaloFactory, check
from tests.ui.conftest import FakeKeychain, FileDialogs, WizardFactory
from tests.ui.driver import NEXT, QT_LOG_MARKS, WAIT_MS, click, click_next, page, shot, wait_idle
from tests.ui.test_diagnose import SCOPES, button_named, the_box, to_open, wait_opened
from tests.ui.test_jargon import Reader
from wizard.core import assertion, profiles
from wizard.core.connection_file import AssertionEntry, ConnectionFile
from wizard.core.kinds import KeyStore
from wizard.core.messages import Front
from wizard.core.secrets import is_own_account
from wizard.flow import AuthMethod, StepKey
from wizard.sim import SimulatedHalo
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS


def key_files(halo: SimulatedHalo, folder: Path) -> tuple[Path, Path]:
    """The admin's key pair for `halo` as keygen writes it: (private key file, public key)."""
    folder.mkdir(parents=True, exist_ok=True)
    private = folder / assertion.PRIVATE_KEY_FILE
    private.write_text(halo.assertion_private_key, encoding="ascii")
    private.chmod(0o600)
    public = folder / assertion.PUBLIC_KEY_FILE
    key = assertion.load_private_key_pem(halo.assertion_private_key)
    public.write_text(assertion.public_pem(key), encoding="ascii")
    return private, public


def signed_connection(
    halo: SimulatedHalo, ca_bundle: str, entry: AssertionEntry, private_key: Path
) -> ConnectionFile:
    """What is saved after a passing test of `halo` signed with its key: no secret anywhere."""
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(
            check, halo, ca_bundle, client_secret="", private_key=str(private_key), scopes=SCOPES
        ).result()
    assert report.ok, report.codes()
    return ConnectionFile.from_report(
        report,
        client_id=halo.client_id,
        identity_kind="agent",
        scopes=SCOPES,
        secret=None,
        secret_in_keychain=False,
        assertion=entry,
    )


def open_file(qtbot: Any, window: WizardWindow, files: FileDialogs, path: Path) -> Any:
    opener = to_open(qtbot, window)
    files.answers.append(str(path))
    click(qtbot, opener.open_file_button)
    return wait_opened(qtbot, window)


def assert_signed_without_a_secret(halo: SimulatedHalo) -> None:
    tokens = [r for r in halo.requests if r.path.endswith("/token")]
    assert tokens and all("client_assertion" in r.form for r in tokens)
    assert not any("client_secret" in r.form for r in tokens), "no secret travels"


def assert_no_key_in(written: str, halo: SimulatedHalo) -> None:
    assert "PRIVATE KEY" not in written and "BEGIN" not in written
    for line in halo.assertion_private_key.splitlines()[1:-1]:
        assert line not in written


def test_a_connection_whose_key_is_in_a_key_file_is_tested_and_saved_naming_the_file(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("jwt_assertion")
    private, _public = key_files(halo, tmp_path / "keys")
    entry = AssertionEntry("file", str(private))
    path = tmp_path / "halo-connection-acme.json"
    signed_connection(halo, ca_bundle, entry, private).save(path)
    halo.requests.clear()

    window = make_wizard()
    reader = Reader(window)
    opener = open_file(qtbot, window, files, path)
    state = window.context.flow.state
    assert state.auth_method is AuthMethod.ASSERTION and state.private_key is not None
    assert state.diagnosis is not None and state.diagnosis.key_from is KeyStore.FILE
    assert opener.secret_fact.text() == "Private key:"
    assert opener.key_where.mark.kind == "ok"
    assert opener.key_where.label.text() == (
        f"In the key file {private}. The test signs with it; no secret is sent."
    )
    # No secret to type, and none to replace: another key file is what can be chosen.
    assert not opener.secret.isVisible() and not opener.rotate.isVisible()
    assert not opener.secret_where.isVisible()
    assert opener.key_chooser.button.isVisible()
    assert "no secret to replace" in opener.key_chooser.note.text()
    assert window.button(NEXT).isEnabled()
    reader.read("open, a connection signing with a key file")
    shot(window, "diagnose-key", "03-open-key-file")

    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert live_test.summary.label.text() == "The connection works."
    assert_signed_without_a_secret(halo)
    assert "Nothing changed" in live_test.changes_list.text()
    shot(window, "diagnose-key", "04-test")

    export = click_next(qtbot, window, StepKey.EXPORT)
    assert export.key_box.isVisible() and not export.secret_box.isVisible()
    assert export.key_file_radio.isChecked(), "the key stays in the file the connection names"
    click(qtbot, export.save_button)
    click(qtbot, button_named(the_box(qtbot, lambda: export.replace_question), "Replace"))
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to == str(path), timeout=WAIT_MS)
    written = path.read_text(encoding="utf-8")
    assert_no_key_in(written, halo)
    data = json.loads(written)
    assert data["auth_method"] == "jwt_assertion"
    assert data["assertion"]["private_key"] == {"store": "file", "path": str(private)}
    assert data["secret"] == {"store": "none"}
    assert keychain.stored == {} and keychain.private_keys == {}
    said = export.save_result.label.text()
    assert f"The file names the private key {private}; the key is not in it." in said
    shot(window, "diagnose-key", "07-save-file")
    assert reader.problems == []


def test_a_profile_whose_key_is_in_the_keychain_is_tested_and_keeps_its_entry(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("jwt_assertion")
    private, _public = key_files(halo, tmp_path / "keys")
    entry = AssertionEntry.keychain(halo.url, halo.client_id)
    connection = signed_connection(halo, ca_bundle, entry, private)
    profiles.save("acme", connection)
    key = (connection.host, connection.client_id)
    keychain.keep_for(*key, halo.assertion_private_key, private_key=True)
    private.unlink()  # only the keychain has it now
    halo.requests.clear()

    window = make_wizard()
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_profile)
    opener.profile_list.setCurrentRow(0)
    wait_opened(qtbot, window)
    assert opener.key_where.mark.kind == "ok"
    assert opener.key_where.label.text() == (
        "In Test Keychain, in the entry this connection names. The test signs with it; no "
        "secret is sent."
    )
    assert window.context.flow.state.diagnosis.key_from is KeyStore.KEYCHAIN  # type: ignore[union-attr]
    shot(window, "diagnose-key", "08-open-profile-keychain")

    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert live_test.summary.label.text() == "The connection works."
    assert_signed_without_a_secret(halo)
    # The support report: no key, no secret in it.
    report_path = tmp_path / "report.html"
    files.answers.append(str(report_path))
    click(qtbot, live_test.save_report_button)
    qtbot.waitUntil(lambda: "Wrote the report" in live_test.copied.text(), timeout=WAIT_MS)
    assert_no_key_in(report_path.read_text(encoding="utf-8"), halo)

    export = click_next(qtbot, window, StepKey.EXPORT)
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=WAIT_MS)
    assert export.key_keychain_radio.isChecked()
    click(qtbot, export.save_button)
    place = str(profiles.path_of("acme"))
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to == place, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert_no_key_in(Path(place).read_text(encoding="utf-8"), halo)
    updated = profiles.load("acme")
    assert updated.assertion == entry, "the same keychain entry"
    assert updated.secret.store == "none"
    assert updated.last_result is not None and updated.last_result.ok
    assert keychain.stored == {}, "no secret was stored"
    assert keychain.private_keys[key] == halo.assertion_private_key, "the key left as it was"
    # Finish closes at once: the key is where the connection keeps it.
    click(qtbot, window.button(window.WizardButton.FinishButton))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)


def test_a_key_not_in_this_keychain_says_so_and_a_public_key_file_is_refused(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("jwt_assertion")
    private, public = key_files(halo, tmp_path / "keys")
    entry = AssertionEntry.keychain(halo.url, halo.client_id)
    path = tmp_path / "from-a-customer.json"
    signed_connection(halo, ca_bundle, entry, private).save(path)
    # Saved on another computer: this keychain has no entry for it.

    window = make_wizard()
    reader = Reader(window)
    opener = open_file(qtbot, window, files, path)
    assert opener.key_where.mark.kind == "error"
    said = opener.key_where.label.text()
    assert said.startswith("Not in Test Keychain on this computer: the connection was saved on")
    assert "Click Choose the private key file" in said and "halo-wizard keygen" in said
    assert not window.button(NEXT).isEnabled()
    assert opener.blocked.text() == "To continue: choose the private key file."
    qtbot.waitUntil(lambda: QApplication.focusWidget() is opener.key_chooser.button)
    assert not opener.key_chooser.note.isVisible(), "nothing to replace yet"
    reader.read("open, the key not in this keychain")
    shot(window, "diagnose-key", "03-open-key-missing")

    # The public key, chosen by mistake: refused, naming the file, with what to do.
    files.answers.append(str(public))
    click(qtbot, opener.key_chooser.button)
    qtbot.waitUntil(lambda: opener.key_chooser.status.mark.kind == "error", timeout=WAIT_MS)
    wait_idle(qtbot, window)
    refused = opener.key_chooser.status.label.text()
    assert refused.startswith(f"This file cannot be used: {public} holds a public key")
    assert "halo-private-key.pem" in refused and "to pick another" in refused
    assert files.asked[-1].folder == str(tmp_path), "asked beside the connection file"
    assert not window.button(NEXT).isEnabled()
    # Scrolled into view once laid out: its last line shows.
    status = opener.key_chooser.status
    viewport = opener.scroll_area.viewport()

    def status_in_view() -> bool:
        bottom = status.mapTo(viewport, status.rect().bottomLeft()).y()
        return status.height() > 60 and 0 <= bottom <= viewport.height()

    qtbot.waitUntil(status_in_view, timeout=WAIT_MS)
    reader.read("open, a public key chosen")
    shot(window, "diagnose-key", "03-open-public-key-chosen")

    # The private key: the test signs with it, and Save keeps it in this keychain.
    files.answers.append(str(private))
    click(qtbot, opener.key_chooser.button)
    qtbot.waitUntil(lambda: opener.key_where.mark.kind == "ok", timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert opener.key_where.label.text().startswith(f"In the key file {private}.")
    assert not opener.key_chooser.status.isVisible()
    assert window.button(NEXT).isEnabled()
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert live_test.summary.label.text() == "The connection works."
    export = click_next(qtbot, window, StepKey.EXPORT)
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=WAIT_MS)
    assert export.key_keychain_radio.isChecked(), "where the connection keeps its key"
    click(qtbot, export.save_button)
    click(qtbot, button_named(the_box(qtbot, lambda: export.replace_question), "Replace"))
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to == str(path), timeout=WAIT_MS)
    # This keychain did not have the entry the file named: the key goes into one of its own.
    saved = ConnectionFile.load(path).assertion
    assert saved is not None and saved.key_store == "keychain" and saved.account is not None
    assert saved.account != entry.account and is_own_account(saved.account)
    assert_no_key_in(path.read_text(encoding="utf-8"), halo)
    kept = keychain.entries[saved.account]
    assert assertion.load_private_key_pem(kept).private_numbers() == (
        assertion.load_private_key_pem(halo.assertion_private_key).private_numbers()
    )
    assert reader.problems == []


def test_a_key_file_that_is_gone_names_it_and_a_refused_key_leads_back_to_the_chooser(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("jwt_assertion")
    private, _public = key_files(halo, tmp_path / "keys")
    path = tmp_path / "acme.json"
    signed_connection(halo, ca_bundle, AssertionEntry("file", str(private)), private).save(path)
    moved = tmp_path / "elsewhere" / assertion.PRIVATE_KEY_FILE
    moved.parent.mkdir()
    os.replace(private, moved)

    window = make_wizard()
    opener = open_file(qtbot, window, files, path)
    assert opener.key_where.mark.kind == "error"
    assert opener.key_where.label.text() == (
        f"The key file this connection names cannot be used: there is no file {private}. "
        "Click Choose the private key file and pick the right one."
    )
    shot(window, "diagnose-key", "03-open-key-file-gone")
    files.answers.append(str(moved))
    click(qtbot, opener.key_chooser.button)
    qtbot.waitUntil(lambda: opener.key_where.mark.kind == "ok", timeout=WAIT_MS)
    assert files.asked[-1].folder == str(private.parent), "asked where the key was"

    # Halo now holds another public key: the refusal leads back to choosing the key file.
    halo.scenario = "jwt_wrong_key"
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    views = {view.finding.code: view for view in live_test.finding_views}
    assert "ASSERTION_REFUSED" in views, sorted(views)
    button = views["ASSERTION_REFUSED"].fix_button
    assert button is not None and button.text() == "Choose another key file"
    assert not any(v.fix_button and "secret" in v.fix_button.text() for v in views.values())
    click(qtbot, button)
    qtbot.waitUntil(lambda: window.context.flow.current is StepKey.OPEN, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page(window).key_chooser.button)


def test_a_wrong_saved_audience_is_refused_then_cleared_on_the_open_page_and_saved(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("jwt_assertion")
    private, _public = key_files(halo, tmp_path / "keys")
    elsewhere = "https://login.elsewhere.example/token"
    entry = AssertionEntry("file", str(private), audience=elsewhere)
    path = tmp_path / "halo-connection-acme.json"
    signed_connection(halo, ca_bundle, entry, private).save(path)

    window = make_wizard()
    opener = open_file(qtbot, window, files, path)
    # The saved audience is shown, opened, beside the default it replaces.
    assert opener.assertion.isVisible() and opener.assertion.advanced.isChecked()
    assert opener.assertion.audience.text() == elsewhere
    assert opener.assertion.audience.placeholderText() == f"{halo.url}/auth/token"
    assert opener.assertion.issuer.placeholderText() == halo.client_id
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None and "ASSERTION_REFUSED" in report.codes()
    (refused,) = [v for v in live_test.finding_views if v.finding.code == "ASSERTION_REFUSED"]
    assert "when diagnosing: on Open the connection" in " ".join(
        refused.finding.fix_for(Front.WINDOW)
    )

    click(qtbot, window.button(window.WizardButton.BackButton))
    assert page(window) is opener
    opener.assertion.audience.selectAll()
    qtbot.keyClick(opener.assertion.audience, Qt.Key.Key_Delete)
    assert window.context.flow.state.assertion_audience is None
    shot(window, "diagnose-key", "03-open-audience")
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert live_test.summary.label.text() == "The connection works."
    export = click_next(qtbot, window, StepKey.EXPORT)
    click(qtbot, export.save_button)
    click(qtbot, button_named(the_box(qtbot, lambda: export.replace_question), "Replace"))
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to == str(path), timeout=WAIT_MS)
    saved = ConnectionFile.load(path).assertion
    assert saved is not None and saved.audience is None and saved.key_path == str(private)
