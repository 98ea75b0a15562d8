"""Step 8: the live test, a checklist filling in as it runs, then every finding with its fix.

When an existing connection is diagnosed (support mode), the test asks for the token at the
connection's saved token address at once, says at the top what changed since the
connection's last test, tells whether a new secret passed (and then replaces the old one in
the keychain), and offers a support report and a short summary, both without the secret.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from wizard.core import CheckReport, CheckRequest, Finding, Step
from wizard.core.findings import Severity, by_severity
from wizard.core.kinds import SecretFrom
from wizard.core.messages import Front
from wizard.core.textreport import render, result_sentence
from wizard.flow import StepKey
from wizard.flow.diagnosis import Source, what_changed
from wizard.flow.verdict import StepVerdict, step_verdict
from wizard.ui import text
from wizard.ui.context import FileQuestion, UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.export import local_time
from wizard.ui.tasks import FILE_TIMEOUT, BlockingTimeout, TaskSlot, run_blocking
from wizard.ui.widgets import (
    BusyBar,
    Callout,
    Checklist,
    FindingView,
    SummaryLine,
    WrapLabel,
    copy_to_clipboard,
    heading,
    push_button,
)

if TYPE_CHECKING:
    from wizard.core.diagnose import Change
    from wizard.flow.diagnosis import Diagnosis

NOT_RUN, RUNNING, CANCELLED, DONE = "not_run", "running", "cancelled", "done"


def verdict(report: CheckReport, extra_warnings: int = 0) -> tuple[str, str]:
    """(status kind, sentence) summing up a finished test; the wizard may add a warning of its
    own (Halo acts as another identity than the one chosen)."""
    return result_sentence(report, [text.MISMATCH_WARNING_NAME] * extra_warnings)


class LiveTestPage(FlowPage):
    key = StepKey.TEST

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.TEST_TITLE)
        self.setSubTitle(text.TEST_SUBTITLE)
        self._status = NOT_RUN
        self._shown_report: CheckReport | None = None

        row = QHBoxLayout()
        row.setSpacing(10)
        self.summary = SummaryLine()
        self.busy_bar = BusyBar(text.TEST_RUNNING)
        self.busy_bar.setMaximumWidth(self.fontMetrics().averageCharWidth() * 16)
        self.cancel_button = push_button(text.TEST_CANCEL, text.TEST_CANCEL_NAME)
        self.again_button = push_button(text.TEST_AGAIN, text.TEST_AGAIN_NAME)
        self.copy_button = push_button(text.TEST_COPY_REPORT, text.TEST_COPY_REPORT_NAME)
        row.addWidget(self.summary, 1)
        row.addWidget(self.busy_bar)
        row.addWidget(self.cancel_button)
        row.addWidget(self.again_button)
        row.addWidget(self.copy_button)
        self.top.addLayout(row)
        # Support mode: a report to attach to a ticket, and a summary to paste into one.
        support_row = QHBoxLayout()
        support_row.setSpacing(10)
        self.save_report_button = push_button(text.TEST_SAVE_REPORT, text.TEST_SAVE_REPORT_NAME)
        self.copy_summary_button = push_button(text.TEST_COPY_SUMMARY, text.TEST_COPY_SUMMARY_NAME)
        support_row.addWidget(self.save_report_button)
        support_row.addWidget(self.copy_summary_button)
        support_row.addStretch(1)
        self.top.addLayout(support_row)
        self.copied = WrapLabel(selectable=True)
        self.copied.setVisible(False)
        self.top.addWidget(self.copied)
        # Writing a report runs beside the page's own work (a test), never in its way.
        self.report_task = TaskSlot(on_change=lambda _busy: self.refresh())

        # What changed since the connection's last test, first of all.
        self.changes_box = QFrame()
        self.changes_box.setAutoFillBackground(True)
        self.changes_box.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.changes_box.setAccessibleName(text.TEST_CHANGES_NAME)
        changes_layout = QVBoxLayout(self.changes_box)
        changes_layout.setContentsMargins(12, 10, 12, 10)
        changes_layout.setSpacing(6)
        self.changes_title = heading("")
        self.changes_list = WrapLabel(selectable=True)
        changes_layout.addWidget(self.changes_title)
        changes_layout.addWidget(self.changes_list)
        self.changes_box.setVisible(False)
        self.body.addWidget(self.changes_box)
        # Whether the new secret passed, and where it went.
        self.rotation = Callout("ok")
        self.rotation.setVisible(False)
        self.body.addWidget(self.rotation)

        self.mismatch = Callout("warning")
        self.body.addWidget(self.mismatch)
        # Shown once there is something in it: after a change of situation in the demo the
        # result is dropped, and an empty list under "Not tested yet." says nothing.
        self.checklist_title = heading(text.TEST_CHECKLIST_TITLE)
        self.body.addWidget(self.checklist_title)
        self.checklist = Checklist()
        self.checklist.setAccessibleName(text.TEST_CHECKLIST_NAME)
        self.body.addWidget(self.checklist)
        self.findings_title = heading(text.TEST_FINDINGS_TITLE)
        self.body.addWidget(self.findings_title)
        self.findings_box = QWidget()
        self.findings_layout = QVBoxLayout(self.findings_box)
        self.findings_layout.setContentsMargins(0, 0, 0, 0)
        self.findings_layout.setSpacing(10)
        self.body.addWidget(self.findings_box)
        self.fixed_note = WrapLabel(text.TEST_FIXED_NOTE)
        self.body.addWidget(self.fixed_note)
        self.findings_title.setVisible(False)
        self.fixed_note.setVisible(False)
        self.body.addStretch(1)
        self.finding_views: list[FindingView] = []

        self.again_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.copy_button.clicked.connect(self._copy_report)
        self.save_report_button.clicked.connect(self.start_save_report)
        self.copy_summary_button.clicked.connect(self.copy_summary)

    # ----- running -----

    def entered(self) -> None:
        self.start()

    def start(self) -> None:
        """Run a new test (a new token every time); a test still running is cancelled first."""
        if self.flow.state.address is None:
            return
        self._status = RUNNING
        self.checklist.clear()
        self._say("")
        self.rotation.show_message("ok", "")
        if self.flow.state.report is not None:
            self.flow.update(report=None)
        self.tasks.start(self.run_test())

    def cancel(self) -> None:
        if self.tasks.cancel():
            self._status = CANCELLED
            self.checklist.stop_running()
            self.changed()

    def request(self) -> CheckRequest:
        state = self.flow.state
        assert state.address is not None
        diagnosis = state.diagnosis if state.diagnosing else None
        # A diagnosed connection that signs with a key gives its key as the other paths do.
        key = state.uses_assertion
        return CheckRequest(
            host=state.address.url,
            client_id=state.client_id_text,
            client_secret="" if key else state.secret_text,
            scopes=state.scopes,
            tenant=state.tenant_override.strip() or None,
            # Pasted values may name the authorisation server; a saved connection knows
            # its token address, asked at once while discovery confirms it.
            auth_url=diagnosis.auth_url if diagnosis is not None else None,
            ca_bundle=self.context.ca_bundle,
            timeout=self.context.timeout,
            routes=self.context.routes,
            known_token_url=diagnosis.token_url if diagnosis is not None else None,
            # The tool being connected: what it needs is judged too.
            tool=state.tool,
            # JWT Assertion (Services): a new assertion signed with the key for each token.
            private_key=state.private_key if key else None,
            assertion_audience=state.assertion_audience if key else None,
            assertion_issuer=state.assertion_issuer if key else None,
        )

    async def run_test(self) -> None:
        generation = self.tasks.generation

        def progress(step: Step) -> None:
            # A cancelled test may still report a step on its way out; it is not shown.
            if generation == self.tasks.generation:
                self.checklist.show_step(step)

        report = await self.context.services.run_check(self.request(), progress=progress)
        if generation != self.tasks.generation:
            return
        self._status = DONE
        self.flow.update(report=report)
        await self.keep_new_secret(report)

    # ----- a new secret (support mode) -----

    async def keep_new_secret(self, report: CheckReport) -> None:
        """After a test with a new secret: replace the old one in the keychain once Halo
        accepted the new one (it issued a token); otherwise the old one stays."""
        state = self.flow.state
        diagnosis = state.diagnosis
        if not state.diagnosing or diagnosis is None or not state.rotate_secret:
            return
        if not diagnosis.secret_kept:
            return
        keychain = self.context.keychain
        name = keychain.name or text.KEYCHAIN_FALLBACK_NAME
        in_keychain = diagnosis.secret_from is SecretFrom.KEYCHAIN
        verdict = step_verdict(state, StepKey.CREDENTIALS)
        if verdict is StepVerdict.PROBLEM:
            message = text.ROTATE_FAILED if in_keychain else text.ROTATE_FILE_FAILED
            self.rotation.show_message("error", message.format(keychain=name))
            return
        if verdict is not StepVerdict.VERIFIED:
            message = text.ROTATE_NOT_TRIED if in_keychain else text.ROTATE_FILE_NOT_TRIED
            self.rotation.show_message("warning", message.format(keychain=name))
            return
        if not in_keychain:
            self.rotation.show_message("ok", text.ROTATE_FILE_PASSED)
            return
        self.rotation.show_message("running", text.ROTATE_STORING.format(keychain=name))
        secret = state.secret
        account = diagnosis.secret_account
        if account is None:
            from wizard.core.secrets import account_for

            account = account_for(diagnosis.host, diagnosis.client_id)
        try:
            # The entry the connection names: its file stays as it is (wizard/tasks/rotate.py).
            await keychain.put(account, secret)
        except BlockingTimeout:
            reason = text.CRED_KEYCHAIN_TIMEOUT.format(seconds=f"{keychain.timeout:g}")
            self.rotation.show_message(
                "error", text.ROTATE_STORE_FAILED.format(keychain=name, reason=reason)
            )
            return
        except Exception as exc:  # KeychainError says plainly what happened
            self.rotation.show_message(
                "error", text.ROTATE_STORE_FAILED.format(keychain=name, reason=exc)
            )
            return
        # The keychain now holds the new secret: it is the one the connection keeps.
        self.flow.update(kept_secret=state.secret_text)
        self.rotation.show_message("ok", text.ROTATE_REPLACED.format(keychain=name))

    # ----- showing -----

    def load(self) -> None:
        report = self.flow.state.report
        if report is not None and not self.busy:
            self._status = DONE
            if not self.checklist.step_keys():
                for step in report.steps:
                    self.checklist.show_step(step)
        super().load()

    def refresh(self) -> None:
        state = self.flow.state
        report = state.report
        running = self.busy
        if running:
            self.summary.show_status("running", text.TEST_RUNNING)
        elif self._status == CANCELLED:
            self.summary.show_status("warning", text.TEST_CANCELLED)
        elif report is not None:
            self.summary.show_status(*verdict(report, 1 if state.identity_mismatch else 0))
        else:
            self.summary.show_status("none", text.TEST_NOT_RUN)
        self.again_button.setEnabled(not running)
        self.copy_button.setVisible(report is not None and not running)
        support = state.diagnosing and report is not None and not running
        self.save_report_button.setVisible(support)
        self.copy_summary_button.setVisible(support)
        self.save_report_button.setEnabled(not self.report_task.busy)
        self._show_changes(None if running else what_changed(state))
        if not running and self.cancel_button.hasFocus():
            # Hiding the focused Cancel would pass the focus on to Back, where Return
            # would then go back; Test again is where the keyboard user was.
            self.again_button.setFocus()
        self.busy_bar.setVisible(running)
        self.cancel_button.setVisible(running)
        listed = running or report is not None or bool(self.checklist.step_keys())
        self.checklist_title.setVisible(listed)
        self.checklist.setVisible(listed)

        mismatch = state.identity_mismatch
        if mismatch is not None and state.diagnosing and state.identity is not None:
            # No page of this path chose the identity: the connection was set up so.
            self.mismatch.show_message(
                "warning",
                text.TEST_MISMATCH_DIAGNOSE.format(
                    chosen=text.IDENTITY_WORDS[state.identity.value],
                    seen=text.IDENTITY_WORDS.get(mismatch, mismatch),
                ),
            )
        elif mismatch == "agent":
            self.mismatch.show_message("warning", text.TEST_MISMATCH_AGENT)
        elif mismatch == "application":
            self.mismatch.show_message("warning", text.TEST_MISMATCH_APPLICATION)
        else:
            self.mismatch.show_message("warning", "")
        self._show_findings(None if running else report)

    def _show_findings(self, report: CheckReport | None) -> None:
        if report is self._shown_report:
            return
        self._shown_report = report
        for view in self.finding_views:
            self.findings_layout.removeWidget(view)
            view.deleteLater()
        self.finding_views = []
        has_findings = report is not None and bool(report.findings)
        self.findings_title.setVisible(has_findings)
        self.fixed_note.setVisible(report is not None and not report.ok)
        if report is None:
            return
        for finding in by_severity(report.findings):
            view = self.finding_view(finding)
            self.findings_layout.addWidget(view)
            self.finding_views.append(view)

    def _show_changes(self, found: list[Change] | None) -> None:
        state = self.flow.state
        diagnosis = state.diagnosis
        if found is None or diagnosis is None or state.report is None:
            self.changes_box.setVisible(False)
            return
        when = diagnosis.last_tested_at
        if diagnosis.last_result is None:
            title, lines = text.TEST_CHANGES_TITLE_UNDATED, [text.TEST_CHANGES_NEVER]
        else:
            title = (
                text.TEST_CHANGES_TITLE.format(when=local_time(when))
                if when
                else text.TEST_CHANGES_TITLE_UNDATED
            )
            lines = [
                text.TEST_CHANGE_LINE.format(change=change_line(change, state.report, diagnosis))
                for change in found
            ] or [text.TEST_CHANGES_NONE]
        self.changes_title.setText(title)
        self.changes_list.setText("\n".join(lines))
        self.changes_box.setAccessibleDescription("\n".join(lines))
        self.changes_box.setVisible(True)

    # ----- the support report and summary -----

    def report_data(self, doctor: Mapping[str, Any]) -> dict[str, Any]:
        """The support report's facts (htmlreport.report_data), the secrets taken out."""
        from wizard.core import htmlreport

        state = self.flow.state
        report = state.report
        diagnosis = state.diagnosis
        assert report is not None and diagnosis is not None
        found = what_changed(state) or []
        checked = report.to_dict(Front.WINDOW)
        # Where the secret the test used came from, as the command line's JSON says it.
        if state.uses_assertion:
            used = SecretFrom.NONE
        elif state.rotate_secret or not diagnosis.secret_kept:
            used = SecretFrom.TYPED
        else:
            used = diagnosis.secret_from  # the keychain entry, or the connection file
        checked["secret_from"] = used.value
        return htmlreport.report_data(
            checked,
            doctor=doctor,
            changes=[change.to_dict() for change in found],
            last_tested_at=diagnosis.last_tested_at,
            source=diagnosis.source_words(),
            secrets=(state.secret_text, state.kept_secret),
            extra_warnings=[text.MISMATCH_WARNING_NAME] if state.identity_mismatch else [],
        )

    def start_save_report(self) -> None:
        self.report_task.start(self.save_report())
        self.refresh()

    async def save_report(self) -> None:
        """Ask where, then write the support report there: one web page, no secret."""
        import functools

        from wizard.core import doctor
        from wizard.core.connection_file import ExportError
        from wizard.tasks.report import write_report
        from wizard.tasks.save import SaveRefused

        state = self.flow.state
        diagnosis = state.diagnosis
        if state.report is None or diagnosis is None:
            return
        question = FileQuestion(
            title=text.REPORT_DIALOG_TITLE,
            folder=self._report_folder(diagnosis),
            name_filter=text.REPORT_DIALOG_FILTER,
            save=True,
            suggested=report_file_name(state.tenant, state.report.host),
            default_suffix="html",
        )
        try:
            path = await self.context.services.choose_file(self, question)
            if not path:
                return
            path = os.path.abspath(os.path.expanduser(path))
            self._say(text.REPORT_WRITING)
            facts = await run_blocking(
                lambda: doctor.collect(qt_versions=qt_versions(), try_keychain=False),
                timeout=FILE_TIMEOUT,
            )
            data = self.report_data(facts)
            # Never over the connection being diagnosed or its key (the dialog asked about
            # replacing any other file already).
            reading = [p for p in (_diagnosed_file(diagnosis), diagnosis.key_file) if p]
            write = functools.partial(write_report, path, data, reading=reading, force=True)
            await run_blocking(write, timeout=FILE_TIMEOUT)
        except BlockingTimeout:
            reason = text.REPORT_TIMEOUT.format(seconds=f"{FILE_TIMEOUT:g}")
            self._say(text.REPORT_NOT_WRITTEN.format(reason=reason))
        except SaveRefused as refused:
            self._say(text.REPORT_NOT_OVER_INPUT.format(path=refused.path))
        except ExportError as exc:
            self._say(text.REPORT_NOT_WRITTEN.format(reason=exc))
        else:
            self._say(text.REPORT_WRITTEN.format(path=path))
        finally:
            self.refresh()

    def _report_folder(self, diagnosis: Diagnosis) -> str:
        if diagnosis.source is Source.FILE and diagnosis.where:
            return os.path.dirname(diagnosis.where)
        return self.context.save_folder

    def copy_summary(self) -> None:
        """A few plain lines for a ticket: the verdict, each problem, what changed."""
        from wizard.core import htmlreport

        if self.flow.state.report is None or self.flow.state.diagnosis is None:
            return
        # The summary names no fact of this computer: those are only in the report.
        copy_to_clipboard(htmlreport.summary_text(self.report_data({})))
        self._say(text.SUMMARY_COPIED)

    def open_url(self, url: str) -> None:
        if not self.context.services.open_url(url):
            self._say(text.OPEN_URL_FAILED.format(url=url))

    def _copy_report(self) -> None:
        report = self.flow.state.report
        if report is not None:
            copy_to_clipboard(render(report, colour=False, unicode=True, front=Front.WINDOW))
            self._say(text.COPIED)

    def _say(self, message: str) -> None:
        self.copied.setText(message)
        self.copied.setVisible(bool(message))

    def leave(self) -> None:
        super().leave()
        self.report_task.cancel()

    def blocked_reason(self) -> str | None:
        return text.TEST_BLOCKED_BUSY if self.busy else text.TEST_BLOCKED


def qt_versions() -> tuple[str | None, str | None, str | None]:
    """(Qt's version, PySide6's, why unknown) for the report's facts about this computer."""
    import PySide6
    from PySide6 import QtCore

    return QtCore.qVersion(), PySide6.__version__, None


def report_file_name(tenant: str | None, host_url: str | None) -> str:
    """halo-report-<tenant or host>.html, safe as a file name on every system."""
    name = tenant or re.sub(r"^[a-z]+://", "", host_url or "") or "halo"
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.").lower() or "halo"
    return text.REPORT_FILE_NAME.format(name=safe)


def _label(code: str, scope: str | None) -> str:
    # As wizard.core.diagnose names a finding in a change.
    return f"{code} ({scope})" if scope else code


def _title(code: str, scope: str | None, severity: str) -> str | None:
    try:
        return Finding(code, Severity(severity), scope).title
    except (KeyError, ValueError):
        return None  # a code this version does not know (a newer wizard wrote the file)


def change_line(change: Change, report: CheckReport, diagnosis: Diagnosis) -> str:
    """A change as the page shows it: "read:tickets: records seen → refused"; a finding
    that appeared or went away by its title, as the findings below name it."""
    if change.what == "new finding" and change.now:
        for finding in report.findings:
            if _label(finding.code, finding.scope) == change.now:
                return text.TEST_CHANGE_NEW_FINDING.format(title=finding.title)
    if change.what == "finding gone" and change.before and diagnosis.last_result is not None:
        for recorded in diagnosis.last_result.findings:
            if _label(recorded.code, recorded.scope) == change.before:
                title = _title(recorded.code, recorded.scope, str(recorded.severity))
                if title is not None:
                    return text.TEST_CHANGE_GONE_FINDING.format(title=title)
    return change.sentence()


def _diagnosed_file(diagnosis: Diagnosis) -> str | None:
    """The connection file being diagnosed, when it came from one (a profile's too)."""
    if diagnosis.source is Source.FILE and diagnosis.where:
        return diagnosis.where
    if diagnosis.source is Source.PROFILE and diagnosis.where:
        from wizard.core import profiles

        return str(profiles.path_of(diagnosis.where))
    return None
