"""The wizard's logic without widgets: state, steps, scope presets. No Qt import."""

from wizard.flow.state import AppChoice, AuthMethod, IdentityChoice, KeyStore, WizardState
from wizard.flow.steps import STEPS, StepKey, WizardFlow

__all__ = [
    "STEPS",
    "AppChoice",
    "AuthMethod",
    "IdentityChoice",
    "KeyStore",
    "StepKey",
    "WizardFlow",
    "WizardState",
]
