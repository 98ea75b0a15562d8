"""Which tool is connected, in the window: its scopes ticked (and why), its identity advice,
a warning when a scope the tool asks for itself is unticked, and what the tool needs judged
by the live test."""

from __future__ import annotations

from typing import Any

from tests.conftest import HaloFactory
from tests.ui.conftest import WizardFactory
from tests.ui.driver import (
    NEXT,
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
from wizard.flow import IdentityChoice, StepKey
from wizard.sim.scenarios import READ_EDIT_SCOPES

pytestmark = QT_LOG_MARKS


def _ticked(scopes: Any) -> set[str]:
    return {scope for scope, box in scopes.boxes.items() if box.isChecked()}


def test_the_tool_is_asked_after_welcome_and_next_waits_for_it(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    click(qtbot, page(window).new)
    tool = click_next(qtbot, window, StepKey.TOOL)
    assert window.steps.position.text() == "Step 2 of 10"
    assert not window.button(NEXT).isEnabled()
    assert tool.blocked.text() == "To continue: choose the tool you are connecting."
    names = [button.text() for button in tool.tools.values()]
    assert names[0] == "Rewst" and names[-1] == "Another tool" and len(names) == 9
    assert {"CIPP", "Nango"} <= set(names)
    assert not tool.chosen_note.isVisible()
    shot(window, "tools", "02-tool")
    click(qtbot, tool.tools["rewst"])
    assert window.button(NEXT).isEnabled()
    assert tool.chosen_note.isVisible()
    said = tool.chosen_note.label.text()
    assert "ticks all on the Permissions page and chooses an API-only agent" in said
    assert "each value to type into Rewst, under its own labels" in said
    shot(window, "tools", "02-tool-rewst")


def test_choosing_rewst_ticks_all_and_shows_its_identity_advice(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    click(qtbot, page(window).new)
    choose_tool(qtbot, window, "rewst")
    click_next(qtbot, window, StepKey.CREATE_APP)
    identity = click_next(qtbot, window, StepKey.IDENTITY)
    assert identity.agent.isChecked(), "Rewst works as an agent: chosen already"
    assert window.context.flow.state.identity is IdentityChoice.AGENT
    assert identity.advice.isVisible()
    advice = identity.advice.label.plain_text()
    assert advice.startswith("What Rewst needs: An agent for Rewst")
    assert "Allow use of all Customers" in advice and "in all teams" in advice
    assert not identity.tool_differs.isVisible()
    shot(window, "tools-rewst", "03-identity")
    click(qtbot, identity.application)
    assert identity.tool_differs.isVisible()
    assert "Rewst works as an agent" in identity.tool_differs.label.text()
    shot(window, "tools-rewst", "03-identity-differs")
    click(qtbot, identity.agent)
    assert not identity.tool_differs.isVisible()

    scopes = click_next(qtbot, window, StepKey.SCOPES)
    assert _ticked(scopes) == {"all"}
    assert scopes.tick_list.text() == "all"
    note = scopes.recipe_note.label.plain_text()
    assert note.startswith("Ticked for Rewst: all.")
    assert "Rewst's guide has the application's Permissions tab set to all." in note
    assert not scopes.restore_button.isVisible()
    # all is broad, but it is there because Rewst asks for it: said so, not scolded.
    assert scopes.broad_warning.isVisible()
    assert "ticked because Rewst asks for it" in scopes.broad_warning.label.text()
    shot(window, "tools-rewst", "04-scopes")
    # The admin narrows them: the note says what Rewst suggested, with a way back.
    click(qtbot, scopes.preset_buttons["ticket_sync"])
    assert scopes.recipe_note.label.plain_text().startswith("Suggested for Rewst: all.")
    assert scopes.restore_button.isVisible()
    assert scopes.restore_button.text() == "&Use Rewst's scopes"
    assert not scopes.broad_warning.isVisible()
    click(qtbot, scopes.restore_button)
    assert _ticked(scopes) == {"all"}


def test_choosing_n8n_ticks_its_scopes_and_warns_when_one_is_unticked(
    qtbot: Any, make_wizard: WizardFactory
) -> None:
    window = make_wizard()
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window, "n8n")
    identity = click_next(qtbot, window, StepKey.IDENTITY)
    # n8n names no identity: the admin chooses, with the application's own offered where
    # Halo has it.
    assert not identity.agent.isChecked() and not identity.application.isChecked()
    assert "where your Halo offers it" in identity.advice.label.plain_text()
    click(qtbot, identity.agent)
    scopes = click_next(qtbot, window, StepKey.SCOPES)
    assert {"admin", "edit:tickets", "edit:customers"} <= _ticked(scopes)
    assert _ticked(scopes) - {"admin", "edit:tickets", "edit:customers"} == {
        "read:tickets",
        "read:customers",
    }, "only the read: scopes those edit: scopes bring"
    note = scopes.recipe_note.label.plain_text()
    assert note.startswith(
        "Ticked for n8n, which asks Halo for exactly these itself: "
        "admin, edit:tickets, edit:customers."
    )
    assert not scopes.tool_warning.isVisible()
    shot(window, "tools-n8n", "04-scopes")

    click(qtbot, scopes.boxes["edit:customers"])
    assert not scopes.boxes["edit:customers"].isChecked()
    assert scopes.tool_warning.isVisible()
    warning = scopes.tool_warning.label.text()
    assert "with edit:customers unticked, n8n's token is expected to come without" in warning
    assert "The test shows what Halo grants." in warning and "refuses" not in warning
    assert "n8n asks Halo for admin, edit:tickets, edit:customers itself" in warning
    # It is a warning, not a lock: the admin may know better.
    assert window.button(NEXT).isEnabled()
    shot(window, "tools-n8n", "04-scopes-unticked")
    click(qtbot, scopes.retick_button)
    assert scopes.boxes["edit:customers"].isChecked()
    assert not scopes.tool_warning.isVisible()


def test_the_live_test_judges_what_the_tool_needs(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    # Rewst maps customers and works as an agent; this application acts as itself.
    # "all" is ticked on the application, as Rewst's guide says.
    halo = start_halo("application_identity", ticked=READ_EDIT_SCOPES | {"all"})
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo, tool="rewst", preset=None, identity="application")
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    report = window.context.flow.state.report
    assert report is not None and report.requested_scopes == ["all"]
    # Halo answers all with the names it stands for (reference §10): all granted.
    assert report.granted_scopes is not None and "read:customers" in report.granted_scopes
    assert "SCOPE_NOT_GRANTED" not in report.codes()
    codes = {view.finding.code for view in live_test.finding_views}
    assert "TOOL_NEEDS_OTHER_IDENTITY" in codes, codes
    # The all Rewst needs is said as such, not as more access than the connection needs.
    assert "TOOL_NEEDS_BROAD_ACCESS" in codes and "BROAD_ACCESS" not in codes, codes
    shown = next(
        view for view in live_test.finding_views if view.finding.code == "TOOL_NEEDS_OTHER_IDENTITY"
    )
    assert "Rewst" in shown.finding.title
    # No tick beside that warning: the identity row says it too.
    assert live_test.checklist.status_of("identity") == "warning"
    shot(window, "tools-rewst", "08-test-identity")
