"""Support mode, step 2: open the connection to diagnose (a file, a profile, or pasted values).

What was opened is shown before the test (address, Client ID, scopes, tenant, the last test
and where the secret is), with the secret taken from the keychain entry the connection
names when this computer has it, and typed otherwise. "I generated a new secret in Halo"
tries a new secret; it replaces the old one only once it has passed the test.

A connection that signs with a private key (JWT Assertion) has no secret: its key comes from
the keychain entry or the key file it names, or from a key file chosen here, and the page
says which, or why it could not be had and what to click.
"""

from __future__ import annotations

import os
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wizard.core.kinds import KeyStore, SecretFrom
from wizard.core.log import register_secret
from wizard.core.scopes import is_known, parse_scopes
from wizard.flow import StepKey
from wizard.flow.diagnosis import (
    Diagnosis,
    Source,
    key_file_changes,
    open_changes,
    rotation_changes,
)
from wizard.tasks.credential import (
    KeyChoice,
    KeyProblem,
    SecretChoice,
    SecretProblem,
    keychain_account,
)
from wizard.ui import text
from wizard.ui.context import FileQuestion, UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.export import local_time
from wizard.ui.pages.key_file import AssertionFields, KeyFileChooser
from wizard.ui.pages.profile_box import ProfileBox
from wizard.ui.tasks import FILE_TIMEOUT, BlockingTimeout, run_blocking
from wizard.ui.widgets import (
    ArrowKeysChoose,
    Callout,
    WrapLabel,
    heading,
    push_button,
    secret_field,
)

if TYPE_CHECKING:
    from wizard.core.connection_file import ConnectionFile
    from wizard.core.fromtext import RecognisedText

KEYCHAIN = SecretFrom.KEYCHAIN


class OpenPage(FlowPage):
    key = StepKey.OPEN

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.OPEN_TITLE)
        self.setSubTitle(text.OPEN_SUBTITLE)

        # ----- the three ways -----
        self.body.addWidget(heading(text.OPEN_HOW))
        self.how = QButtonGroup(self)
        self.from_file = QRadioButton(text.OPEN_FROM_FILE)
        self.from_profile = QRadioButton(text.OPEN_FROM_PROFILE)
        self.from_text = QRadioButton(text.OPEN_FROM_TEXT)
        how_row = QHBoxLayout()
        how_row.setSpacing(18)
        for button, source in (
            (self.from_file, Source.FILE),
            (self.from_profile, Source.PROFILE),
            (self.from_text, Source.TEXT),
        ):
            button.setProperty("source", source.value)
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAccessibleDescription(text.OPEN_HOW)
            self.how.addButton(button)
            how_row.addWidget(button)
        how_row.addStretch(1)
        self.body.addLayout(how_row)
        self.arrows = ArrowKeysChoose([self.from_file, self.from_profile, self.from_text], self)

        # A connection file.
        self.file_section = QWidget()
        file_layout = QVBoxLayout(self.file_section)
        file_layout.setContentsMargins(0, 0, 0, 0)
        file_row = QHBoxLayout()
        self.open_file_button = push_button(text.OPEN_FILE_BUTTON, text.OPEN_FILE_BUTTON_NAME)
        file_row.addWidget(self.open_file_button)
        file_row.addStretch(1)
        file_layout.addLayout(file_row)
        file_layout.addWidget(WrapLabel(text.OPEN_FILE_HINT))
        self.file_result = Callout("error")
        self.file_result.setVisible(False)
        file_layout.addWidget(self.file_result)
        self.body.addWidget(self.file_section)

        # A saved profile: the list, and renaming, duplicating and deleting one.
        self.profile_section = ProfileBox(self)
        self.profile_list = self.profile_section.profile_list
        self.profile_result = self.profile_section.profile_result
        self.profiles_note = self.profile_section.profiles_note
        self.rename_button = self.profile_section.rename_button
        self.duplicate_button = self.profile_section.duplicate_button
        self.delete_button = self.profile_section.delete_button
        self.body.addWidget(self.profile_section)

        # Values pasted from another tool's form.
        self.text_section = QWidget()
        text_layout = QVBoxLayout(self.text_section)
        text_layout.setContentsMargins(0, 0, 0, 0)
        pasted_label = QLabel(text.OPEN_TEXT_LABEL)
        self.pasted = QPlainTextEdit()
        self.pasted.setAccessibleName(text.OPEN_TEXT_NAME)
        self.pasted.setPlaceholderText(text.OPEN_TEXT_PLACEHOLDER)
        # Tab goes on to the next control, as in every other field of the wizard.
        self.pasted.setTabChangesFocus(True)
        self.pasted.setFixedHeight(self.fontMetrics().lineSpacing() * 6 + 12)
        pasted_label.setBuddy(self.pasted)
        text_layout.addWidget(pasted_label)
        text_layout.addWidget(self.pasted)
        read_row = QHBoxLayout()
        self.read_button = push_button(text.OPEN_TEXT_READ, text.OPEN_TEXT_READ_NAME)
        read_row.addWidget(self.read_button)
        read_row.addStretch(1)
        text_layout.addLayout(read_row)
        text_layout.addWidget(WrapLabel(text.OPEN_TEXT_HINT))
        self.text_result = Callout("info")
        self.text_result.setVisible(False)
        text_layout.addWidget(self.text_result)
        self.body.addWidget(self.text_section)

        # ----- what was opened -----
        self.loaded_box = QGroupBox(text.OPEN_LOADED_TITLE)
        self.loaded_box.setAccessibleName(text.OPEN_FACTS_NAME)
        grid = QGridLayout(self.loaded_box)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(6)
        self.fact_source = WrapLabel(selectable=True)
        self.fact_address = WrapLabel(selectable=True)
        self.fact_client_id = WrapLabel(selectable=True)
        self.fact_tenant = WrapLabel(selectable=True)
        self.fact_last = WrapLabel(selectable=True)
        row = 0
        for label, value in (
            (text.OPEN_FACT_SOURCE, self.fact_source),
            (text.OPEN_FACT_ADDRESS, self.fact_address),
            (text.OPEN_FACT_CLIENT_ID, self.fact_client_id),
            (text.OPEN_FACT_TENANT, self.fact_tenant),
            (text.OPEN_FACT_LAST, self.fact_last),
        ):
            grid.addWidget(QLabel(label), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1, 1, 2)
            row += 1
        self.address_problem = Callout("error")
        self.address_problem.setVisible(False)
        grid.addWidget(self.address_problem, row, 1, 1, 2)
        row += 1
        # The tool the connection is judged for: the one it was saved for, or whose labels the
        # pasted text has; asked here when neither says (and changeable).
        tool_label = QLabel(text.OPEN_FACT_TOOL)
        self.tool = QComboBox()
        self.tool.setAccessibleName(text.OPEN_FACT_TOOL_NAME)
        self.tool.addItem(text.OPEN_TOOL_NONE, None)
        for chosen in _recipes_for_choice():
            self.tool.addItem(chosen[1], chosen[0])
        tool_label.setBuddy(self.tool)
        grid.addWidget(tool_label, row, 0)
        grid.addWidget(self.tool, row, 1)
        row += 1
        self.tool_note = WrapLabel()
        self.tool_note.setVisible(False)
        grid.addWidget(self.tool_note, row, 1, 1, 2)
        row += 1
        scopes_label = QLabel(text.OPEN_FACT_SCOPES)
        self.scopes = QLineEdit()
        self.scopes.setAccessibleName(text.OPEN_FACT_SCOPES_NAME)
        self.scopes.setPlaceholderText(text.OPEN_SCOPES_PLACEHOLDER)
        scopes_label.setBuddy(self.scopes)
        grid.addWidget(scopes_label, row, 0)
        grid.addWidget(self.scopes, row, 1, 1, 2)
        row += 1
        # Names this program does not know are sent as typed: said before the test.
        self.scopes_note = Callout("warning")
        self.scopes_note.setVisible(False)
        grid.addWidget(self.scopes_note, row, 1, 1, 2)
        row += 1
        self.secret_fact = QLabel(text.OPEN_FACT_SECRET)
        grid.addWidget(self.secret_fact, row, 0, Qt.AlignmentFlag.AlignTop)
        self.secret_where = WrapLabel()
        grid.addWidget(self.secret_where, row, 1, 1, 2)
        # In its place, for a connection that signs with a private key: where the key is.
        self.key_where = Callout("ok")
        self.key_where.setVisible(False)
        grid.addWidget(self.key_where, row, 1, 1, 2)
        row += 1
        self.key_chooser = KeyFileChooser(text.OPEN_KEY_NEW_PAIR)
        self.key_chooser.setVisible(False)
        grid.addWidget(self.key_chooser, row, 1, 1, 2)
        row += 1
        # What the assertion signs for, as the connection saved it; changed when Halo
        # refuses the assertion (and kept by Save).
        self.assertion = AssertionFields()
        self.assertion.setVisible(False)
        grid.addWidget(self.assertion, row, 1, 1, 2)
        row += 1
        self.secret_label, self.secret = secret_field(
            text.CRED_SECRET_LABEL, text.CRED_SECRET_PLACEHOLDER, text.CRED_SECRET_NAME
        )
        grid.addWidget(self.secret_label, row, 0)
        grid.addWidget(self.secret, row, 1, 1, 2)
        row += 1
        self.rotate = QCheckBox(text.OPEN_ROTATE)
        self.rotate.setAccessibleName(text.OPEN_ROTATE_NAME)
        grid.addWidget(self.rotate, row, 1, 1, 2)
        row += 1
        self.new_secret_label, self.new_secret = secret_field(
            text.OPEN_NEW_SECRET_LABEL, text.OPEN_NEW_SECRET_PLACEHOLDER, text.OPEN_NEW_SECRET_NAME
        )
        grid.addWidget(self.new_secret_label, row, 0)
        grid.addWidget(self.new_secret, row, 1, 1, 2)
        row += 1
        self.rotate_note = WrapLabel()
        grid.addWidget(self.rotate_note, row, 1, 1, 2)
        self.body.addWidget(self.loaded_box)
        self.body.addStretch(1)

        self.how.buttonToggled.connect(self._how_toggled)
        self.open_file_button.clicked.connect(self.start_open_file)
        self.profile_list.itemSelectionChanged.connect(self._profile_chosen)
        self.read_button.clicked.connect(self.read_text)
        self.tool.currentIndexChanged.connect(self._tool_chosen)
        self.pasted.textChanged.connect(self._pasted_changed)
        self.scopes.textEdited.connect(self.apply)
        self.secret.textEdited.connect(self.apply)
        self.new_secret.textEdited.connect(self.apply)
        self.rotate.toggled.connect(self._rotate_toggled)
        self.key_chooser.button.clicked.connect(self.start_choose_key)
        self.assertion.audience.textEdited.connect(self.apply)
        self.assertion.issuer.textEdited.connect(self.apply)
        context.keychain.changed.connect(self.refresh)

    # The questions the profile actions ask (tests answer them).
    @property
    def name_question(self) -> QInputDialog | None:
        return self.profile_section.name_question

    @property
    def delete_question(self) -> QMessageBox | None:
        return self.profile_section.delete_question

    def fill_profiles(self, select: str | None = None) -> None:
        self.profile_section.fill(select)

    # ----- the contract -----

    @property
    def diagnosis(self) -> Diagnosis | None:
        state = self.flow.state
        return state.diagnosis if state.diagnosing else None

    def source(self) -> Source:
        """The way chosen to open the connection (a file until another is chosen)."""
        button = self.how.checkedButton()
        return Source(str(button.property("source"))) if button is not None else Source.FILE

    def entered(self) -> None:
        self.context.keychain.ensure_checked()
        button = self.how.checkedButton() or self.from_file
        button.setFocus(Qt.FocusReason.OtherFocusReason)

    def load(self) -> None:
        diagnosis = self.diagnosis
        if diagnosis is not None:
            self._choose_way(diagnosis.source)
        elif self.how.checkedButton() is None:
            self._choose_way(Source.FILE)
        self._fill_fields()
        super().load()

    def apply(self) -> None:
        state = self.flow.state
        diagnosis = self.diagnosis
        if diagnosis is None:
            return
        changes: dict[str, object] = {}
        scopes = tuple(parse_scopes(self.scopes.text()))
        if scopes != state.scopes:
            changes["scopes"] = scopes
        if diagnosis.secret_kept:
            changes.update(rotation_changes(state, self.rotate.isChecked(), self.new_secret.text()))
        elif not diagnosis.signs_with_key and self.secret.text() != state.secret_text:
            changes["secret_text"] = self.secret.text()
        if diagnosis.signs_with_key:
            changes.update(self.assertion.changes(state))
        if changes:
            self.flow.update(**changes)

    def refresh(self) -> None:
        source = self.source()
        self.file_section.setVisible(source is Source.FILE)
        self.profile_section.setVisible(source is Source.PROFILE)
        self.text_section.setVisible(source is Source.TEXT)
        busy = self.busy
        self.profile_section.enable(busy)
        self.open_file_button.setEnabled(not busy)
        self.read_button.setEnabled(not busy)

        diagnosis = self.diagnosis
        self.loaded_box.setVisible(diagnosis is not None)
        if diagnosis is None:
            return
        state = self.flow.state
        self.fact_source.setText(_source_text(diagnosis))
        address = state.address
        self.fact_address.setText(address.url if address is not None else diagnosis.host)
        self.address_problem.show_message(
            "error",
            text.OPEN_BAD_ADDRESS.format(error=state.address_error) if state.address_error else "",
        )
        self.fact_client_id.setText(diagnosis.client_id)
        if diagnosis.tenant:
            tenant = diagnosis.tenant
        elif diagnosis.source is Source.TEXT and diagnosis.last_result is None:
            tenant = text.OPEN_TENANT_NOT_GIVEN
        else:
            tenant = text.TENANT_NONE
        self.fact_tenant.setText(tenant)
        self.fact_last.setText(_last_text(diagnosis))
        unknown_scopes = [name for name in state.scopes if not is_known(name)]
        self.scopes_note.show_message(
            "warning",
            text.OPEN_SCOPES_UNKNOWN.format(names=", ".join(unknown_scopes))
            if unknown_scopes
            else "",
        )
        index = self.tool.findData(state.tool)
        if index >= 0 and index != self.tool.currentIndex():
            self.tool.blockSignals(True)
            self.tool.setCurrentIndex(index)
            self.tool.blockSignals(False)
        unknown = state.tool is None and diagnosis.tool is None
        self.tool_note.setText(text.OPEN_TOOL_ASK if unknown else "")
        self.tool_note.setVisible(unknown)
        keychain = self.context.keychain.name or text.KEYCHAIN_FALLBACK_NAME
        self._show_credential(diagnosis, keychain)
        self.assertion.setVisible(diagnosis.signs_with_key)
        if diagnosis.signs_with_key:
            self.assertion.show_defaults(diagnosis.token_url, diagnosis.client_id)
        kept = diagnosis.secret_kept
        typed = not kept and not diagnosis.signs_with_key
        self.secret_label.setVisible(typed)
        self.secret.setVisible(typed)
        # A connection that signs with a key has no secret to replace.
        self.rotate.setVisible(kept)
        rotating = kept and state.rotate_secret
        self.new_secret_label.setVisible(rotating)
        self.new_secret.setVisible(rotating)
        if rotating and diagnosis.secret_from is KEYCHAIN:
            note = text.OPEN_ROTATE_NOTE_KEYCHAIN.format(keychain=keychain)
        elif rotating:
            note = text.OPEN_ROTATE_NOTE_FILE
        else:
            note = ""
        self.rotate_note.setText(note)
        self.rotate_note.setVisible(bool(note))

    def _tool_chosen(self, _index: int) -> None:
        tool = self.tool.currentData()
        if self.diagnosis is not None and tool != self.flow.state.tool:
            self.flow.update(tool=tool)

    def blocked_reason(self) -> str | None:
        if self.busy:
            return text.OPEN_BLOCKED_BUSY
        state = self.flow.state
        diagnosis = self.diagnosis
        if diagnosis is None:
            return text.OPEN_BLOCKED
        if state.address is None:
            return text.OPEN_BLOCKED_ADDRESS
        if not state.scopes:
            return text.OPEN_BLOCKED_SCOPES
        if diagnosis.secret_kept and state.rotate_secret:
            return text.OPEN_BLOCKED_NEW_SECRET
        if diagnosis.signs_with_key:
            return text.OPEN_BLOCKED_KEY
        return text.OPEN_BLOCKED_SECRET

    def reveal_field(self, field: str) -> None:
        # A new secret is typed once the box says one was generated.
        if field == "new_secret" and self.rotate.isVisible() and not self.rotate.isChecked():
            self.rotate.setChecked(True)
        # Another key file is chosen with its button.
        if field == "key_file" and self.key_chooser.isVisible():
            self.focus_field(self.key_chooser.button)
        if field in ("audience", "issuer") and self.assertion.isVisible():
            self.assertion.open()
            self.focus_field(self.assertion.audience)

    # ----- the widgets and the state -----

    def _choose_way(self, source: Source) -> None:
        button = {
            Source.FILE: self.from_file,
            Source.PROFILE: self.from_profile,
            Source.TEXT: self.from_text,
        }[source]
        if not button.isChecked():
            button.setChecked(True)  # _how_toggled fills the profile list when it shows

    def _how_toggled(self, button: QRadioButton, checked: bool) -> None:
        if not checked:
            return
        if button is self.from_profile:
            self.profile_section.fill()
        self.changed()

    def _fill_fields(self) -> None:
        """Put what the state holds into the fields (on showing the page, and on opening)."""
        state = self.flow.state
        if tuple(parse_scopes(self.scopes.text())) != state.scopes:
            self.scopes.setText(" ".join(state.scopes))
        diagnosis = self.diagnosis
        kept = diagnosis is not None and diagnosis.secret_kept
        if not kept and self.secret.text() != state.secret_text:
            self.secret.setText(state.secret_text)
        self.rotate.blockSignals(True)
        self.rotate.setChecked(kept and state.rotate_secret)
        self.rotate.blockSignals(False)
        if kept and state.rotate_secret:
            if self.new_secret.text() != state.secret_text:
                self.new_secret.setText(state.secret_text)
        elif diagnosis is None or not state.rotate_secret:
            self.new_secret.clear()
        self.assertion.load(state)

    def _rotate_toggled(self, checked: bool) -> None:
        self.apply()
        if checked:
            self.focus_field(self.new_secret)

    def _pasted_changed(self) -> None:
        # "Paste the values first" no longer holds once something is pasted.
        if self.text_result.label.text() == text.OPEN_TEXT_EMPTY and self.pasted.toPlainText():
            self.text_result.show_message("info", "")

    def focus_field(self, field: QWidget) -> None:
        """Give `field` the keyboard focus and scroll it into view once it is laid out."""
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll_to(field)

    def _show_credential(self, diagnosis: Diagnosis, keychain: str) -> None:
        """Where the secret is, or for a connection that signs with one, the private key."""
        signed = diagnosis.signs_with_key
        self.secret_fact.setText(text.OPEN_FACT_KEY if signed else text.OPEN_FACT_SECRET)
        # In line with the call-out's paragraph, as the other labels are with their values.
        self.secret_fact.setContentsMargins(0, Callout.TEXT_TOP if signed else 0, 0, 0)
        self.secret_where.setVisible(not signed)
        self.key_chooser.setVisible(signed)
        if not signed:
            self.key_where.setVisible(False)
            self.secret_where.setText(self._secret_text(diagnosis, keychain))
            return
        found = diagnosis.key_found
        self.key_where.show_message("ok" if found else "error", self._key_text(diagnosis, keychain))
        # Choosing another key file is what replaces a rotated secret for such a connection.
        self.key_chooser.note.setVisible(found)
        self.key_chooser.show_key("")

    def _key_text(self, diagnosis: Diagnosis, keychain: str) -> str:
        if diagnosis.key_from is KeyStore.KEYCHAIN:
            return text.OPEN_KEY_KEYCHAIN.format(keychain=keychain)
        if diagnosis.key_from is KeyStore.FILE:
            return text.OPEN_KEY_FILE.format(path=diagnosis.key_file)
        problem, reason = diagnosis.key_problem, diagnosis.key_detail
        if problem is KeyProblem.NOT_IN_KEYCHAIN:
            return text.OPEN_KEY_MISSING.format(keychain=keychain)
        if problem is KeyProblem.KEYCHAIN_UNREADABLE:
            return text.OPEN_KEY_KEYCHAIN_UNREADABLE.format(reason=reason)
        if problem is KeyProblem.KEYCHAIN_UNUSABLE:
            return text.OPEN_KEY_KEYCHAIN_UNUSABLE.format(keychain=keychain, reason=reason)
        if problem is KeyProblem.FILE_UNUSABLE:
            return text.OPEN_KEY_FILE_UNUSABLE.format(reason=reason)
        return text.OPEN_KEY_NOT_KEPT

    def _secret_text(self, diagnosis: Diagnosis, keychain: str) -> str:
        if diagnosis.secret_from is KEYCHAIN:
            return text.OPEN_SECRET_KEYCHAIN.format(keychain=keychain)
        if diagnosis.secret_from is SecretFrom.CONNECTION_FILE:
            return text.OPEN_SECRET_FILE
        problem = diagnosis.secret_problem
        if problem is SecretProblem.KEYCHAIN_UNREADABLE:
            return text.OPEN_SECRET_UNREADABLE.format(reason=diagnosis.secret_detail)
        if problem is SecretProblem.NOT_IN_KEYCHAIN:
            return text.OPEN_SECRET_MISSING.format(keychain=keychain)
        if problem is SecretProblem.NOT_KEPT:
            return text.OPEN_SECRET_NOT_KEPT
        return text.OPEN_SECRET_TYPED

    # ----- opening -----

    async def open_connection(
        self, connection: ConnectionFile, source: Source, where: str, say: Callout
    ) -> None:
        """Open `connection` with its secret or private key, found by the same rule as the
        command line's (wizard/tasks/credential.py), off the GUI thread.

        `say` tells while the keychain is asked (a locked one may wait for its password).
        """
        from wizard.tasks.credential import choose_key, choose_secret

        keychain = self.context.keychain
        name = keychain.name or text.KEYCHAIN_FALLBACK_NAME
        entry = connection.assertion
        signed = entry is not None
        if signed and entry is not None and entry.key_store != "keychain" and entry.key_path:
            say.show_message("running", text.KEY_FILE_READING.format(path=entry.key_path))
        elif signed or connection.secret.store == "keychain":
            looking = text.OPEN_KEY_LOOKING if signed else text.OPEN_SECRET_LOOKING
            say.show_message("running", looking.format(keychain=name))
        # The store gives up after the keychain's time limit, saying so as its own error.
        limit = keychain.timeout + FILE_TIMEOUT
        no_answer = text.KEYCHAIN_NO_ANSWER.format(
            name=text.sentence_start(name), seconds=f"{keychain.timeout:g}"
        )
        if signed:
            try:
                key = await run_blocking(
                    partial(choose_key, connection, store=keychain.store), timeout=limit
                )
            except BlockingTimeout:
                key = KeyChoice(None, "", KeyStore.NONE, None, KeyProblem.KEYCHAIN_UNREADABLE)
                key = replace(key, detail=no_answer)
            say.show_message("ok", "")
            diagnosis = Diagnosis.from_connection(connection, source, where, key=key)
            self._opened(diagnosis, None, key if key.found else None)
            return
        try:
            secret = await run_blocking(
                partial(choose_secret, connection, store=keychain.store), timeout=limit
            )
        except BlockingTimeout:
            problem = SecretProblem.KEYCHAIN_UNREADABLE
            secret = SecretChoice(None, SecretFrom.PROMPT, problem=problem, detail=no_answer)
        if secret.secret:
            register_secret(secret.secret)
            if secret.origin is KEYCHAIN:
                keychain.remember(keychain_account(connection), secret.secret)
        say.show_message("ok", "")
        diagnosis = Diagnosis.from_connection(connection, source, where, secret=secret)
        self._opened(diagnosis, secret.secret or None)

    def start_choose_key(self) -> None:
        self.tasks.start(self.choose_key())

    async def choose_key(self) -> None:
        """Choose the key file the opened connection signs with (its own could not be had,
        or Halo now holds another public key)."""
        diagnosis = self.diagnosis
        if diagnosis is None or not diagnosis.signs_with_key:
            return
        loaded = await self.key_chooser.choose(self.context.services, self._key_folder(diagnosis))
        if loaded is None or loaded.path is None:
            self.changed()
            if self.key_chooser.problem is not None:
                self.scroll_to(self.key_chooser.status)
            return
        self.flow.update(**key_file_changes(diagnosis, loaded.path, loaded.key, loaded.public_pem))

    def _key_folder(self, diagnosis: Diagnosis) -> str:
        if diagnosis.key_file:
            return os.path.dirname(diagnosis.key_file)
        if diagnosis.source is Source.FILE:
            return os.path.dirname(diagnosis.where)
        return self.context.save_folder

    def _opened(
        self, diagnosis: Diagnosis, secret: str | None, key: KeyChoice | None = None
    ) -> None:
        private_key, public_pem = (key.key, key.public_pem) if key is not None else (None, "")
        self.flow.update(**open_changes(diagnosis, secret, private_key, public_pem))
        self.secret.clear()
        self.new_secret.clear()
        self.key_chooser.forget_problem()
        self._fill_fields()
        self.changed()
        if not diagnosis.scopes:
            # Pasted values seldom name the scopes: they come first, then the secret.
            self.focus_field(self.scopes)
        elif diagnosis.signs_with_key and not diagnosis.key_found:
            # The key must be chosen: the keyboard goes to the button that does it.
            self.focus_field(self.key_chooser.button)
        elif not diagnosis.secret_kept and not diagnosis.signs_with_key:
            # The secret is typed: the keyboard goes there at once.
            self.focus_field(self.secret)

    def closed(self) -> None:
        """Nothing is open any more (it could not be read, or its profile was deleted)."""
        if self.flow.state.diagnosis is not None:
            self.flow.update(
                diagnosis=None,
                secret_text="",
                kept_secret="",
                rotate_secret=False,
                private_key=None,
                public_key_pem="",
            )

    # A connection file.

    def start_open_file(self) -> None:
        self.tasks.start(self.open_file())

    async def open_file(self) -> None:
        diagnosis = self.diagnosis
        folder = (
            os.path.dirname(diagnosis.where)
            if diagnosis is not None and diagnosis.source is Source.FILE
            else self.context.save_folder
        )
        question = FileQuestion(
            title=text.OPEN_FILE_DIALOG_TITLE, folder=folder, name_filter=text.OPEN_FILE_FILTER
        )
        path = await self.context.services.choose_file(self, question)
        if path:
            await self.open_path(path)

    async def open_path(self, path: str) -> None:
        """Open the connection file at `path`; its plain message when it cannot be opened."""
        from wizard.core.connection_file import ConnectionFile, ConnectionFileError

        path = os.path.abspath(os.path.expanduser(path))
        self.file_result.show_message("running", text.OPEN_READING.format(what=path))
        try:
            connection = await run_blocking(ConnectionFile.load, path, timeout=FILE_TIMEOUT)
        except ConnectionFileError as exc:
            self.closed()
            self.file_result.show_message("error", str(exc))
            return
        except BlockingTimeout:
            self.closed()
            self.file_result.show_message(
                "error", text.OPEN_FILE_TIMEOUT.format(path=path, seconds=f"{FILE_TIMEOUT:g}")
            )
            return
        await self.open_connection(connection, Source.FILE, path, self.file_result)

    # A saved profile.

    def _profile_chosen(self) -> None:
        name = self.profile_section.chosen()
        self.changed()
        diagnosis = self.diagnosis
        if name is None or (
            diagnosis is not None and diagnosis.source is Source.PROFILE and diagnosis.where == name
        ):
            return
        self.tasks.start(self.open_profile(name))

    async def open_profile(self, name: str) -> None:
        from wizard.core import profiles

        self.profile_result.show_message("running", text.OPEN_READING.format(what=name))
        try:
            connection = await run_blocking(profiles.load, name, timeout=FILE_TIMEOUT)
        except profiles.ProfileError as exc:
            self.closed()
            self.profile_result.show_message("error", str(exc))
            return
        except BlockingTimeout:
            self.closed()
            self.profile_result.show_message(
                "error", text.PROFILE_TIMEOUT.format(seconds=f"{FILE_TIMEOUT:g}")
            )
            return
        await self.open_connection(connection, Source.PROFILE, name, self.profile_result)

    # Values pasted from another tool.

    def read_text(self) -> None:
        """Read the pasted values: say which were found and which not, and open them."""
        from wizard.tasks.opening import read_pasted

        raw = self.pasted.toPlainText()
        if not raw.strip():
            self.text_result.show_message("warning", text.OPEN_TEXT_EMPTY)
            return
        pasted = read_pasted(raw, text.OPEN_PASTED_CONNECTION)
        if pasted.connection is not None:
            # A connection file pasted as text is read as one.
            self.tasks.start(
                self.open_connection(pasted.connection, Source.TEXT, "", self.text_result)
            )
            return
        recognised = pasted.recognised
        assert recognised is not None
        lines = [*found_lines(recognised), *note_lines(recognised)]
        diagnosis = Diagnosis.from_text(recognised)
        if diagnosis is None:
            missing = [
                text.OPEN_TEXT_MISSING[name]
                for name in ("host", "client_id")
                if getattr(recognised, name) is None
            ]
            lines.append(text.OPEN_TEXT_INCOMPLETE.format(missing=" and ".join(missing)))
            self.closed()
            self.text_result.show_message("error", "\n".join(lines))
            return
        self.text_result.show_message("warning" if recognised.notes else "ok", "\n".join(lines))
        self._opened(diagnosis, None)


def _quoted(labels: list[str]) -> str:
    quoted = [f"\u201c{label}\u201d" for label in dict.fromkeys(labels)]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1] if len(quoted) > 1 else quoted[0]


def found_lines(recognised: RecognisedText) -> list[str]:
    """Which settings the pasted text gave, one line each with its label, and which not."""
    values = {
        "host": recognised.host,
        "auth_url": recognised.auth_url or text.OPEN_TEXT_USUAL_AUTH,
        "tenant": recognised.tenant,
        "client_id": recognised.client_id,
        "scopes": " ".join(recognised.scopes or ()),
    }
    lines = []
    for field in ("host", "auth_url", "tenant", "client_id", "on_premise", "scopes", "secret"):
        found = [given for given in recognised.found if given.field == field]
        if not found:
            continue
        if field == "on_premise":
            what = text.OPEN_TEXT_ON_PREMISE if recognised.on_premise else text.OPEN_TEXT_HOSTED
        else:
            what = text.OPEN_TEXT_FIELDS[field].format(value=values.get(field) or "")
        labels = [f.label for f in found if not f.by_shape]
        if labels:
            lines.append(text.OPEN_TEXT_FIELD.format(what=what, labels=_quoted(labels)))
        else:
            # No label gave it: taken for its shape alone ("line 3").
            where = found[0].label
            lines.append(text.OPEN_TEXT_FIELD_BY_SHAPE.format(what=what, line=where))
    lines.insert(0, text.OPEN_TEXT_FOUND if lines else text.OPEN_TEXT_FOUND_NOTHING)
    missing = list(recognised.missing)
    if recognised.scopes is None:
        missing.append("scopes")
    if missing:
        words = [text.OPEN_TEXT_MISSING.get(name, name) for name in missing]
        lines.append(text.OPEN_TEXT_NOT_FOUND.format(missing=", ".join(words)))
    return lines


def note_lines(recognised: RecognisedText) -> list[str]:
    """The recogniser's notes, the one about a secret in the text in the window's words."""
    from wizard.core import fromtext

    # The command line's words for where the secret comes from, in the window's.
    own_words = (
        (fromtext.NOTE_SECRET, text.OPEN_TEXT_SECRET_NOTE),
        (fromtext.NOTE_SECRET_MASKED, text.OPEN_TEXT_SECRET_MASKED_NOTE),
    )
    lines = []
    for note in recognised.notes:
        for said, worded in own_words:
            before, _, after = said.partition("{labels}")
            if before and note.startswith(before) and note.endswith(after):
                labels = note[len(before) : len(note) - len(after)]
                note = worded.format(labels=labels)
                break
        lines.append(text.OPEN_TEXT_NOTE.format(note=note))
    return lines


def _source_text(diagnosis: Diagnosis) -> str:
    if diagnosis.source is Source.FILE:
        return text.OPEN_SOURCE_FILE.format(path=diagnosis.where)
    if diagnosis.source is Source.PROFILE:
        return text.OPEN_SOURCE_PROFILE.format(name=diagnosis.where)
    return text.OPEN_SOURCE_TEXT


def _last_text(diagnosis: Diagnosis) -> str:
    last = diagnosis.last_result
    if last is None:
        return text.OPEN_LAST_NEVER
    when = local_time(last.tested_at) if last.tested_at else text.OPEN_LAST_UNDATED
    return (text.OPEN_LAST_WORKED if last.ok else text.OPEN_LAST_PROBLEMS).format(when=when)


def _recipes_for_choice() -> list[tuple[str, str]]:
    """(id, name) of each tool with a recipe, for the "Judged as" list."""
    from wizard.core import recipes

    return [(chosen.id, chosen.name) for chosen in recipes.all_recipes()]
