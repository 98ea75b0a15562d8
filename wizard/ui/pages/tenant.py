"""Step 6: find the instance (product, version, tenant, auth server) without credentials."""

from __future__ import annotations

import asyncio

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wizard.core import CheckReport
from wizard.core.findings import by_severity
from wizard.flow import StepKey
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import FlowPage
from wizard.ui.pages.focus import show_focus, show_focus_on_entry
from wizard.ui.widgets import BusyBar, Callout, FindingView, SummaryLine, WrapLabel, push_button

IDLE, SEARCHING, CANCELLED = "idle", "searching", "cancelled"


class TenantPage(FlowPage):
    key = StepKey.TENANT

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.TENANT_TITLE)
        self.setSubTitle(text.TENANT_SUBTITLE)
        self._status = IDLE
        self._shown_report: CheckReport | None = None

        status = QHBoxLayout()
        status.setSpacing(10)
        self.summary = SummaryLine()
        self.busy_bar = BusyBar(text.TENANT_SEARCHING_NAME)
        self.busy_bar.setMaximumWidth(self.fontMetrics().averageCharWidth() * 16)
        self.cancel_button = push_button(text.TENANT_CANCEL, text.TENANT_CANCEL_NAME)
        self.again_button = push_button(text.TENANT_TRY_AGAIN, text.TENANT_TRY_AGAIN_NAME)
        status.addWidget(self.summary, 1)
        status.addWidget(self.busy_bar)
        status.addWidget(self.cancel_button)
        status.addWidget(self.again_button)
        self.body.addLayout(status)

        self.facts = QGroupBox()
        self.facts.setAccessibleName(text.TENANT_FACTS_NAME)
        form = QFormLayout(self.facts)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fact_labels: dict[str, QLabel] = {}
        for key, title in (
            ("product", text.FACT_PRODUCT),
            ("version", text.FACT_VERSION),
            ("tenant", text.FACT_TENANT),
            ("auth", text.FACT_AUTH),
            ("address", text.FACT_ADDRESS),
        ):
            value = WrapLabel(selectable=True)
            value.setAccessibleName(title.rstrip(":"))
            form.addRow(title, value)
            self.fact_labels[key] = value
        self.body.addWidget(self.facts)

        self.finding_views: list[FindingView] = []
        self.findings_box = QWidget()
        self.findings_layout = QVBoxLayout(self.findings_box)
        self.findings_layout.setContentsMargins(0, 0, 0, 0)
        self.findings_layout.setSpacing(8)
        self.body.addWidget(self.findings_box)

        self.advanced = QCheckBox(text.TENANT_ADVANCED)
        self.advanced.setAccessibleName(text.TENANT_ADVANCED_NAME)
        self.body.addWidget(self.advanced)
        self.override_box = QWidget()
        override = QVBoxLayout(self.override_box)
        override.setContentsMargins(self.advanced.sizeHint().height(), 0, 0, 0)
        row = QHBoxLayout()
        label = QLabel(text.TENANT_OVERRIDE_LABEL)
        self.override = QLineEdit()
        self.override.setAccessibleName(text.TENANT_OVERRIDE_NAME)
        label.setBuddy(self.override)
        row.addWidget(label)
        row.addWidget(self.override, 1)
        override.addLayout(row)
        override.addWidget(WrapLabel(text.TENANT_OVERRIDE_HINT))
        self.differs = Callout("warning")
        override.addWidget(self.differs)
        self.body.addWidget(self.override_box)
        self.body.addStretch(1)

        self.cancel_button.clicked.connect(self.cancel)
        self.again_button.clicked.connect(self.start)
        self.advanced.toggled.connect(self._advanced_toggled)
        self.override.textEdited.connect(self.apply)

    # ----- detection -----

    def entered(self) -> None:
        discovery = self.flow.state.discovery
        if discovery is None or not discovery.ok:
            self.start()
        show_focus_on_entry(self)

    def start(self) -> None:
        if self.flow.state.address is None:
            return
        self._status = SEARCHING
        self.tasks.start(self.discover())

    def cancel(self) -> None:
        if self.tasks.cancel():
            self._status = CANCELLED
            self.changed()

    async def discover(self) -> None:
        """Ask the instance about itself; the report goes to the flow."""
        address = self.flow.state.address
        if address is None:
            return
        try:
            report = await self.context.services.run_discovery(
                address.url,
                ca_bundle=self.context.ca_bundle,
                timeout=self.context.timeout,
                routes=self.context.routes,
            )
        except asyncio.CancelledError:
            raise
        self._status = IDLE
        if self.flow.state.address == address:
            self.flow.update(discovery=report)

    # ----- widgets -----

    def _advanced_toggled(self, _checked: bool) -> None:
        self.apply()
        self.refresh()

    def load(self) -> None:
        value = self.flow.state.tenant_override
        if value:
            self.override.setText(value)
        self.advanced.blockSignals(True)
        self.advanced.setChecked(bool(value.strip()) or self.advanced.isChecked())
        self.advanced.blockSignals(False)
        super().load()

    def apply(self) -> None:
        value = self.override.text() if self.advanced.isChecked() else ""
        if value != self.flow.state.tenant_override:
            self.flow.update(tenant_override=value)

    def refresh(self) -> None:
        state = self.flow.state
        report = state.discovery
        searching = self.busy
        address = state.address
        host = address.url if address else ""
        if searching:
            self.summary.show_status("running", text.TENANT_SEARCHING.format(host=host))
        elif self._status == CANCELLED and report is None:
            self.summary.show_status("warning", text.TENANT_CANCELLED)
        elif report is None:
            self.summary.show_status("none", "")
        elif report.ok:
            self.summary.show_status("ok", text.TENANT_FOUND)
        else:
            self.summary.show_status("error", text.TENANT_FAILED.format(host=host))
        failed = report is None or not report.ok
        found = not searching and not failed
        self.again_button.setVisible(not searching and failed)
        # The override only makes sense next to what the instance reported.
        self.advanced.setVisible(found or bool(state.tenant_override.strip()))
        self.override_box.setVisible(self.advanced.isChecked() and self.advanced.isVisible())
        if not searching and self.cancel_button.hasFocus():
            # Not on to Back, where Return would go back: to what comes next here, with its
            # frame, as the focus was where the keyboard was.
            show_focus(self.again_button if failed else self.advanced)
        self.busy_bar.setVisible(searching)
        self.cancel_button.setVisible(searching)

        self.facts.setVisible(found)
        if found and report is not None:
            product = report.product or text.FACT_UNKNOWN
            self.fact_labels["product"].setText(product)
            self.fact_labels["version"].setText(report.version or text.FACT_UNKNOWN)
            self.fact_labels["tenant"].setText(report.tenant or text.TENANT_NONE)
            self.fact_labels["auth"].setText(report.auth_url or text.FACT_UNKNOWN)
            self.fact_labels["address"].setText(report.host or host)
        self._show_findings(None if searching else report)

        # The tenant as the test uses it: what was typed, without invisible characters.
        given = state.tenant or ""
        if state.tenant_differs and report is not None:
            message = (
                text.TENANT_DIFFERS.format(reported=report.tenant, given=given)
                if report.tenant
                else text.TENANT_DIFFERS_ONPREM.format(given=given)
            )
            self.differs.show_message("warning", message)
        else:
            self.differs.show_message("warning", "")

    def _show_findings(self, report: CheckReport | None) -> None:
        if report is self._shown_report:
            return
        self._shown_report = report
        while self.findings_layout.count():
            item = self.findings_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.finding_views = []
        if report is None:
            return
        for finding in by_severity(report.findings):
            view = self.finding_view(finding)
            self.findings_layout.addWidget(view)
            self.finding_views.append(view)

    def blocked_reason(self) -> str | None:
        if self.busy:
            return text.TENANT_BLOCKED_BUSY
        report = self.flow.state.discovery
        if report is None and self._status == CANCELLED:
            return text.TENANT_BLOCKED_CANCELLED
        if report is not None and not report.ok:
            return text.TENANT_BLOCKED_FAILED
        return None
