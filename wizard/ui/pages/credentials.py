"""Step 7: the Client ID and the secret, cleaned as pasted, and whether to keep the secret."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit

from wizard.core.credentials import describe_removed, looks_like_guid, looks_like_secret
from wizard.flow import StepKey
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.widgets import Callout, WrapLabel, push_button


class CredentialsPage(FlowPage):
    key = StepKey.CREDENTIALS

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.CRED_TITLE)
        self.setSubTitle(text.CRED_SUBTITLE)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(8)

        id_label = QLabel(text.CRED_CLIENT_ID_LABEL)
        self.client_id = QLineEdit()
        self.client_id.setPlaceholderText(text.CRED_CLIENT_ID_PLACEHOLDER)
        self.client_id.setAccessibleName(text.CRED_CLIENT_ID_NAME)
        id_label.setBuddy(self.client_id)
        grid.addWidget(id_label, 0, 0)
        grid.addWidget(self.client_id, 0, 1, 1, 2)
        self.id_warning = Callout("warning")
        grid.addWidget(self.id_warning, 1, 1, 1, 2)

        secret_label = QLabel(text.CRED_SECRET_LABEL)
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setPlaceholderText(text.CRED_SECRET_PLACEHOLDER)
        self.secret.setAccessibleName(text.CRED_SECRET_NAME)
        secret_label.setBuddy(self.secret)
        self.reveal = push_button(text.CRED_REVEAL, text.CRED_REVEAL_NAME)
        self.reveal.setCheckable(True)
        grid.addWidget(secret_label, 2, 0)
        grid.addWidget(self.secret, 2, 1)
        grid.addWidget(self.reveal, 2, 2)
        self.secret_note = Callout("info")
        grid.addWidget(self.secret_note, 3, 1, 1, 2)
        self.secret_warning = Callout("warning")
        grid.addWidget(self.secret_warning, 4, 1, 1, 2)
        self.body.addLayout(grid)

        if context.demo is not None:
            row = QHBoxLayout()
            self.demo_button = push_button(text.DEMO_USE_VALUES)
            self.demo_button.clicked.connect(self._use_demo)
            row.addWidget(self.demo_button)
            row.addStretch(1)
            self.body.addLayout(row)

        self.remember = QCheckBox(text.CRED_REMEMBER)
        self.remember.setAccessibleName(text.CRED_REMEMBER_NAME)
        self.body.addWidget(self.remember)
        self.keychain_note = WrapLabel()
        self.keychain_note.setIndent(self.remember.sizeHint().height())
        self.body.addWidget(self.keychain_note)
        self.body.addStretch(1)

        self.client_id.textEdited.connect(self.apply)
        self.secret.textEdited.connect(self.apply)
        self.remember.toggled.connect(self.apply)
        self.reveal.toggled.connect(self._reveal)
        context.keychain.changed.connect(self.refresh)

    def entered(self) -> None:
        self.context.keychain.ensure_checked()

    def load(self) -> None:
        state = self.flow.state
        if self.client_id.text() != state.client_id_text:
            self.client_id.setText(state.client_id_text)
        if self.secret.text() != state.secret_text:
            self.secret.setText(state.secret_text)
        super().load()

    def apply(self) -> None:
        state = self.flow.state
        changes: dict[str, object] = {}
        if self.client_id.text() != state.client_id_text:
            changes["client_id_text"] = self.client_id.text()
        if self.secret.text() != state.secret_text:
            changes["secret_text"] = self.secret.text()
        # While no keychain can be used the box is off and disabled; the wish is kept.
        if self.remember.isEnabled() and self.remember.isChecked() != state.remember_secret:
            changes["remember_secret"] = self.remember.isChecked()
        if changes:
            self.flow.update(**changes)

    def refresh(self) -> None:
        state = self.flow.state
        client_id = state.client_id
        if looks_like_secret(client_id):
            self.id_warning.show_message("warning", text.CRED_ID_IS_SECRET)
        elif client_id and not looks_like_guid(client_id):
            self.id_warning.show_message("info", text.CRED_ID_NOT_GUID)
        elif state.client_id_was_cleaned:
            cleaned = describe_removed(state.client_id_was_cleaned)
            self.id_warning.show_message("info", text.CRED_ID_CLEANED.format(removed=cleaned))
        else:
            self.id_warning.show_message("info", "")
        removed = state.secret_was_trimmed
        self.secret_note.show_message(
            "info", text.CRED_TRIMMED.format(removed=describe_removed(removed)) if removed else ""
        )
        secret = state.secret
        self.secret_warning.show_message(
            "warning", text.CRED_SECRET_IS_ID if secret and looks_like_guid(secret) else ""
        )
        self._show_keychain()

    def _show_keychain(self) -> None:
        keychain = self.context.keychain
        remember = self.flow.state.remember_secret
        self.remember.blockSignals(True)
        if not keychain.checked:
            self.remember.setEnabled(True)
            self.remember.setChecked(remember)
            note = text.CRED_KEYCHAIN_CHECKING
        elif keychain.available:
            name = keychain.name or ""
            self.remember.setEnabled(True)
            self.remember.setChecked(remember)
            if not remember:
                note = text.CRED_REMEMBER_OFF
            elif keychain.in_memory:
                # The demo never touches this computer's keychain: no tool could read it.
                note = text.CRED_REMEMBER_DEMO
            else:
                note = text.CRED_REMEMBER_WHERE.format(name=name)
        else:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            if keychain.timed_out:
                note = text.CRED_KEYCHAIN_TIMEOUT.format(seconds=f"{keychain.timeout:g}")
            else:
                note = text.CRED_KEYCHAIN_NONE.format(reason=keychain.reason or "")
        self.remember.blockSignals(False)
        self.keychain_note.setText(note)

    def _reveal(self, shown: bool) -> None:
        self.secret.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.reveal.setText(text.CRED_HIDE if shown else text.CRED_REVEAL)
        self.reveal.setAccessibleName(text.CRED_HIDE_NAME if shown else text.CRED_REVEAL_NAME)

    def _use_demo(self) -> None:
        demo = self.context.demo
        if demo is not None:
            self.client_id.setText(demo.client_id)
            self.secret.setText(demo.client_secret)
            self.apply()

    def blocked_reason(self) -> str | None:
        state = self.flow.state
        if not state.client_id and not state.secret:
            return text.CRED_BLOCKED_BOTH
        if not state.client_id:
            return text.CRED_BLOCKED_ID
        return text.CRED_BLOCKED_SECRET
