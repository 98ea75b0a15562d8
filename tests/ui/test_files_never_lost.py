"""Files are never lost: saving over a file asks first, and the demo keeps to a folder and a
keychain of its own; changing the demo's situation clears what no longer holds."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.conftest import HaloFactory
from tests.ui.conftest import Browser, WizardFactory
from tests.ui.driver import (
    QT_LOG_MARKS,
    WAIT_MS,
    choose_tool,
    click,
    click_next,
    page,
    shot,
    wait_idle,
)
from tests.ui.test_keychain import secret_service, to_export  # noqa: F401  # a fixture
from wizard.flow import StepKey
from wizard.sim.scenarios import SCENARIOS
from wizard.ui.app import demo_state
from wizard.ui.context import Services
from wizard.ui.demo import FOLDER_PREFIX, DemoSession
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS


@pytest.fixture
def session(tmp_path: Path) -> Iterator[DemoSession]:
    temp = tmp_path / "temp"
    temp.mkdir()
    demo = DemoSession("healthy", folder_parent=str(temp))
    demo.start()
    yield demo
    demo.stop()


def demo_to(qtbot: Any, window: WizardWindow, last: StepKey) -> Any:
    """Through the demo with its values, as an admin pressing Next would, up to `last`."""
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window)
    click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
    click(qtbot, click_next(qtbot, window, StepKey.SCOPES).preset_buttons["read_tickets"])
    for step in (StepKey.HOSTNAME, StepKey.TENANT, StepKey.CREDENTIALS, StepKey.TEST):
        click_next(qtbot, window, step)
        wait_idle(qtbot, window)
        if step is last:
            break
    if last is StepKey.EXPORT:
        click_next(qtbot, window, StepKey.EXPORT)
    return page(window)


def the_question(qtbot: Any, export: Any) -> QMessageBox:
    qtbot.waitUntil(
        lambda: export.replace_question is not None and export.replace_question.isVisible(),
        timeout=WAIT_MS,
    )
    box = export.replace_question
    assert isinstance(box, QMessageBox)
    # A top-level window of its own, as the admin sees it.
    assert box in QApplication.topLevelWidgets()
    return box


def button_named(box: QMessageBox, label: str) -> Any:
    for button in box.buttons():
        if button.text().replace("&", "") == label:
            return button
    raise AssertionError(f"no {label!r} among {[b.text() for b in box.buttons()]}")


def an_old_file(export: Any) -> tuple[Path, bytes]:
    path = Path(export.path.text())
    old = b'{"written": "by hand, yesterday"}\n'
    path.write_bytes(old)
    yesterday = time.time() - 24 * 3600
    os.utime(path, (yesterday, yesterday))
    return path, old


def test_saving_over_a_file_asks_first_and_replace_writes_the_new_one(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    export = to_export(qtbot, window, halo)
    path, _old = an_old_file(export)
    click(qtbot, export.save_button)
    box = the_question(qtbot, export)
    shot(box, "replace-question", "box")
    assert path.name in box.text()
    assert str(path.parent) in box.informativeText()
    assert "yesterday at" in box.informativeText()
    # Cancel is the default: Return alone never replaces a file.
    assert box.defaultButton() is button_named(box, "Cancel")
    click(qtbot, button_named(box, "Replace"))
    qtbot.waitUntil(lambda: export.save_result.label.text().startswith("Saved to"), timeout=WAIT_MS)
    written = json.loads(path.read_bytes())
    assert written["schema_version"] == 1
    assert window.context.flow.state.exported_to == str(path)


def test_cancel_keeps_the_old_file_and_leaves_the_admin_at_the_path(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    export = to_export(qtbot, window, halo)
    path, old = an_old_file(export)
    before = path.stat().st_mtime
    click(qtbot, export.save_button)
    box = the_question(qtbot, export)
    click(qtbot, button_named(box, "Cancel"))
    qtbot.waitUntil(lambda: not export.busy, timeout=WAIT_MS)
    assert path.read_bytes() == old and path.stat().st_mtime == before
    assert window.context.flow.current is StepKey.EXPORT
    assert window.context.flow.state.exported_to is None
    # The window's focus (the offscreen platform does not reactivate it after a dialog).
    qtbot.waitUntil(lambda: window.focusWidget() is export.path, timeout=WAIT_MS)
    assert export.path.selectedText() == str(path)
    assert "was kept" in export.save_result.label.text()
    shot(window, "replace-cancelled", "09-export")


def test_escape_on_the_question_keeps_the_old_file(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    export = to_export(qtbot, window, halo)
    path, old = an_old_file(export)
    click(qtbot, export.save_button)
    box = the_question(qtbot, export)
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not export.busy, timeout=WAIT_MS)
    assert path.read_bytes() == old


def test_the_demo_saves_into_a_temporary_folder_of_its_own(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession, tmp_path: Path
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    export = demo_to(qtbot, window, StepKey.EXPORT)
    folder = Path(export.path.text()).parent
    assert folder == Path(session.folder)
    assert folder.name.startswith(FOLDER_PREFIX) and folder.parent == tmp_path / "temp"
    # Not the Documents folder a real connection goes to.
    assert folder != Path(window.context.documents_dir)
    # Where the secret goes, said honestly.
    assert "in memory for this demo only" in export.keychain_note.text()
    assert export.keychain_radio.text().replace("&", "") == "In memory, for this demo only"
    assert "keychain" in export.keychain_note.text()
    shot(window, "demo-folder", "09-export")


@pytest.mark.secret_service
def test_a_whole_demo_leaves_nothing_in_the_real_keychain(
    qtbot: Any,
    make_wizard: WizardFactory,
    session: DemoSession,
    browser: Browser,
    secret_service: list[tuple[str, str]],  # noqa: F811  # the fixture imported above
) -> None:
    from wizard.core.secrets import load_secret

    # The real keychain calls, as the app would make them.
    window = make_wizard(
        demo_state(session), demo=session, services=Services(open_url=browser.open)
    )
    export = demo_to(qtbot, window, StepKey.EXPORT)
    report = window.context.flow.state.report
    assert report is not None
    for host in {report.host, session.url}:
        secret_service.append((host, session.client_id))
    assert export.keychain_radio.isChecked()
    click(qtbot, export.save_button)
    qtbot.waitUntil(lambda: export.save_result.label.text().startswith("Saved to"), timeout=WAIT_MS)
    assert "not in this computer's keychain" in export.save_result.label.text()
    saved = window.context.flow.state.exported_to
    assert saved is not None and Path(saved).parent == Path(session.folder)
    for host in {report.host, session.url}:
        assert load_secret(host, session.client_id) is None
    shot(window, "demo-saved", "09-export")


def test_changing_the_situation_clears_the_test_and_offers_to_test_again(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    live_test = demo_to(qtbot, window, StepKey.TEST)
    assert live_test.summary.label.text() == "The connection works."
    panel = window.steps.demo
    assert panel is not None and not panel.again_button.isVisible()
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("wrong_secret"))
    # The healthy result is gone from the page, and the panel says why.
    assert window.context.flow.state.report is None
    assert live_test.summary.label.text() != "The connection works."
    assert live_test.checklist.step_keys() == []
    assert live_test.finding_views == []
    assert panel.changed_note.isVisible() and "Situation changed" in panel.changed_note.text()
    assert panel.again_button.isVisible()
    shot(window, "demo-situation-changed", "08-test")
    click(qtbot, panel.again_button)
    qtbot.waitUntil(lambda: window.context.flow.state.report is not None, timeout=WAIT_MS)
    wait_idle(qtbot, window)
    assert "INVALID_CLIENT" in [view.finding.code for view in live_test.finding_views]
    assert not panel.again_button.isVisible()


def test_a_situation_that_changes_the_instance_clears_what_discovery_found(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    tenant = demo_to(qtbot, window, StepKey.TENANT)
    state = window.context.flow.state
    assert state.discovery is not None and state.discovery.tenant == "acme"
    panel = window.steps.demo
    assert panel is not None
    # Another secret: what the instance says about itself still holds.
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("wrong_secret"))
    assert window.context.flow.state.discovery is state.discovery
    assert not panel.again_button.isVisible()
    # A trial instance: another tenant, another authorisation server.
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("trial"))
    assert window.context.flow.state.discovery is None
    assert not tenant.facts.isVisible()
    assert panel.again_button.isVisible()
    shot(window, "demo-situation-changed", "06-tenant")
    click(qtbot, panel.again_button)
    qtbot.waitUntil(lambda: window.context.flow.state.discovery is not None, timeout=WAIT_MS)
    discovery = window.context.flow.state.discovery
    assert discovery is not None and discovery.tenant == "SimTrial42"


def test_a_test_saved_before_the_change_is_not_offered_for_saving(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    export = demo_to(qtbot, window, StepKey.EXPORT)
    panel = window.steps.demo
    assert panel is not None
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("agent_no_permission"))
    assert not export.save_button.isEnabled()
    assert "Not tested in this situation" in export.test_status.label.text()
    click(qtbot, panel.again_button)
    qtbot.waitUntil(lambda: window.context.flow.current is StepKey.TEST, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: window.context.flow.state.report is not None, timeout=WAIT_MS)
    report = window.context.flow.state.report
    assert report is not None and not report.ok


DEVELOPER_WORDS = ("drip", "not halo", "printed", "probe", "POST", "Retry-After", ".NET")


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_every_situation_is_described_in_an_admins_words(name: str) -> None:
    description = SCENARIOS[name]
    for word in DEVELOPER_WORDS:
        assert word.lower() not in description.lower(), (name, word)
