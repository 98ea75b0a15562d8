"""Step 7: the Client ID and the secret, cleaned as pasted, and whether to keep the secret.

For an application that exists already, the page also asks how it proves who it is: with
JWT Assertion (Services) the secret gives way to the private key file it signs with.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wizard.core.credentials import describe_removed, looks_like_guid, looks_like_secret
from wizard.flow import AppChoice, KeyStore, StepKey
from wizard.flow.tools import tool_recipe
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.focus import show_focus_on_entry
from wizard.ui.pages.key_file import AssertionFields, KeyFileChooser, MethodChoice
from wizard.ui.widgets import Callout, WrapLabel, heading, push_button, secret_field


class CredentialsPage(FlowPage):
    key = StepKey.CREDENTIALS

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.CRED_TITLE)
        self.setSubTitle(text.CRED_SUBTITLE)
        # An application that exists already: which method it uses is asked here.
        self.method = MethodChoice(
            text.CRED_METHOD_TITLE,
            (text.CRED_METHOD_SECRET, text.CREATE_METHOD_SECRET_TEXT),
            (text.CRED_METHOD_KEY, text.CRED_METHOD_KEY_TEXT),
        )
        self.method.show_asked(False)
        self.body.addWidget(self.method)
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

        # JWT Assertion: no secret, only the Client ID (the key was made on an earlier page).
        self.key_note = Callout("info")
        self.key_note.setVisible(False)
        grid.addWidget(self.key_note, 5, 1, 1, 2)

        secret_label, self.secret = secret_field(
            text.CRED_SECRET_LABEL, text.CRED_SECRET_PLACEHOLDER, text.CRED_SECRET_NAME
        )
        self.secret_label = secret_label
        self.reveal = push_button(text.CRED_REVEAL, text.CRED_REVEAL_NAME)
        self.reveal.setCheckable(True)
        grid.addWidget(secret_label, 2, 0)
        grid.addWidget(self.secret, 2, 1)
        grid.addWidget(self.reveal, 2, 2)
        self.secret_note = Callout("info")
        grid.addWidget(self.secret_note, 3, 1, 1, 2)
        self.secret_warning = Callout("warning")
        grid.addWidget(self.secret_warning, 4, 1, 1, 2)
        # In the secret's place, for an existing application that signs with a key.
        self.key_label = QLabel(text.OPEN_FACT_KEY)
        self.key_chooser = KeyFileChooser(text.CRED_KEY_FILE_NOTE)
        self.key_chooser.align_label(self.key_label)
        grid.addWidget(self.key_label, 6, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.key_chooser, 6, 1, 1, 2)
        self.key_label.setVisible(False)
        self.key_chooser.setVisible(False)
        self.body.addLayout(grid)

        if context.demo is not None:
            row = QHBoxLayout()
            self.demo_button = push_button(text.DEMO_USE_VALUES)
            self.demo_button.clicked.connect(self._use_demo)
            row.addWidget(self.demo_button)
            row.addStretch(1)
            self.body.addLayout(row)

        self._assertion_box()

        self._keep_box()
        self.body.addStretch(1)

        self.client_id.textEdited.connect(self.apply)
        self.secret.textEdited.connect(self.apply)
        self.keep_group.buttonToggled.connect(self._keep_toggled)
        self.reveal.toggled.connect(self._reveal)
        self.audience.textEdited.connect(self.apply)
        self.issuer.textEdited.connect(self.apply)
        self.method.group.buttonToggled.connect(self._method_toggled)
        self.key_chooser.button.clicked.connect(self.start_choose_key)
        context.keychain.changed.connect(self.refresh)

    def _keep_box(self) -> None:
        """Where to keep the secret: each place, and below it who can read the secret there."""
        self.keep_title = heading(text.CRED_KEEP_TITLE)
        self.body.addWidget(self.keep_title)
        self.keep_group = QButtonGroup(self)
        self.remember = QRadioButton(text.CRED_REMEMBER)
        self.remember.setAccessibleName(text.CRED_REMEMBER_NAME)
        self.nowhere = QRadioButton(text.CRED_REMEMBER_NOWHERE)
        self.nowhere.setAccessibleName(text.CRED_REMEMBER_NOWHERE_NAME)
        self.keychain_note = WrapLabel()
        self.nowhere_note = WrapLabel()
        places = QVBoxLayout()
        places.setSpacing(6)
        options = ((self.remember, self.keychain_note), (self.nowhere, self.nowhere_note))
        for button, note in options:
            self.keep_group.addButton(button)
            note.setIndent(button.sizeHint().height())
            places.addWidget(button)
            places.addSpacing(-4)
            places.addWidget(note)
        self.body.addLayout(places)

    def _keep_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.apply()

    @property
    def asks_method(self) -> bool:
        """True for an application that exists already: the method was not chosen earlier."""
        return self.flow.state.app_choice is AppChoice.EXISTING

    def _method_toggled(self, _button: QRadioButton, checked: bool) -> None:
        if checked:
            self.apply()

    def start_choose_key(self) -> None:
        self.tasks.start(self.choose_key())

    async def choose_key(self) -> None:
        """Choose the private key file the application signs with, and read it (off the GUI
        thread); a file that holds no usable private key says why."""
        state = self.flow.state
        folder = os.path.dirname(state.key_file) if state.key_file else self.context.save_folder
        loaded = await self.key_chooser.choose(self.context.services, folder)
        if loaded is None:
            self.changed()
            if self.key_chooser.problem is not None:
                self.scroll_to(self.key_chooser.status)
            return
        # The key stays in its file unless the Save page is told to keep it in the keychain.
        self.flow.update(**loaded.changes(), key_store=KeyStore.FILE)

    def _assertion_box(self) -> None:
        """Advanced, for JWT Assertion: the assertion's audience and issuer."""
        self.assertion = AssertionFields()
        self.body.addWidget(self.assertion)
        # The fields by name, for the page's own code and its tests.
        self.advanced = self.assertion.advanced
        self.assertion_box = self.assertion.box
        self.assertion_hint = self.assertion.hint
        self.audience = self.assertion.audience
        self.issuer = self.assertion.issuer

    def reveal_field(self, field: str) -> None:
        if field in ("audience", "issuer"):
            self.assertion.open()

    def entered(self) -> None:
        self.context.keychain.ensure_checked()
        show_focus_on_entry(self)

    def load(self) -> None:
        state = self.flow.state
        if self.client_id.text() != state.client_id_text:
            self.client_id.setText(state.client_id_text)
        if self.secret.text() != state.secret_text:
            self.secret.setText(state.secret_text)
        self.assertion.load(state)
        self.method.show_chosen(state)
        super().load()

    def apply(self) -> None:
        state = self.flow.state
        changes: dict[str, object] = {}
        method = self.method.chosen() if self.asks_method else None
        if method is not None and method is not state.auth_method:
            changes["auth_method"] = method
        if self.client_id.text() != state.client_id_text:
            changes["client_id_text"] = self.client_id.text()
        if self.secret.text() != state.secret_text:
            changes["secret_text"] = self.secret.text()
        changes.update(self.assertion.changes(state))
        # While no keychain can be used its choice is off and disabled; the wish is kept.
        chosen = self.keep_group.checkedButton() is not None
        if chosen and self.remember.isEnabled():
            remember = self.remember.isChecked()
            if remember != state.remember_secret:
                changes["remember_secret"] = remember
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
        self._show_method()

    def _show_method(self) -> None:
        """With JWT Assertion, the page asks for the Client ID alone (and, under Advanced,
        the assertion's audience and issuer)."""
        state = self.flow.state
        key = state.uses_assertion
        chosen_file = key and self.asks_method
        self.setSubTitle(self._subtitle(key, chosen_file))
        self.setTitle(self._title(key, chosen_file))
        secret_widgets: tuple[QWidget, ...] = (
            self.secret_label,
            self.secret,
            self.reveal,
            self.keep_title,
            self.remember,
            self.keychain_note,
            self.nowhere,
            self.nowhere_note,
        )
        for widget in secret_widgets:
            widget.setVisible(not key)
        if key:
            self.secret_note.setVisible(False)
            self.secret_warning.setVisible(False)
        # The key made on Create the application, or the file an existing one signs with.
        self.key_note.show_message("info", text.CRED_KEY_NOTE if key and not chosen_file else "")
        self._show_key_file(chosen_file)
        self.assertion.setVisible(key)
        if key:
            discovery = state.discovery
            token_url = discovery.token_url if discovery else None
            self.assertion.show_defaults(token_url, state.client_id)

    def _show_key_file(self, shown: bool) -> None:
        state = self.flow.state
        self.method.show_asked(self.asks_method)
        if self.asks_method:
            self.method.show_chosen(state)
            self.method.show_possible(state)
        self.key_label.setVisible(shown)
        self.key_chooser.setVisible(shown)
        if shown:
            chosen = state.key_file if state.private_key is not None else None
            self.key_chooser.show_key(text.CRED_KEY_CHOSEN.format(path=chosen) if chosen else "")

    @staticmethod
    def _title(key: bool, chosen_file: bool) -> str:
        if chosen_file:
            return text.CRED_TITLE_KEY_FILE
        return text.CRED_TITLE_KEY if key else text.CRED_TITLE

    @staticmethod
    def _subtitle(key: bool, chosen_file: bool) -> str:
        if chosen_file:
            return text.CRED_SUBTITLE_KEY_FILE
        return text.CRED_SUBTITLE_KEY if key else text.CRED_SUBTITLE

    def _show_keychain(self) -> None:
        """Where the secret is kept, as the state says, and who can read it in each place."""
        keychain = self.context.keychain
        state = self.flow.state
        remember = state.remember_secret
        recipe = tool_recipe(state)
        tool = recipe.called if recipe is not None else text.IDENTITY_TOOL_ANY
        usable = not keychain.checked or keychain.available
        self.keep_group.blockSignals(True)
        self.remember.setEnabled(usable)
        self.remember.setChecked(usable and remember)
        self.nowhere.setChecked(not (usable and remember))
        self.keep_group.blockSignals(False)
        cloud = ""
        if recipe is not None and recipe.in_the_cloud:
            cloud = " " + text.CRED_REMEMBER_CLOUD.format(Name=recipe.called_first)
        if not keychain.checked:
            note = text.CRED_KEYCHAIN_CHECKING
        elif keychain.available and keychain.in_memory:
            # The demo never touches this computer's keychain: no program could read it.
            note = text.CRED_REMEMBER_DEMO + cloud
        elif keychain.available:
            where = text.CRED_REMEMBER_WHERE.format(name=keychain.name or "")
            note = f"{where}{cloud} {text.CRED_REMEMBER_WHEN}"
        elif keychain.timed_out:
            note = text.CRED_KEYCHAIN_TIMEOUT.format(seconds=f"{keychain.timeout:g}")
        else:
            note = text.CRED_KEYCHAIN_NONE.format(reason=keychain.reason or "")
        self.keychain_note.setText(note)
        nowhere = text.CRED_REMEMBER_OFF.format(name=tool)
        self.nowhere_note.setText(nowhere)
        # A screen reader says who can read the secret there with each choice.
        self.remember.setAccessibleDescription(note)
        self.nowhere.setAccessibleDescription(nowhere)

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
        if state.uses_assertion and self.asks_method:
            if not state.client_id and state.key_file is None:
                return text.CRED_BLOCKED_ID_AND_KEY
            return text.CRED_BLOCKED_ID if not state.client_id else text.CRED_BLOCKED_KEY_FILE
        if state.uses_assertion:
            return text.CRED_BLOCKED_ID if not state.client_id else text.CRED_BLOCKED_KEY
        if not state.client_id and not state.secret:
            return text.CRED_BLOCKED_BOTH
        if not state.client_id:
            return text.CRED_BLOCKED_ID
        return text.CRED_BLOCKED_SECRET
