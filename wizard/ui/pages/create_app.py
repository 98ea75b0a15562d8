"""Step 3: how to create the API application in Halo, in the order that avoids the mistakes;
and, for the JWT Assertion (Services) method, the key pair whose public key Halo holds."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from wizard.core.product import APPLICATIONS_PAGE, product_names
from wizard.flow import AuthMethod, StepKey, WizardState
from wizard.flow.tools import tool_recipe
from wizard.ui import text
from wizard.ui.context import UiContext
from wizard.ui.pages.base import HostFieldPage
from wizard.ui.pages.focus import show_focus_on_entry
from wizard.ui.pages.key_file import MethodChoice
from wizard.ui.tasks import BlockingTimeout, run_blocking
from wizard.ui.widgets import (
    Callout,
    NumberedSteps,
    WrapLabel,
    copy_to_clipboard,
    push_button,
)

# Making a 3072-bit RSA key takes a moment, more on a slow computer; never this long.
KEY_TIMEOUT = 120.0


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


def example_name(state: WizardState) -> str | None:
    """An example name for the application and its agent in Halo, after the chosen tool
    ("Rewst API"); None when the tool's name is not known."""
    chosen = tool_recipe(state)
    return chosen.example_name if chosen is not None else None


def applications_page(host_url: str) -> str:
    return host_url + APPLICATIONS_PAGE


class CreateAppPage(HostFieldPage):
    key = StepKey.CREATE_APP

    def __init__(self, context: UiContext) -> None:
        super().__init__(context)
        self.setTitle(text.CREATE_TITLE)
        self.setSubTitle(text.CREATE_SUBTITLE)
        self.body.addWidget(self._method_box())
        self.steps = NumberedSteps(rich=True)
        self.steps.setAccessibleName(text.CREATE_STEPS_NAME)
        self.body.addWidget(self.steps)
        self.body.addWidget(self._key_box())

        self.order = Callout("warning", rich=True)
        self.body.addWidget(self.order)

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
        self.method_group.buttonToggled.connect(self._method_toggled)
        self.copy_key_button.clicked.connect(self._copy_public_key)

    # ----- the authentication method and its key pair -----

    def _method_box(self) -> MethodChoice:
        self.method = MethodChoice(
            text.CREATE_METHOD_TITLE,
            (text.CREATE_METHOD_SECRET, text.CREATE_METHOD_SECRET_TEXT),
            (text.CREATE_METHOD_KEY, text.CREATE_METHOD_KEY_TEXT),
        )
        self.method_group = self.method.group
        self.secret_method = self.method.secret_button
        self.key_method = self.method.key_button
        self.key_not_for = self.method.key_not_for
        return self.method

    def _key_box(self) -> QGroupBox:
        self.key_box = QGroupBox(text.CREATE_KEY_TITLE)
        layout = QVBoxLayout(self.key_box)
        self.key_status = Callout("running")
        layout.addWidget(self.key_status)
        self.key_where = WrapLabel(rich=True)
        layout.addWidget(self.key_where)
        self.public_key = WrapLabel(selectable=True)
        self.public_key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.public_key.setAccessibleName(text.CREATE_KEY_NAME)
        layout.addWidget(self.public_key)
        row = QHBoxLayout()
        self.copy_key_button = push_button(text.CREATE_KEY_COPY, text.CREATE_KEY_COPY_NAME)
        row.addWidget(self.copy_key_button)
        self.demo_key_button: QPushButton | None = None
        if self.context.demo is not None:
            self.demo_key_button = push_button(text.DEMO_REGISTER_KEY)
            self.demo_key_button.clicked.connect(self._register_in_demo)
            row.addWidget(self.demo_key_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.key_copied = WrapLabel()
        self.key_copied.setVisible(False)
        layout.addWidget(self.key_copied)
        self.key_private = WrapLabel(text.CREATE_KEY_PRIVATE)
        layout.addWidget(self.key_private)
        self.key_box.setVisible(False)
        return self.key_box

    def entered(self) -> None:
        show_focus_on_entry(self)

    def _method_toggled(self, button: QRadioButton, checked: bool) -> None:
        if checked:
            self.apply()

    def apply(self) -> None:
        super().apply()
        method = self.method.chosen()
        if method is None:
            return
        if method is not self.flow.state.auth_method:
            self.flow.update(auth_method=method)
        if method is AuthMethod.ASSERTION and self.flow.state.private_key is None:
            self.start_key()

    def load(self) -> None:
        self.method.show_chosen(self.flow.state)
        super().load()

    def start_key(self) -> None:
        """Make the key pair off the GUI thread; the page is busy (Next waits) until then."""
        if not self.busy:
            self.key_copied.setVisible(False)
            self.key_status.show_message("running", text.CREATE_KEY_MAKING)
            self.tasks.start(self.make_key())

    async def make_key(self) -> None:
        from wizard.core import assertion

        try:
            key = await run_blocking(assertion.generate_key_pair, timeout=KEY_TIMEOUT)
        except BlockingTimeout:
            seconds = f"{KEY_TIMEOUT:g}"
            self.key_status.show_message("error", text.CREATE_KEY_TIMEOUT.format(seconds=seconds))
            return
        # A new pair: a key file written for an older one no longer matches.
        self.flow.update(private_key=key, public_key_pem=assertion.public_pem(key), key_file=None)
        self.key_status.show_message("ok", "")

    def _copy_public_key(self) -> None:
        pem = self.flow.state.public_key_pem
        if pem:
            copy_to_clipboard(pem)
            self.key_copied.setText(text.CREATE_KEY_COPIED)
            self.key_copied.setVisible(True)

    def _register_in_demo(self) -> None:
        demo = self.context.demo
        pem = self.flow.state.public_key_pem
        if demo is not None and pem:
            demo.register_public_key(pem)
            self.key_copied.setText(text.DEMO_KEY_REGISTERED)
            self.key_copied.setVisible(True)

    def blocked_reason(self) -> str | None:
        if self.busy:
            return text.CREATE_BLOCKED_KEY
        return text.CREATE_BLOCKED_NO_KEY

    # ----- showing -----

    def refresh(self) -> None:
        state = self.flow.state
        address = state.address
        menu = api_menu_for(state)
        key = state.uses_assertion
        chosen = text.CREATE_STEPS_KEY if key else text.CREATE_STEPS
        example = html.escape(example_name(state) or text.CREATE_EXAMPLE_ANY)
        steps = [step.format(api_menu=menu, example=example) for step in chosen]
        if steps != self.steps.texts():
            self.steps.set_items(steps)
        order = text.CREATE_ORDER_KEY if key else text.CREATE_ORDER
        self.order.label.setText(f"<b>{html.escape(text.CREATE_ORDER_TITLE)}.</b> {order}")
        self.order.label.setAccessibleName(f"{text.CREATE_ORDER_TITLE}. {order}")
        self._show_method()
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

    def _show_method(self) -> None:
        state = self.flow.state
        self.method.show_possible(state)
        key = state.uses_assertion
        self.key_box.setVisible(key)
        pem = state.public_key_pem
        self.key_where.setText(text.CREATE_KEY_WHERE.format(api_menu=api_menu_for(state)))
        self.key_where.setVisible(bool(pem))
        self.public_key.setText(pem.strip())
        self.public_key.setVisible(bool(pem))
        self.copy_key_button.setEnabled(bool(pem))
        if self.demo_key_button is not None:
            self.demo_key_button.setEnabled(bool(pem))
        self.key_private.setVisible(bool(pem))
        if pem or not key:
            # Making the pair, or why it could not be made, is said by make_key.
            self.key_status.show_message("ok", "")
