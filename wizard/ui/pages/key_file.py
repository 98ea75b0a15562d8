"""JWT Assertion (Services) on the pages: the choice of method, the private key read off the
GUI thread from a key file or from the text its keychain entry holds, and the control that
chooses a key file.

A key that cannot be used is refused with assertion.KeyFileError's plain words (which name
the file and say why); the key itself is never shown, logged or put in a repr.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wizard.flow import AuthMethod, WizardState
from wizard.flow.tools import can_sign_with_a_key, tool_recipe
from wizard.ui import text
from wizard.ui.context import FileQuestion, Services
from wizard.ui.tasks import FILE_TIMEOUT, BlockingTimeout, run_blocking
from wizard.ui.widgets import ArrowKeysChoose, Callout, WrapLabel, push_button


class MethodChoice(QGroupBox):
    """How the application proves who it is: Client ID and Secret, or JWT Assertion, each
    with what it means; a tool that only sends a secret cannot choose the key, and says why.

    `group` is the radio buttons' group: its buttonToggled says a method was chosen.
    """

    def __init__(
        self,
        title: str,
        secret: tuple[str, str],
        key: tuple[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        self.group = QButtonGroup(self)
        self.secret_button = QRadioButton(secret[0])
        self.key_button = QRadioButton(key[0])
        for button, method, explanation in (
            (self.secret_button, AuthMethod.SECRET, secret[1]),
            (self.key_button, AuthMethod.ASSERTION, key[1]),
        ):
            button.setProperty("method", method.value)
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAccessibleDescription(explanation)
            self.group.addButton(button)
            words = WrapLabel(explanation)
            words.setIndent(button.sizeHint().height())
            layout.addWidget(button)
            layout.addWidget(words)
            if button is self.secret_button:
                layout.addSpacing(6)
        # Why a tool that sends a secret cannot use the method.
        self.key_not_for = WrapLabel()
        self.key_not_for.setIndent(self.key_button.sizeHint().height())
        self.key_not_for.setVisible(False)
        layout.addWidget(self.key_not_for)
        self.arrows = ArrowKeysChoose([self.secret_button, self.key_button], self)

    def show_asked(self, asked: bool) -> None:
        """Show the choice, or hide it and keep its buttons out of the focus: QWizard gives
        a new page's focus to its first control that takes it, hidden or not."""
        self.setVisible(asked)
        policy = Qt.FocusPolicy.StrongFocus if asked else Qt.FocusPolicy.NoFocus
        for button in (self.secret_button, self.key_button):
            button.setFocusPolicy(policy)

    def chosen(self) -> AuthMethod | None:
        button = self.group.checkedButton()
        return AuthMethod(str(button.property("method"))) if button is not None else None

    def show_chosen(self, state: WizardState) -> None:
        """Tick the method the state holds, without it counting as a new choice."""
        self.group.blockSignals(True)
        self.group.setExclusive(False)
        self.secret_button.setChecked(not state.uses_assertion)
        self.key_button.setChecked(state.uses_assertion)
        self.group.setExclusive(True)
        self.group.blockSignals(False)

    def show_possible(self, state: WizardState) -> None:
        """The key only for a tool that can sign with one; for another, why not."""
        possible = can_sign_with_a_key(state)
        recipe = tool_recipe(state)
        self.key_button.setEnabled(possible or state.uses_assertion)
        self.key_not_for.setVisible(not possible and recipe is not None)
        if recipe is not None:
            self.key_not_for.setText(text.CREATE_METHOD_KEY_NOT_FOR.format(name=recipe.name))


class KeyUnusable(Exception):
    """The key cannot be used; the message says why in plain words, never with the key."""


@dataclass(frozen=True)
class LoadedKey:
    """A private key that can sign Halo's assertions, its public key, and its file if any."""

    key: Any = field(repr=False)
    public_pem: str = field(repr=False)
    path: str | None = None

    def changes(self) -> dict[str, Any]:
        """The state's changes that make this the key the test signs with (from its file)."""
        return {"private_key": self.key, "public_key_pem": self.public_pem, "key_file": self.path}


def _from_file(path: str) -> LoadedKey:
    from wizard.core import assertion

    key = assertion.load_private_key(path)
    return LoadedKey(key, assertion.public_pem(key), path)


def _from_pem(pem: str, name: str) -> LoadedKey:
    from wizard.core import assertion

    key = assertion.load_private_key_pem(pem, name)
    return LoadedKey(key, assertion.public_pem(key))


async def read_key_file(path: str) -> LoadedKey:
    """The key in the file `path`; KeyUnusable says why it cannot be used."""
    try:
        return await run_blocking(_from_file, path, timeout=FILE_TIMEOUT)
    except BlockingTimeout:
        seconds = f"{FILE_TIMEOUT:g}"
        raise KeyUnusable(text.KEY_FILE_TIMEOUT.format(path=path, seconds=seconds)) from None
    except ValueError as exc:  # KeyFileError, or a public key too long for Halo's field
        raise KeyUnusable(str(exc)) from None


async def read_key_pem(pem: str, name: str) -> LoadedKey:
    """The key in `pem` (a keychain entry's text), called `name` in a refusal."""
    try:
        return await run_blocking(_from_pem, pem, name, timeout=FILE_TIMEOUT)
    except BlockingTimeout:
        seconds = f"{FILE_TIMEOUT:g}"
        raise KeyUnusable(text.KEY_PEM_TIMEOUT.format(seconds=seconds)) from None
    except ValueError as exc:
        raise KeyUnusable(str(exc)) from None


class KeyFileChooser(QWidget):
    """ "Choose the private key file…", a note on which file that is, and what became of the
    file chosen: its key, or why it cannot be used (`problem`, shown until a file is read)."""

    def __init__(self, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        row = QHBoxLayout()
        self.button = push_button(text.KEY_FILE_CHOOSE, text.KEY_FILE_CHOOSE_NAME)
        row.addWidget(self.button)
        row.addStretch(1)
        layout.addLayout(row)
        self.note = WrapLabel(note)
        layout.addWidget(self.note)
        self.status = Callout("ok")
        self.status.setVisible(False)
        layout.addWidget(self.status)
        self.problem: str | None = None

    def align_label(self, label: QWidget) -> None:
        """Lower `label` (beside this control in a grid) to the middle of the button."""
        offset = (self.button.sizeHint().height() - label.sizeHint().height()) // 2
        label.setContentsMargins(0, max(0, offset), 0, 0)

    async def choose(self, services: Services, folder: str) -> LoadedKey | None:
        """Ask for the key file and read it; None when cancelled or when it cannot be used
        (then `problem` says why, and the status shows it)."""
        question = FileQuestion(
            title=text.KEY_FILE_DIALOG_TITLE, folder=folder, name_filter=text.KEY_FILE_FILTER
        )
        path = await services.choose_file(self, question)
        if not path:
            return None
        path = os.path.abspath(os.path.expanduser(path))
        self.status.show_message("running", text.KEY_FILE_READING.format(path=path))
        try:
            loaded = await read_key_file(path)
        except KeyUnusable as exc:
            self.problem = text.KEY_FILE_UNUSABLE.format(reason=exc)
            self.status.show_message("error", self.problem)
            return None
        self.problem = None
        self.status.show_message("ok", "")
        return loaded

    def show_key(self, message: str) -> None:
        """Say which key the test signs with, unless the last file chosen could not be used."""
        if self.problem is not None:
            self.status.show_message("error", self.problem)
        else:
            self.status.show_message("ok", message)

    def forget_problem(self) -> None:
        self.problem = None
        self.status.show_message("ok", "")


class AssertionFields(QWidget):
    """Advanced, for JWT Assertion: the assertion's audience and issuer, under a box that
    shows them. Halo publishes neither (the defaults: the token service's address without
    ?tenant=, and the Client ID), so they are there for when Halo refuses the assertion."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.advanced = QCheckBox(text.CRED_ASSERTION_ADVANCED)
        self.advanced.setAccessibleName(text.CRED_ASSERTION_ADVANCED.replace("&", ""))
        layout.addWidget(self.advanced)
        self.box = QWidget()
        grid = QGridLayout(self.box)
        grid.setContentsMargins(self.advanced.sizeHint().height(), 0, 0, 0)
        grid.setColumnStretch(1, 1)
        self.hint = WrapLabel()
        grid.addWidget(self.hint, 0, 0, 1, 2)
        self.audience = self._field(grid, 1, text.CRED_AUDIENCE_LABEL, text.CRED_AUDIENCE_NAME)
        self.issuer = self._field(grid, 2, text.CRED_ISSUER_LABEL, text.CRED_ISSUER_NAME)
        layout.addWidget(self.box)
        self.box.setVisible(False)
        self.advanced.toggled.connect(self.box.setVisible)

    @staticmethod
    def _field(grid: QGridLayout, row: int, label_text: str, name: str) -> QLineEdit:
        label = QLabel(label_text)
        field = QLineEdit()
        field.setAccessibleName(name)
        field.setClearButtonEnabled(True)
        label.setBuddy(field)
        grid.addWidget(label, row, 0)
        grid.addWidget(field, row, 1)
        return field

    def load(self, state: WizardState) -> None:
        """Put the state's audience and issuer in the fields; opened when either is set."""
        if self.audience.text() != state.assertion_audience_text:
            self.audience.setText(state.assertion_audience_text)
        if self.issuer.text() != state.assertion_issuer_text:
            self.issuer.setText(state.assertion_issuer_text)
        if state.assertion_audience or state.assertion_issuer:
            self.advanced.setChecked(True)

    def changes(self, state: WizardState) -> dict[str, str]:
        """What the fields change in the state."""
        changes: dict[str, str] = {}
        if self.audience.text() != state.assertion_audience_text:
            changes["assertion_audience_text"] = self.audience.text()
        if self.issuer.text() != state.assertion_issuer_text:
            changes["assertion_issuer_text"] = self.issuer.text()
        return changes

    def show_defaults(self, token_url: str | None, client_id: str) -> None:
        """Say what is used when a field is left empty (the token service's address, when
        known, and the Client ID)."""
        from wizard.core.assertion import default_audience

        default = default_audience(token_url) if token_url else None
        self.audience.setPlaceholderText(default or text.CRED_AUDIENCE_PLACEHOLDER)
        self.issuer.setPlaceholderText(client_id or text.CRED_ISSUER_PLACEHOLDER)
        self.hint.setText(
            text.CRED_ASSERTION_HINT.format(audience=default)
            if default
            else text.CRED_ASSERTION_HINT_NO_ADDRESS
        )

    def open(self) -> None:
        self.advanced.setChecked(True)
