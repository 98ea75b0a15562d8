"""Support mode without any widget: Welcome, Open the connection, Test, Save, and nothing else.

An existing connection (a file, a profile, pasted values) gives the identity, the scopes,
the address, the tenant and the credentials, so the diagnosis skips the pages that ask for
them; a new secret is tried without losing the old one.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from tests.conftest import check
from wizard.core import fromtext
from wizard.core.connection_file import ConnectionFile
from wizard.core.kinds import SecretFrom
from wizard.core.store import MemoryStore
from wizard.flow import AppChoice, IdentityChoice, StepKey, WizardFlow
from wizard.flow.diagnosis import (
    Diagnosis,
    Source,
    new_secret_accepted,
    open_changes,
    rotation_changes,
    secret_to_keep,
    what_changed,
)
from wizard.flow.verdict import StepVerdict, step_verdict
from wizard.sim import SimulatedHalo
from wizard.tasks.credential import SecretProblem, choose_secret, keychain_account

Start = Callable[..., SimulatedHalo]
SCOPES = "read:tickets read:customers"


def saved_connection(halo: SimulatedHalo, ca_bundle: str) -> ConnectionFile:
    """The connection file a passing test of `halo` saves, its secret in the keychain."""
    report = check(halo, ca_bundle, scopes=SCOPES)
    assert report.ok, report.codes()
    return ConnectionFile.from_report(
        report,
        client_id=halo.client_id,
        identity_kind="agent",
        scopes=SCOPES,
        secret=None,
        secret_in_keychain=True,
    )


def opened(
    flow: WizardFlow, connection: ConnectionFile, secret: str | None, where: str = "/x.json"
) -> Diagnosis:
    # The window's rule is the command line's (tasks.credential), over this computer's
    # keychain: here one in memory, holding the secret or not.
    store = MemoryStore()
    if secret is not None:
        store.put(keychain_account(connection), secret)
    choice = choose_secret(connection, store=store)
    diagnosis = Diagnosis.from_connection(connection, Source.FILE, where, secret=choice)
    flow.update(**open_changes(diagnosis, secret))
    return diagnosis


def test_diagnosing_goes_welcome_open_test_save_and_back_returns_to_open(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    connection = saved_connection(halo, ca_bundle)
    flow = WizardFlow()
    flow.update(app_choice=AppChoice.DIAGNOSE)
    assert flow.path() == [StepKey.WELCOME, StepKey.OPEN, StepKey.TEST, StepKey.EXPORT]
    assert flow.go_next() is StepKey.OPEN
    assert flow.position() == (2, 4)
    assert not flow.can_go_next(), "nothing is open yet"
    opened(flow, connection, halo.client_secret)
    state = flow.state
    # What the connection recorded, as the skipped pages would have entered it.
    assert state.host_text == halo.url and state.client_id == halo.client_id
    assert state.scopes == ("read:tickets", "read:customers")
    assert state.tenant == halo.tenant and state.identity is IdentityChoice.AGENT
    assert state.secret == halo.client_secret and state.diagnosing
    assert flow.can_go_next()
    assert flow.go_next() is StepKey.TEST
    flow.update(report=check(halo, ca_bundle, scopes=state.scopes))
    assert flow.go_next() is StepKey.EXPORT
    assert flow.is_last and flow.can_finish()
    assert flow.go_back() is StepKey.TEST
    assert flow.go_back() is StepKey.OPEN, "Back from the test returns to the connection"
    assert flow.go_back() is StepKey.WELCOME


def test_the_other_answers_never_pass_the_open_page() -> None:
    for choice in (AppChoice.NEW, AppChoice.EXISTING, None):
        flow = WizardFlow()
        flow.update(app_choice=choice)
        assert StepKey.OPEN not in flow.path()
    flow = WizardFlow()
    flow.update(app_choice=AppChoice.DIAGNOSE)
    skipped = {StepKey.CREATE_APP, StepKey.IDENTITY, StepKey.SCOPES, StepKey.HOSTNAME}
    assert skipped.isdisjoint(flow.path())
    assert {StepKey.TENANT, StepKey.CREDENTIALS}.isdisjoint(flow.path())


def test_a_connection_without_its_secret_waits_for_it_to_be_typed(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    connection = saved_connection(halo, ca_bundle)
    flow = WizardFlow()
    flow.update(app_choice=AppChoice.DIAGNOSE)
    flow.go_next()
    diagnosis = opened(flow, connection, None)
    assert diagnosis.secret_from is SecretFrom.TYPED and not diagnosis.secret_kept
    assert diagnosis.secret_problem is SecretProblem.NOT_IN_KEYCHAIN
    assert not flow.can_go_next()
    flow.update(secret_text=halo.client_secret)
    assert flow.can_go_next()
    # A connection that keeps its secret nowhere is saved keeping none again.
    nowhere = ConnectionFile.from_report(
        check(halo, ca_bundle),
        client_id=halo.client_id,
        identity_kind=None,
        scopes=SCOPES,
        secret=None,
        secret_in_keychain=False,
    )
    changes = open_changes(
        Diagnosis.from_connection(
            nowhere, Source.FILE, "/y.json", secret=choose_secret(nowhere, store=MemoryStore())
        ),
        None,
    )
    assert changes["remember_secret"] is False and changes["embed_secret"] is False


def test_a_new_secret_is_tested_and_kept_only_once_halo_accepted_it(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    connection = saved_connection(halo, ca_bundle)
    old = halo.client_secret
    flow = WizardFlow()
    flow.update(app_choice=AppChoice.DIAGNOSE)
    flow.go_next()
    opened(flow, connection, old)
    # The box is ticked: the test uses the new secret, and needs it typed first.
    flow.update(**rotation_changes(flow.state, True, ""))
    assert flow.state.rotate_secret and not flow.can_go_next()
    wrong = secrets.token_urlsafe(32)
    flow.update(**rotation_changes(flow.state, True, wrong))
    assert flow.state.secret == wrong and flow.state.kept_secret == old
    flow.update(report=check(halo, ca_bundle, client_secret=wrong))
    assert not new_secret_accepted(flow.state)
    assert secret_to_keep(flow.state) == old, "a refused secret never replaces the old one"
    # Halo now holds a regenerated secret, and that one is typed.
    halo.client_secret = secrets.token_urlsafe(32)
    flow.update(**rotation_changes(flow.state, True, halo.client_secret))
    assert flow.state.report is None, "another secret drops the last test"
    flow.update(report=check(halo, ca_bundle, client_secret=flow.state.secret_text))
    assert new_secret_accepted(flow.state)
    assert secret_to_keep(flow.state) == halo.client_secret
    # Unticking goes back to the secret the connection keeps.
    flow.update(**rotation_changes(flow.state, False, halo.client_secret))
    assert flow.state.secret == old and not flow.state.rotate_secret


def test_what_changed_compares_the_recorded_test_with_the_new_one(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    connection = saved_connection(halo, ca_bundle)
    flow = WizardFlow()
    flow.update(app_choice=AppChoice.DIAGNOSE)
    flow.go_next()
    opened(flow, connection, halo.client_secret)
    assert what_changed(flow.state) is None, "nothing to say before the test"
    flow.go_next()
    halo.scenario = "agent_no_permission"
    flow.update(report=check(halo, ca_bundle, scopes=SCOPES))
    found = what_changed(flow.state)
    assert found is not None
    sentences = [change.sentence() for change in found]
    assert "result: works → has problems" in sentences
    assert "read:tickets: records seen → refused" in sentences
    # The token was issued: the address and credentials of the opened connection hold.
    assert step_verdict(flow.state, StepKey.OPEN) is StepVerdict.VERIFIED


def test_pasted_values_give_a_connection_without_a_last_test(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    recognised = fromtext.recognise(
        f"Resource Server Hostname: {halo.url}\n"
        f"Auth Server Hostname: {halo.auth_url}\n"
        f"Tenant ID: {halo.tenant}\n"
        f"Client ID: {halo.client_id}\n"
        "Is On-Premise: No\n"
    )
    diagnosis = Diagnosis.from_text(recognised)
    assert diagnosis is not None and diagnosis.source is Source.TEXT
    assert diagnosis.last_result is None and diagnosis.secret_from is SecretFrom.TYPED
    flow = WizardFlow()
    flow.update(app_choice=AppChoice.DIAGNOSE)
    flow.go_next()
    flow.update(**open_changes(diagnosis, None))
    assert not flow.can_go_next(), "no scopes and no secret yet"
    flow.update(scopes=("read:tickets",), secret_text=halo.client_secret)
    assert flow.can_go_next()
    flow.go_next()
    flow.update(report=check(halo, ca_bundle, scopes="read:tickets"))
    assert what_changed(flow.state) == []
    assert Diagnosis.from_text(fromtext.recognise("Tenant ID: acme")) is None


def test_the_opened_connection_and_its_secrets_stay_out_of_the_state_repr(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    connection = saved_connection(halo, ca_bundle)
    flow = WizardFlow()
    flow.update(app_choice=AppChoice.DIAGNOSE)
    opened(flow, connection, halo.client_secret)
    new = secrets.token_urlsafe(32)
    flow.update(**rotation_changes(flow.state, True, new))
    shown = repr(flow.state)
    assert halo.client_secret not in shown and new not in shown
