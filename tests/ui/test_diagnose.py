"""Support mode in the window: "Diagnose an existing connection", end to end.

A supporter opens a connection file, a saved profile or the values pasted from another
tool's form, tests it again against the simulated Halo (over TLS), reads what changed since
its last test, saves a report without the secret, copies a summary, tries a new secret, and
saves the new result where the connection came from.
"""

from __future__ import annotations

import json
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from tests.conftest import HaloFactory, check
from tests.ui.conftest import FakeKeychain, FileDialogs, WizardFactory
from tests.ui.driver import (
    BACK,
    NEXT,
    QT_LOG_MARKS,
    WAIT_MS,
    click,
    click_next,
    page,
    shot,
    wait_idle,
)
from tests.ui.test_jargon import Reader
from wizard.core import profiles
from wizard.core.connection_file import ConnectionFile, ConnectionFileError
from wizard.core.findings import Finding, Severity
from wizard.flow import AppChoice, StepKey
from wizard.sim import SimulatedHalo
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS

SCOPES = "read:tickets read:customers"


def saved_connection(halo: SimulatedHalo, ca_bundle: str, keychain: FakeKeychain) -> ConnectionFile:
    """What the wizard saves after a passing test of `halo`: its secret in the keychain, in
    an entry of its own."""
    from wizard.core.secrets import own_account

    # In a thread of its own: the window's event loop runs in this one.
    with ThreadPoolExecutor(1) as pool:
        report = pool.submit(check, halo, ca_bundle, scopes=SCOPES).result()
    assert report.ok, report.codes()
    assert report.host is not None
    account = own_account(report.host, halo.client_id)
    connection = ConnectionFile.from_report(
        report,
        client_id=halo.client_id,
        identity_kind="agent",
        scopes=SCOPES,
        secret=None,
        secret_in_keychain=True,
        secret_account=account,
    )
    keychain.put(account, halo.client_secret)
    return connection


def to_open(qtbot: Any, window: WizardWindow) -> Any:
    """From Welcome to "Open the connection", choosing to diagnose."""
    welcome = page(window)
    click(qtbot, welcome.diagnose)
    assert window.context.flow.state.app_choice is AppChoice.DIAGNOSE
    assert window.steps.position.text() == "Step 1 of 4"
    return click_next(qtbot, window, StepKey.OPEN)


def wait_opened(qtbot: Any, window: WizardWindow) -> Any:
    opener = page(window)
    qtbot.waitUntil(lambda: window.context.flow.state.diagnosing, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    qtbot.waitUntil(opener.loaded_box.isVisible, timeout=WAIT_MS)
    return opener


def step_names(window: WizardWindow) -> list[str]:
    return [label.text() for row, _mark, label in window.steps._rows if row.isVisibleTo(window)]


def the_box(qtbot: Any, get: Any) -> Any:
    qtbot.waitUntil(lambda: get() is not None and get().isVisible(), timeout=WAIT_MS)
    box = get()
    assert box in QApplication.topLevelWidgets()
    return box


def button_named(box: QMessageBox, label: str) -> Any:
    for button in box.buttons():
        if button.text().replace("&", "") == label:
            return button
    raise AssertionError(f"no button {label!r} in {[b.text() for b in box.buttons()]}")


def changes_text(live_test: Any) -> str:
    assert live_test.changes_box.isVisible()
    return f"{live_test.changes_title.text()}\n{live_test.changes_list.text()}"


# ----- a file that passed when saved, and fails now: the secret was regenerated -----


def test_a_file_that_worked_shows_the_regenerated_secret_and_a_new_one_replaces_it(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("healthy")
    connection = saved_connection(halo, ca_bundle, keychain)
    path = tmp_path / "halo-connection-acme.json"
    connection.save(path)
    old = halo.client_secret
    entry = (connection.host, connection.client_id)
    halo.scenario = "wrong_secret"  # someone clicked Generate in Halo since

    window = make_wizard()
    reader = Reader(window)
    shot(window, "diagnose", "01-welcome")
    opener = to_open(qtbot, window)
    assert step_names(window) == ["Welcome", "Open the connection", "Test", "Save"]
    reader.read("open, nothing open yet")
    shot(window, "diagnose", "02-open-empty")
    files.answers.append(str(path))
    click(qtbot, opener.open_file_button)
    wait_opened(qtbot, window)
    assert files.asked[0].save is False
    state = window.context.flow.state
    assert state.host_text == connection.host and state.secret == old
    assert opener.fact_source.text() == f"the connection file {path}"
    assert opener.fact_address.text() == connection.host
    assert opener.fact_client_id.text() == halo.client_id
    assert opener.scopes.text() == SCOPES
    assert opener.fact_tenant.text() == halo.tenant
    assert opener.fact_last.text().endswith(": it worked")
    assert "In Test Keychain, in the entry this connection names" in opener.secret_where.text()
    assert not opener.secret.isVisible(), "the keychain gave the secret"
    assert opener.rotate.isVisible() and not opener.new_secret.isVisible()
    reader.read("open, a file")
    shot(window, "diagnose", "03-open-file")

    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None and "INVALID_CLIENT" in report.codes()
    assert {view.finding.code for view in live_test.finding_views} >= {"INVALID_CLIENT"}
    # The saved token address is asked at once, beside discovery.
    assert connection.token_url is not None
    assert live_test.request().known_token_url == connection.token_url
    said = changes_text(live_test)
    assert said.startswith("What changed since the last test (")
    assert "result: works → has problems" in said
    invalid = next(f for f in report.findings if f.code == "INVALID_CLIENT")
    assert f"new finding: {invalid.title}" in said
    assert live_test.save_report_button.isVisible() and live_test.copy_summary_button.isVisible()
    reader.read("test, the secret regenerated")
    shot(window, "diagnose", "04-test-changed")

    # The report is never written over the connection being diagnosed, even when the
    # dialog's own question about replacing it was answered yes.
    before = path.read_bytes()
    files.answers.append(str(path))
    click(qtbot, live_test.save_report_button)
    qtbot.waitUntil(lambda: "never written over" in live_test.copied.text(), timeout=WAIT_MS)
    assert path.read_bytes() == before
    # The button comes back once that attempt has ended.
    qtbot.waitUntil(live_test.save_report_button.isEnabled, timeout=WAIT_MS)
    # A report to attach to a ticket: one web page, no secret in it.
    report_path = tmp_path / "report.html"
    files.answers.append(str(report_path))
    click(qtbot, live_test.save_report_button)
    qtbot.waitUntil(lambda: "Wrote the report" in live_test.copied.text(), timeout=WAIT_MS)
    assert files.asked[-1].save is True
    assert files.asked[-1].suggested == f"halo-report-{halo.tenant}.html"
    assert str(report_path) in live_test.copied.text()
    html = report_path.read_text(encoding="utf-8")
    assert old not in html
    assert "INVALID_CLIENT" in html and "What changed since the last test" in html
    assert "Secret used: the connection&#x27;s own, in this computer&#x27;s keychain" in html
    assert f"connection file {path}" in html

    QGuiApplication.clipboard().clear()
    click(qtbot, live_test.copy_summary_button)
    summary = QGuiApplication.clipboard().text()
    assert summary.startswith(f"Halo connection report: connection file {path}")
    assert "result: works → has problems" in summary and old not in summary
    assert live_test.copied.text().startswith("Copied")

    # The finding's button goes where a new secret is typed: Back, the box ticked.
    view = next(v for v in live_test.finding_views if v.finding.code == "INVALID_CLIENT")
    assert view.fix_button is not None and view.fix_button.text() == "Enter a new secret"
    click(qtbot, view.fix_button)
    assert window.context.flow.current is StepKey.OPEN
    opener = page(window)
    assert opener.rotate.isChecked() and window.context.flow.state.rotate_secret
    assert opener.new_secret.isVisible() and opener.new_secret.hasFocus()
    # A new secret that is wrong: the old one stays in the keychain.
    assert "only once it has passed the test" in opener.rotate_note.text()
    assert not window.button(NEXT).isEnabled() and "new secret" in opener.blocked.text()
    mistyped = secrets.token_urlsafe(32)
    qtbot.keyClicks(opener.new_secret, mistyped)
    reader.read("open, a new secret")
    shot(window, "diagnose", "05-open-rotate")
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    qtbot.waitUntil(live_test.rotation.isVisible, timeout=WAIT_MS)
    assert live_test.rotation.label.text() == (
        "The new secret did not pass; the old one is still in Test Keychain."
    )
    assert keychain.stored[entry] == old
    reader.read("test, the new secret refused")
    shot(window, "diagnose", "05b-test-rotate-refused")

    # The secret Halo holds now (the admin generated it): it passes and replaces the old one.
    halo.scenario = "healthy"
    halo.client_secret = secrets.token_urlsafe(32)
    window.back()
    opener = page(window)
    opener.new_secret.selectAll()
    qtbot.keyClicks(opener.new_secret, halo.client_secret)
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "replaced" in live_test.rotation.label.text(), timeout=WAIT_MS)
    assert live_test.rotation.label.text() == (
        "The new secret passed the test and replaced the old one in Test Keychain."
    )
    assert keychain.stored[entry] == halo.client_secret
    said = changes_text(live_test)
    assert "Nothing changed" in said, "it works again, as at the last test"
    reader.read("test, the new secret passed")
    shot(window, "diagnose", "06-test-rotated")

    # Save updates the file it came from, asking first, with the new result.
    export = click_next(qtbot, window, StepKey.EXPORT)
    assert export.path.text() == str(path)
    assert export.subTitle() == "Save the new test result in the file the connection came from."
    reader.read("save, a file")
    click(qtbot, export.save_button)
    box = the_box(qtbot, lambda: export.replace_question)
    click(qtbot, button_named(box, "Replace"))
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to == str(path), timeout=WAIT_MS)
    written = ConnectionFile.load(path)
    assert written.last_result is not None and written.last_result.ok
    assert connection.last_result is not None
    assert written.last_result.tested_at != connection.last_result.tested_at
    assert written.secret.store == "keychain"
    assert halo.client_secret not in path.read_text(encoding="utf-8")
    assert keychain.stored[entry] == halo.client_secret
    shot(window, "diagnose", "07-save-file")
    assert reader.problems == []


# ----- a profile whose agent lost access to one area -----


def test_a_profile_whose_agent_lost_access_names_the_scope_and_is_updated(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
) -> None:
    halo = start_halo("healthy")
    connection = saved_connection(halo, ca_bundle, keychain)
    profiles.save("acme", connection)
    halo.scenario = "agent_no_permission"

    window = make_wizard()
    reader = Reader(window)
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_profile)
    assert opener.profile_list.count() == 1
    row = opener.profile_list.item(0).text()
    assert row.startswith(f"acme  —  {connection.host}  —  worked at its last test, ")
    assert not opener.rename_button.isEnabled(), "nothing chosen yet"
    reader.read("open, the profiles")
    opener.profile_list.setCurrentRow(0)
    wait_opened(qtbot, window)
    assert opener.fact_source.text() == "the profile “acme”"
    assert opener.rename_button.isEnabled()
    shot(window, "diagnose", "08-open-profile")

    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    said = changes_text(live_test)
    assert "read:tickets: records seen → refused" in said
    assert "result: works → has problems" in said
    assert "Who it acts as" not in step_names(window)
    reader.read("test, the agent lost access")
    shot(window, "diagnose", "09-test-profile")

    export = click_next(qtbot, window, StepKey.EXPORT)
    assert not export.path.isVisible() and export.profile_note.isVisible()
    assert export.save_button.text().replace("&", "") == "Save the profile"
    reader.read("save, a profile")
    click(qtbot, export.save_button)
    place = str(profiles.path_of("acme"))
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to == place, timeout=WAIT_MS)
    assert export.replace_question is None, "a profile is updated without asking"
    assert export.save_result.label.text().startswith(f"Saved the profile “acme” ({place})")
    updated = profiles.load("acme")
    assert updated.last_result is not None and not updated.last_result.ok
    statuses = {s.scope: str(s.status) for s in updated.last_result.scopes}
    assert statuses["read:tickets"] == "denied"
    shot(window, "diagnose", "10-save-profile")
    assert reader.problems == []


# ----- values pasted from another tool's form -----


def test_values_pasted_from_rewst_are_read_and_tested_with_the_secret_typed(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    tmp_path: Path,
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    with qtbot.waitActive(window):
        window.activateWindow()
    reader = Reader(window)
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_text)
    assert opener.pasted.isVisible()
    click(qtbot, opener.read_button)
    assert opener.text_result.label.text().startswith("Paste the values first")
    host = halo.url.removeprefix("https://")
    opener.pasted.setPlainText(
        f"Resource Server Hostname\n{host}\n"
        f"Auth Server Hostname: {halo.auth_url.removeprefix('https://')}\n"
        f'Tenant ID: "{halo.tenant}"\n'
        f"Client ID: {halo.client_id}\n"
        "Is On-Premise: No\n"
        f"Client Secret: {halo.client_secret}\n"
    )
    reader.read("open, pasted")
    shot(window, "diagnose", "11-open-pasted")
    click(qtbot, opener.read_button)
    qtbot.waitUntil(opener.loaded_box.isVisible, timeout=WAIT_MS)
    said = opener.text_result.label.text().splitlines()
    assert said[:7] == [
        "Found:",
        f"• Halo address: {halo.url} (from “Resource Server Hostname”)",
        "• Authorisation server: the usual one, the Halo address + /auth "
        "(from “Auth Server Hostname”)",
        f"• Tenant: {halo.tenant} (from “Tenant ID”)",
        f"• Client ID: {halo.client_id} (from “Client ID”)",
        "• Hosted by Halo (from “Is On-Premise”)",
        "• A client secret, not used (from “Client Secret”)",
    ]
    assert said[7] == "Not found: the scopes (enter them below).", "Rewst's form has none"
    assert said[8].startswith('Note: A client secret is in the text (under "Client Secret").')
    assert "type it below" in said[8]
    assert halo.client_secret not in "\n".join(said), "a secret in the text is never shown"
    state = window.context.flow.state
    assert state.diagnosing and state.secret == "", "a secret in the text is never used"
    assert opener.fact_source.text() == "the pasted values"
    assert opener.fact_last.text() == "never tested"
    assert opener.secret.isVisible() and not opener.rotate.isVisible()
    # The text named no scopes: the keyboard starts there, then Tab goes to the secret.
    assert opener.scopes.hasFocus()
    assert opener.blocked.text() == "To continue: enter the scopes to test."
    reader.read("open, pasted and read")
    shot(window, "diagnose", "12-open-pasted-read")

    QTest.keyClicks(opener.scopes, "read:tickets")
    QTest.keyClick(opener.scopes, Qt.Key.Key_Tab)
    assert opener.secret.hasFocus()
    QTest.keyClicks(opener.secret, halo.client_secret)
    # Return in a field presses the default button: Next.
    QTest.keyClick(opener.secret, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.context.flow.current is StepKey.TEST, timeout=WAIT_MS)
    live_test = page(window)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None and report.ok, report.codes()
    assert live_test.request().known_token_url is None, "pasted values know no token address"
    assert changes_text(live_test).endswith(
        "Never tested before, so there is nothing to compare with."
    )
    reader.read("test, pasted")

    # Back keeps what was read.
    window.back()
    assert page(window).pasted.toPlainText().startswith("Resource Server Hostname")
    assert page(window).secret.text() == halo.client_secret
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    export = click_next(qtbot, window, StepKey.EXPORT)
    assert export.path.text() == str(tmp_path / f"halo-connection-{halo.tenant}.json")
    click(qtbot, export.save_button)
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to is not None, timeout=WAIT_MS)
    data = json.loads(Path(export.path.text()).read_text(encoding="utf-8"))
    assert data["host"] == halo.url and data["client_id"] == halo.client_id
    assert data["last_result"]["ok"] is True
    # Rewst's own labels: judged, offered and saved as Rewst's connection.
    assert window.context.flow.state.tool == "rewst" and data["tool"] == "rewst"
    assert export.tool_form.isVisible()
    assert "Rewst" in export.tool_form.title()
    assert reader.problems == []


def test_text_without_an_address_says_what_is_missing(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_text)
    opener.pasted.setPlainText("Tenant ID: acme\nSomething else entirely\n")
    click(qtbot, opener.read_button)
    said = opener.text_result.label.text()
    assert opener.text_result.mark.kind == "error"
    assert "does not give the Halo address and the Client ID" in said
    assert not opener.loaded_box.isVisible() and not window.button(NEXT).isEnabled()


# ----- a file that cannot be opened -----


def test_a_damaged_file_shows_its_plain_message_and_nothing_is_open(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("healthy")
    good = tmp_path / "good.json"
    saved_connection(halo, ca_bundle, keychain).save(good)
    damaged = tmp_path / "damaged.json"
    damaged.write_bytes(good.read_bytes()[:200])  # cut short, as a mail client might
    try:
        ConnectionFile.load(damaged)
    except ConnectionFileError as exc:
        expected = str(exc)
    else:
        raise AssertionError("the damaged file opened")

    window = make_wizard()
    opener = to_open(qtbot, window)
    files.answers += [str(good), str(damaged)]
    click(qtbot, opener.open_file_button)
    wait_opened(qtbot, window)
    click(qtbot, opener.open_file_button)
    qtbot.waitUntil(lambda: opener.file_result.label.text() == expected, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert opener.file_result.isVisible() and opener.file_result.mark.kind == "error"
    assert "Traceback" not in expected and str(damaged) in expected
    assert not opener.loaded_box.isVisible(), "what the good file gave is not kept"
    assert not window.context.flow.state.diagnosing
    assert not window.button(NEXT).isEnabled()
    shot(window, "diagnose", "13-open-damaged")
    # Cancelling the dialog leaves everything as it is.
    click(qtbot, opener.open_file_button)
    wait_idle(qtbot, window)
    assert opener.file_result.label.text() == expected


# ----- profiles: rename, duplicate, delete (asked first) -----


def answer_name(qtbot: Any, opener: Any, name: str) -> None:
    dialog = the_box(qtbot, lambda: opener.name_question)
    assert isinstance(dialog, QInputDialog)
    dialog.setTextValue(name)
    dialog.accept()


def test_profiles_are_renamed_duplicated_and_deleted_after_confirmation(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
) -> None:
    halo = start_halo("healthy")
    connection = saved_connection(halo, ca_bundle, keychain)
    entry = (connection.host, connection.client_id)
    profiles.save("acme", connection)
    window = make_wizard()
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_profile)
    opener.profile_list.setCurrentRow(0)
    wait_opened(qtbot, window)

    click(qtbot, opener.rename_button)
    answer_name(qtbot, opener, "Acme production")
    qtbot.waitUntil(lambda: profiles.names() == ["Acme production"], timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert opener.profile_result.label.text() == "Renamed “acme” to “Acme production”."
    assert opener.fact_source.text() == "the profile “Acme production”"
    assert opener.profile_list.currentItem().text().startswith("Acme production  —  ")

    click(qtbot, opener.duplicate_button)
    dialog = the_box(qtbot, lambda: opener.name_question)
    assert dialog.textValue() == "Acme production copy"
    dialog.accept()
    qtbot.waitUntil(lambda: len(profiles.names()) == 2, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert opener.profile_result.label.text() == (
        "Copied “Acme production” to “Acme production copy”."
    )
    assert opener.profile_list.count() == 2

    # A name a profile cannot have is refused, saying why.
    click(qtbot, opener.rename_button)
    answer_name(qtbot, opener, "../escape")
    wait_idle(qtbot, window)
    assert opener.profile_result.mark.kind == "error"
    assert "cannot be a profile name" in opener.profile_result.label.text()

    # No: nothing is deleted.
    click(qtbot, opener.delete_button)
    box = the_box(qtbot, lambda: opener.delete_question)
    assert box.text() == "Delete the profile “Acme production”?"
    assert "Its secret stays in Test Keychain: another profile" in box.informativeText()
    assert box.defaultButton() is box.escapeButton(), "Return keeps the profile"
    shot(window, "diagnose", "14-delete-question")
    click(qtbot, box.escapeButton())
    wait_idle(qtbot, window)
    assert opener.profile_result.label.text() == "Nothing was deleted."
    assert len(profiles.names()) == 2 and entry in keychain.stored

    # The copy names the same keychain entry: deleting it keeps the secret, and says so first.
    opener.profile_list.setCurrentRow(1)
    wait_idle(qtbot, window)
    assert opener.fact_source.text() == "the profile “Acme production copy”"
    click(qtbot, opener.delete_button)
    box = the_box(qtbot, lambda: opener.delete_question)
    assert "Its secret stays in Test Keychain: another profile" in box.informativeText()
    click(qtbot, button_named(box, "Delete"))
    qtbot.waitUntil(lambda: profiles.names() == ["Acme production"], timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert opener.profile_result.label.text() == (
        "Deleted the profile “Acme production copy”. Its keychain entry was kept: another "
        "connection may use it."
    )
    assert entry in keychain.stored
    assert not opener.loaded_box.isVisible(), "the deleted profile is no longer open"

    # Yes: the last one goes, and its keychain entry with it.
    opener.profile_list.setCurrentRow(0)
    wait_opened(qtbot, window)
    click(qtbot, opener.delete_button)
    click(qtbot, button_named(the_box(qtbot, lambda: opener.delete_question), "Delete"))
    qtbot.waitUntil(lambda: profiles.names() == [], timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert opener.profile_result.label.text() == (
        "Deleted the profile “Acme production” and its secret in Test Keychain."
    )
    assert entry not in keychain.stored
    assert opener.profile_list.count() == 0
    assert opener.profiles_note.text().startswith("No profiles are saved on this computer yet.")
    assert not window.context.flow.state.diagnosing and not window.button(NEXT).isEnabled()


def test_a_connection_whose_secret_is_not_in_this_keychain_asks_for_it(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    halo = start_halo("healthy")
    path = tmp_path / "from-a-customer.json"
    saved_connection(halo, ca_bundle, keychain).save(path)
    keychain.entries.clear()  # saved on another computer
    window = make_wizard()
    opener = to_open(qtbot, window)
    files.answers.append(str(path))
    click(qtbot, opener.open_file_button)
    wait_opened(qtbot, window)
    assert opener.secret_where.text().startswith("Not in Test Keychain on this computer")
    assert opener.secret.isVisible() and opener.secret.hasFocus()
    assert not opener.rotate.isVisible()
    assert opener.blocked.text() == "To continue: enter the client secret."
    qtbot.keyClicks(opener.secret, halo.client_secret)
    assert window.button(NEXT).isEnabled()
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert "Nothing changed" in changes_text(live_test)
    # Back goes to the connection, not to the pages the diagnosis skipped.
    qtbot.mouseClick(window.button(BACK), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.context.flow.current is StepKey.OPEN, timeout=WAIT_MS)
    assert page(window).secret.text() == halo.client_secret
    assert os.path.exists(path)


def test_a_change_names_a_finding_that_went_away_by_its_title() -> None:
    from wizard.core.diagnose import Change
    from wizard.core.model import CheckReport
    from wizard.flow.diagnosis import Diagnosis, Source
    from wizard.ui.pages.live_test import change_line

    last = ConnectionFile.from_dict(
        {
            "schema": "halo-connection",
            "schema_version": 1,
            "host": "https://acme.halopsa.com",
            "client_id": "c",
            "scopes": ["read:tickets"],
            "secret": {"store": "none"},
            "last_result": {
                "ok": False,
                "tested_at": None,
                "product": None,
                "version": None,
                "tenant": None,
                "auth_url": None,
                "identity": None,
                "findings": [{"code": "INVALID_CLIENT", "severity": "error", "scope": None}],
                "scopes": [],
            },
        }
    )
    diagnosis = Diagnosis.from_connection(last, Source.FILE, "/x.json")
    title = Finding("INVALID_CLIENT", Severity.ERROR).title
    report = CheckReport(host="https://acme.halopsa.com")
    gone = change_line(Change("finding gone", "INVALID_CLIENT", None), report, diagnosis)
    assert gone == f"finding gone: {title}"
    scope = change_line(Change("read:tickets", "records seen", "refused"), report, diagnosis)
    assert scope == "read:tickets: records seen → refused"


# ----- the keyboard alone -----


def test_the_keyboard_alone_diagnoses_a_file_and_tab_follows_the_reading_order(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
    files: FileDialogs,
    tmp_path: Path,
) -> None:
    from tests.ui.test_keyboard import Keyboard, assert_tab_order_follows_reading_order

    halo = start_halo("healthy")
    path = tmp_path / "halo-connection-acme.json"
    saved_connection(halo, ca_bundle, keychain).save(path)
    profiles.save("acme", ConnectionFile.load(path))
    window = make_wizard()
    with qtbot.waitActive(window):
        window.activateWindow()
    keys = Keyboard(qtbot, window)
    return_key, space, down, tab = (
        Qt.Key.Key_Return,
        Qt.Key.Key_Space,
        Qt.Key.Key_Down,
        Qt.Key.Key_Tab,
    )

    welcome = keys.at(StepKey.WELCOME)
    assert keys.focused() is welcome.new
    keys.press(down)
    keys.press(down)
    assert keys.focused() is welcome.diagnose and welcome.diagnose.isChecked()
    keys.press(return_key)

    opener = keys.at(StepKey.OPEN)
    assert keys.focused() is opener.from_file
    keys.press(tab)
    assert keys.focused() is opener.open_file_button
    files.answers.append(str(path))
    keys.press(space)
    keys.idle()
    qtbot.waitUntil(opener.loaded_box.isVisible, timeout=WAIT_MS)
    order = assert_tab_order_follows_reading_order(keys, window)
    assert order == [
        "A connection file",
        "Open a connection file",
        "The tool this connection is for: the test judges it as that tool's",
        "Scopes to test",
        "I generated a new secret in Halo",
    ]
    # The profiles, with their buttons beside the list.
    opener.from_file.setFocus()
    keys.press(Qt.Key.Key_Right)
    assert keys.focused() is opener.from_profile and opener.from_profile.isChecked()
    keys.press(tab)
    assert keys.focused() is opener.profile_list
    keys.press(space)  # the first profile is the current one: Space chooses it, it opens
    keys.idle()
    assert opener.fact_source.text() == "the profile “acme”"
    assert keys.focused() is opener.profile_list
    shot(window, "diagnose", "15-open-keyboard")
    # Its frame, beside the rows, is drawn in the highlight colour while it has the focus.
    listed = opener.profile_list
    highlight = listed.palette().color(listed.palette().ColorRole.Highlight).rgb()
    edge = (0, listed.height() // 2)
    assert listed.grab().toImage().pixel(*edge) == highlight
    keys.press(tab)
    assert listed.grab().toImage().pixel(*edge) != highlight
    order = assert_tab_order_follows_reading_order(keys, window)
    assert order[:5] == [
        "A saved profile",
        "Saved profiles",
        "Rename the chosen profile",
        "Copy the chosen profile under another name",
        "Delete the chosen profile",
    ]
    opener.scopes.setFocus()
    keys.press(return_key)

    live_test = keys.at(StepKey.TEST)
    keys.idle()
    assert live_test.summary.label.text() == "The connection works."
    order = assert_tab_order_follows_reading_order(keys, window)
    assert order[:4] == [
        "Test the connection again",
        "Copy the whole test report, for support",
        "Save a support report, a web page without the secret",
        "Copy a short summary for a ticket, without the secret",
    ]
    live_test.again_button.setFocus()
    keys.press(return_key)
    keys.at(StepKey.EXPORT)


def test_a_keychain_that_cannot_be_read_says_why_and_the_secret_is_typed(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
) -> None:
    from wizard.core.secrets import KeychainError

    halo = start_halo("healthy")
    profiles.save("acme", saved_connection(halo, ca_bundle, keychain))
    keychain.fail_with = KeychainError("The keychain is locked: unlock it and try again.")
    window = make_wizard()
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_profile)
    opener.profile_list.setCurrentRow(0)
    wait_opened(qtbot, window)
    assert opener.secret_where.text() == (
        "The keychain is locked: unlock it and try again. Type the secret below."
    )
    assert opener.secret.isVisible() and opener.secret.hasFocus()
    assert window.context.flow.state.secret == ""


def test_a_damaged_profile_is_listed_and_says_why_it_cannot_be_opened(
    qtbot: Any, make_wizard: WizardFactory, _profiles_folder: Path
) -> None:
    folder = _profiles_folder / "profiles"
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text('{"schema": "something-else"}', encoding="utf-8")
    window = make_wizard()
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_profile)
    assert opener.profile_list.item(0).text() == ("broken  —  address unknown  —  cannot be opened")
    opener.profile_list.setCurrentRow(0)
    wait_idle(qtbot, window)
    said = opener.profile_result.label.text()
    assert said.startswith('The profile "broken" cannot be opened: ')
    assert opener.profile_result.mark.kind == "error"
    assert not opener.loaded_box.isVisible() and not window.button(NEXT).isEnabled()
    # It can still be deleted (asked first): nothing else can be done with it.
    click(qtbot, opener.delete_button)
    box = the_box(qtbot, lambda: opener.delete_question)
    assert box.informativeText().startswith("The profile cannot be read, so the keychain entry")
    click(qtbot, button_named(box, "Delete"))
    qtbot.waitUntil(lambda: opener.profile_list.count() == 0, timeout=WAIT_MS)


def test_a_connection_file_pasted_as_text_is_read_as_one(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    ca_bundle: str,
    keychain: FakeKeychain,
) -> None:
    halo = start_halo("healthy")
    connection = saved_connection(halo, ca_bundle, keychain)
    window = make_wizard()
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_text)
    opener.pasted.setPlainText(connection.to_json().decode("utf-8"))
    click(qtbot, opener.read_button)
    wait_opened(qtbot, window)
    assert opener.fact_source.text() == "the pasted values"
    assert opener.fact_last.text().endswith(": it worked")
    assert window.context.flow.state.secret == halo.client_secret, "its keychain entry"
    assert not opener.text_result.isVisible()
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert "Nothing changed" in changes_text(live_test)


def test_pasted_values_in_no_tools_labels_ask_which_tool_they_are_for(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_text)
    opener.pasted.setPlainText(
        f"Halo URL: {halo.url}\nClient ID: {halo.client_id}\nTenant: {halo.tenant}\n"
    )
    click(qtbot, opener.read_button)
    qtbot.waitUntil(opener.loaded_box.isVisible, timeout=WAIT_MS)
    assert window.context.flow.state.tool is None
    assert opener.tool_note.isVisible()
    assert opener.tool_note.text().startswith("Which tool is this connection for?")
    assert opener.tool.currentText() == "No particular tool"
    shot(window, "diagnose", "11b-open-pasted-which-tool")
    opener.tool.setCurrentIndex(opener.tool.findData("rewst"))
    assert window.context.flow.state.tool == "rewst"
    assert not opener.tool_note.isVisible()


# ----- whatever the window shows, it reads back -----


def _window_form(qtbot: Any, tool: str, facts: Any) -> tuple[str, str]:
    """The window's "Type these into ..." box for `tool`, as copied from it: its title, then
    each label, value and note on lines of their own; and the same in columns (a tab between
    label, value and note, as a table pasted into an e-mail)."""
    from wizard.core import recipes
    from wizard.flow.tools import ToolForm
    from wizard.ui.pages.tool_form import ToolFormBox

    chosen = recipes.recipe(tool)
    box = ToolFormBox(lambda: "")
    qtbot.addWidget(box)
    box.show_form(ToolForm(chosen, tuple(recipes.form(chosen, facts))))
    rows = []
    for label, value in box.values.items():
        note = box.notes.get(label)
        rows.append([label, value.plain_text(), note.plain_text() if note else ""])
    lines = "\n".join([box.title(), *("\n".join(cell for cell in row if cell) for row in rows)])
    columns = "\n".join([box.title(), *("\t".join(row).rstrip("\t") for row in rows)])
    return lines, columns


def test_each_tools_form_as_the_window_shows_it_is_read_back(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    """Support pastes what the last page showed (the box "Type these into n8n"): the same
    connection, judged as that tool's, the secret's place said to be hidden, never a secret
    in the text; n8n's own scopes offered, so the scopes are not said to be missing."""
    import uuid

    from wizard.core import recipes
    from wizard.flow.tools import SCRIPT

    facts = recipes.Facts(
        host="https://acme.halopsa.com",
        client_id=str(uuid.uuid4()),
        auth_url="https://acme.halopsa.com/auth",
        token_url="https://acme.halopsa.com/auth/token?tenant=acme",
        tenant="acme",
        scopes=("read:tickets",),
    )
    window = make_wizard()
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_text)
    for chosen in recipes.all_recipes():
        if chosen.id == SCRIPT:
            continue  # the window shows a script's variables and file, not a form
        for pasted in _window_form(qtbot, chosen.id, facts):
            opener.pasted.setPlainText(pasted)
            click(qtbot, opener.read_button)
            qtbot.waitUntil(opener.loaded_box.isVisible, timeout=WAIT_MS)
            said = opener.text_result.label.text().splitlines()
            where = f"{chosen.id}:\n{pasted}\n---\n" + "\n".join(said)
            assert said[0] == "Found:", where
            assert any(line.startswith(f"• Halo address: {facts.host} (from") for line in said)
            assert any(line.startswith(f"• Client ID: {facts.client_id} (from") for line in said)
            assert not any("client secret is in the text" in line for line in said), where
            assert any(
                line.startswith("Note: The client secret under") and line.endswith("type it below.")
                for line in said
            ), where
            assert not any("not understood" in line for line in said), where
            state = window.context.flow.state
            assert state.diagnosing and state.tool == chosen.id, where
            assert state.secret == ""
            fixed = chosen.scopes_fixed and not any(
                spec.source in ("scopes", "powershell") for spec in chosen.fields
            )
            scopes_missing = any(
                line.startswith("Not found:") and "the scopes (enter them below)" in line
                for line in said
            )
            if fixed:
                assert not scopes_missing, where
                assert state.scopes == chosen.scopes
                assert any(f"{chosen.name}'s own request" in line for line in said), where
            elif not any(spec.source in ("scopes", "powershell") for spec in chosen.fields):
                assert scopes_missing, where


def test_an_email_and_a_masked_secret_pasted_in_the_window(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    """A one-line e-mail with the secret masked: the values found, how they were read, and
    the secret to type below; an unlabelled Halo address and Client ID by their shape."""
    import uuid

    client_id = str(uuid.uuid4())
    window = make_wizard()
    opener = to_open(qtbot, window)
    click(qtbot, opener.from_text)
    opener.pasted.setPlainText(
        f"Hi, the url is https://acme.halopsa.com and the client id is {client_id}, tenant "
        "acme. The secret is ********.\n"
    )
    click(qtbot, opener.read_button)
    qtbot.waitUntil(opener.loaded_box.isVisible, timeout=WAIT_MS)
    said = opener.text_result.label.text().splitlines()
    assert said[:4] == [
        "Found:",
        "• Halo address: https://acme.halopsa.com (from “url”)",
        "• Tenant: acme (from “tenant”)",
        f"• Client ID: {client_id} (from “client id”)",
    ]
    assert "Not found: the scopes (enter them below)." in said, "no tool, so no scopes offered"
    assert any(line.startswith("Note: Read from the sentence on line 1:") for line in said)
    assert (
        'Note: The client secret under "secret" is hidden (masked or a placeholder), so the '
        "text does not give it: type it below."
    ) in said
    assert not any("client secret is in the text" in line for line in said)

    opener.pasted.setPlainText(f"Here you go:\nhttps://acme.halopsa.com/api\n{client_id}\n")
    click(qtbot, opener.read_button)
    qtbot.waitUntil(opener.loaded_box.isVisible, timeout=WAIT_MS)
    said = opener.text_result.label.text().splitlines()
    assert said[1:3] == [
        "• Halo address: https://acme.halopsa.com (by its shape, on line 2)",
        f"• Client ID: {client_id} (by its shape, on line 3)",
    ]
    assert window.context.flow.state.host_text == "https://acme.halopsa.com"
