"""Step 9: save the tested connection to a file, keep the secret safe, copy it for scripts."""

from __future__ import annotations

import asyncio
import html
import os
import re
import sys
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
)

from wizard.core import CheckReport
from wizard.core.kinds import SecretStoreKind
from wizard.core.textreport import result_details, result_sentence
from wizard.flow import KeyStore, StepKey
from wizard.flow.diagnosis import Diagnosis, Source, secret_to_keep
from wizard.flow.tools import OTHER_TOOL, has_form, is_command, tool_form, tool_recipe
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.export_key import KeyBox
from wizard.ui.pages.tool_form import NoteSpace, ToolFormBox
from wizard.ui.tasks import FILE_TIMEOUT, BlockingTimeout, run_blocking
from wizard.ui.widgets import (
    Callout,
    WrapLabel,
    answer_of,
    careful_question,
    copy_to_clipboard,
    push_button,
)

if TYPE_CHECKING:
    from wizard.core.connection_file import ConnectionFile
    from wizard.core.recipes import Recipe

KEYCHAIN, EMBED, NOWHERE = SecretStoreKind.KEYCHAIN, SecretStoreKind.EMBEDDED, SecretStoreKind.NONE


def tool_name(recipe: Recipe) -> str:
    """The tool as a sentence names it: "Rewst", or "your tool" for another tool."""
    return text.FORM_YOUR_TOOL if recipe.id == OTHER_TOOL else recipe.name


def default_shell() -> str:
    return "powershell" if sys.platform == "win32" else "posix"


def file_name_for(tenant: str | None, host_url: str | None) -> str:
    """halo-connection-<tenant or host>.json, safe as a file name on every system."""
    name = tenant or re.sub(r"^[a-z]+://", "", host_url or "") or "halo"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.").lower() or "halo"
    return text.DEFAULT_FILE_NAME.format(name=safe)


def tested_when(report: CheckReport) -> str:
    return local_time(report.started_at) if report.started_at else ""


def local_time(moment: str) -> str:
    """An ISO time in this computer's time, as "2026-03-04 09:15"; as given if unreadable."""
    try:
        parsed = datetime.fromisoformat(moment)
    except ValueError:
        return moment
    return parsed.astimezone().strftime("%Y-%m-%d %H:%M")


def written_when(modified: float, now: datetime | None = None) -> str:
    """When a file was written, in local time and plain words: "today at 14:05"."""
    moment = datetime.fromtimestamp(modified).astimezone()
    today = (now or datetime.now().astimezone()).date()
    clock = moment.strftime("%H:%M")
    days = (today - moment.date()).days
    if days == 0:
        return text.EXPORT_WRITTEN_TODAY.format(time=clock)
    if days == 1:
        return text.EXPORT_WRITTEN_YESTERDAY.format(time=clock)
    day = f"{moment.day} {moment.strftime('%B %Y')}"
    return text.EXPORT_WRITTEN_ON.format(day=day, time=clock)


class ExportPage(FlowPage):
    key = StepKey.EXPORT

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.EXPORT_TITLE)
        self.setSubTitle(text.EXPORT_SUBTITLE)
        self._default_path = ""
        # The connection file last written, by its path: what the environment-variables box
        # describes once it is saved (its keychain entry), without reading it back.
        self._saved: tuple[str, ConnectionFile] | None = None
        self.replace_question: QMessageBox | None = None
        # The report the copy notes were said about: a new one clears them.
        self._noted: CheckReport | None = None

        # The test's verdict, one sentence, with its details below it.
        self.test_status = Callout("ok", rich=True)
        self.body.addWidget(self.test_status)

        # The tool's own form, first: what the admin came for.
        self.tool_form = ToolFormBox(self._form_secret)
        self.tool_form.setVisible(False)
        self.body.addWidget(self.tool_form)

        secret_box = QGroupBox(text.EXPORT_SECRET_TITLE)
        self.secret_box = secret_box
        secret_layout = QVBoxLayout(secret_box)
        self.secret_group = QButtonGroup(self)
        self.keychain_radio = QRadioButton(text.EXPORT_SECRET_KEYCHAIN)
        self.embed_radio = QRadioButton(text.EXPORT_SECRET_EMBED)
        self.none_radio = QRadioButton(text.EXPORT_SECRET_NONE)
        for button, mode in (
            (self.keychain_radio, KEYCHAIN),
            (self.embed_radio, EMBED),
            (self.none_radio, NOWHERE),
        ):
            button.setProperty("mode", mode)
            button.setAccessibleDescription(text.EXPORT_SECRET_NAME)
            self.secret_group.addButton(button)
            secret_layout.addWidget(button)
            if button is self.keychain_radio:
                self.keychain_note = WrapLabel()
                self.keychain_note.setIndent(button.sizeHint().height())
                secret_layout.addWidget(self.keychain_note)
            if button is self.embed_radio:
                self.embed_warning = Callout("warning", text.EXPORT_SECRET_EMBED_WARNING)
                secret_layout.addWidget(self.embed_warning)
        self.keychain_radio.setAccessibleName(text.EXPORT_SECRET_KEYCHAIN.replace("&", ""))
        self.embed_radio.setAccessibleName(text.EXPORT_SECRET_EMBED.replace("&", ""))
        self.none_radio.setAccessibleName(text.EXPORT_SECRET_NONE.replace("&", ""))
        self.none_note = WrapLabel(text.EXPORT_SECRET_NONE_NOTE)
        self.none_note.setIndent(self.none_radio.sizeHint().height())
        secret_layout.addWidget(self.none_note)
        self.body.addWidget(secret_box)
        # A private key (JWT Assertion), in place of the secret.
        self.key_box = KeyBox(self)
        self.key_group = self.key_box.key_group
        self.key_keychain_radio = self.key_box.key_keychain_radio
        self.key_file_radio = self.key_box.key_file_radio
        self.key_file_button = self.key_box.key_file_button
        self.key_file_result = self.key_box.key_file_result
        self.body.addWidget(self.key_box)

        self.file_box = QGroupBox(text.EXPORT_FILE_TITLE)
        file_layout = QVBoxLayout(self.file_box)
        # A tool with a form of its own does not read the file: it is kept for later.
        self.file_for_later = WrapLabel()
        self.file_for_later.setVisible(False)
        file_layout.addWidget(self.file_for_later)
        self.path_row = QWidget()
        grid = QGridLayout(self.path_row)
        grid.setContentsMargins(0, 0, 0, 0)
        path_label = QLabel(text.EXPORT_PATH_LABEL)
        self.path = QLineEdit()
        self.path.setAccessibleName(text.EXPORT_PATH_NAME)
        path_label.setBuddy(self.path)
        self.choose_button = push_button(text.EXPORT_CHOOSE, text.EXPORT_CHOOSE_NAME)
        grid.addWidget(path_label, 0, 0)
        grid.addWidget(self.path, 0, 1)
        grid.addWidget(self.choose_button, 0, 2)
        grid.setColumnStretch(1, 1)
        file_layout.addWidget(self.path_row)
        # Support mode, a profile: it is updated where it is kept.
        self.profile_note = WrapLabel(selectable=True)
        self.profile_note.setVisible(False)
        file_layout.addWidget(self.profile_note)
        save_row = QHBoxLayout()
        self.save_button = push_button(text.EXPORT_SAVE, text.EXPORT_SAVE_NAME)
        self.folder_button = push_button(text.EXPORT_OPEN_FOLDER, text.EXPORT_OPEN_FOLDER_NAME)
        self.folder_button.setVisible(False)
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.folder_button)
        save_row.addStretch(1)
        file_layout.addLayout(save_row)
        self.save_result = Callout("ok")
        self.save_result.setVisible(False)
        file_layout.addWidget(self.save_result)
        self.body.addWidget(self.file_box)

        env_box = QGroupBox(text.EXPORT_ENV_TITLE)
        self.env_box = env_box
        env_layout = QVBoxLayout(env_box)
        env_row = QHBoxLayout()
        shell_label = QLabel(text.EXPORT_SHELL_LABEL)
        self.shell = QComboBox()
        self.shell.setAccessibleName(text.EXPORT_SHELL_NAME)
        # Narrower than its longest choice when the window is: never a sideways scroll bar.
        self.shell.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.shell.setMinimumContentsLength(12)
        for shell, name in text.SHELL_NAMES.items():
            self.shell.addItem(name, shell)
        self.shell.setCurrentIndex(self.shell.findData(default_shell()))
        shell_label.setBuddy(self.shell)
        self.env_button = push_button(text.EXPORT_COPY_ENV, text.EXPORT_COPY_ENV_NAME)
        env_row.addWidget(shell_label)
        env_row.addWidget(self.shell, 1)
        env_row.addWidget(self.env_button)
        env_layout.addLayout(env_row)
        # Room kept for what a copy says: the note appearing moves nothing below it.
        self.env_result = NoteSpace()
        env_layout.addWidget(self.env_result)
        self.body.addWidget(env_box)

        self.finish_status = Callout("info")
        self.finish_status.setVisible(False)
        self.body.addWidget(self.finish_status)
        self.body.addStretch(1)

        self.secret_group.buttonToggled.connect(self._secret_toggled)
        self.choose_button.clicked.connect(self._choose)
        self.save_button.clicked.connect(self.start_save)
        self.env_button.clicked.connect(self._copy_environment)
        self.folder_button.clicked.connect(self._open_folder)
        context.keychain.changed.connect(self.refresh)

    # ----- where the private key goes (JWT Assertion) -----

    def _keychain_words(
        self, radio: QRadioButton, demo_label: str, demo_where: str, where: str
    ) -> str:
        """What the keychain choice says about where the secret (or key) would be kept: in
        the demo's memory (its radio relabelled), in the keychain named, or why not yet."""
        keychain = self.context.keychain
        if keychain.in_memory:
            radio.setText(demo_label)
            radio.setAccessibleName(demo_label.replace("&", ""))
            return demo_where
        if keychain.available:
            return where.format(name=keychain.name)
        if keychain.checked:
            reason = keychain.reason or text.CRED_KEYCHAIN_TIMEOUT.format(
                seconds=f"{keychain.timeout:g}"
            )
            return text.EXPORT_SECRET_KEYCHAIN_UNAVAILABLE.format(reason=reason)
        return text.CRED_KEYCHAIN_CHECKING

    def _show_key(self) -> None:
        key = self.flow.state.uses_assertion
        self.key_box.setVisible(key)
        self.secret_box.setVisible(not key)
        if not key:
            return
        where = self._keychain_words(
            self.key_keychain_radio,
            text.EXPORT_KEY_DEMO_KEYCHAIN,
            text.EXPORT_KEY_DEMO_MEMORY,
            text.EXPORT_KEY_KEYCHAIN_WHERE,
        )
        self.key_box.show_state(where)

    def key_mode(self) -> KeyStore:
        """Where the private key goes: the keychain unless it cannot be used (or a file)."""
        return self.key_box.mode()

    def _private_pem(self) -> str:
        from wizard.core import assertion

        key = self.flow.state.private_key
        return assertion.private_pem(key).decode("ascii") if key is not None else ""

    def _finish_account(self, *, private_key: bool = False) -> str:
        """Where Finish keeps the secret or key without a connection file to name an entry
        of its own: the entry every tool finds by the Client ID and the address."""
        from wizard.tasks.save import tools_account

        state = self.flow.state
        return tools_account(self._secret_host(), state.client_id, private_key=private_key)

    async def _keep_at_finish(self, value: str, show: Callout, *, private_key: bool) -> bool:
        """Keep the secret or key in the keychain at Finish, by the save task's rule (a
        secret or key Halo did not accept is never kept), saying so on `show`; False when it
        was not kept."""
        from wizard.tasks.save import SaveProblem, SaveRefused, keep_for_tools

        keychain = self.context.keychain
        name = keychain.name or ""
        state = self.flow.state
        report = state.report
        if report is None:
            show.show_message("error", text.EXPORT_NOT_ACCEPTED_NOT_KEPT)
            return False
        storing = text.EXPORT_KEY_STORING if private_key else text.EXPORT_STORING
        show.show_message("running", storing.format(name=name))
        keep = partial(
            keep_for_tools,
            report,
            store=keychain.store,
            client_id=state.client_id,
            value=value,
            private_key=private_key,
        )
        try:
            account = await run_blocking(keep, timeout=keychain.timeout + FILE_TIMEOUT)
        except BlockingTimeout:
            message = text.EXPORT_KEYCHAIN_TIMEOUT.format(
                name=text.sentence_start(name), seconds=f"{keychain.timeout:g}"
            )
            show.show_message("error", message)
            return False
        except SaveRefused as refused:
            if refused.problem is SaveProblem.KEYCHAIN:
                message = text.EXPORT_KEYCHAIN_FAILED.format(name=name, reason=refused.detail)
            else:
                message = text.EXPORT_NOT_ACCEPTED_NOT_KEPT
            show.show_message("error", message)
            return False
        keychain.remember(account, value)
        return True

    def key_kept(self) -> bool:
        """Whether the private key is already where the admin chose to keep it."""
        state = self.flow.state
        if self.key_mode() is KeyStore.FILE:
            return state.key_file is not None
        keychain = self.context.keychain
        if state.exported_to is not None:
            return True  # saved with the connection file, in an entry of its own
        return keychain.checked and keychain.holds(
            self._finish_account(private_key=True), self._private_pem()
        )

    # ----- where the secret goes -----

    def mode(self) -> SecretStoreKind:
        """Where the secret goes; the keychain while it is still being looked for."""
        state = self.flow.state
        keychain = self.context.keychain
        if state.embed_secret:
            return EMBED
        if state.remember_secret and (keychain.available or not keychain.checked):
            return KEYCHAIN
        return NOWHERE

    def _secret_toggled(self, button: QRadioButton, checked: bool) -> None:
        if checked:
            self.apply()

    def apply(self) -> None:
        button = self.secret_group.checkedButton()
        if button is None:
            return
        mode = str(button.property("mode"))
        if mode == self.mode():
            return
        if mode == KEYCHAIN:
            self.flow.update(remember_secret=True, embed_secret=False)
        elif mode == EMBED:
            self.flow.update(remember_secret=False, embed_secret=True)
        else:
            self.flow.update(remember_secret=False, embed_secret=False)

    # ----- showing -----

    def entered(self) -> None:
        self.context.keychain.ensure_checked()
        self.save_result.setVisible(False)
        self.finish_status.setVisible(False)
        self._clear_notes()

    def _clear_notes(self) -> None:
        """What the last copies said is about the page as it was: not said again."""
        self._env_says("")
        self.tool_form.clear_note()
        self._noted = self.flow.state.report

    @property
    def diagnosis(self) -> Diagnosis | None:
        """The connection being diagnosed (support mode), whose file or profile Save updates."""
        state = self.flow.state
        return state.diagnosis if state.diagnosing else None

    @property
    def profile(self) -> str | None:
        """The profile Save updates, when the connection came from one."""
        diagnosis = self.diagnosis
        return diagnosis.where if diagnosis and diagnosis.source is Source.PROFILE else None

    def load(self) -> None:
        state = self.flow.state
        report = state.report
        diagnosis = self.diagnosis
        if diagnosis is not None and diagnosis.source is Source.FILE:
            # The file the connection came from is updated (Save asks before replacing it).
            suggested = diagnosis.where
        else:
            suggested = os.path.join(
                self.context.save_folder,
                file_name_for(state.tenant, report.host if report else None),
            )
        if not self.path.text() or self.path.text() == self._default_path:
            self.path.setText(suggested)
        self._default_path = suggested
        profile = self.profile
        if diagnosis is not None and diagnosis.source is Source.FILE:
            self.setSubTitle(text.EXPORT_SUBTITLE_DIAGNOSE_FILE)
        elif profile is not None:
            self.setSubTitle(text.EXPORT_SUBTITLE_DIAGNOSE_PROFILE.format(name=profile))
        elif (recipe := tool_recipe(state)) is not None and has_form(state):
            subtitle = (
                text.EXPORT_SUBTITLE_COMMAND if is_command(recipe) else text.EXPORT_SUBTITLE_TOOL
            )
            self.setSubTitle(subtitle.format(name=tool_name(recipe)))
        else:
            self.setSubTitle(text.EXPORT_SUBTITLE)
        self.path_row.setVisible(profile is None)
        self.profile_note.setVisible(profile is not None)
        if profile is not None:
            from wizard.core import profiles

            self.file_box.setTitle(text.EXPORT_PROFILE_TITLE)
            self.profile_note.setText(
                text.EXPORT_PROFILE_NOTE.format(name=profile, path=profiles.path_of(profile))
            )
            self.save_button.setText(text.EXPORT_SAVE_PROFILE)
            self.save_button.setAccessibleName(text.EXPORT_SAVE_PROFILE_NAME)
        else:
            self.file_box.setTitle(text.EXPORT_FILE_TITLE)
            self.save_button.setText(text.EXPORT_SAVE)
            self.save_button.setAccessibleName(text.EXPORT_SAVE_NAME)
        super().load()

    def refresh(self) -> None:
        state = self.flow.state
        report = state.report
        if report is not self._noted:
            self._clear_notes()
        if report is not None:
            kind, message = self._verdict(report)
            self.test_status.show_message(kind, message)
        else:
            # The test's result was dropped (the demo's situation changed, say): nothing holds.
            self.test_status.show_message("warning", html.escape(text.EXPORT_NOT_TESTED, False))

        keychain = self.context.keychain
        # A tool in the cloud cannot read this computer's keychain: no "(recommended)" then.
        recipe = tool_recipe(state)
        label = text.EXPORT_SECRET_KEYCHAIN
        if recipe is not None and recipe.in_the_cloud:
            label = text.EXPORT_SECRET_KEYCHAIN_CLOUD
        self.keychain_radio.setText(label)
        self.keychain_radio.setAccessibleName(label.replace("&", ""))
        where = self._keychain_words(
            self.keychain_radio,
            text.EXPORT_SECRET_DEMO_KEYCHAIN,
            text.EXPORT_SECRET_DEMO_MEMORY,
            text.EXPORT_SECRET_KEYCHAIN_WHERE,
        )
        if recipe is not None and recipe.in_the_cloud and not keychain.in_memory:
            where = f"{where} {text.EXPORT_SECRET_KEYCHAIN_CLOUD_NOTE.format(name=recipe.name)}"
        self.keychain_note.setText(where)
        self.keychain_radio.setAccessibleDescription(where)
        self.keychain_radio.setEnabled(keychain.available or not keychain.checked)
        mode = self.mode()
        self.secret_group.blockSignals(True)
        for button in (self.keychain_radio, self.embed_radio, self.none_radio):
            button.setChecked(button.property("mode") == mode)
        self.secret_group.blockSignals(False)
        self.embed_warning.setVisible(mode == EMBED)
        self.none_note.setVisible(mode == NOWHERE)
        self._show_tool_form()
        self._show_key()
        busy = self.busy
        self.save_button.setEnabled(not busy and report is not None)
        self.choose_button.setEnabled(not busy)
        self.path.setEnabled(not busy)

    def _verdict(self, report: CheckReport) -> tuple[str, str]:
        """(kind, rich text): the test's one sentence in bold, then its details."""
        state = self.flow.state
        extra = [text.MISMATCH_WARNING_NAME] if state.identity_mismatch else []
        kind, sentence = result_sentence(report, extra)
        result = sentence[:1].lower() + sentence[1:]
        headline = text.EXPORT_TESTED.format(when=tested_when(report), result=result)
        details = result_details(report, extra)
        if kind == "error":
            details.append(text.EXPORT_TEST_FAILED_ADVICE)
        shown = f"<b>{html.escape(headline, False)}</b>"
        if details:
            shown += "<br>" + html.escape(" ".join(details), False)
        return kind, shown

    def _show_tool_form(self) -> None:
        state = self.flow.state
        form = tool_form(state)
        if form is not None:
            self.tool_form.show_form(form)
        self.tool_form.setVisible(form is not None)
        self.file_for_later.setVisible(form is not None)
        if form is not None:
            name = tool_name(form.recipe)
            name = f"the {name}" if is_command(form.recipe) else name
            self.file_for_later.setText(text.EXPORT_FILE_FOR_LATER.format(name=name))
        # The environment variables are for the admin's own script (or no tool named).
        self.env_box.setVisible(not has_form(state))
        key = state.uses_assertion
        self.env_result.reserve([text.EXPORT_ENV_COPIED_KEY if key else text.EXPORT_ENV_COPIED])

    def _form_secret(self) -> str:
        """The secret the form's own button copies: the one the test passed with."""
        return secret_to_keep(self.flow.state)

    # ----- choosing the file -----

    def _choose(self) -> None:
        # open(), not exec() or the static helpers: no nested event loop while tasks run.
        current = self.path.text().strip() or self._default_path
        dialog = QFileDialog(self, text.EXPORT_DIALOG_TITLE, os.path.dirname(current))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilter(text.EXPORT_DIALOG_FILTER)
        dialog.setDefaultSuffix("json")
        # The page asks itself before replacing a file, naming when it was written.
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
        dialog.selectFile(os.path.basename(current))
        dialog.fileSelected.connect(self._chosen)
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()

    def _chosen(self, path: str) -> None:
        if path:
            self.path.setText(path)

    # ----- saving -----

    def start_save(self) -> None:
        self.folder_button.setVisible(False)
        self.tasks.start(self.save())

    def _save_says(self, kind: str, message: str) -> None:
        """What Save did, in view: it is below the button, often under the page's edge."""
        self.save_result.show_message(kind, message)
        self.scroll_to(self.save_result)

    def connection_file(self, *, secret_in_keychain: bool) -> ConnectionFile:
        """The connection as the environment-variables box describes it (where its secret or
        key is); the saved file, once there is one."""
        from wizard.core.connection_file import ConnectionFile

        saved = self._saved
        if saved is not None and saved[0] == self.flow.state.exported_to:
            return saved[1]  # as written, with the keychain entry made for it

        state = self.flow.state
        report = state.report
        assert report is not None
        if state.uses_assertion:
            return self._assertion_file(report)
        embed = self.mode() == EMBED
        return ConnectionFile.from_report(
            report,
            client_id=state.client_id,
            identity_kind=state.identity.value if state.identity else None,
            scopes=list(state.scopes),
            secret=secret_to_keep(state) if embed else None,
            secret_in_keychain=secret_in_keychain and not embed,
        )

    def _assertion_file(self, report: CheckReport) -> ConnectionFile:
        """A JWT-assertion connection's file: where its private key is, never the key."""
        from wizard.core.connection_file import AssertionEntry, ConnectionFile

        state = self.flow.state
        audience, issuer = state.assertion_audience, state.assertion_issuer
        if self.key_mode() is KeyStore.FILE:
            if state.key_file is None:
                raise ValueError(text.EXPORT_KEY_NO_FILE)
            entry = AssertionEntry("file", state.key_file, audience=audience, issuer=issuer)
        else:
            entry = AssertionEntry.keychain(
                self._secret_host(), state.client_id, audience=audience, issuer=issuer
            )
        return ConnectionFile.from_report(
            report,
            client_id=state.client_id,
            identity_kind=state.identity.value if state.identity else None,
            scopes=list(state.scopes),
            secret=None,
            secret_in_keychain=False,
            assertion=entry,
        )

    def _secret_host(self) -> str:
        state = self.flow.state
        report = state.report
        if report is not None and report.host:
            return report.host
        address = state.address
        return address.url if address else state.host_text

    async def save(self) -> None:
        """Write the connection file or update the profile, keeping the secret or key as
        chosen, by the rules every path shares (wizard/tasks/save.py).

        A diagnosed profile is updated where it is kept, without asking: it was opened to be
        tested again and saved. Any other existing file is replaced only when the admin says
        so; a file the wizard reads (the private key) never is.
        """
        from wizard.core import profiles

        profile = self.profile
        if profile is not None:
            path = str(profiles.path_of(profile))
        else:
            path = os.path.expanduser(self.path.text().strip())
        if path and not os.path.isabs(path):
            # A bare file name goes where the suggested one would, not to the working folder.
            path = os.path.join(self.context.save_folder, path)
        if not path:
            self._save_says("error", text.EXPORT_NO_PATH)
            return
        if profile is None and os.path.exists(path) and not await self.ask_to_replace(path):
            self._save_says("info", text.EXPORT_KEPT.format(path=path))
            # Once this task has ended: the path field is disabled while the page is busy.
            task = asyncio.current_task()
            if task is not None:
                task.add_done_callback(self._focus_path)
            return
        if not self.context.keychain.checked:
            await self.context.keychain.check()
        state = self.flow.state
        if state.uses_assertion and self.key_mode() is KeyStore.FILE and state.key_file is None:
            self._save_says("error", text.EXPORT_KEY_NO_FILE)
            return
        await self._save(path, profile)

    async def _save(self, path: str, profile: str | None) -> None:
        from wizard.tasks.save import KeyToKeep, SaveRefused, Target, save_connection

        state = self.flow.state
        report = state.report
        assert report is not None
        keychain = self.context.keychain
        key = None
        secret: str | None = None
        secret_store = SecretStoreKind.NONE
        if state.uses_assertion:
            in_keychain = self.key_mode() is not KeyStore.FILE
            key = KeyToKeep(
                store=KeyStore.KEYCHAIN if in_keychain else KeyStore.FILE,
                pem=self._private_pem() if in_keychain else None,
                path=state.key_file,
                audience=state.assertion_audience,
                issuer=state.assertion_issuer,
            )
        else:
            secret = secret_to_keep(state)
            secret_store = self.mode()
        diagnosis = self.diagnosis
        updating = path if profile is not None else None
        if diagnosis is not None and diagnosis.source is Source.FILE:
            updating = diagnosis.where
        recipe = tool_recipe(state)
        save = partial(
            save_connection,
            report,
            Target(profile=profile) if profile is not None else Target(path=path),
            store=keychain.store,
            client_id=state.client_id,
            scopes=list(state.scopes),
            secret=secret,
            secret_store=secret_store,
            key=key,
            identity_kind=state.identity.value if state.identity else None,
            tool=recipe.id if recipe is not None else None,
            ca_bundle=self.context.ca_bundle,
            reading=[state.key_file] if state.key_file else [],
            force=True,  # the admin was asked (or it is the profile being diagnosed)
            updating=updating,
        )
        self._save_says("running", text.EXPORT_SAVING)
        try:
            outcome = await run_blocking(save, timeout=keychain.timeout + FILE_TIMEOUT)
        except BlockingTimeout:
            message = text.EXPORT_KEYCHAIN_TIMEOUT.format(
                name=text.sentence_start(keychain.name or text.KEYCHAIN_FALLBACK_NAME),
                seconds=f"{keychain.timeout:g}",
            )
            self._save_says("error", message)
            return
        except SaveRefused as refused:
            self._save_says("error", self._refused_words(refused))
            return
        if outcome.account is not None:
            keychain.remember(outcome.account, key.pem if key and key.pem else secret or "")
        self._saved = (str(outcome.path), outcome.connection)
        self.flow.update(exported_to=str(outcome.path))
        saved = (
            text.EXPORT_SAVED_PROFILE.format(name=profile, path=outcome.path)
            if profile is not None
            else text.EXPORT_SAVED.format(path=outcome.path)
        )
        from wizard.tasks.save import Kept

        kind = "warning" if outcome.kept is Kept.NOT_ACCEPTED else "ok"
        self._save_says(kind, f"{saved}\n{self._kept_words(outcome, key)}")
        self.folder_button.setVisible(True)

    def _kept_words(self, outcome: Any, key: Any) -> str:
        from wizard.core.secrets import SERVICE
        from wizard.tasks.save import Kept

        keychain = self.context.keychain
        kept = outcome.kept
        if kept is Kept.NOT_ACCEPTED:
            return text.EXPORT_SAVED_NOT_ACCEPTED
        if key is not None:
            if kept is Kept.KEY_FILE:
                return text.EXPORT_SAVED_KEY_FILE.format(path=outcome.key_path)
            if keychain.in_memory:
                return text.EXPORT_SAVED_KEY_DEMO_MEMORY
            return text.EXPORT_SAVED_KEY_KEYCHAIN.format(
                name=keychain.name, service=SERVICE, account=outcome.account or ""
            )
        if kept is Kept.KEYCHAIN:
            if keychain.in_memory:
                return text.EXPORT_SAVED_DEMO_MEMORY
            return text.EXPORT_SAVED_KEYCHAIN.format(
                name=keychain.name, service=SERVICE, account=outcome.account or ""
            )
        return text.EXPORT_SAVED_EMBEDDED if kept is Kept.IN_FILE else text.EXPORT_SAVED_NONE

    def _refused_words(self, refused: Any) -> str:
        from wizard.tasks.save import SaveProblem

        name = self.context.keychain.name or text.KEYCHAIN_FALLBACK_NAME
        if refused.problem is SaveProblem.KEYCHAIN:
            return text.EXPORT_KEYCHAIN_FAILED.format(name=name, reason=refused.detail)
        if refused.problem is SaveProblem.IS_INPUT:
            return text.EXPORT_IS_INPUT.format(path=refused.path)
        if refused.problem is SaveProblem.IS_FOLDER:
            return text.EXPORT_IS_FOLDER.format(path=refused.path)
        return text.EXPORT_NOT_SAVED.format(reason=refused.detail or refused.path)

    def _focus_path(self, _task: object = None) -> None:
        self.path.setFocus()
        self.path.selectAll()

    async def ask_to_replace(self, path: str) -> bool:
        """Ask before writing over `path`, naming it and when it was written; True: replace."""
        try:
            when = written_when(os.path.getmtime(path))
        except OSError:
            when = text.EXPORT_WRITTEN_UNKNOWN
        box, replace = careful_question(
            self,
            title=text.EXPORT_REPLACE_TITLE,
            question=text.EXPORT_REPLACE_QUESTION.format(name=os.path.basename(path)),
            details=text.EXPORT_REPLACE_DETAILS.format(folder=os.path.dirname(path), when=when),
            action=text.EXPORT_REPLACE,
            role=QMessageBox.ButtonRole.AcceptRole,
        )
        self.replace_question = box
        try:
            return await answer_of(box, replace)
        finally:
            self.replace_question = None

    # ----- environment variables -----

    def _copy_environment(self) -> None:
        from wizard.core.connection_file import environment_variables

        shell = str(self.shell.currentData())
        try:
            connection = self.connection_file(secret_in_keychain=self.mode() == KEYCHAIN)
            commands = environment_variables(connection, include_secret=False, shell=shell)
        except ValueError as exc:
            self._env_says(text.EXPORT_ENV_FAILED.format(reason=exc))
            return
        copy_to_clipboard(commands)
        key = self.flow.state.uses_assertion
        self._env_says(text.EXPORT_ENV_COPIED_KEY if key else text.EXPORT_ENV_COPIED)

    def _env_says(self, message: str) -> None:
        # Below its button, in room kept for it: nothing moves.
        self.env_result.setText(message)

    def _open_folder(self) -> None:
        path = self.flow.state.exported_to
        if path:
            folder = os.path.dirname(path)
            if not self.context.services.open_url(QUrl.fromLocalFile(folder).toString()):
                self.save_result.label.setText(text.OPEN_URL_FAILED.format(url=folder))

    # ----- Finish -----

    def validatePage(self) -> bool:
        """Finish: with the keychain chosen, save the secret (or the private key) first."""
        if self.flow.state.uses_assertion:
            return self._finish_with_key()
        if self.mode() != KEYCHAIN:
            return True
        state = self.flow.state
        keychain = self.context.keychain
        if state.exported_to is not None and self.mode() == KEYCHAIN:
            return True  # saved with the connection file, in an entry of its own
        if keychain.checked and keychain.holds(self._finish_account(), secret_to_keep(state)):
            return True
        if not self.busy:
            self.tasks.start(self.finish())
        return False

    def _finish_with_key(self) -> bool:
        """A private key kept nowhere is lost with the window, and the public key in Halo
        with it: Finish keeps it first (keychain), or asks for the key file."""
        if self.key_kept():
            return True
        if self.key_mode() is KeyStore.FILE:
            self.finish_status.show_message("error", text.EXPORT_KEY_FINISH_NO_FILE)
            self.scroll_to(self.finish_status)
            return False
        if not self.busy:
            self.tasks.start(self.finish())
        return False

    async def finish(self) -> None:
        """Keep the secret or key before the window closes, saying so at the page's end (in
        view: the admin clicked Finish, under it)."""
        try:
            await self._finish()
        finally:
            if self.finish_status.isVisibleTo(self):
                self.scroll_to(self.finish_status)

    async def _finish(self) -> None:
        keychain = self.context.keychain
        if not keychain.checked:
            await keychain.check()
        if self.flow.state.uses_assertion:
            if self.key_mode() is KeyStore.FILE:
                # The keychain turned out to be unusable: the key must go to a file.
                if self.flow.state.key_file is None:
                    self.finish_status.show_message("error", text.EXPORT_KEY_FINISH_NO_FILE)
                    return
            else:
                if not await self._keep_at_finish(
                    self._private_pem(), self.finish_status, private_key=True
                ):
                    return
                name = keychain.name or ""
                self.finish_status.show_message(
                    "ok", text.EXPORT_KEY_FINISH_STORED.format(name=name)
                )
        elif self.mode() == KEYCHAIN:
            if not await self._keep_at_finish(
                secret_to_keep(self.flow.state), self.finish_status, private_key=False
            ):
                return
            name = keychain.name or ""
            self.finish_status.show_message("ok", text.EXPORT_FINISH_STORED.format(name=name))
        # Once this task has ended (its slot's callback runs first), so that the page is no
        # longer busy when QWizard checks Finish again.
        task = asyncio.current_task()
        if task is not None:
            task.add_done_callback(self._close_wizard)

    def _close_wizard(self, _task: object = None) -> None:
        wizard = self.wizard()
        if isinstance(wizard, QWizard):
            wizard.accept()
