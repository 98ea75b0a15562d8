"""What each page shows and refuses as an admin types, clicks and goes Back; accessibility."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from tests.conftest import HaloFactory
from tests.ui.conftest import Browser, WizardFactory
from tests.ui.driver import (
    BACK,
    NEXT,
    QT_LOG_MARKS,
    choose_tool,
    click,
    click_next,
    enter_credentials,
    page,
    shot,
    wait_idle,
    walk_to_credentials,
)
from wizard.flow import AppChoice, IdentityChoice, StepKey, WizardState
from wizard.ui import theme
from wizard.ui.pages.base import page_id

# What a passing test that asked for edit:tickets says (it never tries changing).
READ_ONLY = "The connection works for reading"

pytestmark = QT_LOG_MARKS

# Made up for each run, in Halo's shapes: a GUID, and two GUIDs joined by a dash.
CLIENT_ID = str(uuid.uuid4())
SECRET = f"{uuid.uuid4()}-{uuid.uuid4()}"


def open_at(
    make_wizard: WizardFactory, step: StepKey, state: WizardState, qtbot: Any = None
) -> Any:
    """The wizard showing `step`, reached with Next through the pages before it."""
    window = make_wizard(state)
    flow = window.context.flow
    while flow.current is not step:
        if qtbot is not None:
            qtbot.waitUntil(window.button(NEXT).isEnabled, timeout=8000)
        window.next()
        QApplication.processEvents()
    assert window.currentId() == page_id(step)
    return window


# ----- Welcome and the side panel -----


def test_next_is_disabled_until_a_choice_is_made_and_the_page_says_why(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    welcome = page(window)
    assert not window.button(NEXT).isEnabled()
    assert welcome.blocked.text() == "To continue: choose one of the answers above."
    # Before an answer the longer path is shown, so the count never grows later.
    assert window.steps.position.text() == "Step 1 of 10"
    click(qtbot, welcome.new)
    assert window.button(NEXT).isEnabled() and not welcome.blocked.isVisible()
    assert window.steps.position.text() == "Step 1 of 10"
    click(qtbot, welcome.existing)
    # An existing application skips the creation instructions.
    assert window.steps.position.text() == "Step 1 of 9"


def test_an_existing_application_skips_the_instructions(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window)
    click_next(qtbot, window, StepKey.IDENTITY)
    assert window.steps.position.text() == "Step 3 of 9"


# ----- Create the application -----


def test_applications_page_opens_once_the_address_is_known(
    qtbot: Any, make_wizard: WizardFactory, browser: Browser
) -> None:
    window = open_at(
        make_wizard, StepKey.CREATE_APP, WizardState(tool="script", app_choice=AppChoice.NEW)
    )
    create = page(window)
    assert not create.open_button.isEnabled()
    assert (
        "HaloPSA API" in create.steps.plain_text() and "HaloITSM API" in create.steps.plain_text()
    )
    qtbot.keyClicks(create.address, "https://acme.haloitsm.com/portal")
    assert create.open_button.isEnabled()
    click(qtbot, create.open_button)
    assert browser.opened == ["https://acme.haloitsm.com/config/integrations/api/applications"]
    # The product is recognised from the domain: only its menu is named now.
    assert (
        "HaloITSM API" in create.steps.plain_text()
        and "HaloPSA API" not in create.steps.plain_text()
    )
    # The address typed here is the one the address page starts with.
    assert window.context.flow.state.host_text == "https://acme.haloitsm.com/portal"


# ----- Identity -----


def test_identity_instructions_follow_the_choice(qtbot: Any, make_wizard: WizardFactory) -> None:
    window = open_at(
        make_wizard, StepKey.IDENTITY, WizardState(tool="script", app_choice=AppChoice.EXISTING)
    )
    identity = page(window)
    click(qtbot, identity.agent)
    assert "Is an API-only Agent" in identity.how.plain_text()
    click(qtbot, identity.application)
    assert "Identity Roles" in identity.how.plain_text()
    assert window.context.flow.state.identity is IdentityChoice.APPLICATION


# ----- Scopes -----


def test_edit_scope_ticks_and_locks_its_read_scope_with_a_note(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    state = WizardState(tool="script", app_choice=AppChoice.EXISTING, identity=IdentityChoice.AGENT)
    window = open_at(make_wizard, StepKey.SCOPES, state)
    scopes = page(window)
    click(qtbot, scopes.boxes["edit:assets"])
    read = scopes.boxes["read:assets"]
    assert read.isChecked() and not read.isEnabled()
    assert "Included in edit:assets" in scopes.lines["read:assets"].text()
    assert window.context.flow.state.scopes == ("read:assets", "edit:assets")
    assert scopes.tick_list.text() == "read:assets\nedit:assets"
    assert scopes.preset_buttons["custom"].isChecked()
    click(qtbot, scopes.boxes["edit:assets"])
    assert not read.isChecked() and read.isEnabled()
    assert window.context.flow.state.scopes == ()
    assert not window.button(NEXT).isEnabled()


def test_a_preset_ticks_its_boxes_and_everything_is_flagged(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    state = WizardState(tool="script", app_choice=AppChoice.EXISTING, identity=IdentityChoice.AGENT)
    window = open_at(make_wizard, StepKey.SCOPES, state)
    scopes = page(window)
    click(qtbot, scopes.preset_buttons["asset_sync"])
    assert {s for s, box in scopes.boxes.items() if box.isChecked()} == {
        "read:assets",
        "edit:assets",
        "read:customers",
    }
    assert not scopes.broad_warning.isVisible()
    click(qtbot, scopes.preset_buttons["everything"])
    assert scopes.broad_warning.isVisible() and scopes.boxes["all"].isChecked()
    assert "(not recommended)" in scopes.preset_buttons["everything"].text()
    shot(window, "scopes-everything", "04-scopes")


# ----- Hostname -----


def test_address_is_checked_as_typed_without_any_network(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    state = WizardState(
        tool="script",
        app_choice=AppChoice.EXISTING,
        identity=IdentityChoice.AGENT,
        scopes=("read:tickets",),
    )
    window = open_at(make_wizard, StepKey.HOSTNAME, state)
    hostname = page(window)
    qtbot.keyClicks(hostname.address, "ftp://acme.halopsa.com")
    assert hostname.error.isVisible() and "is not a web address" in hostname.error.label.text()
    assert not window.button(NEXT).isEnabled()
    assert hostname.blocked.text() == "To continue: correct the address (see above)."
    shot(window, "hostname-error", "05-hostname")
    hostname.address.clear()
    qtbot.keyClicks(hostname.address, '"http://Acme.HaloPSA.com/portal/"')
    assert not hostname.error.isVisible()
    assert hostname.preview.text() == "https://acme.halopsa.com"
    assert hostname.product.text() == "Recognised from the address: HaloPSA."
    notes = hostname.notes.label.text()
    assert "Changed http:// to https://" in notes and "Removed /portal" in notes
    assert window.button(NEXT).isEnabled()
    shot(window, "hostname-notes", "05-hostname")


def test_an_address_of_only_invisible_characters_is_an_empty_one(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    state = WizardState(
        tool="script",
        app_choice=AppChoice.EXISTING,
        identity=IdentityChoice.AGENT,
        scopes=("read:tickets",),
    )
    window = open_at(make_wizard, StepKey.HOSTNAME, state)
    hostname = page(window)
    assert hostname.empty_hint.isVisible()
    # Pasted, as such characters arrive (typing them is not possible).
    QApplication.clipboard().setText("\u200b\u00a0\ufeff")
    hostname.address.paste()
    assert hostname.address.text() == "\u200b\u00a0\ufeff"
    assert hostname.empty_hint.isVisible(), "what the check would see is empty"
    assert not window.button(NEXT).isEnabled()
    qtbot.keyClicks(hostname.address, "acme.halopsa.com")
    assert not hostname.empty_hint.isVisible()


# ----- Tenant -----


def test_tenant_page_explains_a_failure_and_tries_again(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("not_halo")
    state = WizardState(
        tool="script",
        app_choice=AppChoice.EXISTING,
        identity=IdentityChoice.AGENT,
        scopes=("read:tickets",),
        host_text=halo.url,
    )
    window = open_at(make_wizard, StepKey.TENANT, state)
    tenant = page(window)
    wait_idle(qtbot, window)
    shot(window, "tenant-not-halo", "06-tenant")
    assert tenant.summary.label.text() == f"Halo could not be found at {halo.url}."
    views = tenant.findings_box.findChildren(
        QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
    )
    titles = [view.title.text() for view in views if hasattr(view, "title")]
    assert titles == [f"Problem: No Halo API answers at {halo.url}"]
    assert not window.button(NEXT).isEnabled() and tenant.again_button.isVisible()
    assert tenant.blocked.text() == (
        "To continue: fix the problem shown above (to change the address, click Back), "
        "then click Try again."
    )
    halo.scenario = "healthy"
    click(qtbot, tenant.again_button)
    wait_idle(qtbot, window)
    assert tenant.summary.label.text() == "Found your Halo." and window.button(NEXT).isEnabled()


def test_on_premise_halo_is_said_plainly(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("on_premise")
    state = WizardState(
        tool="script",
        app_choice=AppChoice.EXISTING,
        identity=IdentityChoice.AGENT,
        scopes=("read:tickets",),
        host_text=halo.url,
    )
    window = open_at(make_wizard, StepKey.TENANT, state)
    tenant = page(window)
    wait_idle(qtbot, window)
    assert tenant.fact_labels["tenant"].text() == "none (on-premise Halo)"
    assert tenant.fact_labels["product"].text() == "Halo ITSM"
    titles = [
        view.title.text()
        for view in tenant.findings_box.findChildren(QWidget)
        if hasattr(view, "finding")
    ]
    assert "Note: On-premise Halo: no tenant" in titles


def test_cancel_while_looking_for_halo_and_a_tenant_override_that_differs(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("never_answers")
    state = WizardState(
        tool="script",
        app_choice=AppChoice.EXISTING,
        identity=IdentityChoice.AGENT,
        scopes=("read:tickets",),
        host_text=halo.url,
    )
    window = open_at(make_wizard, StepKey.TENANT, state)
    tenant = page(window)
    assert tenant.busy and tenant.busy_bar.isVisible() and tenant.cancel_button.isVisible()
    shot(window, "tenant-searching", "06-tenant")
    click(qtbot, tenant.cancel_button)
    assert not tenant.busy
    assert tenant.summary.label.text() == "Stopped. Click Try again to look for Halo again."
    halo.scenario = "healthy"
    click(qtbot, tenant.again_button)
    wait_idle(qtbot, window)
    click(qtbot, tenant.advanced)
    qtbot.keyClicks(tenant.override, "ACME")
    assert window.context.flow.state.tenant == "ACME"
    assert tenant.differs.isVisible()
    assert "reports the tenant acme for this instance, not ACME" in tenant.differs.label.text()
    shot(window, "tenant-override", "06-tenant")
    # Turning Advanced off stops using the override, without losing what was typed.
    click(qtbot, tenant.advanced)
    assert window.context.flow.state.tenant == "acme" and tenant.override.text() == "ACME"


# ----- Credentials -----


def test_pasted_values_are_cleaned_and_swapped_fields_are_noticed(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    state = WizardState(
        tool="script",
        app_choice=AppChoice.EXISTING,
        identity=IdentityChoice.AGENT,
        scopes=("read:tickets",),
        host_text=start_halo("healthy").url,
    )
    window = open_at(make_wizard, StepKey.CREDENTIALS, state, qtbot)
    credentials = page(window)
    qtbot.keyClicks(credentials.client_id, SECRET)
    qtbot.keyClicks(credentials.secret, CLIENT_ID)
    assert "looks like a client secret, not a Client ID" in credentials.id_warning.label.text()
    assert "looks like a Client ID, not a secret" in credentials.secret_warning.label.text()
    credentials.client_id.clear()
    credentials.secret.clear()
    qtbot.keyClicks(credentials.client_id, CLIENT_ID)
    credentials.secret.setText(f' "{SECRET}"\n')
    credentials.apply()
    state = window.context.flow.state
    assert state.secret == SECRET and not credentials.secret_warning.isVisibleTo(credentials)
    assert (
        "Removed a space at the start, quotes around it and a line break at the end from the "
        "pasted secret" in credentials.secret_note.label.text()
    )
    assert credentials.secret.echoMode() == QLineEdit.EchoMode.Password
    click(qtbot, credentials.reveal)
    assert credentials.secret.echoMode() == QLineEdit.EchoMode.Normal
    assert credentials.reveal.accessibleName() == "Hide the secret"
    credentials.client_id.clear()
    QApplication.clipboard().setText(f"{CLIENT_ID}\u200b")
    credentials.client_id.paste()
    assert window.context.flow.state.client_id == CLIENT_ID
    assert credentials.id_warning.label.text().startswith(
        "Removed a zero-width space at the end from the pasted Client ID"
    )
    shot(window, "credentials-cleaned", "07-credentials")


# ----- Live test -----


def test_test_again_cancels_the_test_still_running(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy", latency_ms=400)
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    live_test = click_next(qtbot, window, StepKey.TEST)
    first = live_test.tasks._task
    assert first is not None and not first.done()
    live_test.start()  # what a second click on Test again does
    qtbot.waitUntil(first.done, timeout=2000)
    assert first.cancelled()
    wait_idle(qtbot, window)
    assert live_test.summary.label.text() == f"{READ_ONLY}."


def test_a_different_identity_than_chosen_is_pointed_out(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("application_identity")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo, identity="agent")
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert live_test.mismatch.isVisible()
    assert live_test.summary.label.text() == f"{READ_ONLY}, but 1 warning is worth fixing."
    assert "acts as itself (the application identity)" in live_test.mismatch.label.text()
    shot(window, "identity-mismatch", "08-test")


def test_back_keeps_everything_and_does_not_look_for_halo_again(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    discovery = window.context.flow.state.discovery
    for step in (StepKey.TENANT, StepKey.HOSTNAME, StepKey.SCOPES):
        click(qtbot, window.button(BACK))
        qtbot.waitUntil(lambda step=step: window.context.flow.current is step)
    assert page(window).preset_buttons["ticket_sync"].isChecked()
    click_next(qtbot, window, StepKey.HOSTNAME)
    assert page(window).address.text() == f" {halo.url}/api/ "
    click_next(qtbot, window, StepKey.TENANT)
    assert window.context.flow.state.discovery is discovery and not page(window).busy
    credentials = click_next(qtbot, window, StepKey.CREDENTIALS)
    assert credentials.client_id.text() == halo.client_id
    assert credentials.secret.text() == halo.client_secret


# ----- for everyone -----


def test_every_control_has_an_accessible_name_and_labels_have_buddies(
    make_wizard: WizardFactory,
) -> None:
    window = make_wizard()
    missing = []
    for page_widget in [window.page_for(key) for key in StepKey]:
        for widget in page_widget.findChildren(QWidget):
            focusable = widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            if isinstance(widget, QAbstractButton | QLineEdit | QComboBox) or (
                focusable and not isinstance(widget, QLabel)
            ):
                if isinstance(widget.parent(), QLineEdit | QComboBox) or isinstance(
                    widget.parent().parent(), QComboBox
                ):
                    continue  # Qt's own parts (clear button, drop-down list) are named by Qt
                if not widget.accessibleName().strip():
                    missing.append(
                        f"{type(page_widget).__name__}: {type(widget).__name__} "
                        f"{widget.objectName()} in {type(widget.parent()).__name__}"
                    )
            if (
                isinstance(widget, QLabel)
                and "&"
                in widget.text().replace("&amp;", "").replace("&gt;", "").replace("&lt;", "")
                and widget.textFormat() != Qt.TextFormat.RichText
            ):
                assert widget.buddy() is not None, widget.text()
    assert missing == []


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_status_colours_stand_out_in_light_and_dark_mode(dark: bool) -> None:
    palette = theme.dark_palette() if dark else QApplication.style().standardPalette()
    window = palette.color(palette.ColorRole.Window)
    alternate = palette.color(palette.ColorRole.AlternateBase)
    for kind in theme.STATUS_KINDS:
        colour = theme.status_colour(kind, palette)
        assert theme.contrast(colour, window) >= 3.0, (kind, colour.name())
        assert theme.contrast(colour, alternate) >= 3.0, (kind, colour.name())


def test_thousands_of_qt_calls_do_not_crash_python_3_11(make_wizard: WizardFactory) -> None:
    label = QLabel()
    for number in range(20000):
        label.setText(str(number))
    assert label.text() == "19999"
    # QWizard asks the page's isComplete (a Python override returning a bool) each time.
    window = make_wizard()
    for _ in range(20000):
        window.current_page().completeChanged.emit()
    assert not window.button(NEXT).isEnabled()


def test_a_blocking_call_that_hangs_times_out_without_blocking_the_window(
    qtbot: Any, event_loop_qt: Any
) -> None:
    import threading

    from wizard.ui.tasks import BlockingTimeout, run_blocking

    release = threading.Event()
    outcome: list[str] = []

    async def attempt() -> None:
        try:
            await run_blocking(release.wait, 30, timeout=0.2)
        except BlockingTimeout:
            outcome.append("timed out")

    task = asyncio.ensure_future(attempt())
    qtbot.waitUntil(task.done, timeout=2000)
    release.set()
    assert outcome == ["timed out"]


# ----- Export extras and closing -----


def test_environment_variables_for_the_chosen_shell_never_include_the_secret(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    from PySide6.QtGui import QGuiApplication

    halo = start_halo("healthy")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    export = click_next(qtbot, window, StepKey.EXPORT)
    assert export.shell.currentData() == "posix"
    click(qtbot, export.env_button)
    copied = QGuiApplication.clipboard().text()
    assert f"export HALO_HOST='{halo.url}'" in copied
    assert f"export HALO_CLIENT_ID='{halo.client_id}'" in copied
    assert halo.client_secret not in copied and "keychain" in copied
    assert export.env_result.isVisible() and "not included" in export.env_result.text()
    export.shell.setCurrentIndex(export.shell.findData("powershell"))
    click(qtbot, export.env_button)
    assert "$env:HALO_TENANT = 'acme'" in QGuiApplication.clipboard().text()


def test_the_file_can_be_put_elsewhere_with_the_save_dialog_and_its_folder_shown(
    qtbot: Any,
    make_wizard: WizardFactory,
    start_halo: HaloFactory,
    browser: Browser,
    tmp_path: Any,
) -> None:
    from PySide6.QtCore import QUrl
    from PySide6.QtWidgets import QFileDialog

    halo = start_halo("healthy")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    export = click_next(qtbot, window, StepKey.EXPORT)
    click(qtbot, export.choose_button)
    dialog = export.file_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    target = tmp_path / "elsewhere"
    target.mkdir()
    dialog.setDirectory(str(target))
    dialog.selectFile(str(target / "acme.json"))
    dialog.accept()
    assert export.path.text() == str(target / "acme.json")
    click(qtbot, export.save_button)
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to is not None, timeout=5000)
    assert (target / "acme.json").is_file()
    click(qtbot, export.folder_button)
    assert browser.opened[-1] == QUrl.fromLocalFile(str(target)).toString()


def test_closing_with_unsaved_entries_asks_first(qtbot: Any, make_wizard: WizardFactory) -> None:
    from PySide6.QtWidgets import QMessageBox

    window = make_wizard(WizardState(client_id_text=CLIENT_ID, secret_text=SECRET))
    window.reject()
    box = window.findChild(QMessageBox)
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert window.isVisible()
    stay = next(b for b in box.buttons() if b.text() == "Stay")
    click(qtbot, stay)
    assert window.isVisible()
    window.reject()
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    click(qtbot, next(b for b in box.buttons() if b.text() == "Quit"))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=2000)


def test_a_bare_file_name_is_saved_in_documents_and_an_empty_one_is_refused(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    from pathlib import Path

    halo = start_halo("healthy")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    export = click_next(qtbot, window, StepKey.EXPORT)
    export.path.clear()
    click(qtbot, export.save_button)
    qtbot.waitUntil(lambda: export.save_result.mark.kind == "error", timeout=5000)
    assert export.save_result.label.text() == "Choose where to save the file first."
    wait_idle(qtbot, window)
    qtbot.keyClicks(export.path, "mine.json")
    click(qtbot, export.save_button)
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to is not None, timeout=5000)
    assert (Path(window.context.documents_dir) / "mine.json").is_file()
