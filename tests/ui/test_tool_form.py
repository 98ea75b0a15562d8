"""The last page ends with the tool's own form: each field by its label, its value and a Copy
button, from a connection that passed its test, tested on hosted, trial and on-premise
simulated Halos; the secret reaches the clipboard only through its own button."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from tests.conftest import HaloFactory
from tests.ui.conftest import WizardFactory
from tests.ui.driver import (
    QT_LOG_MARKS,
    click,
    click_next,
    enter_credentials,
    shot,
    wait_idle,
    walk_to_credentials,
)
from wizard.flow import StepKey
from wizard.sim import SimulatedHalo
from wizard.sim.scenarios import READ_EDIT_SCOPES
from wizard.ui.window import WizardWindow

pytestmark = QT_LOG_MARKS

# Every scope ticked on the simulated application, the broad ones too (Rewst's all, n8n's
# admin), as an admin following the tool's guide would have them.
EVERY_SCOPE = READ_EDIT_SCOPES | {"all", "admin"}


def _clipboard() -> str:
    return QApplication.clipboard().text()


def to_form(
    qtbot: Any,
    window: WizardWindow,
    halo: SimulatedHalo,
    tool: str,
    *,
    secret: str | None = None,
    preset: str | None = None,
) -> Any:
    """Through the wizard for `tool`, tested, to the last page: with the scopes its recipe
    ticks (the simulated Halo is started with them ticked: EVERY_SCOPE), or those of the
    purpose `preset` chosen on the Permissions page."""
    walk_to_credentials(qtbot, window, halo, tool=tool, preset=preset)
    enter_credentials(qtbot, window, halo.client_id, secret or halo.client_secret)
    click_next(qtbot, window, StepKey.TEST)
    wait_idle(qtbot, window)
    return click_next(qtbot, window, StepKey.EXPORT)


def _values(export: Any) -> dict[str, str]:
    return {label: value.text() for label, value in export.tool_form.values.items()}


def _button(export: Any, label: str, index: int = 0) -> Any:
    return export.tool_form.copy_buttons[label][index]


def test_rewst_on_a_hosted_halo_gets_its_fields_and_the_secret_only_from_its_own_button(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy", ticked=EVERY_SCOPE)
    window = make_wizard()
    export = to_form(qtbot, window, halo, "rewst")
    assert window.context.flow.state.report is not None
    assert window.context.flow.state.report.ok
    box = export.tool_form
    assert box.isVisible() and box.title() == "Type these into Rewst"
    assert export.subTitle().startswith("Type the tested values into Rewst")
    values = _values(export)
    host_name = halo.url.removeprefix("https://")
    assert list(values) == [
        "Resource Server Hostname",
        "Client ID",
        "Tenant ID",
        "Client Secret",
        "Is On-Premise?",
    ], "no Auth Server Hostname: this Halo signs in on its own /auth"
    assert values["Resource Server Hostname"] == host_name
    assert values["Client ID"] == halo.client_id
    assert values["Tenant ID"] == "acme"
    assert values["Is On-Premise?"] == "No"
    # The secret's field shows no value, and says so.
    assert values["Client Secret"] == "Your client secret: not shown here."
    assert halo.client_secret not in "".join(values.values())
    # The environment variables are for scripts; Rewst reads the form.
    assert not export.env_box.isVisible()
    assert export.file_for_later.isVisible()
    assert "This file is not read by Rewst" in export.file_for_later.text()
    shot(window, "form-rewst-hosted", "10-export")

    QApplication.clipboard().setText("something of the admin's")
    click(qtbot, _button(export, "Client ID"))
    assert _clipboard() == halo.client_id
    assert box.copied.text() == "Copied Client ID."
    click(qtbot, _button(export, "Resource Server Hostname"))
    assert _clipboard() == host_name
    for label in values:
        if label != "Client Secret":
            click(qtbot, _button(export, label))
            assert halo.client_secret not in _clipboard()
    secret_button = _button(export, "Client Secret")
    assert secret_button.text() == "Copy the secret"
    assert len(export.tool_form.copy_buttons["Client Secret"]) == 1
    assert _clipboard() != halo.client_secret, "not before its own button is clicked"
    click(qtbot, secret_button)
    assert _clipboard() == halo.client_secret
    assert (
        box.copied.text()
        == "Copied the client secret: paste it into Rewst's Client Secret field now."
    )
    # What to do next is beside the button, read before it is clicked.
    assert "so that it does not stay on the clipboard" in box.notes["Client Secret"].text()
    assert halo.client_secret not in box.copied.text()
    shot(window, "form-rewst-hosted", "10-export-copied-secret")


def test_rewst_on_a_trial_gets_the_auth_server_hostname(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("trial", ticked=EVERY_SCOPE)
    window = make_wizard()
    export = to_form(qtbot, window, halo, "rewst")
    values = _values(export)
    assert list(values) == [
        "Resource Server Hostname",
        "Client ID",
        "Tenant ID",
        "Auth Server Hostname",
        "Client Secret",
        "Is On-Premise?",
    ]
    assert values["Auth Server Hostname"] == halo.auth_url.removeprefix("https://")
    assert values["Auth Server Hostname"] != values["Resource Server Hostname"]
    assert values["Tenant ID"] == "SimTrial42"
    assert values["Is On-Premise?"] == "No"
    shot(window, "form-rewst-trial", "10-export")


def test_rewst_on_premise_has_no_tenant_and_says_yes(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("on_premise", ticked=EVERY_SCOPE)
    window = make_wizard()
    export = to_form(qtbot, window, halo, "rewst")
    values = _values(export)
    assert "Tenant ID" not in values and "Auth Server Hostname" not in values
    assert values["Is On-Premise?"] == "Yes"
    assert values["Resource Server Hostname"] == halo.url.removeprefix("https://")
    shot(window, "form-rewst-on-premise", "10-export")


def test_cipp_on_premise_leaves_its_tenant_empty_and_nango_on_a_trial_says_it_cannot_connect(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("on_premise", ticked=EVERY_SCOPE)
    window = make_wizard()
    export = to_form(qtbot, window, halo, "cipp", preset=None)
    box = export.tool_form
    assert box.title() == "Type these into CIPP"
    values = _values(export)
    assert list(values) == [
        "HaloPSA Resource Server URL",
        "HaloPSA Authorisation Endpoint URL",
        "HaloPSA Tenant",
        "HaloPSA Client ID",
        "HaloPSA Client Secret",
        "HaloPSA Ticket Type ID",
    ]
    assert values["HaloPSA Resource Server URL"] == f"{halo.url}/api"
    assert values["HaloPSA Authorisation Endpoint URL"] == f"{halo.url}/auth"
    # Nothing to copy for a field left empty or CIPP's own setting: the note says what to do.
    assert values["HaloPSA Tenant"] == "" and box.copy_buttons["HaloPSA Tenant"] == []
    assert box.notes["HaloPSA Tenant"].text().startswith("Leave it empty")
    assert box.copy_buttons["HaloPSA Ticket Type ID"] == []
    assert "the page's address" in box.notes["HaloPSA Ticket Type ID"].text()
    shot(window, "form-cipp-on-premise", "10-export")
    window.close_now()

    trial = start_halo("trial", ticked=EVERY_SCOPE)
    window = make_wizard()
    export = to_form(qtbot, window, trial, "nango")
    # Nango would be refused by a trial's shared sign-in server: the test says so as an
    # error, and no form is offered to type into Nango.
    report = window.context.flow.state.report
    assert report is not None and "TOOL_CANNOT_SIGN_IN" in report.codes()
    assert export.tool_form.title() == "Type these into Nango"
    assert export.tool_form.values == {} and not export.tool_form.fields_box.isVisible()
    assert "Nango cannot sign in to this Halo" in export.test_status.label.text() or (
        "problems" in export.tool_form.waiting.text()
    )
    shot(window, "form-nango-trial", "10-export")


def test_no_form_after_a_failed_test_and_the_page_says_why(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy", ticked=EVERY_SCOPE)
    window = make_wizard()
    export = to_form(qtbot, window, halo, "n8n", secret="not-the-secret")
    report = window.context.flow.state.report
    assert report is not None and not report.ok
    box = export.tool_form
    assert box.isVisible() and box.title() == "Type these into n8n"
    assert box.values == {} and not box.fields_box.isVisible()
    assert "the last test found problems" in box.waiting.text()
    shot(window, "form-failed", "10-export")


def test_a_label_read_from_the_guide_says_so_and_the_powershell_line_hides_the_secret(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy", ticked=EVERY_SCOPE)
    window = make_wizard()
    export = to_form(qtbot, window, halo, "hire2retire")
    values = _values(export)
    assert list(values) == ["Client ID", "Client Secret", "Instance URL"]
    assert values["Instance URL"] == halo.url
    said = export.tool_form.notes["Instance URL"].text()
    assert said == "With https:// (label as the tool's guide describes it)"
    assert "Client ID" not in export.tool_form.notes, "a label seen in the guide says nothing"
    shot(window, "form-hire2retire", "10-export")
    window.close_now()

    window = make_wizard()
    export = to_form(qtbot, window, halo, "haloapi-powershell")
    line = _values(export)["Connect-HaloAPI"]
    assert line.startswith(f"Connect-HaloAPI -URL '{halo.url}' -ClientID '{halo.client_id}'")
    assert "-ClientSecret '<client secret>'" in line and "-Tenant 'acme'" in line
    assert halo.client_secret not in line
    copy, with_secret = export.tool_form.copy_buttons["Connect-HaloAPI"]
    assert with_secret.text() == "Copy with the secret"
    click(qtbot, copy)
    assert _clipboard() == line, "with the placeholder"
    assert "placeholder where the secret goes" in export.tool_form.copied.text()
    click(qtbot, with_secret)
    assert _clipboard() == line.replace("'<client secret>'", f"'{halo.client_secret}'")
    shot(window, "form-powershell", "10-export")


def test_another_tool_gets_halos_own_names_and_a_script_keeps_the_variables(
    qtbot: Any, make_wizard: WizardFactory, start_halo: HaloFactory
) -> None:
    halo = start_halo("healthy", ticked=EVERY_SCOPE)
    window = make_wizard()
    # The admin picks the scopes for another tool: the form names what was chosen.
    export = to_form(qtbot, window, halo, "other", preset="ticket_sync")
    assert export.tool_form.title() == "Type these into your tool"
    values = _values(export)
    assert values["Resource Server"] == f"{halo.url}/api"
    assert values["Token URL"] == f"{halo.url}/auth/token?tenant=acme"
    assert values["Scopes"] == "read:tickets edit:tickets read:customers"
    shot(window, "form-other", "10-export")
    window.close_now()

    window = make_wizard()
    export = to_form(qtbot, window, halo, "script")
    assert not export.tool_form.isVisible()
    assert export.env_box.isVisible() and not export.file_for_later.isVisible()
    assert (
        export.subTitle()
        == "Save the tested settings in a connection file that your tool can read."
    )
