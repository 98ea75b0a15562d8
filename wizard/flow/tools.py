"""The tool being connected: its recipe's scopes and identity chosen for the admin, and what
the pages say about them (which scopes came from the recipe, which the tool insists on)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.core import recipes
from wizard.flow import catalog
from wizard.flow.state import AuthMethod, IdentityChoice, WizardState

# The recipe offered last, whatever the order of the recipes file.
OTHER_TOOL = "other"
SCRIPT = "script"


def tool_choices() -> list[recipes.Recipe]:
    """The recipes in the order the wizard offers them, "Another tool" last."""
    found = list(recipes.all_recipes())
    return [r for r in found if r.id != OTHER_TOOL] + [r for r in found if r.id == OTHER_TOOL]


def tool_recipe(state: WizardState) -> recipes.Recipe | None:
    """The chosen tool's recipe, or None before one is chosen (or on the diagnose path)."""
    if state.tool is None:
        return None
    try:
        return recipes.recipe(state.tool)
    except KeyError:
        return None


def recipe_scopes(chosen: recipes.Recipe) -> tuple[str, ...]:
    """The recipe's scopes as the Permissions page holds them (implied read: scopes added)."""
    return catalog.normalise_selection(chosen.scopes)


def choose_tool(state: WizardState, tool_id: str) -> dict[str, Any]:
    """The changes choosing `tool_id` makes: the tool, its scopes and, when the recipe names
    one, its identity. Choosing the same tool again changes nothing, so the admin's own
    choices made since are kept."""
    if tool_id == state.tool:
        return {}
    chosen = recipes.recipe(tool_id)
    scopes = recipe_scopes(chosen)
    changes: dict[str, Any] = {
        "tool": tool_id,
        "scopes": scopes,
        "preset": catalog.preset_matching(scopes),
    }
    if chosen.identity in (IdentityChoice.AGENT.value, IdentityChoice.APPLICATION.value):
        changes["identity"] = IdentityChoice(chosen.identity)
    if state.uses_assertion and not chosen.signs_with_a_key:
        changes["auth_method"] = AuthMethod.SECRET
    return changes


def can_sign_with_a_key(state: WizardState) -> bool:
    """Whether the tool chosen can use JWT Assertion (Services) instead of a secret (its
    recipe's methods); True before a tool is chosen."""
    chosen = tool_recipe(state)
    return chosen is None or chosen.signs_with_a_key


def scopes_as_recipe(state: WizardState) -> bool:
    """Whether the scopes chosen are exactly the recipe's (the admin has not changed them)."""
    chosen = tool_recipe(state)
    return chosen is not None and set(state.scopes) == set(recipe_scopes(chosen))


def missing_tool_scopes(state: WizardState) -> tuple[str, ...]:
    """The scopes a tool asks Halo for itself that are not ticked: Halo was seen narrowing
    such a request to what the application allows (one tenant), so the tool's token would
    lack them. Empty when the tool lets the admin choose."""
    chosen = tool_recipe(state)
    if chosen is None or not chosen.scopes_fixed:
        return ()
    ticked = set(state.scopes)
    return tuple(scope for scope in chosen.scopes if scope not in ticked)


def broad_scopes_from_tool(state: WizardState) -> bool:
    """Whether every broad scope ticked is one the tool's recipe asks for."""
    chosen = tool_recipe(state)
    broad = [scope for scope in state.scopes if scope in catalog.BROAD_SCOPES]
    return chosen is not None and bool(broad) and all(s in chosen.scopes for s in broad)


def identity_differs(state: WizardState) -> str | None:
    """The identity the tool needs ("agent" or "application") when another one is chosen."""
    chosen = tool_recipe(state)
    if chosen is None or chosen.identity == "either" or state.identity is None:
        return None
    return chosen.identity if chosen.identity != state.identity.value else None


# ----- the tool's form, on the last page -----

NOT_TESTED = "not_tested"  # no test has finished for these entries
TEST_FAILED = "test_failed"  # the last test found problems


@dataclass(frozen=True)
class ToolForm:
    """The chosen tool's form for the tested connection, or why it cannot be shown yet.

    `fields` is empty while `waiting` says why: the values come from a connection that
    passed its test (Facts.from_report), never from what was merely typed.
    """

    recipe: recipes.Recipe
    fields: tuple[recipes.FormField, ...] = ()
    waiting: str | None = None
    # JWT Assertion: the fields that hold the secret are left out (there is none to give).
    without_secret: bool = False


def has_form(state: WizardState) -> bool:
    """Whether the last page shows the tool's own form: every tool but the admin's own script
    (environment variables and the connection file, as before), on the diagnose path too
    when the connection is known to be for a tool (saved for it, or pasted in its labels)."""
    return tool_recipe(state) is not None and state.tool != SCRIPT


def is_command(chosen: recipes.Recipe) -> bool:
    """Whether the tool's "form" is one command to run (Connect-HaloAPI ...), not fields."""
    return any(spec.source == "powershell" for spec in chosen.fields)


def tool_form(state: WizardState) -> ToolForm | None:
    """The form to show on the last page; None when this tool has none (see has_form)."""
    chosen = tool_recipe(state)
    if chosen is None or not has_form(state):
        return None
    report = state.report
    if report is None:
        return ToolForm(chosen, waiting=NOT_TESTED)
    facts = recipes.Facts.from_report(report)
    if not report.ok or facts is None:
        return ToolForm(chosen, waiting=TEST_FAILED)
    signed = None
    if state.uses_assertion:
        audience, issuer = state.assertion_audience, state.assertion_issuer
        signed = recipes.Signed.of(facts, audience, issuer, state.key_file)
    fields = recipes.form(chosen, facts, signed=signed)
    return ToolForm(chosen, tuple(fields), without_secret=signed is not None)
