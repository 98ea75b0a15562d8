"""Step 5: the Halo address, as pasted, with a live preview of what will be used. No network."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton

from wizard.core.cleaning import clean_address
from wizard.flow import StepKey
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import HostFieldPage
from wizard.ui.pages.focus import show_focus_on_entry
from wizard.ui.widgets import Callout, WrapLabel, heading


class HostnamePage(HostFieldPage):
    key = StepKey.HOSTNAME

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.HOST_TITLE)
        self.setSubTitle(text.HOST_SUBTITLE)
        grid = QGridLayout()
        label = QLabel(text.HOST_LABEL)
        self.address = QLineEdit()
        self.address.setPlaceholderText(text.HOST_PLACEHOLDER)
        self.address.setAccessibleName(text.HOST_NAME)
        self.address.setClearButtonEnabled(True)
        label.setBuddy(self.address)
        grid.addWidget(label, 0, 0)
        grid.addWidget(self.address, 0, 1)
        grid.setColumnStretch(1, 1)
        self.body.addLayout(grid)

        self.demo_button: QPushButton | None = None
        if context.demo is not None:
            row = QHBoxLayout()
            self.demo_button = QPushButton(text.DEMO_USE_ADDRESS)
            self.demo_button.setAccessibleName(text.DEMO_USE_ADDRESS)
            self.demo_button.setAutoDefault(False)
            self.demo_button.clicked.connect(self._use_demo)
            row.addWidget(self.demo_button)
            row.addStretch(1)
            self.body.addLayout(row)

        self.empty_hint = WrapLabel(text.HOST_EMPTY)
        self.body.addWidget(self.empty_hint)
        self.will_use_title = heading(text.HOST_WILL_USE)
        self.body.addWidget(self.will_use_title)
        self.preview = WrapLabel(selectable=True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview.setAccessibleName(text.HOST_WILL_USE)
        self.body.addWidget(self.preview)
        self.product = WrapLabel()
        self.body.addWidget(self.product)
        self.notes = Callout("info")
        self.body.addWidget(self.notes)
        self.error = Callout("error")
        self.body.addWidget(self.error)
        self.body.addStretch(1)
        self.address.textEdited.connect(self.apply)

    def entered(self) -> None:
        show_focus_on_entry(self)

    def refresh(self) -> None:
        state = self.flow.state
        address = state.address
        error = state.address_error
        # Empty as the check would see it: a field of only invisible characters is empty too.
        empty = not clean_address(state.host_text).value
        self.empty_hint.setVisible(empty)
        self.will_use_title.setVisible(address is not None)
        self.preview.setVisible(address is not None)
        self.preview.setText(address.url if address else "")
        hint = address.product_hint if address else None
        self.product.setText(text.HOST_PRODUCT.format(product=hint) if hint else "")
        self.product.setVisible(bool(hint))
        notes = list(address.notes) if address else []
        self.notes.show_message(
            "info", text.HOST_CHANGED + "".join(f"\n• {note}" for note in notes) if notes else ""
        )
        self.error.show_message("error", error or "")

    def _use_demo(self) -> None:
        if self.context.demo is not None:
            self.address.setText(self.context.demo.url)
            self.apply()

    def blocked_reason(self) -> str | None:
        if self.flow.state.address_error:
            return text.HOST_BLOCKED_INVALID
        return text.HOST_BLOCKED
