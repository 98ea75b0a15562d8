"""A scope name this program does not know never stops the admin: it is said before the
test (on "Open the connection"), sent as typed, and Halo's answer decides."""

from __future__ import annotations

from typing import Any

from tests.conftest import HaloFactory
from tests.ui.conftest import WizardFactory
from tests.ui.driver import QT_LOG_MARKS, click, click_next, page, wait_idle
from wizard.flow import StepKey

pytestmark = QT_LOG_MARKS


def test_an_unknown_scope_is_said_before_the_test_and_sent(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy", tick_all=True)
    window = make_wizard()
    click(qtbot, page(window).diagnose)
    opener = click_next(qtbot, window, StepKey.OPEN)
    click(qtbot, opener.from_text)
    opener.pasted.setPlainText(f"Halo URL: {halo.url}\nClient ID: {halo.client_id}\n")
    click(qtbot, opener.read_button)
    qtbot.waitUntil(lambda: window.context.flow.state.diagnosing, timeout=8000)
    qtbot.keyClicks(opener.scopes, "read:tickets read:mailcampaign read:mystery")
    qtbot.keyClicks(opener.secret, halo.client_secret)
    note = opener.scopes_note
    assert note.isVisible() and "read:mystery" in note.label.text()
    # Areas Halo really has (seen in a live token answer) are known: not in the note.
    assert "mailcampaign" not in note.label.text()
    assert window.context.flow.can_go_next(), "an unknown name is no reason to stop"
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None and "read:mystery" in report.requested_scopes
