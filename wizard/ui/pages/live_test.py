"""Step 8: the live test, a checklist filling in as it runs, then every finding with its fix."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from wizard.core import CheckReport, CheckRequest, Step
from wizard.core.findings import by_severity
from wizard.core.textreport import render, result_sentence
from wizard.flow import StepKey
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
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
        self.copied = WrapLabel()
        self.copied.setVisible(False)
        self.top.addWidget(self.copied)

        self.mismatch = Callout("warning")
        self.body.addWidget(self.mismatch)
        self.body.addWidget(heading(text.TEST_CHECKLIST_TITLE))
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
        return CheckRequest(
            host=state.address.url,
            client_id=state.client_id_text,
            client_secret=state.secret_text,
            scopes=state.scopes,
            tenant=state.tenant_override.strip() or None,
            ca_bundle=self.context.ca_bundle,
            timeout=self.context.timeout,
            routes=self.context.routes,
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
        if not running and self.cancel_button.hasFocus():
            # Hiding the focused Cancel would pass the focus on to Back, where Return
            # would then go back; Test again is where the keyboard user was.
            self.again_button.setFocus()
        self.busy_bar.setVisible(running)
        self.cancel_button.setVisible(running)

        mismatch = state.identity_mismatch
        if mismatch == "agent":
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

    def open_url(self, url: str) -> None:
        if not self.context.services.open_url(url):
            self._say(text.OPEN_URL_FAILED.format(url=url))

    def _copy_report(self) -> None:
        report = self.flow.state.report
        if report is not None:
            copy_to_clipboard(render(report, colour=False, unicode=True))
            self._say(text.COPIED)

    def _say(self, message: str) -> None:
        self.copied.setText(message)
        self.copied.setVisible(bool(message))

    def blocked_reason(self) -> str | None:
        return text.TEST_BLOCKED_BUSY if self.busy else text.TEST_BLOCKED
