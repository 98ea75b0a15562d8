"""What the step list may claim about a step: verified, has a problem, or nothing checked.

A tick must mean that something was verified against Halo, never only that the admin
clicked Next, so the verdict comes from the last check that covered the step: the tenant
page's discovery, or the live test (which discovers again and asks for a token).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from wizard.flow.steps import StepKey

if TYPE_CHECKING:
    from wizard.core import CheckReport
    from wizard.core.model import StepStatus
    from wizard.flow.state import WizardState

# The engine's modules are loaded only when there is a check to judge: with none, nothing is
# verified, and the window's first page paints without them.


class StepVerdict(StrEnum):
    VERIFIED = "verified"  # the last check of this step succeeded
    PROBLEM = "problem"  # the last check of this step failed
    UNCHECKED = "unchecked"  # nothing about this step was checked (or it has no check)


# Entries the live test refuses before asking Halo anything, by the step they belong to.
_ADDRESS_CODES = frozenset({"HOST_INVALID"})
_CREDENTIAL_CODES = frozenset({"SECRET_MISSING", "CLIENT_ID_FORMAT"})
# Problems whose cause is the scopes asked for: they mark Permissions, not the Client ID and
# secret, even when Halo refused the token for them.
_SCOPE_CODES = frozenset(
    {"INVALID_SCOPE", "SCOPE_UNKNOWN", "NO_SCOPES", "SCOPE_NOT_GRANTED", "TOKEN_WITHOUT_SCOPE"}
)
# Problems whose cause is what the agent (or the application) may see: Who it acts as.
_ACCESS_CODES = frozenset(
    {"PERMISSION_DENIED", "NO_VISIBLE_DATA", "TOOL_SEES_NO_RECORDS", "TOOL_NEEDS_OTHER_IDENTITY"}
)
# Warnings about who the connection acts as: no tick beside them.
_IDENTITY_WARNINGS = frozenset({"AGENT_NOT_API_ONLY"})
# Problems of the network between this computer and Halo: no value typed is at fault, so no
# step of the entries is marked (the page names the firewall, proxy or connection).
_NETWORK_CODES = frozenset(
    {"CONNECT_FAILED", "TIMEOUT", "CONNECTION_CUT", "TLS_UNTRUSTED", "INVALID_HTTP"}
)


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
    if step is StepKey.SCOPES:
        return _scopes_verdict(state.report)
    if step is StepKey.IDENTITY:
        return _identity_verdict(state.report)
    if step is StepKey.TEST:
        if state.report is None:
            return StepVerdict.UNCHECKED
        return StepVerdict.VERIFIED if state.report.ok else StepVerdict.PROBLEM
    return StepVerdict.UNCHECKED


def _status(report: CheckReport, key: str) -> StepStatus | None:
    return next((step.status for step in report.steps if step.key == key), None)


def _refused_entry(report: CheckReport, codes: frozenset[str]) -> bool:
    from wizard.core.findings import Severity

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


def _errors(report: CheckReport) -> set[str]:
    from wizard.core.findings import Severity

    return {f.code for f in report.findings if f.severity is Severity.ERROR}


def _network_failure(report: CheckReport) -> bool:
    return bool(_errors(report) & _NETWORK_CODES)


def _address_verdict(discovery: CheckReport | None) -> StepVerdict:

    if discovery is None:
        return StepVerdict.UNCHECKED
    from wizard.core.model import StepStatus

    status = _status(discovery, "discovery")
    if status in (StepStatus.OK, StepStatus.WARNING):
        return StepVerdict.VERIFIED  # Halo answered at this address
    if status is StepStatus.FAILED and _network_failure(discovery):
        return StepVerdict.UNCHECKED  # the network's fault, not the address typed
    if status is StepStatus.FAILED or _refused_entry(discovery, _ADDRESS_CODES):
        return StepVerdict.PROBLEM
    return StepVerdict.UNCHECKED


def _scopes_verdict(report: CheckReport | None) -> StepVerdict:
    """Permissions: a problem with a scope asked for; verified when every scope tested gave
    what it should (a scope with a problem of its own, or untested, is not verified)."""

    if report is None:
        return StepVerdict.UNCHECKED
    from wizard.core.model import ScopeStatus, StepStatus
    from wizard.core.scopes import granted_as_list

    if _errors(report) & _SCOPE_CODES:
        return StepVerdict.PROBLEM
    if not report.scopes or _status(report, "token") not in (StepStatus.OK, StepStatus.WARNING):
        return StepVerdict.UNCHECKED
    granted = set(report.granted_scopes or ())
    if all(
        result.status in (ScopeStatus.OK, ScopeStatus.GRANTED)
        or (
            result.status is ScopeStatus.NOT_TESTED
            and (
                result.scope in granted
                # all, answered as the named scopes it stands for (reference §10)
                or granted_as_list(result.scope, report.requested_scopes, granted)
            )
        )
        for result in report.scopes
    ):
        return StepVerdict.VERIFIED  # each scope read records, or Halo granted it by name
    return StepVerdict.UNCHECKED


def _identity_verdict(report: CheckReport | None) -> StepVerdict:
    """Who it acts as: a problem when what the identity may see is at fault (an error);
    never ticked beside a warning about it (another identity than the tool needs, an agent
    that is not API-only); verified when Halo said who it is and nothing warns about it."""

    if report is None:
        return StepVerdict.UNCHECKED
    from wizard.core.findings import Severity
    from wizard.core.model import StepStatus

    errors = _errors(report)
    warnings = {f.code for f in report.findings if f.severity is Severity.WARNING}
    if errors & _ACCESS_CODES:
        return StepVerdict.PROBLEM
    if warnings & (_ACCESS_CODES | _IDENTITY_WARNINGS):
        return StepVerdict.UNCHECKED
    if report.identity is not None and _status(report, "identity") is StepStatus.OK:
        return StepVerdict.VERIFIED
    return StepVerdict.UNCHECKED


def _tenant_verdict(state: WizardState) -> StepVerdict:

    discovery = _latest_discovery(state)
    if discovery is None:
        return StepVerdict.UNCHECKED
    from wizard.core.findings import Severity
    from wizard.core.model import StepStatus

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
    from wizard.core.model import StepStatus

    status = _status(report, "token")
    if status in (StepStatus.OK, StepStatus.WARNING):
        return StepVerdict.VERIFIED  # Halo issued a token for this Client ID and secret
    if status is StepStatus.FAILED:
        errors = _errors(report)
        if errors and errors <= (_SCOPE_CODES | _NETWORK_CODES):
            # Refused for a scope, or the network failed: the Client ID and secret were
            # neither at fault nor verified.
            return StepVerdict.UNCHECKED
        return StepVerdict.PROBLEM
    if _refused_entry(report, _CREDENTIAL_CODES):
        return StepVerdict.PROBLEM
    return StepVerdict.UNCHECKED
