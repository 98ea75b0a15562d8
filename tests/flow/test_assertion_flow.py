"""JWT Assertion (Services) in the flow: the key pair instead of a secret, what Next needs,
which tools can use it, and the test that a new key makes stale."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from tests.conftest import check
from wizard.core import assertion, run_discovery
from wizard.flow import AppChoice, AuthMethod, IdentityChoice, StepKey, WizardFlow, catalog
from wizard.flow.fixes import fix_place
from wizard.flow.steps import STEPS
from wizard.flow.tools import can_sign_with_a_key, choose_tool, tool_form
from wizard.sim import SimulatedHalo

Start = Callable[..., SimulatedHalo]


def _at_create(tool: str = "script") -> WizardFlow:
    flow = WizardFlow()
    flow.update(app_choice=AppChoice.NEW)
    flow.go_next()
    flow.update(**choose_tool(flow.state, tool))
    assert flow.go_next() is StepKey.CREATE_APP
    return flow


def test_the_key_method_waits_for_its_key_pair_before_next() -> None:
    flow = _at_create()
    assert flow.can_go_next(), "a secret needs nothing on this page"
    flow.update(auth_method=AuthMethod.ASSERTION)
    assert flow.state.uses_assertion and not flow.can_go_next()
    key = assertion.generate_key_pair(2048)
    flow.update(private_key=key, public_key_pem=assertion.public_pem(key))
    assert flow.can_go_next()
    assert "PRIVATE" not in repr(flow.state) and "private_key" not in repr(flow.state)


def test_a_connection_that_signs_with_a_key_needs_no_secret(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("jwt_assertion")
    flow = _at_create()
    key = assertion.load_private_key_pem(halo.assertion_private_key)
    flow.update(
        auth_method=AuthMethod.ASSERTION, private_key=key, public_key_pem=assertion.public_pem(key)
    )
    flow.go_next()
    flow.update(identity=IdentityChoice.AGENT)
    flow.go_next()
    flow.update(scopes=catalog.normalise_selection(["read:tickets"]))
    flow.go_next()
    flow.update(host_text=halo.url)
    flow.go_next()
    flow.update(discovery=asyncio.run(run_discovery(halo.url, ca_bundle=ca_bundle)))
    assert flow.go_next() is StepKey.CREDENTIALS
    assert not flow.can_go_next()
    flow.update(client_id_text=halo.client_id)
    assert flow.can_go_next(), "the Client ID alone"
    assert flow.state.assertion_audience is None and flow.state.assertion_issuer is None
    flow.update(assertion_audience_text="  https://elsewhere.example/token ")
    assert flow.state.assertion_audience == "https://elsewhere.example/token"


def test_only_a_script_or_another_tool_can_sign_with_a_key() -> None:
    assert can_sign_with_a_key(_at_create("script").state)
    assert can_sign_with_a_key(_at_create("other").state)
    for tool in ("rewst", "hire2retire", "n8n", "halo-custom-integration", "haloapi-powershell"):
        assert not can_sign_with_a_key(_at_create(tool).state), tool
    # Choosing such a tool afterwards goes back to the secret.
    flow = _at_create("other")
    flow.update(auth_method=AuthMethod.ASSERTION)
    flow.update(**choose_tool(flow.state, "rewst"))
    assert flow.state.auth_method is AuthMethod.SECRET


def test_a_new_key_or_audience_drops_the_test_and_the_form_leaves_the_secret_out(
    start_halo: Start, ca_bundle: str
) -> None:
    halo = start_halo("healthy")
    flow = _at_create("other")
    flow.update(auth_method=AuthMethod.ASSERTION, public_key_pem="one")
    flow.update(report=check(halo, ca_bundle))
    form = tool_form(flow.state)
    assert form is not None and form.without_secret
    assert not any(field.secret for field in form.fields)
    assert "Client Secret" not in [field.label for field in form.fields]
    flow.update(public_key_pem="two")
    assert flow.state.report is None
    flow.update(report=check(halo, ca_bundle))
    flow.update(assertion_issuer_text="acme-integration")
    assert flow.state.report is None


def test_a_refused_assertion_leads_to_where_its_audience_is_typed() -> None:
    place = fix_place("ASSERTION_REFUSED", _at_create().state)
    assert place is not None and place.step is StepKey.CREDENTIALS and place.field == "audience"


def test_an_existing_application_signs_only_with_the_key_file_chosen_for_it() -> None:
    # A pair made on Create the application, then Back to say the application exists: that
    # pair is not the one Halo holds, so Next waits for the admin's own key file.
    flow = _at_create()
    key = assertion.generate_key_pair(2048)
    flow.update(
        auth_method=AuthMethod.ASSERTION, private_key=key, public_key_pem=assertion.public_pem(key)
    )
    flow.update(app_choice=AppChoice.EXISTING, client_id_text="abc")
    credentials_done = STEPS[StepKey.CREDENTIALS].complete
    assert not credentials_done(flow.state)
    flow.update(key_file="/keys/halo-private-key.pem")
    assert credentials_done(flow.state)
