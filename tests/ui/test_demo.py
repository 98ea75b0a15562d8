"""Demo mode: a simulated Halo in the same process, a banner on every page, a situation chooser."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import WizardFactory
from tests.ui.driver import QT_LOG_MARKS, choose_tool, click, click_next, page, shot, wait_idle
from wizard.core.messages import Front
from wizard.flow import StepKey
from wizard.ui import text
from wizard.ui.app import demo_state
from wizard.ui.demo import DemoSession

pytestmark = QT_LOG_MARKS
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def session() -> Iterator[DemoSession]:
    demo = DemoSession("healthy")
    demo.start()
    yield demo
    demo.stop()


def test_demo_is_ready_to_connect_and_shows_its_banner_on_every_page(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    panel = window.steps.demo
    assert panel is not None
    assert window.windowTitle() == "Halo connection wizard (demo)"
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window)
    seen = []
    for step in (
        StepKey.IDENTITY,
        StepKey.SCOPES,
        StepKey.HOSTNAME,
        StepKey.TENANT,
        StepKey.CREDENTIALS,
        StepKey.TEST,
        StepKey.EXPORT,
    ):
        assert panel.isVisible() and panel.banner.text() == "Demo: simulated Halo"
        current = click_next(qtbot, window, step)
        if step is StepKey.IDENTITY:
            click(qtbot, current.application)
        elif step is StepKey.SCOPES:
            click(qtbot, current.preset_buttons["read_tickets"])
        elif step is StepKey.HOSTNAME:
            # Filled in already: the demo is ready to connect.
            assert current.address.text() == session.url
            shot(window, "demo", "05-hostname")
        elif step is StepKey.CREDENTIALS:
            assert current.client_id.text() == session.client_id
            assert current.secret.text() == session.client_secret
            # Never "where your tool can read it": the demo keeps its secret in memory.
            qtbot.waitUntil(lambda: window.context.keychain.checked, timeout=5000)
            if not current.remember.isChecked():
                click(qtbot, current.remember)
            assert current.keychain_note.text() == text.CRED_REMEMBER_DEMO
        wait_idle(qtbot, window)
        seen.append(step)
    assert window.context.flow.state.report is not None
    shot(window, "demo", "09-export")


def test_switching_the_situation_changes_what_the_test_explains(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    state = demo_state(session)
    window = make_wizard(state, demo=session)
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window)
    click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
    click(qtbot, click_next(qtbot, window, StepKey.SCOPES).preset_buttons["read_tickets"])
    click_next(qtbot, window, StepKey.HOSTNAME)
    click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    click_next(qtbot, window, StepKey.CREDENTIALS)
    panel = window.steps.demo
    assert panel is not None
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("wrong_secret"))
    assert session.halo.scenario == "wrong_secret"
    assert "secret was regenerated" in panel.description.text()
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    shot(window, "demo-wrong-secret", "08-test")
    assert "INVALID_CLIENT" in [view.finding.code for view in live_test.finding_views]
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("healthy"))
    click(qtbot, live_test.again_button)
    wait_idle(qtbot, window)
    assert live_test.summary.label.text() == "The connection works."


def _tested_in_the_demo(
    qtbot: Any, window: Any, tool: str, situation: str | None = None
) -> list[str]:
    """Through the demo for `tool` with the scopes its recipe ticks, tested (in `situation`,
    when given); the codes of what the test found."""
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window, tool)
    click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
    for step in (StepKey.SCOPES, StepKey.HOSTNAME, StepKey.TENANT):
        click_next(qtbot, window, step)
    wait_idle(qtbot, window)
    click_next(qtbot, window, StepKey.CREDENTIALS)
    if situation is not None:
        panel = window.steps.demo
        panel.scenarios.setCurrentIndex(panel.scenarios.findData(situation))
    live_test = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    return [view.finding.code for view in live_test.finding_views]


def test_rewst_and_n8n_work_in_the_demo_as_their_guides_set_them_up(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    # The demo's application has what the Permissions page says to tick, the broad scopes
    # too: Rewst's all and n8n's admin pass where everything is set up right...
    for tool in ("rewst", "n8n"):
        window = make_wizard(demo_state(session), demo=session)
        codes = _tested_in_the_demo(qtbot, window, tool)
        assert window.context.flow.state.report.ok, (tool, codes)  # type: ignore[union-attr]
        assert "TOOL_NEEDS_BROAD_ACCESS" in codes and "SCOPE_NOT_GRANTED" not in codes, codes
        shot(window, f"demo-{tool}", "08-test")
        window.close_now()
    # ...and are refused in the situation about boxes left unticked.
    window = make_wizard(demo_state(session), demo=session)
    assert "SCOPE_NOT_GRANTED" in _tested_in_the_demo(qtbot, window, "rewst", "scope_not_ticked")


def walk_to_the_tenant_page(qtbot: Any, window: Any, address: str | None = None) -> Any:
    click(qtbot, page(window).existing)
    choose_tool(qtbot, window)
    click(qtbot, click_next(qtbot, window, StepKey.IDENTITY).agent)
    click(qtbot, click_next(qtbot, window, StepKey.SCOPES).preset_buttons["read_tickets"])
    hostname = click_next(qtbot, window, StepKey.HOSTNAME)
    if address is not None:
        hostname.address.selectAll()
        qtbot.keyClicks(hostname.address, address)
    tenant = click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    return tenant


def test_the_demo_is_a_hosted_halo_with_a_certificate_for_its_name(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    assert session.url == "https://acme.halopsa.com"
    window = make_wizard(demo_state(session), demo=session)
    tenant = walk_to_the_tenant_page(qtbot, window)
    discovery = window.context.flow.state.discovery
    assert discovery is not None and discovery.ok, discovery and discovery.codes()
    assert discovery.host == "https://acme.halopsa.com"
    assert discovery.tenant == "acme"
    assert tenant.summary.label.text() == "Found your Halo."
    # The sign-in went over HTTPS to the name, verified against the demo's own authority.
    request = session.halo.requests[-1]
    assert request.headers["host"] == "acme.halopsa.com"


def test_a_mistyped_hosted_name_in_the_demo_is_explained_as_on_a_real_instance(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    tenant = walk_to_the_tenant_page(qtbot, window, "acmee.halopsa.com")
    views = {view.finding.code: view for view in tenant.finding_views}
    assert list(views) == ["NOT_HALO"], list(views)
    finding = views["NOT_HALO"].finding
    assert "https://acmee.halopsa.com" in finding.detail
    assert "mistyped" in finding.detail
    assert "support" not in " ".join((finding.detail, *finding.fix_for(Front.WINDOW))).lower()
    shot(window, "demo-mistyped-name", "06-tenant")
    # Its button goes back to the address, selected, ready for the right name.
    button = views["NOT_HALO"].fix_button
    assert button is not None and button.text() == text.FIX_GO_TO["address"]
    click(qtbot, button)
    assert window.context.flow.current is StepKey.HOSTNAME
    hostname = page(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is hostname.address, timeout=2000)
    assert hostname.address.selectedText() == "acmee.halopsa.com"
    qtbot.keyClicks(hostname.address, "acme.halopsa.com")
    click_next(qtbot, window, StepKey.TENANT)
    wait_idle(qtbot, window)
    discovery = window.context.flow.state.discovery
    assert discovery is not None and discovery.ok


def test_a_mistyped_port_in_the_demo_says_to_check_the_address_first(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    tenant = walk_to_the_tenant_page(qtbot, window, "acme.halopsa.com:8443")
    views = {view.finding.code: view for view in tenant.finding_views}
    assert "CONNECT_FAILED" in views, list(views)
    first_step = views["CONNECT_FAILED"].finding.fix_for(Front.WINDOW)[0]
    assert first_step.startswith("Check the address for a typo")
    assert "acme.halopsa.com:8443" in first_step
    assert views["CONNECT_FAILED"].fix_button is not None


def test_a_situation_whose_halo_has_its_own_address_enters_it_and_offers_to_look_again(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    tenant = walk_to_the_tenant_page(qtbot, window)
    panel = window.steps.demo
    assert panel is not None
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("on_premise"))
    state = window.context.flow.state
    assert state.host_text == "https://itsm.acme.example"
    assert state.discovery is None
    assert panel.changed_note.isVisible()
    assert "https://itsm.acme.example" in panel.changed_note.text()
    assert panel.again_button.isVisible()
    shot(window, "demo-on-premise", "06-tenant")
    click(qtbot, panel.again_button)
    wait_idle(qtbot, window)
    discovery = window.context.flow.state.discovery
    assert discovery is not None and discovery.ok
    assert discovery.host == "https://itsm.acme.example"
    assert "ON_PREMISE" in [view.finding.code for view in tenant.finding_views]
    # Back to a hosted situation: back to the hosted address.
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("healthy"))
    assert window.context.flow.state.host_text == "https://acme.halopsa.com"


def test_an_address_the_admin_typed_is_kept_when_the_situation_changes(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    walk_to_the_tenant_page(qtbot, window, "acmee.halopsa.com")
    panel = window.steps.demo
    assert panel is not None
    panel.scenarios.setCurrentIndex(panel.scenarios.findData("on_premise"))
    assert window.context.flow.state.host_text == "acmee.halopsa.com"
    assert "itsm.acme.example" not in panel.changed_note.text()


def test_demo_values_can_be_put_back_after_editing(
    qtbot: Any, make_wizard: WizardFactory, session: DemoSession
) -> None:
    window = make_wizard(demo_state(session), demo=session)
    window.context.flow.update(host_text="typo", client_id_text="x", secret_text="y")
    hostname: Any = window.page_for(StepKey.HOSTNAME)
    hostname.load()
    click(qtbot, hostname.demo_button)
    assert window.context.flow.state.host_text == session.url
    credentials: Any = window.page_for(StepKey.CREDENTIALS)
    credentials.load()
    click(qtbot, credentials.demo_button)
    state = window.context.flow.state
    assert (state.client_id, state.secret) == (session.client_id, session.client_secret)


def _run_window(*arguments: str) -> subprocess.CompletedProcess[str]:
    """`halo-wizard ARGS` in a child process that closes its window once it is shown."""
    code = textwrap.dedent(
        """
        import sys
        from PySide6.QtCore import QTimer
        from wizard.ui.app import application
        from wizard.cli import main

        app = application()

        def close_when_shown():
            for widget in app.topLevelWidgets():
                if type(widget).__name__ == "WizardWindow" and widget.isVisible():
                    print("TITLE", widget.windowTitle())
                    print("PAGE", widget.currentPage().title())
                    print("CA", widget.context.ca_bundle)
                    widget.close_now()
                    return
            QTimer.singleShot(50, close_when_shown)

        QTimer.singleShot(0, close_when_shown)
        sys.exit(main(sys.argv[1:]))
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-c", code, *arguments],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_halo_wizard_with_no_command_opens_the_wizard() -> None:
    result = _run_window()
    assert "TITLE Halo connection wizard\n" in result.stdout, result.stderr
    assert "PAGE Connect your tool to Halo" in result.stdout
    assert result.returncode == 1  # closed without finishing


def test_halo_wizard_demo_opens_the_wizard_on_a_simulated_halo() -> None:
    result = _run_window("--demo", "--scenario", "trial")
    assert "TITLE Halo connection wizard (demo)" in result.stdout, result.stderr
    assert result.returncode == 1


def test_an_unknown_demo_scenario_is_a_usage_error() -> None:
    result = _run_window("--demo", "--scenario", "nonsense")
    assert result.returncode == 2
    assert "Unknown scenario 'nonsense'" in result.stderr


def test_a_ca_bundle_that_does_not_exist_is_a_usage_error_before_any_window() -> None:
    result = _run_window("--ca-bundle", "/nonexistent/ca.pem")
    assert result.returncode == 2
    assert "--ca-bundle: no such file: /nonexistent/ca.pem" in result.stderr
    assert "TITLE" not in result.stdout


def test_the_wizard_trusts_the_ca_bundle_it_is_given(ca_bundle: str) -> None:
    result = _run_window("--ca-bundle", ca_bundle)
    assert f"CA {ca_bundle}\n" in result.stdout, result.stderr
