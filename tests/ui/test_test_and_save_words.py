"""What a first-time admin sees on the Test and Save pages, at the window's default size, and
at 200% (the same tests again in a process of their own, with QT_SCALE_FACTOR=2):

- each tool's form fits the page: no sideways scroll bar, no button cut off, and a value
  wraps only as a whole (an address after "/" or "."), never inside a Client ID;
- what Save did is scrolled into view; a copy moves no button; what a copy said is not said
  again once the page is entered anew;
- each page's verdict is one short sentence, its details below it;
- after a change of situation in the demo, no empty list under "Not tested yet.";
- an application that signs with a key, tested with a secret, is told what to check.
"""

from __future__ import annotations

import html
import itertools
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect
from PySide6.QtWidgets import QApplication, QWidget

from tests.conftest import HaloFactory
from tests.ui.conftest import WizardFactory
from tests.ui.driver import (
    BACK,
    QT_LOG_MARKS,
    WAIT_MS,
    choose_tool,
    click,
    click_next,
    page,
    shot,
    wait_idle,
)
from tests.ui.test_line_breaks import laid_out_lines
from tests.ui.test_tool_form import EVERY_SCOPE, to_form
from wizard.core.textreport import HEADLINE_LIMIT, result_sentence
from wizard.flow import StepKey
from wizard.ui import text
from wizard.ui.app import demo_state
from wizard.ui.demo import DemoSession
from wizard.ui.pages.base import LAYOUT_ROUNDS
from wizard.ui.pages.tool_form import ValueLabel, unwhole
from wizard.ui.widgets import WrapLabel
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS

# Set by the run at 200% (test_the_same_at_200_percent): it renders nothing of its own.
AT_200 = os.environ.get("QT_SCALE_FACTOR") == "2"
REPO = Path(__file__).resolve().parents[2]

# Each tool with a form, and the situation that gives it the most fields.
FORMS = {
    "n8n": "healthy",
    "rewst": "trial",
    "cipp": "healthy",
    "haloapi-powershell": "healthy",
    "hire2retire": "healthy",
    "other": "healthy",
}


def look(window: WizardWindow, prefix: str, name: str) -> None:
    shot(window, None if AT_200 else prefix, name)


def settle() -> None:
    """Let wrapped labels measure themselves and the layouts follow (as base.scroll_to)."""
    for _ in range(LAYOUT_ROUNDS):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        QApplication.processEvents()


def in_view(current: Any, widget: QWidget) -> bool:
    """All of `widget` shows inside the page's scroll area, nothing of it scrolled away."""
    viewport = current.scroll_area.viewport()
    corner = widget.mapTo(viewport, QPoint(0, 0))
    return widget.isVisible() and viewport.rect().contains(QRect(corner, widget.size()))


def on_screen(window: WizardWindow, widgets: list[QWidget]) -> list[QPoint]:
    """Where each widget is in the window: what the pointer is over."""
    return [widget.mapTo(window, QPoint(0, 0)) for widget in widgets]


def line_breaks(label: WrapLabel) -> list[tuple[str, str]]:
    """Each place the label's text goes on to a new line: (the line before, the one after)."""
    lines = [unwhole(line) for line in laid_out_lines(label)]
    return list(itertools.pairwise(lines))


@pytest.fixture
def session() -> Iterator[DemoSession]:
    demo = DemoSession("healthy")
    demo.start()
    yield demo
    demo.stop()


# ----- each tool's form fits the page -----


@pytest.mark.parametrize("tool", list(FORMS))
def test_each_tools_form_fits_the_page_and_keeps_each_value_whole(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, tool: str
) -> None:
    halo = start_halo(FORMS[tool], ticked=EVERY_SCOPE)
    window = make_wizard()
    export = to_form(qtbot, window, halo, tool, preset="ticket_sync" if tool == "other" else None)
    box = export.tool_form
    assert box.values, "a form with its fields"
    look(window, f"words-form-{tool}", "10-export")
    default = window.size()
    # At the default size, and at the smallest the window allows.
    for size in (default, window.minimumSize()):
        window.resize(size)
        settle()
        where = f"{tool} at {size.width()}x{size.height()}"
        assert export.scroll_area.horizontalScrollBar().maximum() == 0, where
        viewport = export.scroll_area.viewport()
        for buttons in box.copy_buttons.values():
            for button in buttons:
                left = button.mapTo(viewport, QPoint(0, 0)).x()
                assert left >= 0 and left + button.width() <= viewport.width(), where
                assert button.width() >= button.sizeHint().width(), (where, button.text())
        for label, value in box.values.items():
            if not value.text():
                continue  # a field left empty (its note says so)
            for before, after in line_breaks(value):
                # Between words (a command, a list of scopes), or after "/" or "." of an
                # address: never inside a Client ID or a name.
                assert before[-1:] in (" ", "/", "."), (where, label, before, after)
            if isinstance(value, ValueLabel) and value.text() == halo.client_id:
                assert len(laid_out_lines(value)) == 1, where
    window.resize(default)


def test_a_client_id_wraps_as_a_whole_never_inside_itself(qtbot: Any) -> None:
    client_id = "043b1993-9771-4e31-bf9c-1ff6badd5ff2"
    value = ValueLabel(f"{client_id} {client_id}", selectable=True)
    qtbot.addWidget(value)
    value.show()
    qtbot.waitExposed(value)
    one = value.fontMetrics().horizontalAdvance(client_id)
    value.setFixedWidth(one + one // 2)
    QApplication.processEvents()
    assert [line.strip() for line in map(unwhole, laid_out_lines(value))] == [client_id] * 2
    # Selected and copied, it is the real text.
    value.select_all()
    assert value.selected_plain_text() == f"{client_id} {client_id}"


# ----- Save: its result in view, copies that move nothing -----


def _scroll_so_its_bottom_shows(current: Any, widget: QWidget) -> None:
    """As an admin scrolls: until `widget` shows at the bottom edge of the page."""
    viewport = current.scroll_area.viewport()
    content = current.scroll_area.widget()
    bottom = widget.mapTo(content, QPoint(0, widget.height())).y()
    bar = current.scroll_area.verticalScrollBar()
    bar.setValue(bottom - viewport.height() + 2)


def test_what_save_did_is_scrolled_into_view(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy", ticked=EVERY_SCOPE)
    window = make_wizard()
    export = to_form(qtbot, window, halo, "n8n")
    settle()
    _scroll_so_its_bottom_shows(export, export.save_button)
    assert in_view(export, export.save_button)
    click(qtbot, export.save_button)
    wait_idle(qtbot, window)

    def said_and_seen() -> bool:
        return (
            export.save_result.mark.kind == "ok"
            and in_view(export, export.save_result)
            and in_view(export, export.folder_button)
        )

    qtbot.waitUntil(said_and_seen, timeout=WAIT_MS)
    assert export.save_result.label.text().startswith("Saved to ")
    look(window, "words-saved", "10-export")


def test_copying_moves_no_button_and_is_forgotten_once_the_page_is_entered_again(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    export = to_form(qtbot, window, halo, "script", preset="ticket_sync")
    settle()
    bar = export.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())
    settle()
    buttons = [export.save_button, export.choose_button, export.env_button]
    before = on_screen(window, buttons)
    scrolls = bar.isVisible()
    assert export.env_result.text() == ""
    click(qtbot, export.env_button)
    settle()
    assert export.env_result.text().startswith("Copied the commands that set HALO_HOST")
    assert in_view(export, export.env_result)
    assert on_screen(window, buttons) == before, "the note has its room already"
    assert bar.isVisible() is scrolls and bar.value() == bar.maximum()
    look(window, "words-copied-environment", "10-export")

    # Back to the test, tested again: the note was about the page as it was.
    click(qtbot, window.button(BACK))
    live_test = page(window)
    assert window.context.flow.current is StepKey.TEST
    click(qtbot, live_test.again_button)
    wait_idle(qtbot, window)
    export = click_next(qtbot, window, StepKey.EXPORT)
    assert export.env_result.text() == ""


def test_copying_from_a_form_moves_no_button_and_is_forgotten_after_a_new_test(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy", ticked=EVERY_SCOPE)
    window = make_wizard()
    export = to_form(qtbot, window, halo, "n8n")
    box = export.tool_form
    settle()
    # The secret's own button, with what to do once it is copied beside it.
    secret_button = box.copy_buttons["Client Secret"][0]
    assert box.notes["Client Secret"].text() == text.FORM_SECRET_NOTE
    _scroll_so_its_bottom_shows(export, box.copied)
    settle()
    buttons = [button for made in box.copy_buttons.values() for button in made]
    buttons.append(export.save_button)
    before = on_screen(window, buttons)
    assert in_view(export, secret_button) and in_view(export, box.notes["Client Secret"])
    for label in ("Client ID", "Client Secret"):
        click(qtbot, box.copy_buttons[label][0])
        settle()
        assert box.copied.text().startswith("Copied"), label
        assert in_view(export, box.copied)
        assert on_screen(window, buttons) == before, label
    assert QApplication.clipboard().text() == halo.client_secret
    look(window, "words-copied-secret", "10-export")

    # Back, a new test, Next: what was copied before is not said again.
    click(qtbot, window.button(BACK))
    click(qtbot, page(window).again_button)
    wait_idle(qtbot, window)
    export = click_next(qtbot, window, StepKey.EXPORT)
    assert export.tool_form.copied.text() == ""
    # A new test while the page stays open (the demo's situation changed, say) clears it.
    click(qtbot, export.tool_form.copy_buttons["Client ID"][0])
    assert export.tool_form.copied.text() == "Copied Client ID."
    report = window.context.flow.state.report
    assert report is not None
    window.context.flow.update(report=replace(report))
    assert export.tool_form.copied.text() == ""


# ----- the verdict: one short sentence, its details below -----


def _tested(qtbot: Any, window: WizardWindow, tool: str, situation: str) -> Any:
    """Through the demo for `tool`, tested in `situation`; the test page."""
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window, tool)
    click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
    scopes = click_next(qtbot, window, StepKey.SCOPES)
    if tool == "script":
        click(qtbot, scopes.preset_buttons["ticket_sync"])  # reading and changing tickets
    for step in (StepKey.HOSTNAME, StepKey.TENANT):
        click_next(qtbot, window, step)
    wait_idle(qtbot, window)
    click_next(qtbot, window, StepKey.CREDENTIALS)
    panel = window.steps.demo
    assert panel is not None
    panel.scenarios.setCurrentIndex(panel.scenarios.findData(situation))
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    return live_test


@pytest.mark.parametrize(
    "situation", ["human_admin_agent", "agent_no_permission", "scope_not_ticked", "healthy"]
)
def test_each_pages_verdict_is_one_short_sentence_with_its_details_below(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession, situation: str
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    live_test = _tested(qtbot, window, "script", situation)
    report = window.context.flow.state.report
    assert report is not None
    kind, sentence = result_sentence(report)
    headline = live_test.summary.label
    assert headline.text() == sentence and len(sentence) <= HEADLINE_LIMIT
    assert live_test.summary.mark.kind == kind
    settle()
    assert len(laid_out_lines(headline)) <= 2, laid_out_lines(headline)
    # The details are the page's body: the list of what was tested, the findings.
    assert live_test.checklist.isVisible() and live_test.checklist_title.isVisible()
    look(window, f"words-{situation}", "08-test")

    export = click_next(qtbot, window, StepKey.EXPORT)
    settle()
    status = export.test_status
    assert status.mark.kind == kind
    first, *details = status.label.plain_text().split("\n")
    assert first.startswith("Tested ") and first.endswith(f": {sentence[:1].lower()}{sentence[1:]}")
    assert f"<b>{html.escape(first, False)}</b>" in status.label.text(), "the verdict in bold"
    said = " ".join(details)
    for finding in report.findings:
        if finding.severity.value in ("error", "warning"):
            assert finding.title in f"{sentence} {said}", finding.code
    if any(scope.status.value == "granted" for scope in report.scopes):
        assert "is granted but not tried" in said
    if kind == "error":
        assert said.endswith(text.EXPORT_TEST_FAILED_ADVICE)
    assert in_view(export, status)
    look(window, f"words-{situation}", "10-export")


# ----- a change of situation in the demo -----


def test_after_a_change_of_situation_no_empty_list_is_shown(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    live_test = _tested(qtbot, window, "script", "healthy")
    assert live_test.checklist.step_keys() and live_test.checklist.isVisible()
    panel = window.steps.demo
    assert panel is not None
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("wrong_secret"))
    assert window.context.flow.state.report is None
    assert live_test.summary.label.text() == text.TEST_NOT_RUN
    assert not live_test.checklist_title.isVisible() and not live_test.checklist.isVisible()
    assert not live_test.finding_views
    # What to do instead is said, and the button is in view.
    assert "click Test again" in live_test.blocked.text()
    assert live_test.again_button.isVisible()
    look(window, "words-situation-changed", "08-test")
    click(qtbot, live_test.again_button)
    assert live_test.checklist_title.isVisible()
    wait_idle(qtbot, window)
    assert live_test.checklist.isVisible() and live_test.checklist.step_keys()
    assert "INVALID_CLIENT" in [view.finding.code for view in live_test.finding_views]


# ----- an application that signs with a key, tested with its Client ID and a secret -----


def test_a_secret_sent_to_an_application_that_signs_with_a_key_is_told_what_to_check(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    live_test = _tested(qtbot, window, "script", "jwt_assertion")
    (view,) = [view for view in live_test.finding_views if view.finding.severity.value == "error"]
    assert view.finding.code == "INVALID_CLIENT"
    detail = view.finding.detail
    assert 'set to sign with a key (Authentication Method "JWT Assertion (Services)")' in detail
    steps = view.steps.plain_text() if view.steps is not None else ""
    assert 'set it to "Client ID and Secret (Services)"' in steps
    assert "choose JWT Assertion as the method in the wizard" in steps
    # Checked before a new secret is made: a new secret would not help.
    assert steps.index("Authentication Method") < steps.index("click Generate")
    assert len(live_test.summary.label.text()) <= HEADLINE_LIMIT
    look(window, "words-signed-with-a-key", "08-test")


# ----- the same at 200% -----


@pytest.mark.skipif(AT_200, reason="this is the run at 200%")
def test_the_same_at_200_percent() -> None:
    """A screen at 200% doubles the pixels, not the layout: every test above, again, in a
    window scaled by Qt as on such a screen."""
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
    # A crash is said at the top of what Python printed, the test it was in near its end.
    said = (result.stdout + result.stderr).splitlines()
    assert result.returncode == 0, "\n".join([*said[:40], "...", *said[-40:]])
