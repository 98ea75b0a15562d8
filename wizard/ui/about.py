"""The About box: the version, where the log is, the licences, and Qt's own About.

Opened by the About button at the bottom of every page (QWizard's Help button, relabelled;
F1 opens it too). The licences are the text `halo-wizard licences` prints
(wizard/core/notices.py): the packaged app's own file, or made from the installed packages
when the wizard runs from its source code.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wizard import __version__
from wizard.core.log import log_status
from wizard.core.notices import NoticesError, licences_text
from wizard.ui import text, theme
from wizard.ui.widgets import WrapLabel, push_button


def log_place() -> str:
    status = log_status()
    if status.writing:
        return text.ABOUT_LOG.format(path=status.file)
    return text.ABOUT_NO_LOG.format(reason=status.reason or "")


class AboutDialog(QDialog):
    """Shows the version, the log file's place and the licences; About Qt; Close."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(text.ABOUT_TITLE)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.heading = QLabel(text.ABOUT_HEADING.format(version=__version__))
        self.heading.setFont(theme.bold(self.heading.font(), 1.2))
        self.what = WrapLabel(text.ABOUT_WHAT)
        self.log = WrapLabel(log_place(), selectable=True)
        intro = QLabel(text.ABOUT_LICENCES)
        self.licences = QPlainTextEdit()
        self.licences.setReadOnly(True)
        self.licences.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.licences.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.licences.setAccessibleName(text.ABOUT_LICENCES_NAME)
        try:
            self.licences.setPlainText(licences_text())
        except NoticesError as exc:
            self.licences.setPlainText(text.ABOUT_LICENCES_MISSING.format(reason=exc))
        intro.setBuddy(self.licences)
        for widget in (self.heading, self.what, self.log, intro):
            layout.addWidget(widget)
        layout.addWidget(self.licences, 1)

        buttons = QDialogButtonBox()
        self.about_qt_button = push_button(text.ABOUT_QT, text.ABOUT_QT_NAME)
        self.close_button = push_button(text.ABOUT_CLOSE)
        buttons.addButton(self.about_qt_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setDefault(True)
        layout.addWidget(buttons)
        self.about_qt_button.clicked.connect(self.about_qt)
        buttons.rejected.connect(self.reject)

        metrics = self.fontMetrics()
        # Wide enough for a licence's 80-character lines in the fixed font.
        fixed = self.licences.fontMetrics().horizontalAdvance("M" * 84)
        self.resize(max(fixed + 48, metrics.averageCharWidth() * 90), metrics.height() * 36)

    def about_qt(self) -> None:
        """Qt's own About box: its version and licence, as Qt words them."""
        QMessageBox.aboutQt(self, text.ABOUT_QT.replace("&", ""))
