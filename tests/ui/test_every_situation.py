"""Every situation of the simulated Halo, chosen in the demo, is explained on the live-test page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.core.test_scenarios import CASES
from tests.ui.conftest import WizardFactory
from tests.ui.driver import QT_LOG_MARKS, choose_tool, click, click_next, page, wait_idle
from wizard.flow import StepKey
from wizard.sim import SCENARIOS
from wizard.ui.app import demo_state
from wizard.ui.demo import DemoSession

pytestmark = QT_LOG_MARKS

# The demo looks like a hosted Halo (acme.halopsa.com), where some situations read as they
# would on a real instance rather than as on the bare simulator the core tests use.
ON_A_HOSTED_NAME = {
    # Halo's cloud answers 500 for a subdomain with no instance: the name is mistyped.
    "unknown_instance": ("NOT_HALO",),
}


@pytest.fixture(scope="module")
def session() -> Iterator[DemoSession]:
    demo = DemoSession("healthy")
    demo.start()
    # Dozens of checks in a row: keep Halo's instance-wide limit out of this test's way.
    demo.halo.rate_limit_requests = 1_000_000
    yield demo
    demo.stop()


@pytest.mark.parametrize("scenario", [name for name in SCENARIOS if name != "healthy"])
def test_each_situation_shows_its_cause_and_fix_on_the_live_test_page(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession, scenario: str
) -> None:
    session.halo.scenario = "healthy"
    window = make_wizard(demo_state(session), demo=session, timeout=1.5)
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window)
    click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
    scopes = click_next(qtbot, window, StepKey.SCOPES)
    click(qtbot, scopes.preset_buttons["ticket_sync"])
    click_next(qtbot, window, StepKey.HOSTNAME)
    click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    discovery = window.context.flow.state.discovery
    assert discovery is not None and discovery.ok, discovery and discovery.codes()
    click_next(qtbot, window, StepKey.CREDENTIALS)
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)

    panel = window.steps.demo
    assert panel is not None
    panel.scenarios.setCurrentIndex(panel.scenarios.findData(scenario))
    assert session.halo.scenario == scenario
    click(qtbot, live_test.again_button)
    wait_idle(qtbot, window)

    expected = ON_A_HOSTED_NAME.get(scenario) or next(
        case.expect for case in CASES.values() if case.scenario == scenario
    )
    shown = {view.finding.code: view for view in live_test.finding_views}
    for code in expected:
        assert code in shown, f"{scenario}: {code} not shown; shown: {sorted(shown)}"
        finding = shown[code].finding
        assert finding.title and finding.detail
    if scenario == "unknown_instance":
        assert "mistyped" in shown["NOT_HALO"].finding.detail
        assert "https://acme.halopsa.com" in shown["NOT_HALO"].finding.detail
    errors = [view.finding for view in live_test.finding_views if view.finding.severity == "error"]
    assert all(f.fix for f in errors), "every problem comes with its fix"
