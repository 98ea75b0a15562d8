"""The wizard's steps as data: their order, what each needs to be complete, where Next and Back go.

This module serves every user interface, so it imports no Qt. The Qt pages attach to the
same step keys; tests drive every path without a QApplication.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from wizard.flow.state import AppChoice, WizardState


class StepKey(StrEnum):
    WELCOME = "welcome"
    TOOL = "tool"  # which tool is being connected (its recipe)
    OPEN = "open"  # support mode: open an existing connection to diagnose
    CREATE_APP = "create_app"
    IDENTITY = "identity"
    SCOPES = "scopes"
    HOSTNAME = "hostname"
    TENANT = "tenant"
    CREDENTIALS = "credentials"
    TEST = "test"
    EXPORT = "export"


def _welcome_done(state: WizardState) -> bool:
    return state.app_choice is not None


def _tool_done(state: WizardState) -> bool:
    return state.tool is not None


def _always(state: WizardState) -> bool:
    return True


def _identity_done(state: WizardState) -> bool:
    return state.identity is not None


def _scopes_done(state: WizardState) -> bool:
    # A name this program does not know is no reason to stop: it is sent, with a warning
    # beforehand, and Halo's own answer decides (halo-api-reference.md §10).
    return bool(state.scopes)


def _hostname_done(state: WizardState) -> bool:
    return state.address is not None


def _tenant_done(state: WizardState) -> bool:
    # Detection must have succeeded; a tenant typed by hand alone cannot stand in for it,
    # since the live test needs the auth server that detection finds.
    return state.discovery is not None and state.discovery.ok


def _create_done(state: WizardState) -> bool:
    # The JWT Assertion method needs its key pair, whose public key is pasted into Halo here.
    return not state.uses_assertion or state.private_key is not None


def _credential_given(state: WizardState) -> bool:
    """The secret, or for JWT Assertion the private key the test signs with: for an
    application that exists already, the one read from the key file the admin chose (a
    pair made earlier on Create the application, before going back, is not theirs)."""
    if state.uses_assertion and state.app_choice is AppChoice.EXISTING:
        return state.private_key is not None and state.key_file is not None
    if state.uses_assertion:
        return state.private_key is not None
    return bool(state.secret)


def _credentials_done(state: WizardState) -> bool:
    return bool(state.client_id) and _credential_given(state)


def _open_done(state: WizardState) -> bool:
    # An opened connection that can be tested: its address, Client ID, scopes and a secret
    # (or the private key it signs with).
    return (
        state.diagnosing
        and state.address is not None
        and bool(state.client_id)
        and bool(state.scopes)
        and _credential_given(state)
    )


def _test_done(state: WizardState) -> bool:
    return state.report is not None


def _after_welcome(state: WizardState) -> StepKey:
    # Before the admin answers, count the longer path: "Step 1 of 9" should not grow later.
    if state.app_choice is AppChoice.DIAGNOSE:
        # The opened connection gives the identity, scopes, address, tenant and credentials.
        return StepKey.OPEN
    return StepKey.TOOL


def _after_tool(state: WizardState) -> StepKey:
    return StepKey.IDENTITY if state.app_choice is AppChoice.EXISTING else StepKey.CREATE_APP


def _next_of(key: StepKey) -> Callable[[WizardState], StepKey | None]:
    def following(state: WizardState) -> StepKey | None:
        return key

    return following


def _last(state: WizardState) -> StepKey | None:
    return None


@dataclass(frozen=True)
class StepSpec:
    """What a step needs to be complete and which step comes after it."""

    complete: Callable[[WizardState], bool]
    next: Callable[[WizardState], StepKey | None]


STEPS: dict[StepKey, StepSpec] = {
    StepKey.WELCOME: StepSpec(_welcome_done, _after_welcome),
    StepKey.TOOL: StepSpec(_tool_done, _after_tool),
    StepKey.OPEN: StepSpec(_open_done, _next_of(StepKey.TEST)),
    StepKey.CREATE_APP: StepSpec(_create_done, _next_of(StepKey.IDENTITY)),
    StepKey.IDENTITY: StepSpec(_identity_done, _next_of(StepKey.SCOPES)),
    StepKey.SCOPES: StepSpec(_scopes_done, _next_of(StepKey.HOSTNAME)),
    StepKey.HOSTNAME: StepSpec(_hostname_done, _next_of(StepKey.TENANT)),
    StepKey.TENANT: StepSpec(_tenant_done, _next_of(StepKey.CREDENTIALS)),
    StepKey.CREDENTIALS: StepSpec(_credentials_done, _next_of(StepKey.TEST)),
    StepKey.TEST: StepSpec(_test_done, _next_of(StepKey.EXPORT)),
    StepKey.EXPORT: StepSpec(_always, _last),
}


class WizardFlow:
    """Where the admin is, and the one place that decides whether Next and Back may be used.

    Back never loses anything: the entries are one state that travels with the admin, and
    only the stack of visited steps shrinks.
    """

    def __init__(self, state: WizardState | None = None) -> None:
        self._state = state or WizardState()
        self._visited: list[StepKey] = [StepKey.WELCOME]
        self._listeners: list[Callable[[], None]] = []

    # ----- reading -----

    @property
    def state(self) -> WizardState:
        return self._state

    @property
    def current(self) -> StepKey:
        return self._visited[-1]

    @property
    def is_last(self) -> bool:
        return STEPS[self.current].next(self._state) is None

    def can_go_next(self, *, busy: bool = False) -> bool:
        return not busy and not self.is_last and STEPS[self.current].complete(self._state)

    def can_go_back(self, *, busy: bool = False) -> bool:
        return not busy and len(self._visited) > 1

    def can_finish(self, *, busy: bool = False) -> bool:
        return not busy and self.is_last and STEPS[self.current].complete(self._state)

    def path(self) -> list[StepKey]:
        """The steps this admin will see, from the first to the last, given the choices so far."""
        keys = [StepKey.WELCOME]
        while (following := STEPS[keys[-1]].next(self._state)) is not None:
            keys.append(following)
        return keys

    def position(self) -> tuple[int, int]:
        """(number of the current step, number of steps), both counted from 1."""
        path = self.path()
        return path.index(self.current) + 1, len(path)

    # ----- changing -----

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener` after every change of state or step."""
        self._listeners.append(listener)

    def update(self, **changes: Any) -> WizardState:
        """Apply what a page entered; results that became stale are dropped."""
        self._state = self._state.changed(**changes)
        self._notify()
        return self._state

    def go_next(self) -> StepKey:
        if not self.can_go_next():
            raise RuntimeError(f"step {self.current} is not complete")
        following = STEPS[self.current].next(self._state)
        assert following is not None
        self._visited.append(following)
        self._notify()
        return following

    def go_back(self) -> StepKey:
        if not self.can_go_back():
            raise RuntimeError("already at the first step")
        self._visited.pop()
        self._notify()
        return self.current

    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()
