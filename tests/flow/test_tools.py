"""Which tool is connected: its recipe chooses the scopes and the identity, the admin can
change them, and the pages can tell which scopes the tool asks for itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conftest import check
from wizard.core.recipes import recipe
from wizard.flow import AppChoice, IdentityChoice, StepKey, WizardFlow
from wizard.flow.tools import (
    NOT_TESTED,
    TEST_FAILED,
    broad_scopes_from_tool,
    choose_tool,
    has_form,
    identity_differs,
    is_command,
    missing_tool_scopes,
    scopes_as_recipe,
    tool_choices,
    tool_form,
    tool_recipe,
)
from wizard.sim import SimulatedHalo

Start = Callable[..., SimulatedHalo]


def _flow_with(tool: str, app: AppChoice = AppChoice.NEW) -> WizardFlow:
    flow = WizardFlow()
    flow.update(app_choice=app)
    flow.go_next()
    flow.update(**choose_tool(flow.state, tool))
    return flow


def test_the_tool_is_asked_right_after_welcome_on_both_set_up_paths() -> None:
    for app, then in ((AppChoice.NEW, StepKey.CREATE_APP), (AppChoice.EXISTING, StepKey.IDENTITY)):
        flow = WizardFlow()
        flow.update(app_choice=app)
        assert flow.go_next() is StepKey.TOOL
        assert not flow.can_go_next(), "Next waits for a tool"
        flow.update(**choose_tool(flow.state, "other"))
        assert flow.go_next() is then


def test_diagnosing_never_asks_for_the_tool() -> None:
    flow = WizardFlow()
    flow.update(app_choice=AppChoice.DIAGNOSE)
    assert StepKey.TOOL not in flow.path()


def test_the_nine_tools_are_offered_with_another_tool_last() -> None:
    ids = [recipe.id for recipe in tool_choices()]
    assert ids == [
        "rewst",
        "hire2retire",
        "n8n",
        "cipp",
        "nango",
        "halo-custom-integration",
        "haloapi-powershell",
        "script",
        "other",
    ]
    assert all(recipe.summary for recipe in tool_choices())


def test_rewst_ticks_all_and_chooses_an_agent() -> None:
    flow = _flow_with("rewst")
    state = flow.state
    assert state.tool == "rewst" and state.scopes == ("all",)
    assert state.preset == "everything"
    assert state.identity is IdentityChoice.AGENT
    assert scopes_as_recipe(state) and missing_tool_scopes(state) == ()
    assert broad_scopes_from_tool(state), "all is ticked because Rewst's guide asks for it"
    recipe = tool_recipe(state)
    assert recipe is not None and "Allow use of all Customers" in recipe.identity_advice


def test_n8n_ticks_what_it_asks_for_itself_and_an_untick_is_noticed() -> None:
    flow = _flow_with("n8n")
    state = flow.state
    assert {"admin", "edit:tickets", "edit:customers"} <= set(state.scopes)
    # Ticking an edit: scope in Halo brings its read: scope along.
    assert set(state.scopes) == {
        "admin",
        "read:tickets",
        "edit:tickets",
        "read:customers",
        "edit:customers",
    }
    recipe = tool_recipe(state)
    assert recipe is not None and recipe.scopes_fixed
    assert missing_tool_scopes(state) == ()
    flow.update(scopes=tuple(s for s in state.scopes if s != "edit:customers"))
    assert missing_tool_scopes(flow.state) == ("edit:customers",)
    assert not scopes_as_recipe(flow.state)


def test_a_tool_that_lets_the_admin_choose_never_warns_of_a_missing_scope() -> None:
    flow = _flow_with("hire2retire")
    assert set(flow.state.scopes) == {"read:tickets", "edit:tickets", "read:assets"}
    flow.update(scopes=("read:tickets",))
    assert missing_tool_scopes(flow.state) == ()
    assert not scopes_as_recipe(flow.state)


def test_choosing_the_same_tool_again_keeps_the_admins_own_changes() -> None:
    flow = _flow_with("rewst")
    flow.update(scopes=("read:tickets",), identity=IdentityChoice.APPLICATION)
    assert choose_tool(flow.state, "rewst") == {}
    # Another tool brings its own scopes; one that works as either identity keeps the choice.
    flow.update(**choose_tool(flow.state, "script"))
    assert flow.state.scopes == ("read:tickets",)
    assert flow.state.identity is IdentityChoice.APPLICATION


def test_an_identity_other_than_the_tools_is_noticed() -> None:
    flow = _flow_with("rewst")
    assert identity_differs(flow.state) is None
    flow.update(identity=IdentityChoice.APPLICATION)
    assert identity_differs(flow.state) == "agent"
    flow.update(**choose_tool(flow.state, "other"))
    assert identity_differs(flow.state) is None, "another tool works as either"


def test_changing_the_tool_drops_the_test_that_judged_the_previous_one(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    flow = _flow_with("rewst", AppChoice.EXISTING)
    flow.update(report=check(halo, ca_bundle, scopes="all"))
    assert flow.state.report is not None
    flow.update(**choose_tool(flow.state, "n8n"))
    assert flow.state.report is None


def test_the_form_waits_for_a_passing_test_and_comes_from_what_halo_answered(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("trial")
    flow = _flow_with("rewst", AppChoice.EXISTING)
    form = tool_form(flow.state)
    assert form is not None and form.waiting == NOT_TESTED and form.fields == ()
    flow.update(report=check(halo, ca_bundle, client_secret="wrong"))
    form = tool_form(flow.state)
    assert form is not None and form.waiting == TEST_FAILED and form.fields == ()
    flow.update(report=check(halo, ca_bundle))
    form = tool_form(flow.state)
    assert form is not None and form.waiting is None
    fields = {field.label: field for field in form.fields}
    assert fields["Auth Server Hostname"].value == halo.auth_url.removeprefix("https://")
    assert fields["Tenant ID"].value == "SimTrial42"
    assert fields["Client Secret"].value is None and fields["Client Secret"].secret


def test_a_script_and_the_diagnose_path_have_no_form_of_their_own() -> None:
    assert tool_form(_flow_with("script").state) is None
    assert not has_form(_flow_with("script").state)
    assert has_form(_flow_with("other").state)
    flow = WizardFlow()
    flow.update(app_choice=AppChoice.DIAGNOSE)
    assert tool_form(flow.state) is None


def test_the_powershell_module_has_a_command_rather_than_fields() -> None:
    assert is_command(recipe("haloapi-powershell"))
    assert not any(is_command(recipe(name)) for name in ("rewst", "n8n", "other"))


def test_cipp_ticks_what_its_docs_ask_for_and_leaves_the_identity_to_the_admin() -> None:
    flow = _flow_with("cipp")
    state = flow.state
    assert set(state.scopes) == {"read:tickets", "edit:tickets", "read:customers", "edit:customers"}
    assert state.identity is None, "CIPP names no identity: the admin chooses"
    assert not broad_scopes_from_tool(state) and missing_tool_scopes(state) == ()
    flow.update(identity=IdentityChoice.APPLICATION)
    assert identity_differs(flow.state) is None


def _tested_form(
    start_halo: Start, ca_bundle: str, tool: str, scenario: str
) -> tuple[dict[str, Any], SimulatedHalo]:
    """The tool's form on the last page after a passing test of `scenario` (label -> field),
    and the simulated Halo tested."""
    halo = start_halo(scenario, tick_all=True)
    flow = _flow_with(tool, AppChoice.EXISTING)
    chosen = recipe(tool)
    flow.update(report=check(halo, ca_bundle, scopes=" ".join(chosen.scopes), tool=tool))
    form = tool_form(flow.state)
    assert form is not None and form.waiting is None, form
    return {field.label: field for field in form.fields}, halo


def test_cipps_form_on_a_trial_and_on_premise(start_halo: Start, ca_bundle: str) -> None:
    trial, halo = _tested_form(start_halo, ca_bundle, "cipp", "trial")
    # CIPP adds /token itself: on a trial, the shared sign-in server as it is.
    assert trial["HaloPSA Authorisation Endpoint URL"].value == halo.auth_url
    assert trial["HaloPSA Tenant"].value == "SimTrial42"
    own, halo = _tested_form(start_halo, ca_bundle, "cipp", "on_premise")
    assert own["HaloPSA Resource Server URL"].value == f"{halo.url}/api"
    assert own["HaloPSA Authorisation Endpoint URL"].value == f"{halo.url}/auth"
    assert own["HaloPSA Tenant"].value == ""
    assert (own["HaloPSA Tenant"].note or "").startswith("Leave it empty")


def test_nangos_form_on_a_trial_says_it_cannot_connect(start_halo: Start, ca_bundle: str) -> None:
    # The test passes (it signs in where the trial does), but Nango would be refused: an
    # error of its own, and no form to type into Nango.
    trial = start_halo("trial", tick_all=True)
    flow = _flow_with("nango", AppChoice.EXISTING)
    report = check(trial, ca_bundle, scopes=" ".join(recipe("nango").scopes), tool="nango")
    assert not report.ok and "TOOL_CANNOT_SIGN_IN" in report.codes()
    flow.update(report=report)
    form = tool_form(flow.state)
    assert form is not None and form.waiting is not None and not form.fields
    hosted, halo = _tested_form(start_halo, ca_bundle, "nango", "healthy")
    assert hosted["Hostname"].value == halo.url.removeprefix("https://")
    assert "cannot connect" not in (hosted["Hostname"].note or "")
    assert hosted["Scopes"].value == "read:tickets"
