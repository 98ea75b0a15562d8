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
    "rewst", "hire2retire", "n8n", "cipp", "nango", "halo-custom-integration",
    "haloapi-powershell", "script", "other",
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


def notes(tool: str, report: CheckReport) -> dict[str, str | None]:
    facts = r.Facts.from_report(report)
    assert facts is not None
    return {f.label: f.note for f in r.form(r.recipe(tool), facts)}


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


def test_n8n_is_told_its_sign_in_base_and_the_hosting_type_it_starts_with(
    tested: dict[str, Any],
) -> None:
    # n8n adds /token?tenant= to what is typed, and starts at On-Premise Solution.
    hosted = notes("n8n", tested["healthy"][0])
    assert "without /token" in (hosted["HaloPSA Authorisation Server URL"] or "")
    assert hosted["Hosting Type"] == "n8n starts with On-Premise Solution: change it"
    on_premise = notes("n8n", tested["on_premise"][0])
    assert on_premise["Hosting Type"] == "n8n's default"
    assert "on-premise too" in (on_premise["HaloPSA Authorisation Server URL"] or "")
    assert fields("n8n", tested["on_premise"][0])["HaloPSA Authorisation Server URL"] == (
        "https://itsm.acme.example/auth"
    )
    # On a trial the base is the shared sign-in server, without /auth: n8n adds /token.
    trial = fields("n8n", tested["trial"][0])
    assert trial["HaloPSA Authorisation Server URL"] == "https://uk-trial.halopsa.com"
    assert trial["Tenant"] == "SimTrial42"


def test_n8n_says_what_is_known_about_its_scopes_not_a_guess() -> None:
    n8n = r.recipe("n8n")
    assert n8n.requests == ("admin", "edit:tickets", "edit:customers")
    assert "refuse" not in n8n.scopes_note.replace("rather than refusing", "")
    assert "tick all" in n8n.scopes_note and "narrowing" in n8n.scopes_note
    assert "shows what Halo granted" in n8n.scopes_note
    assert n8n.cited("scopes").sure == "seen" and "§10" in n8n.cited("scopes").source


def test_cipp_on_hosted_trial_and_on_premise(tested: dict[str, Any]) -> None:
    report, halo = tested["healthy"]
    assert fields("cipp", report) == {
        "HaloPSA Resource Server URL": "https://acme.halopsa.com/api",
        "HaloPSA Authorisation Endpoint URL": "https://acme.halopsa.com/auth",
        "HaloPSA Tenant": "acme",
        "HaloPSA Client ID": halo.client_id,
        "HaloPSA Client Secret": None,
        "HaloPSA Ticket Type ID": "",
    }
    # CIPP adds /token (and ?tenant=) itself: on a trial the base is the shared server.
    trial = fields("cipp", tested["trial"][0])
    assert trial["HaloPSA Authorisation Endpoint URL"] == "https://uk-trial.halopsa.com"
    assert trial["HaloPSA Tenant"] == "SimTrial42"
    on_premise = fields("cipp", tested["on_premise"][0])
    assert on_premise["HaloPSA Resource Server URL"] == "https://itsm.acme.example/api"
    assert on_premise["HaloPSA Authorisation Endpoint URL"] == "https://itsm.acme.example/auth"
    assert on_premise["HaloPSA Tenant"] == "", "blank when self-hosted"
    said = notes("cipp", tested["on_premise"][0])
    assert (said["HaloPSA Tenant"] or "").startswith("Leave it empty")
    assert notes("cipp", report)["HaloPSA Tenant"] is None
    assert "the page's address" in (said["HaloPSA Ticket Type ID"] or "")


def test_cipp_recommends_its_docs_scopes_and_says_its_code_asks_for_all() -> None:
    cipp = r.recipe("cipp")
    assert cipp.scopes == ("read:tickets", "edit:tickets", "read:customers", "edit:customers")
    assert cipp.scopes_chosen_by == "guide" and not cipp.scopes_fixed
    assert cipp.requests == ("all",)
    assert cipp.cited("requests") == r.Cited(
        "CIPP-API's Get-HaloToken.ps1 (halo-api-reference.md §10)", "seen"
    )
    assert cipp.cited("scopes").sure == "documented"
    assert "CIPP's docs" in cipp.scopes_note and "asks Halo for all" in cipp.scopes_note
    assert not cipp.signs_with_a_key


def test_nango_on_hosted_trial_and_on_premise(tested: dict[str, Any]) -> None:
    report, halo = tested["healthy"]
    assert fields("nango", report) == {
        "Hostname": "acme.halopsa.com",
        "Client ID": halo.client_id,
        "Client Secret": None,
        "Scopes": "read:tickets read:customers",
    }
    assert "Nango cannot connect" not in (notes("nango", report)["Hostname"] or "")
    on_premise = tested["on_premise"][0]
    assert fields("nango", on_premise)["Hostname"] == "itsm.acme.example"
    assert "Nango cannot connect" not in (notes("nango", on_premise)["Hostname"] or "")
    # A trial signs in on uk-trial.halopsa.com with its tenant; Nango asks only for a host
    # name and signs in at its /auth/token without a tenant: it cannot work, and says so.
    trial = notes("nango", tested["trial"][0])["Hostname"] or ""
    assert trial.startswith("Nango cannot connect to this Halo")
    assert "without a tenant" in trial
    nango = r.recipe("nango")
    assert nango.requests == () and not nango.scopes_fixed
    assert "401 or 403" in nango.scopes_note
    assert "401 or 403" in (notes("nango", report)["Scopes"] or "")
    assert all(r.recipe("nango").field_cited(spec).sure == "inferred" for spec in nango.fields)


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
        (
            {"recipe": [VALID | {"field": [{"label": "A", "from": "tool_setting"}]}]},
            "needs a note",
        ),
        (
            {
                "recipe": [
                    VALID | {"field": [{"label": "A", "from": "host", "note_if": {"trial": "x"}}]}
                ]
            },
            "note_if must be one of",
        ),
        ({"recipe": [VALID | {"requests": "all"}]}, "requests must be a list"),
        ({"recipe": [VALID | {"scopes_sure": "rumoured"}]}, "scopes_sure must be one of"),
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


def test_every_recipe_offers_the_application_identity_only_where_halo_has_it() -> None:
    # Halo's guide has it from v2.234, but a 2026 tenant offered no such login type.
    for recipe in r.all_recipes():
        advice = recipe.identity_advice
        assert "application's own identity" in advice, recipe.id
        assert "from Halo v2.234, where your Halo offers it" in advice, recipe.id


def test_every_fact_of_every_recipe_names_its_source_and_how_sure_it_is() -> None:
    for recipe in r.all_recipes():
        for fact in ("recipe", *r.FACTS):
            cited = recipe.cited(fact)
            assert cited.source and cited.sure in r.SURENESS, (recipe.id, fact)
        listed = recipe.to_dict()
        assert set(listed["sources"]) >= {"recipe", "scopes", "identity", "methods"}
        assert [f["label"] for f in listed["field_sources"]] == listed["fields"]
        for spec in recipe.fields:
            cited = recipe.field_cited(spec)
            assert cited.source and cited.sure in r.SURENESS, (recipe.id, spec.label)
    # An identity no source of the tool's names is our advice, and says so.
    assert r.recipe("nango").cited("identity").sure == "inferred"
    assert r.recipe("rewst").cited("identity").sure == "documented"


def test_cipps_pasted_form_is_recognised_by_its_labels() -> None:
    from wizard.core.fromtext import recognise

    text = (
        "HaloPSA Resource Server URL: https://acme.halopsa.com/api\n"
        "HaloPSA Authorisation Endpoint URL: https://acme.halopsa.com/auth\n"
        "HaloPSA Tenant: acme\n"
        "HaloPSA Client ID: 1a2b3c4d-0000-4000-8000-123456789abc\n"
        "HaloPSA Ticket Type ID: 21\n"
    )
    found = recognise(text)
    assert found.tool == "cipp"
    assert found.host == "https://acme.halopsa.com" and found.tenant == "acme"
    assert found.client_id == "1a2b3c4d-0000-4000-8000-123456789abc"
    assert found.notes == (), "the Ticket Type ID is CIPP's own: no note about it"
    # On a trial CIPP's Authorisation Endpoint URL is the shared sign-in server: it is read.
    trial = recognise(
        text.replace("https://acme.halopsa.com/auth", "https://uk-trial.halopsa.com").replace(
            "acme\n", "SimTrial42\n"
        )
    )
    assert trial.tool == "cipp" and trial.auth_url == "https://uk-trial.halopsa.com"
    assert trial.tenant == "SimTrial42"
    # Self-hosted: the tenant is left empty, and none is missed.
    own = recognise(
        "HaloPSA Resource Server URL: https://itsm.acme.example/api\n"
        "HaloPSA Authorisation Endpoint URL: https://itsm.acme.example/auth\n"
        "HaloPSA Tenant:\n"
        "HaloPSA Client ID: 1a2b3c4d-0000-4000-8000-123456789abc\n"
    )
    assert own.tool == "cipp" and own.tenant is None and own.missing == ()
    # Nango's only label of its own is as common as any: it never names the tool alone.
    assert recognise("Hostname: acme.halopsa.com\nClient ID: abc12345\n").tool is None


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


def test_cipp_and_nango_pass_with_what_their_recipes_tick() -> None:
    with HostedHalo("healthy", ticked=ALL_TICKED) as halo:
        cipp = check_for_tool(halo, "cipp", " ".join(r.recipe("cipp").scopes))
        nango = check_for_tool(halo, "nango", " ".join(r.recipe("nango").scopes))
    assert cipp.ok and nango.ok, (cipp.codes(), nango.codes())
    assert tuple(cipp.requested_scopes) == r.recipe("cipp").scopes, "what CIPP's docs tick"
    # Nothing broad is ticked for CIPP, so nothing is said about broad access.
    assert not {"BROAD_ACCESS", "TOOL_NEEDS_BROAD_ACCESS"} & set(cipp.codes())
    assert "TOOL_NEEDS_OTHER_IDENTITY" not in cipp.codes() + nango.codes()


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
