"""Step 2: how to create the API application in Halo, in the order that avoids the mistakes."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from wizard.core.product import APPLICATIONS_PAGE, product_names
from wizard.flow import StepKey, WizardState
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import HostFieldPage
from wizard.ui.widgets import Callout, NumberedSteps, WrapLabel


def api_menu_words(product_hint: str | None) -> str:
    """The menu's name in Halo ("HaloPSA API") as rich text, or each product's if not known."""
    if product_hint and product_hint != "Halo":
        return text.API_MENU_KNOWN.format(menu=html.escape(product_names(None, product_hint)[1]))
    return text.API_MENU_ANY


def api_menu_for(state: WizardState) -> str:
    """The API menu's name for what is known so far: the instance's own answer, else the domain."""
    discovery = state.discovery
    if discovery is not None and discovery.product:
        return api_menu_words(product_names(discovery.product, None)[0])
    address = state.address
    return api_menu_words(address.product_hint if address else None)


def applications_page(host_url: str) -> str:
    return host_url + APPLICATIONS_PAGE


class CreateAppPage(HostFieldPage):
    key = StepKey.CREATE_APP

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.CREATE_TITLE)
        self.setSubTitle(text.CREATE_SUBTITLE)
        self.steps = NumberedSteps(rich=True)
        self.steps.setAccessibleName(text.CREATE_STEPS_NAME)
        self.body.addWidget(self.steps)

        self.body.addWidget(
            Callout.titled("warning", text.CREATE_ORDER_TITLE + ".", text.CREATE_ORDER)
        )

        group = QGroupBox(text.CREATE_OPEN_GROUP)
        box = QVBoxLayout(group)
        box.addWidget(WrapLabel(text.CREATE_OPEN_HINT))
        grid = QGridLayout()
        label = QLabel(text.CREATE_ADDRESS_LABEL)
        self.address = QLineEdit()
        self.address.setPlaceholderText(text.CREATE_ADDRESS_PLACEHOLDER)
        self.address.setAccessibleName(text.CREATE_ADDRESS_NAME)
        self.address.setClearButtonEnabled(True)
        label.setBuddy(self.address)
        self.open_button = QPushButton(text.CREATE_OPEN_BUTTON)
        self.open_button.setAccessibleName(text.CREATE_OPEN_BUTTON.replace("&", ""))
        self.open_button.setAutoDefault(False)
        grid.addWidget(label, 0, 0)
        grid.addWidget(self.address, 0, 1)
        grid.setColumnStretch(1, 1)
        box.addLayout(grid)
        row = QHBoxLayout()
        self.will_open = WrapLabel(selectable=True)
        row.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.will_open, 1)
        box.addLayout(row)
        self.body.addWidget(group)
        self.body.addStretch(1)

        self.address.textEdited.connect(self.apply)
        self.open_button.clicked.connect(self._open)

    def refresh(self) -> None:
        address = self.flow.state.address
        menu = api_menu_for(self.flow.state)
        steps = [step.format(api_menu=menu) for step in text.CREATE_STEPS]
        if steps != self.steps.texts():
            self.steps.set_items(steps)
        self.open_button.setEnabled(address is not None)
        self.will_open.setText(
            text.CREATE_OPEN_WILL.format(url=applications_page(address.url)) if address else ""
        )

    def _open(self) -> None:
        address = self.flow.state.address
        if address is not None:
            url = applications_page(address.url)
            if not self.context.services.open_url(url):
                self.will_open.setText(text.OPEN_URL_FAILED.format(url=url))
