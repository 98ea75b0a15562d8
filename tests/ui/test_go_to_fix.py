"""A fix that is typed into the wizard ends there: its button goes to the field, then one
more test shows the connection working."""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.conftest import HaloFactory
from tests.ui.conftest import WizardFactory
from tests.ui.driver import (
    QT_LOG_MARKS,
    click,
    click_next,
    enter_credentials,
    page,
    shot,
    wait_idle,
    walk_to_credentials,
)
from wizard.flow import StepKey
from wizard.ui import text

pytestmark = QT_LOG_MARKS


def test_a_wrong_secret_has_a_button_to_the_secret_field_and_test_again_works(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, secrets.token_urlsafe(30))
    test_page = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    views = {view.finding.code: view for view in test_page.finding_views}
    invalid = views["INVALID_CLIENT"]
    assert invalid.fix_button is not None
    assert invalid.fix_button.text() == text.FIX_GO_TO["secret"]
    assert "Client ID and secret page" in invalid.steps.plain_text()  # type: ignore[union-attr]
    shot(window, "go-to-fix", "08-test")

    click(qtbot, invalid.fix_button)
    assert window.context.flow.current is StepKey.CREDENTIALS
    credentials = page(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is credentials.secret, timeout=2000)
    assert credentials.secret.hasSelectedText()
    qtbot.keyClicks(credentials.secret, halo.client_secret)  # replaces the selected secret
    test_page = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert window.context.flow.state.report is not None
    assert window.context.flow.state.report.ok
    assert "INVALID_CLIENT" not in window.context.flow.state.report.codes()


@pytest.mark.parametrize("scenario", ["healthy"])
def test_findings_fixed_in_halo_have_no_button_into_the_wizard(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, scenario: str
) -> None:
    halo = start_halo(scenario)
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    test_page = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert test_page.finding_views
    assert all(view.fix_button is None for view in test_page.finding_views)
