"""The wizard's steps without any widget: every path, what Next needs, and Back losing nothing."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable

import pytest

from tests.conftest import check
from wizard.core import run_discovery
from wizard.flow import AppChoice, IdentityChoice, StepKey, WizardFlow, catalog
from wizard.flow.tools import choose_tool
from wizard.sim import SimulatedHalo

Start = Callable[..., SimulatedHalo]


def _discover(halo: SimulatedHalo, ca_bundle: str):  # type: ignore[no-untyped-def]
    return asyncio.run(run_discovery(halo.url, ca_bundle=ca_bundle))


def walk_to_credentials(
    flow: WizardFlow,
    halo: SimulatedHalo,
    ca_bundle: str,
    *,
    app: AppChoice,
    identity: IdentityChoice,
    tool: str = "script",
) -> list[StepKey]:
    """Go from Welcome to the credentials page as an admin would; return the steps seen."""
    seen = [flow.current]
    flow.update(app_choice=app)
    seen.append(flow.go_next())
    assert flow.current is StepKey.TOOL and not flow.can_go_next()
    flow.update(**choose_tool(flow.state, tool))
    seen.append(flow.go_next())
    if flow.current is StepKey.CREATE_APP:
        seen.append(flow.go_next())
    flow.update(identity=identity)
    seen.append(flow.go_next())
    flow.update(scopes=catalog.normalise_selection(catalog.PRESETS["ticket_sync"]))
    seen.append(flow.go_next())
    flow.update(host_text=f" {halo.url}/api ")
    seen.append(flow.go_next())
    flow.update(discovery=_discover(halo, ca_bundle))
    seen.append(flow.go_next())
    return seen


def test_new_application_path_shows_the_creation_instructions(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    flow = WizardFlow()
    seen = walk_to_credentials(
        flow, halo, ca_bundle, app=AppChoice.NEW, identity=IdentityChoice.AGENT
    )
    assert seen == [
        StepKey.WELCOME,
        StepKey.TOOL,
        StepKey.CREATE_APP,
        StepKey.IDENTITY,
        StepKey.SCOPES,
        StepKey.HOSTNAME,
        StepKey.TENANT,
        StepKey.CREDENTIALS,
    ]
    assert flow.position() == (8, 10)


def test_existing_application_skips_the_creation_instructions(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    flow = WizardFlow()
    seen = walk_to_credentials(
        flow, halo, ca_bundle, app=AppChoice.EXISTING, identity=IdentityChoice.AGENT
    )
    assert StepKey.CREATE_APP not in seen
    assert StepKey.CREATE_APP not in flow.path()
    assert flow.position() == (7, 9)


def test_full_path_to_export_with_the_application_identity(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("application_identity")
    flow = WizardFlow()
    walk_to_credentials(
        flow, halo, ca_bundle, app=AppChoice.NEW, identity=IdentityChoice.APPLICATION
    )
    assert not flow.can_go_next()
    flow.update(client_id_text=halo.client_id, secret_text=f"{halo.client_secret}\n")
    assert flow.state.secret == halo.client_secret
    assert flow.state.secret_was_trimmed == ("a line break at the end",)
    flow.go_next()
    assert flow.current is StepKey.TEST and not flow.can_go_next()
    report = check(halo, ca_bundle, scopes=flow.state.scopes)
    flow.update(report=report)
    assert flow.state.identity_mismatch is None
    assert flow.go_next() is StepKey.EXPORT
    assert flow.is_last and flow.can_finish() and not flow.can_go_next()


def test_on_premise_instance_has_no_tenant_and_still_goes_on(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("on_premise")
    flow = WizardFlow()
    walk_to_credentials(
        flow, halo, ca_bundle, app=AppChoice.EXISTING, identity=IdentityChoice.AGENT
    )
    assert flow.state.tenant is None
    assert "ON_PREMISE" in flow.state.discovery.codes()  # type: ignore[union-attr]


def test_trial_instance_keeps_its_tenant_and_auth_host(start_halo: Start, ca_bundle: str) -> None:
    halo = start_halo("trial")
    flow = WizardFlow()
    walk_to_credentials(
        flow, halo, ca_bundle, app=AppChoice.EXISTING, identity=IdentityChoice.AGENT
    )
    discovery = flow.state.discovery
    assert discovery is not None and discovery.auth_url == halo.auth_url
    assert flow.state.tenant == "SimTrial42"


def test_tenant_step_waits_for_a_successful_detection(start_halo: Start, ca_bundle: str) -> None:
    halo = start_halo("not_halo")
    flow = WizardFlow()
    flow.update(
        app_choice=AppChoice.EXISTING,
        tool="script",
        identity=IdentityChoice.AGENT,
        scopes=("read:tickets",),
        host_text=halo.url,
    )
    for _ in range(5):
        flow.go_next()
    assert flow.current is StepKey.TENANT
    flow.update(discovery=_discover(halo, ca_bundle))
    assert not flow.can_go_next()
    flow.update(tenant_override="acme")
    assert not flow.can_go_next(), "a typed tenant cannot replace a failed detection"


def test_pasted_invisible_characters_are_cleaned_as_the_live_test_cleans_them(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    flow = WizardFlow()
    flow.update(
        app_choice=AppChoice.EXISTING,
        tool="script",
        identity=IdentityChoice.AGENT,
        scopes=("read:tickets",),
        host_text=f"\ufeff{halo.url}\u200b",
    )
    assert flow.state.address is not None and flow.state.address.url == halo.url
    assert flow.state.address_error is None
    assert any("a byte-order mark at the start" in n for n in flow.state.address.notes)
    for _ in range(5):
        flow.go_next()
    flow.update(discovery=_discover(halo, ca_bundle), tenant_override="acme\u200b\u00a0")
    # The tenant typed is Halo's own once the invisible characters are out.
    assert flow.state.tenant == "acme" and not flow.state.tenant_differs
    flow.go_next()
    flow.update(client_id_text=f"{halo.client_id}\u200b", secret_text=f"\ufeff{halo.client_secret}")
    assert flow.state.client_id == halo.client_id
    assert flow.state.client_id_was_cleaned == ("a zero-width space at the end",)
    assert flow.state.secret == halo.client_secret
    assert flow.state.secret_was_trimmed == ("a byte-order mark at the start",)
    assert flow.can_go_next()
    # The live test gets what was typed, as the page sends it, and says what it removed.
    state = flow.state
    report = check(
        halo,
        ca_bundle,
        host=state.host_text,
        client_id=state.client_id_text,
        client_secret=state.secret_text,
        scopes=state.scopes,
        tenant=state.tenant_override,
    )
    assert report.ok, report.codes()
    assert {"CLIENT_ID_CLEANED", "SECRET_TRIMMED", "TENANT_CLEANED"} <= set(report.codes())
    assert "TENANT_MISMATCH" not in report.codes()


def test_back_keeps_everything_entered(start_halo: Start, ca_bundle: str) -> None:
    halo = start_halo("healthy")
    flow = WizardFlow()
    walk_to_credentials(flow, halo, ca_bundle, app=AppChoice.NEW, identity=IdentityChoice.AGENT)
    flow.update(client_id_text="typed but not finished")
    while flow.can_go_back():
        flow.go_back()
    assert flow.current is StepKey.WELCOME
    state = flow.state
    assert state.app_choice is AppChoice.NEW and state.identity is IdentityChoice.AGENT
    assert state.client_id_text == "typed but not finished"
    assert state.discovery is not None and state.host_text.strip().startswith(halo.url)


def test_changing_the_address_drops_the_detected_tenant_and_the_test(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    flow = WizardFlow()
    walk_to_credentials(
        flow, halo, ca_bundle, app=AppChoice.EXISTING, identity=IdentityChoice.AGENT
    )
    flow.update(client_id_text=halo.client_id, secret_text=halo.client_secret)
    flow.update(report=check(halo, ca_bundle))
    flow.update(host_text=f"{halo.url}/")  # the same address, written differently
    assert flow.state.discovery is not None and flow.state.report is None
    flow.update(host_text="other.halopsa.com")
    assert flow.state.discovery is None


def test_next_is_refused_until_the_step_is_complete() -> None:
    flow = WizardFlow()
    assert flow.position() == (1, 10), "before the first answer, the longer path is counted"
    assert not flow.can_go_next() and not flow.can_go_back()
    with pytest.raises(RuntimeError):
        flow.go_next()
    flow.update(app_choice=AppChoice.EXISTING)
    assert flow.can_go_next() and not flow.can_go_next(busy=True)
    flow.go_next()
    assert not flow.can_go_next(), "the tool is chosen first"
    flow.update(tool="other")
    flow.go_next()
    flow.update(identity=IdentityChoice.AGENT)
    flow.go_next()
    flow.update(scopes=())
    assert not flow.can_go_next(), "at least one scope is chosen"
    flow.update(scopes=("read:mystery",))
    assert flow.can_go_next(), "a name this program does not know is sent: Halo decides"
    flow.update(scopes=("read:tickets",))
    flow.go_next()
    flow.update(host_text="acme..halopsa.com")
    assert not flow.can_go_next() and "two dots" in (flow.state.address_error or "")
    flow.update(host_text="acme.halopsa.com")
    assert flow.can_go_next() and flow.state.address_error is None


def test_presets_and_implied_read_scopes() -> None:
    assert catalog.normalise_selection(["edit:tickets"]) == ("read:tickets", "edit:tickets")
    assert catalog.preset_matching(["edit:tickets", "read:customers"]) == "ticket_sync"
    assert catalog.preset_matching(["read:tickets", "read:kb"]) is None
    assert catalog.boxes_to_tick(["edit:reporting"]) == ["read:reporting", "edit:reporting"]
    assert catalog.is_broad(catalog.PRESETS["everything"])
    assert "everything" in catalog.NOT_RECOMMENDED
    offered = catalog.catalogue_order()
    assert len(offered) == len(set(offered))
    assert "offline_access" not in offered, "only for sign-in flows, not client credentials"


def test_identity_mismatch_is_noticed(start_halo: Start, ca_bundle: str) -> None:
    halo = start_halo("healthy")
    flow = WizardFlow()
    flow.update(identity=IdentityChoice.APPLICATION, report=check(halo, ca_bundle))
    assert flow.state.identity_mismatch == "agent"


def test_secret_never_appears_in_the_state_repr() -> None:
    flow = WizardFlow()
    flow.update(secret_text="a-made-up-secret-for-this-test")
    assert "a-made-up-secret" not in repr(flow.state)


def test_flow_imports_no_qt() -> None:
    code = (
        "import sys, wizard.flow, wizard.flow.catalog, wizard.flow.tools; "
        "sys.exit(any(m.startswith(('PySide6', 'shiboken6', 'qasync')) for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
