"""Where the Save page keeps a private key (JWT Assertion (Services)): this computer's
keychain, or a key file written for it, readable by its owner alone and never over key files
already there (assertion.write_key_pair). The key itself is never shown."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QGroupBox, QHBoxLayout, QRadioButton, QVBoxLayout

from wizard.flow import KeyStore
from wizard.ui import text
from wizard.ui.context import FileQuestion
from wizard.ui.tasks import FILE_TIMEOUT, BlockingTimeout, run_blocking
from wizard.ui.widgets import Callout, WrapLabel, push_button

if TYPE_CHECKING:
    from wizard.ui.pages.export import ExportPage


class KeyBox(QGroupBox):
    """The choice of where the private key goes, and the button that writes its file."""

    def __init__(self, page: ExportPage) -> None:
        super().__init__(text.EXPORT_KEY_TITLE)
        self.page = page
        layout = QVBoxLayout(self)
        self.key_group = QButtonGroup(self)
        self.key_keychain_radio = QRadioButton(text.EXPORT_KEY_KEYCHAIN)
        self.key_file_radio = QRadioButton(text.EXPORT_KEY_FILE)
        for button, store in (
            (self.key_keychain_radio, KeyStore.KEYCHAIN),
            (self.key_file_radio, KeyStore.FILE),
        ):
            button.setProperty("store", store.value)
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAccessibleDescription(text.EXPORT_KEY_TITLE)
            self.key_group.addButton(button)
        layout.addWidget(self.key_keychain_radio)
        self.key_keychain_note = WrapLabel()
        self.key_keychain_note.setIndent(self.key_keychain_radio.sizeHint().height())
        layout.addWidget(self.key_keychain_note)
        layout.addWidget(self.key_file_radio)
        self.key_file_note = WrapLabel(text.EXPORT_KEY_FILE_NOTE)
        self.key_file_note.setIndent(self.key_file_radio.sizeHint().height())
        layout.addWidget(self.key_file_note)
        row = QHBoxLayout()
        row.addSpacing(self.key_file_radio.sizeHint().height())
        self.key_file_button = push_button(
            text.EXPORT_KEY_SAVE_FILE, text.EXPORT_KEY_SAVE_FILE_NAME
        )
        row.addWidget(self.key_file_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.key_file_result = Callout("ok")
        self.key_file_result.setVisible(False)
        layout.addWidget(self.key_file_result)
        self.key_never = WrapLabel(text.EXPORT_KEY_NEVER_IN_FILE)
        layout.addWidget(self.key_never)
        self.setVisible(False)
        self.key_group.buttonToggled.connect(self._toggled)
        self.key_file_button.clicked.connect(lambda: page.tasks.start(self.save_key_file()))

    def mode(self) -> KeyStore:
        """Where the private key goes: the keychain unless it cannot be used (or a file)."""
        state = self.page.flow.state
        keychain = self.page.context.keychain
        if state.key_store is KeyStore.FILE:
            return KeyStore.FILE
        if keychain.available or not keychain.checked:
            return KeyStore.KEYCHAIN
        return KeyStore.FILE

    def show_state(self, where: str) -> None:
        """Show the choice as the state has it; `where` says what the keychain choice means."""
        page = self.page
        state = page.flow.state
        keychain = page.context.keychain
        self.key_keychain_note.setText(where)
        self.key_keychain_radio.setEnabled(keychain.available or not keychain.checked)
        store = self.mode()
        self.key_group.blockSignals(True)
        self.key_keychain_radio.setChecked(store is KeyStore.KEYCHAIN)
        self.key_file_radio.setChecked(store is KeyStore.FILE)
        self.key_group.blockSignals(False)
        self.key_file_button.setEnabled(not page.busy and state.private_key is not None)
        if state.key_file and not self.key_file_result.isVisible():
            self.key_file_result.show_message(
                "ok", text.EXPORT_KEY_WRITTEN_BEFORE.format(path=state.key_file)
            )

    def _toggled(self, button: QRadioButton, checked: bool) -> None:
        if checked:
            store = KeyStore(str(button.property("store")))
            if store is not self.page.flow.state.key_store:
                self.page.flow.update(key_store=store)

    async def save_key_file(self) -> None:
        """Ask for a folder, and write the key pair there: the private key readable only by
        its owner (assertion.write_key_pair), never over key files already there."""
        from wizard.core import assertion

        page = self.page
        state = page.flow.state
        if state.private_key is None:
            return
        question = FileQuestion(
            title=text.EXPORT_KEY_DIALOG_TITLE,
            folder=page.context.save_folder,
            name_filter="",
            folder_only=True,
        )
        folder = await page.context.services.choose_file(page, question)
        if not folder:
            return
        folder = os.path.abspath(os.path.expanduser(folder))
        self._says("running", text.EXPORT_KEY_WRITING)
        try:
            files = await run_blocking(
                assertion.write_key_pair, folder, state.private_key, timeout=FILE_TIMEOUT
            )
        except assertion.KeyFilesExist:
            self._says("error", text.EXPORT_KEY_FILES_EXIST.format(folder=folder))
            return
        except (assertion.KeyFileError, BlockingTimeout) as exc:
            self._says("error", text.EXPORT_KEY_NOT_WRITTEN.format(reason=exc))
            return
        page.flow.update(key_file=str(files.private_key), key_store=KeyStore.FILE)
        # What Finish asked for is done.
        page.finish_status.setVisible(False)
        self._says(
            "ok",
            text.EXPORT_KEY_WRITTEN.format(path=files.private_key, public=files.public_key),
        )

    def _says(self, kind: str, message: str) -> None:
        """What writing the key file did, in view (below the button, maybe off the page)."""
        self.key_file_result.show_message(kind, message)
        self.page.scroll_to(self.key_file_result)
