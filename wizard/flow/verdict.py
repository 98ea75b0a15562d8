"""What the step list may claim about a step: verified, has a problem, or nothing checked.

A tick must mean that something was verified against Halo, never only that the admin
clicked Next, so the verdict comes from the last check that covered the step: the tenant
page's discovery, or the live test (which discovers again and asks for a token).
"""

from __future__ import annotations

from enum import StrEnum

from wizard.core import CheckReport
from wizard.core.findings import Severity
from wizard.core.model import StepStatus
from wizard.flow.state import WizardState
from wizard.flow.steps import StepKey


class StepVerdict(StrEnum):
    VERIFIED = "verified"  # the last check of this step succeeded
    PROBLEM = "problem"  # the last check of this step failed
    UNCHECKED = "unchecked"  # nothing about this step was checked (or it has no check)


# Entries the live test refuses before asking Halo anything, by the step they belong to.
_ADDRESS_CODES = frozenset({"HOST_INVALID"})
_CREDENTIAL_CODES = frozenset({"SECRET_MISSING", "CLIENT_ID_FORMAT"})


def step_verdict(state: WizardState, step: StepKey) -> StepVerdict:
    """The verdict on `step` from the checks `state` holds; UNCHECKED where none applies."""
    if step is StepKey.HOSTNAME:
        return _address_verdict(_latest_discovery(state))
    if step is StepKey.TENANT:
        return _tenant_verdict(state)
    if step is StepKey.CREDENTIALS:
        return _credentials_verdict(state.report)
    if step is StepKey.OPEN:
        return _opened_verdict(state)
    if step is StepKey.TEST:
        if state.report is None:
            return StepVerdict.UNCHECKED
        return StepVerdict.VERIFIED if state.report.ok else StepVerdict.PROBLEM
    return StepVerdict.UNCHECKED


def _status(report: CheckReport, key: str) -> StepStatus | None:
    return next((step.status for step in report.steps if step.key == key), None)


def _refused_entry(report: CheckReport, codes: frozenset[str]) -> bool:
    return any(
        finding.code in codes and finding.severity is Severity.ERROR for finding in report.findings
    )


def _latest_discovery(state: WizardState) -> CheckReport | None:
    """The newer of the two discoveries: the live test's, once it got that far."""
    report = state.report
    if report is not None and (
        _status(report, "discovery") is not None or _refused_entry(report, _ADDRESS_CODES)
    ):
        return report
    return state.discovery


def _address_verdict(discovery: CheckReport | None) -> StepVerdict:
    if discovery is None:
        return StepVerdict.UNCHECKED
    status = _status(discovery, "discovery")
    if status in (StepStatus.OK, StepStatus.WARNING):
        return StepVerdict.VERIFIED  # Halo answered at this address
    if status is StepStatus.FAILED or _refused_entry(discovery, _ADDRESS_CODES):
        return StepVerdict.PROBLEM
    return StepVerdict.UNCHECKED


def _tenant_verdict(state: WizardState) -> StepVerdict:
    discovery = _latest_discovery(state)
    if discovery is None:
        return StepVerdict.UNCHECKED
    status = _status(discovery, "discovery")
    mismatch = any(
        finding.code == "TENANT_MISMATCH" and finding.severity is Severity.ERROR
        for finding in discovery.findings
    )
    if status is StepStatus.FAILED or mismatch:
        return StepVerdict.PROBLEM
    if status not in (StepStatus.OK, StepStatus.WARNING):
        return StepVerdict.UNCHECKED
    # A tenant typed over the detected one was never confirmed by Halo.
    return StepVerdict.UNCHECKED if state.tenant_differs else StepVerdict.VERIFIED


def _opened_verdict(state: WizardState) -> StepVerdict:
    """An opened connection holds an address and credentials: verified when both were."""
    verdicts = {
        _address_verdict(_latest_discovery(state)),
        _credentials_verdict(state.report),
    }
    if StepVerdict.PROBLEM in verdicts:
        return StepVerdict.PROBLEM
    return StepVerdict.VERIFIED if verdicts == {StepVerdict.VERIFIED} else StepVerdict.UNCHECKED


def _credentials_verdict(report: CheckReport | None) -> StepVerdict:
    if report is None:
        return StepVerdict.UNCHECKED
    status = _status(report, "token")
    if status in (StepStatus.OK, StepStatus.WARNING):
        return StepVerdict.VERIFIED  # Halo issued a token for this Client ID and secret
    if status is StepStatus.FAILED or _refused_entry(report, _CREDENTIAL_CODES):
        return StepVerdict.PROBLEM
    return StepVerdict.UNCHECKED
