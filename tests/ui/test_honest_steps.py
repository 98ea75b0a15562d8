"""The step list ticks only what was verified: a failed test is a problem, not a green tick."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel

from tests.conftest import HaloFactory
from tests.ui.conftest import WizardFactory
from tests.ui.driver import (
    QT_LOG_MARKS,
    choose_tool,
    click,
    click_next,
    enter_credentials,
    page,
    shot,
    wait_idle,
    walk_to_credentials,
)
from wizard.flow import StepKey
from wizard.ui.widgets import StatusMark
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS


def step_rows(window: WizardWindow) -> dict[str, tuple[str, str]]:
    """Each visible step's name, with the kind of its mark and what a screen reader says."""
    rows: dict[str, tuple[str, str]] = {}
    for row in window.steps.findChildren(QLabel):
        if isinstance(row, StatusMark) or not row.isVisible() or row is window.steps.position:
            continue
        if not row.accessibleName().startswith(row.text()):
            continue  # the demo panel's labels
        mark = row.parentWidget().findChild(StatusMark)
        assert mark is not None
        rows[row.text()] = (mark.kind, row.accessibleName())
    return rows


def run_the_test(qtbot: Any, window: WizardWindow, halo: Any, shots: str | None = None) -> None:
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    click_next(qtbot, window, StepKey.EXPORT)
    shot(window, shots, "save")


def test_a_failed_test_is_marked_as_a_problem_not_ticked(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("wrong_secret")
    window = make_wizard()
    run_the_test(qtbot, window, halo, shots="honest-steps-wrong-secret")
    rows = step_rows(window)
    assert rows["Test"] == ("error", "Test: has a problem")
    assert rows["Client ID and secret"] == ("error", "Client ID and secret: has a problem")
    # Halo was found at the address and told its tenant: those were verified.
    assert rows["Halo address"] == ("ok", "Halo address: verified")
    assert rows["Find your Halo"] == ("ok", "Find your Halo: verified")
    # Pages without a check of their own were only visited.
    assert rows["Permissions"] == ("visited", "Permissions: visited")
    assert rows["Who it acts as"] == ("visited", "Who it acts as: visited")
    assert rows["Save"] == ("current", "Save: current step")


def test_a_passed_test_ticks_the_steps_it_verified(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    run_the_test(qtbot, window, halo, shots="honest-steps-healthy")
    rows = step_rows(window)
    # Each value the test verified: the identity Halo named, each scope read records.
    verified = ("Halo address", "Find your Halo", "Client ID and secret", "Test")
    for name in (*verified, "Who it acts as", "Permissions"):
        assert rows[name] == ("ok", f"{name}: verified")
    for name in ("Welcome", "Create the application"):
        assert rows[name] == ("visited", f"{name}: visited")


def test_an_address_where_no_halo_answers_is_a_problem_and_later_steps_are_not_yet_visited(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("not_halo")
    window = make_wizard()
    click(qtbot, page(window).new)
    choose_tool(qtbot, window)
    click_next(qtbot, window, StepKey.CREATE_APP)
    identity = click_next(qtbot, window, StepKey.IDENTITY)
    click(qtbot, identity.agent)  # type: ignore[attr-defined]
    scopes = click_next(qtbot, window, StepKey.SCOPES)
    click(qtbot, scopes.preset_buttons["read_tickets"])  # type: ignore[attr-defined]
    hostname = click_next(qtbot, window, StepKey.HOSTNAME)
    qtbot.keyClicks(hostname.address, halo.url)  # type: ignore[attr-defined]
    click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    shot(window, "honest-steps-not-halo", "tenant")
    rows = step_rows(window)
    assert rows["Halo address"] == ("error", "Halo address: has a problem")
    assert rows["Find your Halo"] == ("current", "Find your Halo: current step")
    assert rows["Test"] == ("todo", "Test: not visited yet")


def test_a_scope_halo_refused_marks_permissions_not_the_client_id_and_secret(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    """Halo refused the token for a scope the application does not have ticked: the fault is
    in Permissions; the Client ID and secret were neither wrong nor verified."""
    halo = start_halo("scope_rejected")
    window = make_wizard()
    run_the_test(qtbot, window, halo, shots="honest-steps-scope-rejected")
    rows = step_rows(window)
    assert rows["Permissions"] == ("error", "Permissions: has a problem")
    assert rows["Client ID and secret"] == ("visited", "Client ID and secret: visited")
    assert rows["Test"] == ("error", "Test: has a problem")


def test_an_agent_that_may_not_read_an_area_marks_who_it_acts_as(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("agent_no_permission")
    window = make_wizard()
    run_the_test(qtbot, window, halo, shots="honest-steps-agent-no-permission")
    rows = step_rows(window)
    assert rows["Who it acts as"] == ("error", "Who it acts as: has a problem")
    assert rows["Client ID and secret"] == ("ok", "Client ID and secret: verified")
    assert rows["Permissions"] != ("ok", "Permissions: verified"), "not every area read"


def test_a_saved_connection_s_ticks_do_not_follow_to_the_diagnose_path(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    run_the_test(qtbot, window, halo)
    assert step_rows(window)["Test"] == ("ok", "Test: verified")
    while window.context.flow.current is not StepKey.WELCOME:
        click(qtbot, window.button(window.WizardButton.BackButton))
    click(qtbot, page(window).diagnose)
    wait_idle(qtbot, window)
    rows = step_rows(window)
    for name, (kind, _spoken) in rows.items():
        assert kind != "ok", f"{name} is ticked on a path that has tested nothing"
