"""The saved profiles on "Open the connection": the list, each with its address and last
result, and renaming, duplicating and deleting one. Deleting asks first, saying exactly what
happens to the profile and to each keychain entry it names (wizard/tasks/forget.py); the
profiles themselves are read and written by wizard/core/profiles.py, off the GUI thread."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from wizard.flow.diagnosis import Source
from wizard.ui import text
from wizard.ui.pages.export import local_time
from wizard.ui.tasks import FILE_TIMEOUT, BlockingTimeout, run_blocking
from wizard.ui.widgets import (
    Callout,
    FocusList,
    WrapLabel,
    answer_of,
    careful_question,
    push_button,
)

if TYPE_CHECKING:
    from wizard.core import profiles
    from wizard.ui.pages.open_connection import OpenPage

NAME_ROLE = Qt.ItemDataRole.UserRole


class ProfileBox(QWidget):
    """The profiles, and what can be done to one, for the page that opens them."""

    def __init__(self, page: OpenPage) -> None:
        super().__init__()
        self.page = page
        self.name_question: QInputDialog | None = None
        self.delete_question: QMessageBox | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.profile_list = FocusList()
        self.profile_list.setAccessibleName(text.OPEN_PROFILES_NAME)
        lines = self.fontMetrics().lineSpacing()
        self.profile_list.setMinimumHeight(lines * 5)
        self.profile_list.setMaximumHeight(lines * 8)
        row.addWidget(self.profile_list, 1)
        buttons = QVBoxLayout()
        self.rename_button = push_button(text.PROFILE_RENAME, text.PROFILE_RENAME_NAME)
        self.duplicate_button = push_button(text.PROFILE_DUPLICATE, text.PROFILE_DUPLICATE_NAME)
        self.delete_button = push_button(text.PROFILE_DELETE, text.PROFILE_DELETE_NAME)
        for action in self.actions_buttons():
            buttons.addWidget(action)
        buttons.addStretch(1)
        row.addLayout(buttons)
        layout.addLayout(row)
        self.profiles_note = WrapLabel(selectable=True)
        layout.addWidget(self.profiles_note)
        self.profile_result = Callout("ok")
        self.profile_result.setVisible(False)
        layout.addWidget(self.profile_result)

        # Return (or a double click) on the current profile chooses it too.
        self.profile_list.itemActivated.connect(lambda item: item.setSelected(True))
        tasks = page.tasks
        self.rename_button.clicked.connect(lambda: tasks.start(self.rename_profile()))
        self.duplicate_button.clicked.connect(lambda: tasks.start(self.duplicate_profile()))
        self.delete_button.clicked.connect(lambda: tasks.start(self.delete_profile()))

    def actions_buttons(self) -> tuple[QWidget, ...]:
        return (self.rename_button, self.duplicate_button, self.delete_button)

    def enable(self, busy: bool) -> None:
        """The actions act on the chosen profile, while nothing else runs."""
        chosen = self.chosen() is not None
        for action in self.actions_buttons():
            action.setEnabled(chosen and not busy)

    def fill(self, select: str | None = None) -> None:
        """List the profiles, each with its address and last result; select `select`."""
        from wizard.core import profiles

        diagnosis = self.page.diagnosis
        if select is None and diagnosis is not None and diagnosis.source is Source.PROFILE:
            select = diagnosis.where
        folder = str(profiles.profiles_folder())
        try:
            found = profiles.summaries()
        except profiles.ProfileError as exc:
            found = []
            self.profile_result.show_message("error", str(exc))
        self.profile_list.blockSignals(True)
        self.profile_list.clear()
        for summary in found:
            item = QListWidgetItem(_profile_row(summary))
            item.setData(NAME_ROLE, summary.name)
            if summary.problem:
                item.setToolTip(summary.problem)
            self.profile_list.addItem(item)
            if summary.name == select:
                self.profile_list.setCurrentItem(item)
        self.profile_list.blockSignals(False)
        note = text.OPEN_PROFILES_HINT if found else text.OPEN_PROFILES_NONE
        self.profiles_note.setText(note.format(folder=folder))

    def chosen(self) -> str | None:
        items = self.profile_list.selectedItems()
        return str(items[0].data(NAME_ROLE)) if items else None

    async def rename_profile(self) -> None:
        from wizard.core import profiles

        name = self.chosen()
        if name is None:
            return
        label = text.PROFILE_RENAME_LABEL.format(name=name)
        new = await self.ask_name(text.PROFILE_RENAME_TITLE, label, name)
        if new is None or new.strip() == name:
            return
        try:
            place = await run_blocking(profiles.rename, name, new, timeout=FILE_TIMEOUT)
        except (profiles.ProfileError, BlockingTimeout) as exc:
            self.profile_result.show_message("error", _profile_problem(exc))
            return
        renamed = place.stem
        state = self.page.flow.state
        diagnosis = state.diagnosis
        if diagnosis is not None and diagnosis.source is Source.PROFILE and diagnosis.where == name:
            # The same connection under another name: its test still holds.
            self.page.flow.update(diagnosis=replace(diagnosis, where=renamed), report=state.report)
        self.fill(select=renamed)
        self.profile_result.show_message("ok", text.PROFILE_RENAMED.format(old=name, new=renamed))

    async def duplicate_profile(self) -> None:
        from wizard.core import profiles

        name = self.chosen()
        if name is None:
            return
        label = text.PROFILE_DUPLICATE_LABEL.format(name=name)
        copy = await self.ask_name(
            text.PROFILE_DUPLICATE_TITLE, label, text.PROFILE_COPY_NAME.format(name=name)
        )
        if copy is None:
            return
        try:
            place = await run_blocking(profiles.duplicate, name, copy, timeout=FILE_TIMEOUT)
        except (profiles.ProfileError, BlockingTimeout) as exc:
            self.profile_result.show_message("error", _profile_problem(exc))
            return
        self.fill(select=name)
        self.profile_result.show_message(
            "ok", text.PROFILE_DUPLICATED.format(old=name, new=place.stem)
        )

    async def delete_profile(self) -> None:
        """Delete the chosen profile, after a question that says exactly what will happen to
        it and to each keychain entry it names (wizard/tasks/forget.py)."""
        from wizard.core import profiles
        from wizard.tasks import forget

        name = self.chosen()
        if name is None:
            return
        keychain = self.page.context.keychain
        keychain_name = keychain.name or text.KEYCHAIN_FALLBACK_NAME
        try:
            planned = await run_blocking(forget.plan, name, timeout=FILE_TIMEOUT)
        except (profiles.ProfileError, BlockingTimeout) as exc:
            self.profile_result.show_message("error", _profile_problem(exc))
            return
        if not await self.ask_to_delete(name, _forget_details(planned, keychain_name)):
            self.profile_result.show_message("info", text.PROFILE_NOT_DELETED)
            return
        try:
            done = await run_blocking(
                forget.forget, name, keychain.store, timeout=keychain.timeout + FILE_TIMEOUT
            )
        except (profiles.ProfileError, BlockingTimeout) as exc:
            self.profile_result.show_message("error", _profile_problem(exc))
            return
        removed = False
        problems = []
        for account, fate in done.entries:
            if fate is forget.EntryFate.REMOVED:
                keychain.forgotten(account)
                removed = True
            elif fate is forget.EntryFate.FAILED:
                problems.append(done.detail or "")
        diagnosis = self.page.diagnosis
        if diagnosis is not None and diagnosis.source is Source.PROFILE and diagnosis.where == name:
            self.page.closed()
        self.fill()
        if removed:
            message = text.PROFILE_DELETED_WITH_SECRET.format(name=name, keychain=keychain_name)
        else:
            message = text.PROFILE_DELETED.format(name=name)
        kept = [fate for _, fate in done.entries if fate in _KEPT_FATES]
        if kept:
            message = f"{message} {text.PROFILE_ENTRY_KEPT}"
        kind = "ok"
        if problems:
            kind = "warning"
            message = f"{message} {text.PROFILE_SECRET_NOT_REMOVED.format(reason=problems[0])}"
        self.profile_result.show_message(kind, message)

    async def ask_name(self, title: str, label: str, value: str) -> str | None:
        """Ask for a profile's name; None when cancelled."""
        dialog = QInputDialog(self)
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setTextValue(value)
        answer: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()

        def answered(result: int) -> None:
            if not answer.done():
                accepted = result == QInputDialog.DialogCode.Accepted.value
                answer.set_result(dialog.textValue() if accepted else None)

        dialog.finished.connect(answered)
        self.name_question = dialog
        # open(), not exec(): a nested event loop would stall every running task.
        dialog.open()
        try:
            return await answer
        finally:
            self.name_question = None
            dialog.deleteLater()

    async def ask_to_delete(self, name: str, details: str) -> bool:
        """Ask before deleting the profile `name`; True: delete it."""
        box, delete = careful_question(
            self,
            title=text.PROFILE_DELETE_TITLE,
            question=text.PROFILE_DELETE_QUESTION.format(name=name),
            details=details,
            action=text.PROFILE_DELETE_BUTTON,
            role=QMessageBox.ButtonRole.DestructiveRole,
        )
        self.delete_question = box
        try:
            return await answer_of(box, delete)
        finally:
            self.delete_question = None


def _profile_row(summary: profiles.ProfileSummary) -> str:
    if summary.problem:
        status = text.OPEN_PROFILE_BROKEN
    elif summary.tested_at is None:
        status = text.OPEN_PROFILE_NEVER
    else:
        template = text.OPEN_PROFILE_WORKED if summary.ok else text.OPEN_PROFILE_PROBLEMS
        status = template.format(when=local_time(summary.tested_at))
    return text.OPEN_PROFILE_ROW.format(
        name=summary.name, host=summary.host or text.OPEN_PROFILE_NO_HOST, status=status
    )


_KEPT_FATES = ("shared", "named_elsewhere")


def _forget_details(planned: Any, keychain: str) -> str:
    """What deleting will do to the keychain, for the question asked first."""
    fates = {fate.value for _, fate in planned.entries}
    if planned.damaged:
        return text.PROFILE_DELETE_DAMAGED
    if "removed" in fates:
        return text.PROFILE_DELETE_SECRET.format(keychain=keychain)
    if fates & set(_KEPT_FATES):
        return text.PROFILE_DELETE_SECRET_KEPT.format(keychain=keychain)
    return text.PROFILE_DELETE_NO_SECRET


def _profile_problem(exc: Exception) -> str:
    if isinstance(exc, BlockingTimeout):
        return text.PROFILE_TIMEOUT.format(seconds=f"{FILE_TIMEOUT:g}")
    return str(exc)
