"""The About box: on every page, with the version, the log file and the licences."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer, qVersion
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard

from tests.ui.conftest import WizardFactory
from tests.ui.driver import QT_LOG_MARKS, choose_tool, click, click_next, page
from wizard import __version__
from wizard.core.log import log_status, setup_logging, stop_logging
from wizard.core.notices import live_text
from wizard.flow import StepKey
from wizard.ui.about import AboutDialog

pytestmark = QT_LOG_MARKS

ABOUT = QWizard.WizardButton.HelpButton


@pytest.fixture
def log_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("HALO_WIZARD_LOG_DIR", str(tmp_path / "logs"))
    status = setup_logging()
    assert status.writing
    yield status.file
    stop_logging()


def open_about(qtbot: Any, window: Any) -> AboutDialog:
    button = window.button(ABOUT)
    assert button.isVisible() and button.isEnabled()
    assert button.text() == "About"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.about is not None and window.about.isVisible())
    dialog = window.about
    assert isinstance(dialog, AboutDialog)
    return dialog


def check_contents(dialog: AboutDialog, log_file: Path) -> None:
    shown = "\n".join(label.text() for label in (dialog.heading, dialog.what, dialog.log))
    assert f"Halo connection wizard {__version__}" in shown
    assert str(log_file) in shown
    assert dialog.licences.toPlainText() == live_text()
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in dialog.licences.toPlainText()


def close(qtbot: Any, window: Any, dialog: AboutDialog) -> None:
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.about is None)


def test_about_opens_from_the_first_page_and_a_later_one(
    qtbot: Any, make_wizard: WizardFactory, log_file: Path
) -> None:
    window = make_wizard()
    assert window.context.flow.current is StepKey.WELCOME
    dialog = open_about(qtbot, window)
    assert log_status().file == log_file
    check_contents(dialog, log_file)
    close(qtbot, window, dialog)

    click(qtbot, page(window).new)
    choose_tool(qtbot, window)
    click_next(qtbot, window, StepKey.CREATE_APP)
    dialog = open_about(qtbot, window)
    check_contents(dialog, log_file)
    close(qtbot, window, dialog)
    # The wizard stayed where it was.
    assert window.context.flow.current is StepKey.CREATE_APP


def test_f1_opens_about_too(qtbot: Any, make_wizard: WizardFactory, log_file: Path) -> None:
    window = make_wizard()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.about is not None and window.about.isVisible())
    assert window.about is not None
    check_contents(window.about, log_file)
    close(qtbot, window, window.about)


def test_about_qt_shows_qts_own_box(qtbot: Any, make_wizard: WizardFactory, log_file: Path) -> None:
    window = make_wizard()
    dialog = open_about(qtbot, window)
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, answer)  # not shown yet: look again once it is
            return
        seen.append(box.text() + box.informativeText())
        box.close()

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(dialog.about_qt_button, Qt.MouseButton.LeftButton)  # returns once closed
    assert len(seen) == 1
    assert qVersion() in seen[0]
    close(qtbot, window, dialog)
