"""The real wizard, driven from the first page to a written connection file against the simulator.

Every test talks to a simulated Halo over real TLS (trusted through the test CA), through the
same pages, buttons and fields an admin uses.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from tests.conftest import HaloFactory
from tests.ui.conftest import FakeKeychain, WizardFactory
from tests.ui.driver import (
    BACK,
    FINISH,
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
from wizard.ui.widgets import FindingView
from wizard.ui.window import WizardWindow

# What a passing test that asked for edit:tickets says (it never tries changing).
READ_ONLY = "The connection works for reading"

pytestmark = QT_LOG_MARKS


def save_file(qtbot: Any, window: WizardWindow) -> dict[str, Any]:
    """Click "Save connection file" and return what was written."""
    export = page(window)
    click(qtbot, export.save_button)
    qtbot.waitUntil(lambda: window.context.flow.state.exported_to is not None, timeout=8000)
    path = window.context.flow.state.exported_to
    assert path is not None
    data: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return data


def test_happy_path_writes_a_private_connection_file_without_the_secret(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory, keychain: FakeKeychain
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo, shots="happy")
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    shot(window, "happy", "07-credentials")
    test_page = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    shot(window, "happy", "08-test")
    # Only reading was tried: the sentence says so, and names the scope not tried.
    assert test_page.summary.label.text() == f"{READ_ONLY}."
    assert test_page.checklist.step_keys() == [
        "input",
        "discovery",
        "token",
        "scope:read:tickets",
        "scope:edit:tickets",
        "scope:read:customers",
        "identity",
    ]
    statuses = {key: test_page.checklist.status_of(key) for key in test_page.checklist.step_keys()}
    # Changing tickets was never tried (the test only reads): granted, not ticked.
    assert statuses.pop("scope:edit:tickets") == "skipped"
    assert set(statuses.values()) == {"ok"}
    click_next(qtbot, window, StepKey.EXPORT)
    shot(window, "happy", "09-export")
    data = save_file(qtbot, window)
    shot(window, "happy", "10-saved")
    path = window.context.flow.state.exported_to
    assert path is not None and os.path.dirname(path) == window.context.documents_dir
    assert os.path.basename(path) == "halo-connection-acme.json"
    assert data["host"] == halo.url and data["tenant"] == "acme"
    assert data["scopes"] == ["read:tickets", "edit:tickets", "read:customers"]
    assert data["identity"]["kind"] == "agent" and data["test"]["ok"] is True
    assert data["secret"]["store"] == "keychain"
    assert halo.client_secret not in Path(path).read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert keychain.stored[(halo.url, halo.client_id)] == halo.client_secret
    assert path in page(window).save_result.label.text()
    click(qtbot, window.button(FINISH))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=8000)


def test_wrong_secret_shows_invalid_client_with_its_fix_and_the_file_records_the_failure(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("wrong_secret")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    test_page = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    shot(window, "wrong-secret", "08-test")
    assert test_page.summary.label.text() == (
        "1 problem to fix before the connection works: "
        "Halo rejected the Client ID or the client secret."
    )
    assert test_page.checklist.status_of("token") == "error"
    views = {view.finding.code: view for view in test_page.finding_views}
    invalid = views["INVALID_CLIENT"]
    assert invalid.title.text() == "Problem: Halo rejected the Client ID or the client secret"
    assert (
        invalid.steps is not None
        and "click Generate next to Client Secret" in invalid.steps.plain_text()
    )
    assert invalid.open_button is not None
    click(qtbot, invalid.open_button)
    assert window.context.services.open_url.__self__.opened == [  # type: ignore[attr-defined]
        f"{halo.url}/config/integrations/api/applications"
    ]
    click(qtbot, invalid.copy_button)
    from PySide6.QtGui import QGuiApplication

    copied = QGuiApplication.clipboard().text()
    assert "Halo rejected the Client ID" in copied and "1. In HaloPSA" in copied
    assert halo.client_secret not in copied

    export = click_next(qtbot, window, StepKey.EXPORT)
    shot(window, "wrong-secret", "09-export")
    assert export.test_status.mark.kind == "error"
    assert "does not work yet" in export.test_status.label.text()
    data = save_file(qtbot, window)
    assert data["test"]["ok"] is False and data["test"]["errors"] == ["INVALID_CLIENT"]


def test_agent_without_permission_names_the_agent_and_the_area(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("agent_no_permission")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    test_page = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    shot(window, "agent-no-permission", "08-test")
    denied = [v for v in test_page.finding_views if v.finding.code == "PERMISSION_DENIED"]
    assert [v.title.text() for v in denied] == ["Problem: Integration API may not read tickets"]
    assert denied[0].steps is not None
    assert "Configuration > Teams & Agents > Agents > Integration API" in (
        denied[0].steps.plain_text()
    )
    assert test_page.checklist.status_of("scope:read:tickets") == "error"
    assert test_page.checklist.status_of("scope:read:customers") == "ok"
    click_next(qtbot, window, StepKey.EXPORT)
    data = save_file(qtbot, window)
    assert data["test"]["errors"] == ["PERMISSION_DENIED"]


def test_trial_instance_shows_its_tenant_and_the_separate_auth_server(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("trial")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo, shots="trial")
    tenant: Any = window.page_for(StepKey.TENANT)
    assert tenant.fact_labels["tenant"].text() == "SimTrial42"
    assert tenant.fact_labels["auth"].text() == halo.auth_url
    assert halo.auth_url.split("//")[1] != halo.url.split("//")[1]
    views = tenant.findings_box.findChildren(FindingView)
    titles = {view.finding.code: view.title.text() for view in views}
    assert titles["TENANT_DETECTED"] == "Note: Tenant detected: SimTrial42"
    assert titles["AUTH_SERVER_SEPARATE"] == (
        f"Note: The authorisation server is on another host: {halo.auth_url}"
    )
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    test_page = click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    assert test_page.summary.mark.kind in ("ok", "warning")
    click_next(qtbot, window, StepKey.EXPORT)
    data = save_file(qtbot, window)
    assert data["tenant"] == "SimTrial42" and data["auth_url"] == halo.auth_url
    assert data["token_url"] == f"{halo.auth_url}/token?tenant=SimTrial42"


def test_cancel_during_the_live_test_stops_at_once_and_test_again_works(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy")
    window = make_wizard()
    walk_to_credentials(qtbot, window, halo)
    enter_credentials(qtbot, window, halo.client_id, halo.client_secret)
    halo.scenario = "never_answers"
    test_page = click_next(qtbot, window, StepKey.TEST)
    qtbot.waitUntil(lambda: test_page.checklist.status_of("discovery") == "running", timeout=5000)
    assert test_page.busy and test_page.cancel_button.isVisible()
    assert not window.button(window.WizardButton.NextButton).isEnabled()
    shot(window, "cancel", "08-test-running")
    started = time.monotonic()
    click(qtbot, test_page.cancel_button)
    qtbot.waitUntil(
        lambda: test_page.summary.label.text() == "Test cancelled. Click Test again to run it.",
        timeout=1000,
    )
    assert time.monotonic() - started < 1.0
    shot(window, "cancel", "08-test-cancelled")
    assert not test_page.busy and test_page.again_button.isEnabled()
    assert test_page.checklist.status_of("discovery") == "skipped"
    assert window.button(BACK).isEnabled()
    assert not window.button(window.WizardButton.NextButton).isEnabled()

    halo.scenario = "healthy"
    click(qtbot, test_page.again_button)
    wait_idle(qtbot, window)
    assert test_page.summary.label.text() == f"{READ_ONLY}."
    click_next(qtbot, window, StepKey.EXPORT)
    assert save_file(qtbot, window)["test"]["ok"] is True
