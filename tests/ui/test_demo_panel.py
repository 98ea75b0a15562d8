"""The demo panel under a larger system font: nothing of it is cut off, whatever the
situation chosen (its first clause shows; the whole description is its tooltip)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import WizardFactory
from tests.ui.driver import QT_LOG_MARKS, shot
from wizard.sim.scenarios import DEMO_SCENARIOS
from wizard.ui.app import demo_state
from wizard.ui.demo import DemoSession, short_description

pytestmark = QT_LOG_MARKS


@pytest.fixture
def session() -> Iterator[DemoSession]:
    demo = DemoSession()
    demo.start()
    yield demo
    demo.stop()


@pytest.fixture
def large_font() -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    larger = app.font()
    larger.setPointSize(12)  # a GTK desktop set to a larger text size
    app.setFont(larger)
    yield
    app.setFont(before)


def test_the_panel_is_never_cut_off_under_a_larger_font(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession, large_font: None
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    panel = window.steps.demo
    assert panel is not None
    side = window.side_scroll
    for name, description in DEMO_SCENARIOS.items():
        panel.scenarios.setCurrentIndex(panel.scenarios.findData(name))
        QApplication.processEvents()
        shown = panel.description.text()
        assert shown == short_description(description) and len(shown) <= 91, name
        assert panel.description.toolTip() == description
        # The description's lines fit the label (once the layout has settled), and the
        # panel fits what it holds.
        label = panel.description

        def settled(label: Any = label) -> bool:
            return bool(label.height() >= label.heightForWidth(label.width()))

        qtbot.waitUntil(settled, timeout=2000)
        assert panel.height() >= panel.minimumSizeHint().height(), name
        # Whatever does not fit the window's height can be scrolled to, never clipped.
        inner = side.widget()
        assert inner is not None
        fits = inner.height() <= side.viewport().height()
        assert fits or side.verticalScrollBar().maximum() > 0, name
    shot(window, "demo-panel-large-font", "01-welcome")


def test_a_long_description_keeps_its_first_clause_and_says_it_was_cut() -> None:
    long = "Halo starts to answer and then sends the rest very slowly, " * 4
    shown = short_description(long)
    assert shown.endswith("\u2026") and len(shown) <= 91
    assert short_description("A trial (inferred). Another sentence.") == "A trial."
