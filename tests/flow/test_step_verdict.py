"""The step list's verdicts without any widget: a tick only where Halo confirmed something."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.conftest import check
from wizard.core import CheckReport, run_discovery
from wizard.flow import StepKey, WizardState
from wizard.flow.verdict import StepVerdict, step_verdict
from wizard.sim import SimulatedHalo

Start = Callable[..., SimulatedHalo]
VERIFIED, PROBLEM, UNCHECKED = StepVerdict.VERIFIED, StepVerdict.PROBLEM, StepVerdict.UNCHECKED


def _discover(url: str, ca_bundle: str) -> CheckReport:
    return asyncio.run(run_discovery(url, ca_bundle=ca_bundle, timeout=5.0))


def _verdicts(state: WizardState) -> dict[StepKey, StepVerdict]:
    return {key: step_verdict(state, key) for key in StepKey}


def _tested(halo: SimulatedHalo, ca_bundle: str, **overrides: object) -> WizardState:
    discovery = _discover(halo.url, ca_bundle)
    state = WizardState(
        host_text=halo.url,
        client_id_text=halo.client_id,
        secret_text=halo.client_secret,
        discovery=discovery,
    )
    return state.changed(report=check(halo, ca_bundle, **overrides))


def test_nothing_is_verified_before_any_check() -> None:
    state = WizardState(host_text="acme.halopsa.com", client_id_text="x", secret_text="y")
    assert set(_verdicts(state).values()) == {UNCHECKED}


def test_a_passed_test_ticks_the_address_tenant_credentials_and_test(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    verdicts = _verdicts(_tested(halo, ca_bundle))
    assert verdicts[StepKey.HOSTNAME] is VERIFIED
    assert verdicts[StepKey.TENANT] is VERIFIED
    assert verdicts[StepKey.CREDENTIALS] is VERIFIED
    assert verdicts[StepKey.TEST] is VERIFIED
    # What the test verified of the earlier choices: the identity Halo named, and each scope
    # read records.
    assert verdicts[StepKey.IDENTITY] is VERIFIED
    assert verdicts[StepKey.SCOPES] is VERIFIED
    # Pages with no check of their own are never ticked.
    for key in (StepKey.WELCOME, StepKey.CREATE_APP):
        assert verdicts[key] is UNCHECKED


def test_a_wrong_secret_marks_the_credentials_and_the_test_but_not_the_address(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("wrong_secret")
    verdicts = _verdicts(_tested(halo, ca_bundle))
    assert verdicts[StepKey.CREDENTIALS] is PROBLEM
    assert verdicts[StepKey.TEST] is PROBLEM
    assert verdicts[StepKey.HOSTNAME] is VERIFIED
    assert verdicts[StepKey.TENANT] is VERIFIED


def test_an_address_that_is_not_halo_is_a_problem_after_discovery(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("not_halo")
    state = WizardState(host_text=halo.url, discovery=_discover(halo.url, ca_bundle))
    assert step_verdict(state, StepKey.HOSTNAME) is PROBLEM
    assert step_verdict(state, StepKey.TENANT) is PROBLEM
    assert step_verdict(state, StepKey.CREDENTIALS) is UNCHECKED


def test_a_test_that_stopped_at_discovery_says_nothing_about_the_credentials(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("unknown_instance")
    state = WizardState(host_text=halo.url).changed(report=check(halo, ca_bundle))
    verdicts = _verdicts(state)
    assert verdicts[StepKey.HOSTNAME] is PROBLEM
    assert verdicts[StepKey.TEST] is PROBLEM
    assert verdicts[StepKey.CREDENTIALS] is UNCHECKED


def test_a_missing_secret_is_a_credentials_problem_without_asking_halo(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    state = WizardState(host_text=halo.url).changed(report=check(halo, ca_bundle, client_secret=""))
    assert step_verdict(state, StepKey.CREDENTIALS) is PROBLEM
    assert step_verdict(state, StepKey.TEST) is PROBLEM


def test_a_tenant_typed_over_the_detected_one_is_not_ticked(
    halo: SimulatedHalo, ca_bundle: str
) -> None:
    state = WizardState(host_text=halo.url, discovery=_discover(halo.url, ca_bundle))
    assert step_verdict(state, StepKey.TENANT) is VERIFIED
    typed = state.changed(tenant_override="someone-else")
    assert step_verdict(typed, StepKey.TENANT) is UNCHECKED


def test_changing_the_secret_after_a_failed_test_clears_its_marks(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("wrong_secret")
    state = _tested(halo, ca_bundle).changed(secret_text="a new secret")
    assert step_verdict(state, StepKey.CREDENTIALS) is UNCHECKED
    assert step_verdict(state, StepKey.TEST) is UNCHECKED
    # The address was still found by the tenant page's discovery.
    assert step_verdict(state, StepKey.HOSTNAME) is VERIFIED


def test_a_timeout_marks_no_entry_step(start_halo: Start, ca_bundle: str) -> None:
    """Nothing typed is at fault when Halo does not answer in time: the page names the
    network, and neither the address nor the Client ID and secret get a cross."""
    halo = start_halo("never_answers")
    state = _tested(halo, ca_bundle, timeout=1.0)
    assert state.report is not None
    assert "TIMEOUT" in state.report.codes()
    verdicts = _verdicts(state)
    assert verdicts[StepKey.HOSTNAME] is UNCHECKED
    assert verdicts[StepKey.CREDENTIALS] is UNCHECKED
    assert verdicts[StepKey.TEST] is PROBLEM


def test_an_identity_the_tool_cannot_use_is_no_tick_beside_the_warning(
    start_halo: Start, ca_bundle: str
) -> None:
    """Rewst works as an agent; this application acts as itself: the headline warns, and the
    identity step is never ticked beside that warning (a warning, not a problem: no cross)."""
    halo = start_halo("application_identity", tick_all=True)
    state = _tested(halo, ca_bundle, tool="rewst", scopes="all")
    assert state.report is not None
    assert "TOOL_NEEDS_OTHER_IDENTITY" in state.report.codes()
    assert _verdicts(state)[StepKey.IDENTITY] is UNCHECKED
    human = _tested(start_halo("human_admin_agent"), ca_bundle)
    assert human.report is not None and "AGENT_NOT_API_ONLY" in human.report.codes()
    assert _verdicts(human)[StepKey.IDENTITY] is UNCHECKED


def test_a_connection_that_sees_no_records_is_not_said_to_work(
    start_halo: Start, ca_bundle: str
) -> None:
    from wizard.core.textreport import result_sentence

    halo = start_halo("agent_sees_nothing")
    state = _tested(halo, ca_bundle)
    assert state.report is not None
    kind, sentence = result_sentence(state.report)
    assert kind == "warning" and "works" not in sentence
    assert sentence.startswith("Halo accepted the connection, but it sees no ")
    assert _verdicts(state)[StepKey.SCOPES] is not VERIFIED
