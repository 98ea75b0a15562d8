"""The wizard's logic without widgets: state, steps, scope presets. No Qt import."""

from wizard.flow.state import AppChoice, IdentityChoice, WizardState
from wizard.flow.steps import STEPS, StepKey, WizardFlow

__all__ = ["STEPS", "AppChoice", "IdentityChoice", "StepKey", "WizardFlow", "WizardState"]
