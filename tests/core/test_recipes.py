"""Recipes: each tool's form comes out right from a tested connection, on a hosted, a trial
and an on-premise instance of the simulated Halo (reached under their real-looking names)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wizard.core import CheckReport, CheckRequest, run_check_sync
from wizard.core import recipes as r
from wizard.core.model import LocalRoutes, ScopeStatus
from wizard.sim.halo import HostedHalo
from wizard.sim.scenarios import READ_EDIT_SCOPES

IDS = [
    "rewst", "hire2retire", "n8n", "halo-custom-integration", "haloapi-powershell", "script",
    "other",
]  # fmt: skip


@pytest.fixture(scope="module")
def tested() -> Iterator[dict[str, tuple[CheckReport, HostedHalo]]]:
    """A real check of each kind of instance, as the form is made after one."""
    found: dict[str, tuple[CheckReport, HostedHalo]] = {}
    for scenario in ("healthy", "trial", "on_premise"):
        with HostedHalo(scenario) as halo:
            report = run_check_sync(
                CheckRequest(
                    host=halo.url,
                    client_id=halo.client_id,
                    client_secret=halo.client_secret,
                    scopes="read:tickets read:customers",
                    timeout=5.0,
                    routes=LocalRoutes(halo.routes, halo.ca_pem),
                )
            )
        assert report.ok, report.codes()
        found[scenario] = (report, halo)
    yield found


def fields(tool: str, report: CheckReport) -> dict[str, Any]:
    facts = r.Facts.from_report(report)
    assert facts is not None
    return {
        f.label: (None if f.secret and f.value is None else f.value)
        for f in r.form(r.recipe(tool), facts)
    }


def test_the_recipes_named_in_the_issue_are_all_there() -> None:
    assert [recipe.id for recipe in r.all_recipes()] == IDS
    for recipe in r.all_recipes():
        assert recipe.sure in r.SURENESS and recipe.source
        assert any(spec.source == "secret" or spec.source == "powershell" for spec in recipe.fields)


def test_rewst_on_a_hosted_instance(tested: dict[str, Any]) -> None:
    report, halo = tested["healthy"]
    assert fields("rewst", report) == {
        "Resource Server Hostname": "acme.halopsa.com",
        "Client ID": halo.client_id,
        "Tenant ID": "acme",
        "Client Secret": None,
        "Is On-Premise?": "No",
    }


def test_rewst_on_a_trial_names_the_separate_auth_server(tested: dict[str, Any]) -> None:
    report, _ = tested["trial"]
    form = fields("rewst", report)
    assert form["Auth Server Hostname"] == "uk-trial.halopsa.com"
    assert form["Tenant ID"] == "SimTrial42"
    assert list(form).index("Auth Server Hostname") == list(form).index("Tenant ID") + 1


def test_rewst_on_premise_has_no_tenant(tested: dict[str, Any]) -> None:
    report, _ = tested["on_premise"]
    form = fields("rewst", report)
    assert "Tenant ID" not in form and "Auth Server Hostname" not in form
    assert form["Resource Server Hostname"] == "itsm.acme.example"
    assert form["Is On-Premise?"] == "Yes"


def test_n8n_hosted_and_on_premise(tested: dict[str, Any]) -> None:
    hosted = fields("n8n", tested["healthy"][0])
    assert hosted["Hosting Type"] == "Hosted Solution Of Halo"
    assert hosted["HaloPSA Authorisation Server URL"] == "https://acme.halopsa.com/auth"
    assert hosted["Resource Server"] == "https://acme.halopsa.com/api"
    assert hosted["Tenant"] == "acme"
    on_premise = fields("n8n", tested["on_premise"][0])
    assert on_premise["Hosting Type"] == "On-Premise Solution"
    assert on_premise["Resource Server"] == "https://itsm.acme.example/api"
    assert "Tenant" not in on_premise
    assert r.recipe("n8n").scopes == ("admin", "edit:tickets", "edit:customers")
    assert r.recipe("n8n").scopes_fixed


def test_halos_custom_integration_uses_the_token_url_with_its_tenant(
    tested: dict[str, Any],
) -> None:
    form = fields("halo-custom-integration", tested["healthy"][0])
    assert form["Base Resource URL"] == "https://acme.halopsa.com"
    assert form["Access Token URL"] == "https://acme.halopsa.com/auth/token?tenant=acme"
    assert form["Authorization"] == "OAuth 2.0" and form["Header Prefix"] == "Bearer"
    assert form["Grant Type"] == "Client Credentials"
    trial = fields("halo-custom-integration", tested["trial"][0])
    assert trial["Access Token URL"] == "https://uk-trial.halopsa.com/token?tenant=SimTrial42"
    on_premise = fields("halo-custom-integration", tested["on_premise"][0])
    assert on_premise["Access Token URL"] == "https://itsm.acme.example/auth/token"


def test_hire2retire_wants_the_instance_url_with_https_and_says_the_label_is_inferred(
    tested: dict[str, Any],
) -> None:
    facts = r.Facts.from_report(tested["healthy"][0])
    assert facts is not None
    form = {f.label: f for f in r.form(r.recipe("hire2retire"), facts)}
    assert form["Instance URL"].value == "https://acme.halopsa.com"
    assert form["Instance URL"].sure == "inferred"
    assert form["Client ID"].sure == "documented"


def test_the_powershell_line_shows_a_placeholder_until_the_secret_is_asked_for(
    tested: dict[str, Any],
) -> None:
    report, halo = tested["healthy"]
    facts = r.Facts.from_report(report)
    assert facts is not None
    (line,) = r.form(r.recipe("haloapi-powershell"), facts)
    assert line.value == (
        f"Connect-HaloAPI -URL 'https://acme.halopsa.com' -ClientID '{halo.client_id}' "
        "-ClientSecret '<client secret>' -Scopes 'read:tickets read:customers' -Tenant 'acme'"
    )
    assert line.secret and halo.client_secret not in line.value
    revealed = line.reveal("it's-a-secret")
    assert "-ClientSecret 'it''s-a-secret'" in revealed
    assert line.to_dict()["value"] == line.value


def test_a_secret_field_never_carries_the_secret_until_revealed(tested: dict[str, Any]) -> None:
    report, halo = tested["healthy"]
    for tool in IDS:
        facts = r.Facts.from_report(report)
        assert facts is not None
        for field in r.form(r.recipe(tool), facts):
            assert halo.client_secret not in str(field.to_dict())
            if field.secret and field.value is None:
                assert field.reveal(halo.client_secret) == halo.client_secret
                shown = field.to_dict()
                assert shown["value"] is None and shown["secret"] is True


VALID: dict[str, Any] = {
    "id": "x", "name": "X", "summary": "A tool.", "scopes": ["read:tickets"],
    "scopes_chosen_by": "admin", "scopes_note": "Why.", "identity": "agent",
    "identity_advice": "An agent.", "methods": ["client_secret"], "methods_note": "Its form.",
    "source": "Its guide", "sure": "documented",
    "field": [{"label": "Client ID", "from": "client_id"}],
}  # fmt: skip


def test_a_valid_entry_reads() -> None:
    (only,) = r.parse({"recipe": [VALID]})
    assert only.id == "x" and only.fields[0].label == "Client ID"


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ({}, "no [[recipe]]"),
        ({"recipe": [{"id": "x"}]}, "no [[recipe.field]]"),
        (
            {"recipe": [VALID | {"field": [{"label": "A", "from": "nowhere"}]}]},
            "from must be one of",
        ),
        ({"recipe": [VALID, VALID]}, "same id"),
        ({"recipe": [VALID | {"sure": "rumoured"}]}, "sure must be one of"),
        ({"recipe": [VALID | {"methods": ["password"]}]}, "methods must be one of"),
        ({"recipe": [VALID | {"methods": []}]}, "names no way to sign in"),
    ],
)
def test_a_defect_in_the_recipes_file_is_named(document: dict[str, Any], says: str) -> None:
    with pytest.raises(r.RecipeError, match=says.replace("[", r"\[").replace("]", r"\]")):
        r.parse(document)


def test_only_a_script_and_an_unknown_tool_are_offered_the_key_based_method() -> None:
    # Every other tool's form asks for a Client Secret (their guides and code, §7).
    signs = {recipe.id for recipe in r.all_recipes() if recipe.signs_with_a_key}
    assert signs == {"script", "other"}
    for recipe in r.all_recipes():
        assert "client_secret" in recipe.methods and recipe.methods_note
        assert recipe.to_dict()["methods"] == list(recipe.methods)


def test_an_unknown_recipe_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="rewst"):
        r.recipe("zapier")


# ----- what the test looks at for the tool -----

ALL_TICKED = READ_EDIT_SCOPES | {"all", "admin"}


def check_for_tool(halo: HostedHalo, tool: str, scopes: str) -> CheckReport:
    return run_check_sync(
        CheckRequest(
            host=halo.url,
            client_id=halo.client_id,
            client_secret=halo.client_secret,
            scopes=scopes,
            timeout=5.0,
            routes=LocalRoutes(halo.routes, halo.ca_pem),
            tool=tool,
        )
    )


def test_under_all_the_test_still_reads_the_customers_rewst_maps() -> None:
    with HostedHalo("healthy", ticked=ALL_TICKED) as halo:
        report = check_for_tool(halo, "rewst", "all")
    assert report.requested_scopes == ["all"]  # only what Rewst's guide ticks is asked for
    customers = {s.scope: s for s in report.scopes}["read:customers"]
    assert customers.status is ScopeStatus.OK and customers.records == 24
    assert "TOOL_SEES_NO_RECORDS" not in report.codes()


def test_an_agent_that_sees_no_customers_is_told_rewst_will_find_none() -> None:
    with HostedHalo("agent_sees_nothing", ticked=ALL_TICKED) as halo:
        report = check_for_tool(halo, "rewst", "all")
    (finding,) = [f for f in report.findings if f.code == "TOOL_SEES_NO_RECORDS"]
    assert finding.title == "Rewst will find no customers"
    assert "Allow use of all Customers" in " ".join(finding.fix)


def test_n8n_passes_when_its_own_three_scopes_are_ticked() -> None:
    with HostedHalo("healthy", ticked=ALL_TICKED) as halo:
        report = check_for_tool(halo, "n8n", " ".join(r.recipe("n8n").scopes))
    assert "SCOPE_NOT_GRANTED" not in report.codes()
    assert report.granted_scopes is not None and "admin" in report.granted_scopes


def test_the_broad_scope_a_tool_requires_is_not_called_more_than_it_needs() -> None:
    # Rewst's guide ticks all: the test says so and points at the agent's role instead of
    # telling the admin to untick what Rewst needs.
    with HostedHalo("healthy", ticked=ALL_TICKED) as halo:
        rewst = check_for_tool(halo, "rewst", "all")
        n8n = check_for_tool(halo, "n8n", " ".join(r.recipe("n8n").scopes))
        # The admin's own script asking for all is told it asks for more than it needs.
        script = check_for_tool(halo, "script", "all")
    assert "BROAD_ACCESS" not in rewst.codes() and rewst.ok
    (note,) = [f for f in rewst.findings if f.code == "TOOL_NEEDS_BROAD_ACCESS"]
    assert note.title == "Rewst needs broad scopes: limit the agent's role instead"
    assert note.detail.startswith("Rewst's setup guide says to tick all on the application.")
    assert "untick" not in " ".join(note.fix) and "role" in " ".join(note.fix)
    (asks,) = [f for f in n8n.findings if f.code == "TOOL_NEEDS_BROAD_ACCESS"]
    assert asks.detail.startswith("n8n asks Halo for admin itself, whatever is ticked.")
    assert "BROAD_ACCESS" not in n8n.codes()
    assert "BROAD_ACCESS" in script.codes() and "TOOL_NEEDS_BROAD_ACCESS" not in script.codes()


def test_a_form_signed_with_a_key_has_no_secret_and_says_how_it_signs(
    tested: dict[str, Any],
) -> None:
    report = tested["healthy"][0]
    facts = r.Facts.from_report(report)
    assert facts is not None
    signed = r.Signed.of(facts, key_file="/keys/halo-private-key.pem")
    assert signed.audience == f"{report.host}/auth/token" and signed.issuer == facts.client_id
    other = {f.label: f.value for f in r.form(r.recipe("other"), facts, signed=signed)}
    assert "Client Secret" not in other
    assert other["Authentication Method"] == "JWT Assertion (Services)"
    # Rewst has no such fields: it only sends a secret, so its form is only ever made without.
    assert (
        not any(spec.when == "signed" for spec in r.recipe("rewst").fields)
        and not r.recipe("rewst").signs_with_a_key
    )
    without_file = r.Signed.of(facts, audience=" https://elsewhere.example/t ", issuer="me")
    script = {f.label: f.value for f in r.form(r.recipe("script"), facts, signed=without_file)}
    assert script["HALO_ASSERTION_AUDIENCE"] == "https://elsewhere.example/t"
    assert script["HALO_ASSERTION_ISSUER"] == "me"
    assert "HALO_PRIVATE_KEY_FILE" not in script, "no file to name: the key is in the keychain"
    plain = [f.label for f in r.form(r.recipe("script"), facts)]
    assert "HALO_AUTH_METHOD" not in plain and "HALO_CLIENT_SECRET" in plain
