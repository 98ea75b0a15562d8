"""The connection engine: no Qt here, usable from a script.

    from wizard.core import CheckRequest, run_check_sync
    report = run_check_sync(CheckRequest(host="acme.halopsa.com", client_id=..., client_secret=...,
                                         scopes="read:tickets"))

Names are imported on first use, so that a program that only needs the light parts (the
wizard's first page) does not pay for the HTTP stack at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.core.engine import run_check, run_check_sync, run_discovery
    from wizard.core.findings import Finding, Severity
    from wizard.core.model import (
        CheckReport,
        CheckRequest,
        Identity,
        ScopeResult,
        ScopeStatus,
        Step,
    )

_WHERE = {
    "run_check": "engine",
    "run_check_sync": "engine",
    "run_discovery": "engine",
    "Finding": "findings",
    "Severity": "findings",
    "CheckReport": "model",
    "CheckRequest": "model",
    "Identity": "model",
    "ScopeResult": "model",
    "ScopeStatus": "model",
    "Step": "model",
}

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


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'wizard.core' has no attribute {name!r}")
    return getattr(importlib.import_module(f"wizard.core.{module}"), name)
