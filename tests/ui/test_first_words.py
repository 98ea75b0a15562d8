"""What a first-time admin reads on the pages before the test, for every tool:

- the boxes to tick in Halo are all in view, whole, never in a scroll box of their own, at
  the window's default size and at 200% (the layout tests again in a process of their own,
  with QT_SCALE_FACTOR=2); no page before the test has a scroll box inside its scrolling page;
- a tool that runs in the cloud cannot read this computer's keychain: its secret is kept
  nowhere by default, on the Client ID page and then on the Save page, and each place says
  who can read the secret there;
- the broad preset a tool asks for is named for it, not "not recommended";
- each tool is named mid-sentence as a sentence names it ("What your script needs");
- Welcome has one answer for each case, each saying when to choose it;
- example names follow the tool ("Rewst API"); the step count matches the README's;
- the keyboard focus frame shows as each page opens, before any Tab or arrow.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtGui
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtGui import QRegion, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QGroupBox,
    QLabel,
    QWidget,
)

from tests.conftest import HaloFactory
from tests.ui.conftest import FakeKeychain, WizardFactory
from tests.ui.driver import (
    NEXT,
    QT_LOG_MARKS,
    WAIT_MS,
    choose_tool,
    click,
    click_next,
    enter_credentials,
    page,
    shot,
    wait_idle,
    walk_to_credentials,
)
from tests.ui.test_pages import open_at
from tests.ui.test_paths import save_file
from wizard.core import recipes
from wizard.flow import AppChoice, IdentityChoice, StepKey, WizardState, catalog
from wizard.flow import tools as flow_tools
from wizard.ui.pages.base import LAYOUT_ROUNDS, FlowPage
from wizard.ui.widgets import WrapLabel
from wizard.ui.window import WizardWindow, step_name

pytestmark = QT_LOG_MARKS

# Set by the run at 200% (test_the_same_at_200_percent): it renders nothing of its own and
# runs only the tests of what fits.
AT_200 = os.environ.get("QT_SCALE_FACTOR") == "2"
at_100_only = pytest.mark.skipif(AT_200, reason="the run at 200% checks only what fits")
REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"

TOOLS = [recipe.id for recipe in recipes.all_recipes()]
CLOUD = ["rewst", "hire2retire", "cipp", "nango"]
# The pages before the test: this file's pages.
MY_STEPS = (
    StepKey.WELCOME,
    StepKey.TOOL,
    StepKey.CREATE_APP,
    StepKey.IDENTITY,
    StepKey.SCOPES,
    StepKey.HOSTNAME,
    StepKey.TENANT,
    StepKey.CREDENTIALS,
)


def look(window: WizardWindow, prefix: str, name: str) -> None:
    shot(window, None if AT_200 else prefix, name)


def settle() -> None:
    """Let wrapped labels measure themselves and the layouts follow (as base.scroll_to)."""
    for _ in range(LAYOUT_ROUNDS):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def state_for(tool: str, app_choice: AppChoice = AppChoice.EXISTING) -> WizardState:
    """The state once `tool` is chosen on its page (its scopes ticked), an identity chosen."""
    start = WizardState(app_choice=app_choice, identity=IdentityChoice.AGENT)
    return start.changed(**flow_tools.choose_tool(start, tool))


def plain(value: str) -> str:
    document = QTextDocument()
    document.setHtml(value)
    return document.toPlainText()


def shown_texts(current: FlowPage) -> list[str]:
    """Every sentence the page shows: title, labels, buttons, group titles, as read."""
    found = [current.title(), current.subTitle()]
    for widget in current.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, WrapLabel):
            found.append(widget.plain_text())
        elif isinstance(widget, QLabel):
            found.append(
                plain(widget.text()) if QtGui.Qt.mightBeRichText(widget.text()) else widget.text()
            )
        elif isinstance(widget, QAbstractButton):
            found.append(widget.text().replace("&", ""))
        elif isinstance(widget, QGroupBox):
            found.append(widget.title())
    return [value for value in found if value]


def inner_scroll_boxes(current: FlowPage) -> list[QAbstractScrollArea]:
    """Scroll boxes inside the page other than the page's own scrolling area."""
    return [
        area
        for area in current.findChildren(QAbstractScrollArea)
        if area is not current.scroll_area
    ]


def whole(widget: QWidget, window: WizardWindow) -> bool:
    """All of `widget` is in the window and nothing of it is covered or clipped."""
    corner = widget.mapTo(window, QPoint(0, 0))
    inside = window.rect().contains(QRect(corner, widget.size()))
    hidden = QRegion(widget.rect()).subtracted(widget.visibleRegion())
    return widget.isVisible() and inside and hidden.isEmpty()


def assert_every_box_to_tick_shows(scopes: Any, window: WizardWindow, expected: list[str]) -> None:
    settle()
    tick_list = scopes.tick_list
    assert tick_list.lines() == expected
    assert not inner_scroll_boxes(scopes), "no scroll box around the list"
    columns = [column for column in tick_list.columns if column.isVisible()]
    shown = [line for column in columns for line in column.text().splitlines()]
    assert shown == expected, "every box, once, in order"
    for column in columns:
        lines = column.text().splitlines()
        metrics = column.fontMetrics()
        needed = metrics.lineSpacing() * (len(lines) - 1) + metrics.height()
        area = column.contentsRect()
        # Each line is as tall and as wide as it needs, and the whole column is on screen.
        assert area.height() >= needed, (lines, area.height(), needed)
        assert area.width() >= max(metrics.horizontalAdvance(line) for line in lines), lines
        assert whole(column, window), lines
        inside = column.mapTo(scopes.tick_box, QPoint(0, 0))
        assert scopes.tick_box.rect().contains(QRect(inside, column.size())), lines


# ----- 1. the boxes to tick in Halo, whole -----


@pytest.mark.parametrize("tool", TOOLS)
def test_every_box_to_tick_is_in_view_for_every_tool(
    qtbot: Any, make_wizard: WizardFactory, tool: str
) -> None:
    state = state_for(tool)
    window = open_at(make_wizard, StepKey.SCOPES, state, qtbot)
    scopes = page(window)
    # n8n's five lines included, admin the last of them.
    assert_every_box_to_tick_shows(scopes, window, catalog.boxes_to_tick(state.scopes))
    # The page itself still scrolls to the list of every scope below.
    assert scopes.scroll_area.viewport().height() >= scopes.height() // 3
    look(window, f"first-words-{tool}", "04-scopes")


def test_a_long_list_of_boxes_flows_into_columns_and_stays_whole(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    state = state_for("script")
    window = open_at(make_wizard, StepKey.SCOPES, state, qtbot)
    scopes = page(window)
    for scope in catalog.scopes_of_group("service_desk") + catalog.scopes_of_group("customers"):
        if not scopes.boxes[scope].isChecked() and scopes.boxes[scope].isEnabled():
            click(qtbot, scopes.boxes[scope])
    expected = catalog.boxes_to_tick(window.context.flow.state.scopes)
    assert len(expected) == 22
    assert_every_box_to_tick_shows(scopes, window, expected)
    assert len([c for c in scopes.tick_list.columns if c.isVisible()]) > 1
    # The list above keeps the page's scrolling part big enough to tick the boxes in.
    assert scopes.scroll_area.viewport().height() >= scopes.height() // 3
    look(window, "first-words-long-list", "04-scopes")


@pytest.mark.skipif(AT_200, reason="this is the run at 200%")
def test_the_same_at_200_percent() -> None:
    """A screen at 200% doubles the pixels and rounds the fonts anew: what fits is checked
    again, in a window scaled by Qt as on such a screen."""
    env = {**os.environ, "QT_SCALE_FACTOR": "2", "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", __file__],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


# ----- a walk through every page before the test, as an admin clicks -----


def focus_frame_shown(widget: QWidget) -> bool:
    """Whether `widget`, with the keyboard focus, looks different than without it: the
    frame that says where the keyboard is, drawn."""
    if QApplication.focusWidget() is not widget:
        return False
    window = widget.window()
    keyboard = window.testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
    with_focus = widget.grab().toImage()
    widget.clearFocus()
    without = widget.grab().toImage()
    # Back as it was: moving the focus from code would hide the frame from now on.
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    window.setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, keyboard)
    return with_focus != without


@at_100_only
def test_each_page_opens_with_the_focus_frame_shown_and_no_inner_scroll_box(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    with qtbot.waitActive(window):
        window.activateWindow()
    prefix = "first-words-walk"

    def opened(current: Any, focused: QWidget) -> None:
        """The page as it opens: the focus where the keyboard starts, its frame drawn."""
        qtbot.waitUntil(lambda: focus_frame_shown(focused), timeout=WAIT_MS)
        assert not inner_scroll_boxes(current), type(current).__name__

    welcome = page(window)
    opened(welcome, welcome.new)
    look(window, prefix, "01-welcome")
    click(qtbot, welcome.new)
    tool = click_next(qtbot, window, StepKey.TOOL)
    opened(tool, tool.tools["rewst"])
    look(window, prefix, "01b-tool")
    click(qtbot, tool.tools["rewst"])
    create: Any = click_next(qtbot, window, StepKey.CREATE_APP)
    opened(create, create.secret_method)
    look(window, prefix, "02-create-app")
    identity: Any = click_next(qtbot, window, StepKey.IDENTITY)
    # Rewst works as an agent: chosen already, and where the keyboard starts.
    opened(identity, identity.agent)
    look(window, prefix, "03-identity")
    scopes: Any = click_next(qtbot, window, StepKey.SCOPES)
    opened(scopes, scopes.preset_buttons["everything"])
    look(window, prefix, "04-scopes")
    click(qtbot, scopes.preset_buttons["ticket_sync"])
    hostname: Any = click_next(qtbot, window, StepKey.HOSTNAME)
    opened(hostname, hostname.address)
    qtbot.keyClicks(hostname.address, halo.url)
    tenant: Any = click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    opened(tenant, tenant.advanced)
    look(window, prefix, "06-tenant")
    credentials: Any = click_next(qtbot, window, StepKey.CREDENTIALS)
    opened(credentials, credentials.client_id)
    look(window, prefix, "07-credentials")


# ----- 2. a tool in the cloud, and this computer's keychain -----


def to_credentials(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, tool: str
) -> tuple[WizardWindow, Any]:
    halo = start_halo("healthy")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo, tool=tool)
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=WAIT_MS)
    credentials = page(window)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    return window, credentials


@at_100_only
@pytest.mark.parametrize("tool", CLOUD)
def test_a_tool_in_the_cloud_keeps_its_secret_nowhere_by_default(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, tool: str
) -> None:
    chosen = recipes.recipe(tool)
    assert chosen.in_the_cloud
    window, credentials = to_credentials(qtbot, make_wizard, start_halo, tool)
    assert credentials.nowhere.isChecked() and not credentials.remember.isChecked()
    assert credentials.nowhere.text().replace("&", "") == "Nowhere: I will type it into my tool"
    # Each place says who can read the secret there, truthfully.
    keychain = credentials.keychain_note.text()
    assert "programs running as you on this computer can read it" in keychain
    assert f"{chosen.called_first} does not run on this computer, so it cannot read it" in keychain
    assert "where your tool can read it" not in keychain
    assert f"type it into {chosen.called} before then" in credentials.nowhere_note.text()
    assert window.context.flow.state.remember_secret is False
    look(window, f"first-words-cloud-{tool}", "07-credentials")


@at_100_only
def test_the_save_page_follows_the_choice_and_nothing_reaches_the_keychain(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, keychain: FakeKeychain
) -> None:
    window, _credentials = to_credentials(qtbot, make_wizard, start_halo, "rewst")
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    export: Any = click_next(qtbot, window, StepKey.EXPORT)
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=WAIT_MS)
    assert export.none_radio.isChecked() and not export.keychain_radio.isChecked()
    # Never "recommended" where the tool cannot read it.
    label = export.keychain_radio.text()
    assert "recommended" not in label
    assert "Rewst runs elsewhere and cannot read it" in export.keychain_note.text()
    look(window, "first-words-cloud-rewst", "10-export")
    data = save_file(qtbot, window)
    assert data["secret"] == {"store": "none"}
    assert keychain.stored == {}


@at_100_only
def test_the_keychain_stays_the_choice_for_a_tool_that_may_run_here(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    # n8n can be self-hosted, on this computer too; a script of your own reads the file.
    for tool in ("n8n", "script"):
        window, credentials = to_credentials(qtbot, make_wizard, start_halo, tool)
        assert credentials.remember.isChecked() and not credentials.nowhere.isChecked()
        note = credentials.keychain_note.text()
        assert "programs running as you on this computer can read it" in note
        assert "does not run on this computer" not in note
        look(window, f"first-words-keep-{tool}", "07-credentials")
        window.close_now()


@at_100_only
def test_choosing_the_keychain_for_a_cloud_tool_is_kept_to_the_save_page(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    window, credentials = to_credentials(qtbot, make_wizard, start_halo, "cipp")
    click(qtbot, credentials.remember)
    assert window.context.flow.state.remember_secret is True
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    export: Any = click_next(qtbot, window, StepKey.EXPORT)
    qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=WAIT_MS)
    assert export.keychain_radio.isChecked()


def test_where_a_tool_runs_is_read_from_its_recipe() -> None:
    runs = {recipe.id: recipe.runs for recipe in recipes.all_recipes()}
    assert {tool for tool, where in runs.items() if where == "cloud"} >= set(CLOUD)
    assert runs["n8n"] == "either"
    base = {
        "id": "x", "name": "X", "summary": "s", "scopes": ["read:tickets"],
        "scopes_chosen_by": "admin", "scopes_note": "n", "identity": "either",
        "identity_advice": "a", "methods": ["client_secret"], "methods_note": "m",
        "source": "Its guide", "sure": "documented",
        "field": [{"label": "Client ID", "from": "client_id"}],
    }  # fmt: skip
    (unsaid,) = recipes.parse({"recipe": [base]})
    assert unsaid.runs == "either" and unsaid.called == "X" and unsaid.example_name is None
    with pytest.raises(recipes.RecipeError, match="runs must be one of"):
        recipes.parse({"recipe": [base | {"runs": "desktop"}]})
    with pytest.raises(recipes.RecipeError, match="in_sentence must be a text"):
        recipes.parse({"recipe": [base | {"in_sentence": ""}]})


# ----- 3. the broad preset a tool asks for -----


@at_100_only
def test_the_broad_preset_rewst_asks_for_is_named_for_it(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = open_at(make_wizard, StepKey.SCOPES, state_for("rewst"), qtbot)
    scopes = page(window)
    everything = scopes.preset_buttons["everything"]
    assert everything.isChecked()
    assert everything.text() == "Everything: Rewst asks for this"
    assert scopes.subTitle().startswith("Choose only what Rewst needs")
    said = shown_texts(scopes)
    assert not [line for line in said if "not recommended" in line], said
    # The caution stays, as a sentence beside it.
    assert "The whole of Halo. One leaked secret would open all of it." in said
    look(window, "first-words-rewst-broad", "04-scopes")


@at_100_only
def test_the_broad_preset_is_not_recommended_when_no_tool_asks_for_it(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = open_at(make_wizard, StepKey.SCOPES, state_for("haloapi-powershell"), qtbot)
    scopes = page(window)
    assert scopes.preset_buttons["everything"].text() == "Everything: the HaloAPI module's default"
    window.close_now()
    window = open_at(make_wizard, StepKey.SCOPES, state_for("script"), qtbot)
    scopes = page(window)
    assert scopes.preset_buttons["everything"].text() == "Everything (not recommended)"


# ----- 4. each tool named as a sentence names it -----


@at_100_only
@pytest.mark.parametrize("tool", TOOLS)
def test_each_tool_is_named_as_a_sentence_names_it(
    qtbot: Any, make_wizard: WizardFactory, tool: str
) -> None:
    chosen = recipes.recipe(tool)
    said: list[str] = []

    window = make_wizard()
    click(qtbot, page(window).existing)
    tool_page = choose_tool(qtbot, window, tool)
    note = tool_page.chosen_note.label.text()
    said.append(note)
    if flow_tools.is_command(chosen):
        assert "the Connect-HaloAPI command" in note
    elif tool not in ("script", "other"):
        assert f"each value to type into {chosen.called}, under its own labels" in note

    identity: Any = click_next(qtbot, window, StepKey.IDENTITY)
    assert identity.advice.label.plain_text().startswith(f"What {chosen.called} needs: ")
    if chosen.identity == "agent":
        click(qtbot, identity.application)
        differs = identity.tool_differs.label.text()
        assert differs.startswith(f"{chosen.called_first} works as an agent"), differs
        said += shown_texts(identity)
        click(qtbot, identity.agent)
    elif not identity.agent.isChecked():
        click(qtbot, identity.agent)
    steps = " ".join(identity.how.texts())
    assert f"only the access {html_escaped(chosen.called)} needs" in steps
    said += shown_texts(identity)

    scopes: Any = click_next(qtbot, window, StepKey.SCOPES)
    title = scopes.recipe_note.label.plain_text()
    assert re.match(rf"(Ticked|Suggested) for {re.escape(chosen.called)}\b", title), title
    said += shown_texts(scopes)
    if chosen.scopes_fixed:
        click(qtbot, scopes.boxes[chosen.scopes[-1]])
        warning = scopes.tool_warning.label.text()
        assert warning.startswith(f"{chosen.called_first} asks Halo for"), warning
    else:
        other = "read_tickets" if set(chosen.scopes) != {"read:tickets"} else "asset_sync"
        click(qtbot, scopes.preset_buttons[other])
        assert scopes.restore_button.text() == f"&Use {chosen.called}'s scopes"
    said += shown_texts(scopes)
    look(window, f"first-words-names-{tool}", "04-scopes")

    if chosen.in_sentence is not None:
        # "A script of my own" names the choice on the tool's page, never a sentence.
        assert not [line for line in said if chosen.name in line], said
        for line in said:
            assert not line.startswith(chosen.in_sentence), line
    for line in said:
        assert not re.search(r"\b(What|Use|for|into) (A|Another) ", line), line


def html_escaped(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ----- 5. Welcome: one answer for each case -----


@at_100_only
def test_welcome_has_one_answer_for_each_case_each_saying_when(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    welcome = page(window)
    notes = {button: welcome.notes[button].text() for button in welcome.buttons}
    for button, note in notes.items():
        label = welcome.notes[button]
        assert label.isVisible() and note.startswith("Choose this"), note
        # Right below its answer, indented under its words.
        below = label.mapTo(welcome, QPoint(0, 0)).y() - button.mapTo(welcome, QPoint(0, 0)).y()
        assert 0 < below <= button.height() + 4, note
    # A broken setup, with or without its connection file, is the diagnosis's case alone.
    assert "without its connection file" in notes[welcome.diagnose]
    assert "paste the values" in notes[welcome.diagnose]
    for button in (welcome.new, welcome.existing):
        for words in ("broken", "stopped working", "connection file"):
            assert words not in notes[button].lower(), notes[button]
    said = shown_texts(welcome)
    assert not [line for line in said if "Checking a broken setup" in line]
    look(window, "first-words", "01-welcome")


# ----- 6. example names, and the step count the README gives -----


@at_100_only
@pytest.mark.parametrize(
    ("tool", "example", "called"),
    [
        ("rewst", "Rewst API", "Rewst"),
        ("script", "Ticket export script", "your script"),
        ("other", None, "your tool"),
    ],
)
def test_example_names_follow_the_tool(
    qtbot: Any, make_wizard: WizardFactory, tool: str, example: str | None, called: str
) -> None:
    window = open_at(make_wizard, StepKey.CREATE_APP, state_for(tool, AppChoice.NEW), qtbot)
    steps = [plain(step) for step in page(window).steps.texts()]
    name_step = next(step for step in steps if step.startswith("Application Name"))
    if example is None:
        assert name_step.endswith("for example Ticket sync (your tool's name).")
    else:
        assert name_step.endswith(f"for example {example}."), name_step
        assert "your tool's name" not in " ".join(steps)
    look(window, f"first-words-example-{tool}", "02-create-app")
    identity: Any = click_next(qtbot, window, StepKey.IDENTITY)
    how = [plain(step) for step in identity.how.texts()]
    assert how[1].startswith(f"Name it, for example {example or 'Integration API'}, and tick")
    assert f"a role with only the access {called} needs" in how[2]
    click(qtbot, identity.application)
    how = [plain(step) for step in identity.how.texts()]
    assert f"a role with only the access {called} needs" in how[2]


NUMBERS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _number(word: str) -> int:
    return NUMBERS.index(word)


@at_100_only
def test_the_readme_counts_the_steps_the_window_counts(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    readme = " ".join(README.read_text(encoding="utf-8").split())
    found = re.search(
        r"opens the wizard: (\w+) steps, each with Back, as its side panel lists them \(([^)]*)\)",
        readme,
    )
    assert found, "the README describes the walkthrough"
    total, names = _number(found[1]), found[2].split(", ")
    window = make_wizard()
    click(qtbot, page(window).new)
    flow = window.context.flow
    assert [step_name(step, flow.state) for step in flow.path()] == names
    assert window.steps.position.text() == f"Step 1 of {total}"
    # An application that exists already: the README's example of the count.
    existing = re.search(r'\("Step (\d+) of (\d+)" is then ([^)]*)\)', readme)
    assert existing, "the README says what the count is for an existing application"
    window.close_now()
    window = open_at(make_wizard, StepKey.IDENTITY, state_for("rewst"), qtbot)
    assert window.steps.position.text() == f"Step {existing[1]} of {existing[2]}"
    assert step_name(window.context.flow.current, window.context.flow.state) == existing[3]
    diagnose = re.search(r"diagnosing an existing connection takes (\w+) \(([^)]*)\)", readme)
    assert diagnose
    window.close_now()
    window = make_wizard()
    click(qtbot, page(window).diagnose)
    flow = window.context.flow
    assert [step_name(step, flow.state) for step in flow.path()] == diagnose[2].split(", ")
    assert len(flow.path()) == _number(diagnose[1])
    assert window.button(NEXT).isEnabled()
