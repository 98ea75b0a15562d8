"""The wizard speaks an admin's words: no developer jargon on screen, codes only in captions.

The demo is walked through every page, with entries an admin gets wrong, and its live test
is run in every simulated situation; whatever each page shows is read as an admin reads it
(labels, buttons, group titles, chosen items) and checked for words that help a developer,
not an admin. A finding's code stays, in the small grey caption beside its title, and in
"Copy the report".
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from tests.conftest import HaloFactory
from tests.ui.conftest import FakeKeychain, FileDialogs, WizardFactory
from tests.ui.driver import QT_LOG_MARKS, click, click_next, page, shot, wait_idle
from tests.ui.test_keychain import to_export
from tests.ui.test_paths import save_file
from wizard.core import messages, secrets
from wizard.core.findings import ALL_CODES
from wizard.flow import StepKey
from wizard.sim import SCENARIOS
from wizard.ui import text
from wizard.ui.app import demo_state
from wizard.ui.demo import DemoSession
from wizard.ui.widgets import WrapLabel
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS

# Words for developers. Each pattern is searched in what a widget shows.
JARGON = {
    "GUID": re.compile(r"\bGUIDs?\b"),
    "stdin": re.compile(r"\bstdin\b", re.IGNORECASE),
    "traceback": re.compile(r"\btraceback\b", re.IGNORECASE),
    # Python's and JSON's words for "nothing" leaking into a sentence ("Tenant: None").
    "None": re.compile(r"\bNone\b"),
    "null": re.compile(r"\bnull\b"),
    "exception": re.compile(r"\bexceptions?\b", re.IGNORECASE),
}
# Upper snake case, as finding codes are spelt (TOKEN_INVALID_CLIENT).
SNAKE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")
# Environment variables for scripts are spelt so on purpose, where scripts are the subject.
ENVIRONMENT = re.compile(r"^HALO_[A-Z_]+$")


def jargon_in(value: str) -> list[str]:
    """The developer words in `value`, as an admin would read it."""
    found = [name for name, pattern in JARGON.items() if pattern.search(value)]
    # "Secret Service" is said only where it names the Linux desktop's keyring.
    if "Secret Service" in value and "keyring" not in value.lower():
        found.append("Secret Service")
    for word in SNAKE.findall(value):
        if word in ALL_CODES or not ENVIRONMENT.match(word):
            found.append(word)
    return found


@pytest.mark.parametrize(
    "value",
    [
        "Tenant: None",
        "The value is null.",
        "The Client ID is a GUID.",
        "Send it with --client-secret-stdin.",
        "Traceback (most recent call last):",
        "An exception was raised.",
        "Kept in Secret Service, where your tool can read it.",
        "Halo refused the token (TOKEN_INVALID_CLIENT).",
        "INVALID_CLIENT",
    ],
)
def test_the_check_sees_each_developer_word(value: str) -> None:
    assert jargon_in(value), value


@pytest.mark.parametrize(
    "value",
    [
        "Kept in your desktop's keyring (Secret Service), where your tool can read it.",
        "No Secret Service is running (install GNOME Keyring or KWallet).",
        "Copied the commands that set HALO_HOST, HALO_CLIENT_ID and the other settings.",
        "Halo refused it (HTTP 401).",
        "Tenant: none (on-premise Halo)",
    ],
)
def test_the_check_lets_an_admins_words_through(value: str) -> None:
    assert jargon_in(value) == [], value


# ----- what the window shows -----


def _plain(label: QLabel) -> str:
    if isinstance(label, WrapLabel):
        return label.plain_text()
    value = label.text()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(value)
    )
    if not rich:
        return value.replace("&", "") if label.buddy() is not None else value
    document = QTextDocument()
    document.setHtml(value)
    return document.toPlainText()


def shown_texts(window: WizardWindow) -> Iterator[tuple[QWidget, str]]:
    """Every text the window shows now (scrolled into view or not), with its widget."""
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel):
            value = _plain(widget)
        elif isinstance(widget, QAbstractButton):
            value = widget.text().replace("&", "")
        elif isinstance(widget, QGroupBox):
            value = widget.title().replace("&", "")
        elif isinstance(widget, QComboBox):
            value = widget.currentText()
        elif isinstance(widget, QLineEdit):
            # What the admin typed is theirs; the hint in an empty field is the wizard's.
            value = "" if widget.text() else widget.placeholderText()
        else:
            continue
        if value.strip():
            yield widget, value


class Reader:
    """Reads each page as it is shown and keeps what it found."""

    def __init__(self, window: WizardWindow) -> None:
        self.window = window
        self.problems: list[str] = []
        self.captions: set[str] = set()
        self.pages: set[StepKey] = set()

    def read(self, where: str) -> None:
        # Widgets added to a shown page are shown by a queued call: let it run first.
        QApplication.processEvents()
        self.pages.add(self.window.context.flow.current)
        for widget, value in shown_texts(self.window):
            if widget.objectName() == "caption":
                self.captions.add(value)
                continue
            for word in jargon_in(value):
                kind = type(widget).__name__
                self.problems.append(f"{where}: {word!r} in a {kind}: {value!r}")


@pytest.fixture(scope="module")
def session() -> Iterator[DemoSession]:
    demo = DemoSession("healthy")
    demo.start()
    # Dozens of checks in a row: keep Halo's instance-wide limit out of this test's way.
    demo.halo.rate_limit_requests = 1_000_000
    yield demo
    demo.stop()


def _choose_situation(window: WizardWindow, scenario: str, session: DemoSession) -> None:
    panel = window.steps.demo
    assert panel is not None
    panel.scenarios.setCurrentIndex(panel.scenarios.findData(scenario))
    assert session.halo.scenario == scenario


def test_no_page_of_the_demo_shows_a_developer_word(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession, files: FileDialogs
) -> None:
    session.halo.scenario = "healthy"
    window = make_wizard(demo_state(session), demo=session, timeout=1.5)
    reader = Reader(window)
    reader.read("welcome")
    click(qtbot, page(window).new)
    reader.read("welcome, answered")
    tool = click_next(qtbot, window, StepKey.TOOL)
    reader.read("which tool")
    for name in ("rewst", "n8n", "other", "script"):
        click(qtbot, tool.tools[name])
        reader.read(f"which tool: {name}")
    click_next(qtbot, window, StepKey.CREATE_APP)
    reader.read("create the application")
    identity = click_next(qtbot, window, StepKey.IDENTITY)
    click(qtbot, identity.application)
    reader.read("identity: the application's own")
    click(qtbot, identity.agent)
    reader.read("identity: an agent")
    scopes = click_next(qtbot, window, StepKey.SCOPES)
    click(qtbot, scopes.preset_buttons["everything"])
    reader.read("scopes: everything")
    click(qtbot, scopes.preset_buttons["ticket_sync"])
    reader.read("scopes: ticket sync")
    hostname = click_next(qtbot, window, StepKey.HOSTNAME)
    reader.read("address")
    hostname.address.selectAll()
    qtbot.keyClicks(hostname.address, "ftp://")
    reader.read("address, not a web one")
    hostname.address.selectAll()
    qtbot.keyClicks(hostname.address, f"{session.url}/portal/")
    reader.read("address, with a path")
    click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    reader.read("find your Halo")
    tenant: Any = page(window)
    click(qtbot, tenant.advanced)
    qtbot.keyClicks(tenant.override, "ACME")
    reader.read("find your Halo, another tenant")
    tenant.override.clear()
    tenant.apply()
    credentials = click_next(qtbot, window, StepKey.CREDENTIALS)
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=5000)
    reader.read("credentials")

    # What an admin gets wrong: a Client ID cut short, and the Client ID as the secret.
    credentials.client_id.selectAll()
    qtbot.keyClicks(credentials.client_id, session.client_id[:20])
    credentials.secret.selectAll()
    qtbot.keyClicks(credentials.secret, session.client_id)
    reader.read("credentials, swapped")
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    reader.read("test, with the wrong entries")
    codes = {view.finding.code for view in live_test.finding_views}
    assert {"CLIENT_ID_FORMAT", "SECRET_LOOKS_LIKE_CLIENT_ID"} <= codes, codes
    window.back()
    wait_idle(qtbot, window)
    click(qtbot, page(window).demo_button)
    reader.read("credentials, the demo's values")
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    reader.read("test")

    # Every situation the demo simulates, each with its own findings and fixes.
    for scenario in SCENARIOS:
        _choose_situation(window, scenario, session)
        reader.read(f"test, {scenario}, before testing again")
        click(qtbot, live_test.again_button)
        wait_idle(qtbot, window)
        reader.read(f"test, {scenario}")
        if scenario == "on_premise":
            shot(window, "jargon-on-premise", "08-test")
    _choose_situation(window, "healthy", session)
    click(qtbot, live_test.again_button)
    wait_idle(qtbot, window)
    export = click_next(qtbot, window, StepKey.EXPORT)
    reader.read("save")
    click(qtbot, export.embed_radio)
    reader.read("save, the secret in the file")
    click(qtbot, export.keychain_radio)
    click(qtbot, export.save_button)
    wait_idle(qtbot, window)
    reader.read("save, saved")
    click(qtbot, export.env_button)
    reader.read("save, copied for scripts")
    saved = window.context.flow.state.exported_to
    assert saved is not None
    window.close_now()

    # Support mode: the file just saved is diagnosed, in every situation.
    support = make_wizard(demo=session, timeout=1.5)
    reader.window = support
    click(qtbot, page(support).diagnose)
    reader.read("welcome, diagnose")
    opener = click_next(qtbot, support, StepKey.OPEN)
    reader.read("open the connection")
    click(qtbot, opener.from_profile)
    reader.read("open, no profiles yet")
    click(qtbot, opener.from_text)
    opener.pasted.setPlainText("Tenant ID: acme\nSomething: else\n")
    click(qtbot, opener.read_button)
    reader.read("open, text without an address")
    click(qtbot, opener.from_file)
    files.answers.append(saved)
    click(qtbot, opener.open_file_button)
    qtbot.waitUntil(opener.loaded_box.isVisible, timeout=5000)
    reader.read("open, the saved file")
    # Another window of the demo: its memory does not hold the secret, so it is typed.
    qtbot.keyClicks(opener.secret, session.client_secret)
    live_test = click_next(qtbot, support, StepKey.TEST)
    wait_idle(qtbot, support)
    reader.read("test, diagnosed")
    for scenario in SCENARIOS:
        _choose_situation(support, scenario, session)
        click(qtbot, live_test.again_button)
        wait_idle(qtbot, support)
        reader.read(f"test, diagnosed, {scenario}")
    _choose_situation(support, "healthy", session)
    click(qtbot, live_test.again_button)
    wait_idle(qtbot, support)
    click_next(qtbot, support, StepKey.EXPORT)
    reader.read("save, diagnosed")

    assert reader.pages == set(StepKey), "every page was read"
    # The codes were there to be found: in their captions, and nowhere else.
    assert {"CLIENT_ID_FORMAT", "INVALID_CLIENT", "ON_PREMISE"} <= reader.captions
    assert reader.problems == []


# ----- the words themselves, shown or not in this walk -----


def _without_placeholders(value: str) -> str:
    return "".join(
        literal for literal, _field, _spec, _conversion in string.Formatter().parse(value)
    )


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


def test_no_sentence_of_the_window_or_of_a_finding_holds_a_developer_word() -> None:
    sentences = {
        f"text.{name}": value
        for name in dir(text)
        if name.isupper()
        for value in _strings(getattr(text, name))
    }
    for code, template in messages.FINDINGS.items():
        for number, value in enumerate((template.title, template.detail, *template.fix)):
            sentences[f"{code} [{number}]"] = value
    problems = {
        where: words
        for where, value in sentences.items()
        if (words := jargon_in(_without_placeholders(value).replace("&", "")))
    }
    # The crash report is for whoever supports the wizard, not a window's sentence.
    assert set(problems) <= {"text.CRASH_REPORT"}, problems


def test_the_keychains_are_named_as_admins_know_them() -> None:
    assert set(text.KEYCHAIN_NAMES) <= {secrets.SECRET_SERVICE, secrets.MACOS, secrets.WINDOWS}
    assert text.KEYCHAIN_NAMES[secrets.SECRET_SERVICE] == "your desktop's keyring (Secret Service)"
    sentence = text.CRED_REMEMBER_WHERE.format(name=text.KEYCHAIN_NAMES[secrets.SECRET_SERVICE])
    assert jargon_in(sentence) == []


def test_a_linux_keychain_is_called_the_desktops_keyring(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, keychain: FakeKeychain
) -> None:
    keychain.name = secrets.SECRET_SERVICE
    halo = start_halo("healthy")
    window = make_wizard()
    export = to_export(qtbot, window, halo)
    credentials: Any = window.page_for(StepKey.CREDENTIALS)
    desktop = "your desktop's keyring (Secret Service)"
    assert credentials.keychain_note.text().startswith(
        f"Kept in {desktop}, where programs running as you on this computer can read it"
    )
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=5000)
    assert export.keychain_note.text() == f"In {desktop}; the file only says where to find it."
    data = save_file(qtbot, window)
    assert data["secret"]["store"] == "keychain"
    account = data["secret"]["account"]
    said = export.save_result.label.text().splitlines()[-1]
    assert said == (
        f"The secret is in {desktop}: look for \u201cHalo connection wizard\u201d, "
        f"account \u201c{account}\u201d."
    )
    shot(window, "jargon-desktop-keyring", "09-export")
