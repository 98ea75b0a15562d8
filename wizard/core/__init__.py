"""The connection engine: no Qt here, usable from a script.

from wizard.core import CheckRequest, run_check_sync
report = run_check_sync(CheckRequest(host="acme.halopsa.com", client_id=..., client_secret=...,
                                     scopes="read:tickets"))
"""

from wizard.core.engine import run_check, run_check_sync, run_discovery
from wizard.core.findings import Finding, Severity
from wizard.core.model import CheckReport, CheckRequest, Identity, ScopeResult, ScopeStatus, Step

__all__ = [
    "CheckReport",
    "CheckRequest",
    "Finding",
    "Identity",
    "ScopeResult",
    "ScopeStatus",
    "Severity",
    "Step",
    "run_check",
    "run_check_sync",
    "run_discovery",
]
