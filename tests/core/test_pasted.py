"""Pasted text as support staff paste it: whatever this program prints, it reads back (each
tool's "Type these into" block, the Connect-HaloAPI line, a whole `check --for` report), and
what first-time users pasted: e-mail wording and slips, masked secrets, n8n's credential
without scopes, CIPP's "None" tenant. A secret in the text is never shown, never used."""

from __future__ import annotations

import argparse
import io
import json
import secrets
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HaloFactory
from wizard.cli import main
from wizard.cli.tools import form_text
from wizard.core import recipes
from wizard.core.fromtext import FoundField, RecognisedText, describe, recognise
from wizard.core.model import CheckReport
from wizard.tasks.opening import read_pasted


def new_guid() -> str:
    return str(uuid.uuid4())


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def halo_shaped_secret() -> str:
    """A secret as Halo makes them: two GUIDs joined by a dash (generated, never real)."""
    return f"{new_guid()}-{new_guid()}"


def notes_with(result: RecognisedText, words: str) -> list[str]:
    return [note for note in result.notes if words in note]


def secret_noted(result: RecognisedText) -> bool:
    return bool(notes_with(result, "client secret is in the text"))


def masked_noted(result: RecognisedText) -> bool:
    return bool(notes_with(result, "is hidden (masked or a placeholder)"))


def assert_never_shown(result: RecognisedText, secret: str) -> None:
    assert secret not in describe(result)
    assert not [note for note in result.notes if secret in note]
    assert secret not in repr(result)
    assert result.client_id != secret


# ----- whatever the product prints, it reads back -----

# A tested connection in each situation a form differs in: hosted, a trial (signs in on a
# shared server), on-premise (no tenant).
SITUATIONS: dict[str, dict[str, Any]] = {
    "hosted": {
        "host": "https://acme.halopsa.com",
        "auth_url": "https://acme.halopsa.com/auth",
        "token_url": "https://acme.halopsa.com/auth/token?tenant=acme",
        "tenant": "acme",
    },
    "trial": {
        "host": "https://acmetrial.halopsa.com",
        "auth_url": "https://trial-auth.halopsa.com/auth",
        "token_url": "https://trial-auth.halopsa.com/auth/token?tenant=Trial42",
        "tenant": "Trial42",
    },
    "on_premise": {
        "host": "https://halo.example.org",
        "auth_url": "https://halo.example.org/auth",
        "token_url": "https://halo.example.org/auth/token",
        "tenant": None,
    },
}
RECIPES = [chosen.id for chosen in recipes.all_recipes()]


def report_of(situation: str, chosen: recipes.Recipe) -> CheckReport:
    """The report of a check that passed, as `check --for TOOL` makes it (the tool's scopes)."""
    return CheckReport(
        **SITUATIONS[situation],
        product="HaloPSA",
        client_id=new_guid(),
        requested_scopes=list(chosen.scopes),
    )


def printed(chosen: recipes.Recipe, report: CheckReport) -> str:
    """The "Type these into ..." block the command line prints (check/diagnose --for TOOL)."""
    text = form_text(argparse.Namespace(tool=chosen.id), report)
    assert "Type these into" in text
    return text


def assert_read_back(
    result: RecognisedText, chosen: recipes.Recipe, report: CheckReport, *, whole: bool = False
) -> None:
    """The connection the form was made from, as far as the form holds it (`whole`: the
    report around it too, which names the tenant and the token URL)."""
    facts = recipes.Facts.from_report(report)
    assert facts is not None
    specs = {spec.label: spec for spec in chosen.fields}
    sources = {specs[field.label].source for field in recipes.form(chosen, facts)}
    assert result.tool == chosen.id
    assert result.host == report.host
    assert result.client_id == report.client_id
    assert not {"host", "client_id"} & set(result.missing)
    if whole:
        sources |= {"tenant", "token_url"}
    if sources & {"tenant", "token_url", "powershell"} and report.tenant:
        assert result.tenant == report.tenant
    else:
        assert result.tenant is None
    if sources & {"auth_url", "auth_host_name", "token_url"} and facts.auth_differs:
        assert result.auth_url == report.auth_url
    else:
        assert result.auth_url is None  # the usual one, the Halo address + /auth
    if sources & {"scopes", "powershell"}:
        assert result.scopes == tuple(report.requested_scopes)
        assert not result.scopes_from_tool
    elif chosen.scopes_fixed:
        assert result.scopes == chosen.scopes and result.scopes_from_tool
    else:
        assert result.scopes is None
    if "hosting" in sources:
        assert result.on_premise is facts.on_premise
    # The secret's place holds a placeholder: no secret is in the text, and none is said to be.
    assert not secret_noted(result)
    if sources & set(recipes.SECRET_SOURCES):
        assert masked_noted(result)
    assert not notes_with(result, "not understood")
    assert not notes_with(result, "has spaces")
    assert not notes_with(result, "Different")


@pytest.mark.parametrize("situation", list(SITUATIONS))
@pytest.mark.parametrize("tool", RECIPES)
def test_every_tools_printed_form_is_read_back(tool: str, situation: str) -> None:
    chosen = recipes.recipe(tool)
    report = report_of(situation, chosen)
    assert_read_back(recognise(printed(chosen, report)), chosen, report)


@pytest.mark.parametrize("tool", RECIPES)
def test_every_tools_form_filled_by_hand_with_the_secret_never_shows_it(tool: str) -> None:
    """The form as typed into the tool, each value under its label, the secret too (in the
    Connect-HaloAPI line as "Copy with the secret" gives it): read, the secret never shown."""
    chosen = recipes.recipe(tool)
    report = report_of("hosted", chosen)
    facts = recipes.Facts.from_report(report)
    assert facts is not None
    for secret in (new_secret(), halo_shaped_secret()):
        typed = "".join(
            f"{field.label}: {field.reveal(secret)}\n" for field in recipes.form(chosen, facts)
        )
        result = recognise(typed)
        assert result.host == report.host and result.client_id == report.client_id
        assert secret_noted(result) and not masked_noted(result)
        assert_never_shown(result, secret)
        assert any(found.field == "secret" and found.value == "(hidden)" for found in result.found)


@pytest.mark.parametrize("situation", ["healthy", "trial", "on_premise"])
def test_the_whole_check_report_of_a_tested_connection_is_read_back(
    situation: str,
    start_halo: HaloFactory,
    ca_bundle: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`check --for TOOL` against the simulated Halo, its whole readable report pasted:
    the same connection, for every tool."""
    halo = start_halo(situation, tick_all=True)
    monkeypatch.setenv("HALO_CLIENT_SECRET", halo.client_secret)
    for chosen in recipes.all_recipes():
        out = io.StringIO()
        code = main(
            ["check", "--host", halo.url, "--client-id", halo.client_id, "--for", chosen.id,
             "--ca-bundle", ca_bundle, "--timeout", "5"],
            stdin=io.StringIO(""), stdout=out,
        )  # fmt: skip
        said = out.getvalue()
        assert code in (0, 1), said  # Nango cannot sign in to a trial: its form is printed
        assert halo.client_secret not in said
        as_json = io.StringIO()
        main(
            ["check", "--host", halo.url, "--client-id", halo.client_id, "--for", chosen.id,
             "--ca-bundle", ca_bundle, "--timeout", "5", "--json"],
            stdin=io.StringIO(""), stdout=as_json,
        )  # fmt: skip
        data = json.loads(as_json.getvalue())
        report = CheckReport(
            host=data["host"],
            tenant=data["tenant"],
            auth_url=data["auth_url"],
            token_url=data["token_url"],
            client_id=data["client_id"],
            requested_scopes=data["requested_scopes"],
        )
        # The form block alone, and the whole report with it, give the same connection.
        block = said[said.index("\nType these into") :]
        assert_read_back(recognise(block), chosen, report)
        assert_read_back(recognise(said), chosen, report, whole=True)


def test_a_printed_form_pasted_into_diagnose_is_tested_as_that_tools(
    start_halo: HaloFactory,
    ca_bundle: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`diagnose --from-text` of what `check --for n8n` printed: n8n's connection, tested
    with the scopes n8n asks for itself (its form has none), and it works."""
    halo = start_halo("healthy", tick_all=True)
    monkeypatch.setenv("HALO_CLIENT_SECRET", halo.client_secret)
    common = ["--ca-bundle", ca_bundle, "--timeout", "5"]
    out = io.StringIO()
    argv = ["check", "--host", halo.url, "--client-id", halo.client_id, "--for", "n8n"]
    assert main([*argv, *common], stdin=io.StringIO(""), stdout=out) == 0
    pasted = tmp_path / "n8n.txt"
    pasted.write_text(out.getvalue(), "utf-8")
    capsys.readouterr()
    out = io.StringIO()
    argv = ["diagnose", "--from-text", str(pasted), *common, "--json"]
    code = main(argv, stdin=io.StringIO(""), stdout=out)
    said = capsys.readouterr().err
    data = json.loads(out.getvalue())
    assert code == 0 and data["ok"], said
    assert data["tool"] == "n8n"
    assert data["requested_scopes"] == ["admin", "edit:tickets", "edit:customers"]
    assert "n8n asks Halo for admin edit:tickets edit:customers itself" in said
    assert "names no scopes" not in said
    assert "client secret is in the text" not in said
    assert halo.client_secret not in said + out.getvalue()
    # Judged as another tool's, or with other scopes: n8n's own request is neither tested
    # nor said to be.
    for extra, scopes in (
        (["--for", "cipp"], recipes.recipe("cipp").scopes),
        (["--scopes", "read:tickets"], ("read:tickets",)),
    ):
        out = io.StringIO()
        code = main([*argv, *extra], stdin=io.StringIO(""), stdout=out)
        said = capsys.readouterr().err
        data = json.loads(out.getvalue())
        assert data["requested_scopes"] == list(scopes), said
        assert "n8n asks Halo for" not in said


# ----- the Connect-HaloAPI line -----


def test_the_connect_haloapi_line_is_read_in_every_quoting() -> None:
    client_id, secret = new_guid(), halo_shaped_secret()
    lines = [
        # As this program prints it, the secret a placeholder.
        f"Connect-HaloAPI -URL 'https://acme.halopsa.com' -ClientID '{client_id}' "
        "-ClientSecret '<client secret>' -Scopes 'read:tickets read:assets' -Tenant 'acme'",
        # As support staff type it.
        f"Connect-HaloAPI -URL https://acme.halopsa.com -ClientID {client_id} "
        f'-ClientSecret {secret} -Scopes "read:tickets,read:assets" -Tenant acme',
        f'PS C:\\> connect-haloapi -url:"https://acme.halopsa.com/" -clientid:"{client_id}" '
        f'-clientsecret:"{secret}" -tenant:"acme" -scopes:"read:tickets read:assets"',
        # Over several lines, each but the last ending in a backtick.
        f"Connect-HaloAPI -URL 'https://acme.halopsa.com' `\n    -ClientID '{client_id}' `\n"
        f"    -ClientSecret '{secret}' `\n    -Scopes 'read:tickets read:assets' -Tenant 'acme'",
    ]
    for line in lines:
        result = recognise(line)
        assert (result.host, result.client_id, result.tenant) == (
            "https://acme.halopsa.com",
            client_id,
            "acme",
        ), line
        assert result.scopes == ("read:tickets", "read:assets"), line
        assert result.tool == "haloapi-powershell"
        assert result.missing == ()
        assert_never_shown(result, secret)
        if secret in line:
            assert secret_noted(result) and not masked_noted(result)
        else:
            assert masked_noted(result) and not secret_noted(result)
    assert '(from "-ClientID")' in describe(recognise(lines[0]))


def test_the_connect_haloapi_line_copied_with_the_secret_never_shows_it() -> None:
    chosen = recipes.recipe("haloapi-powershell")
    report = report_of("hosted", chosen)
    facts = recipes.Facts.from_report(report)
    assert facts is not None
    (command,) = recipes.form(chosen, facts)
    secret = new_secret() + "'quoted"  # a quote PowerShell doubles
    copied = command.reveal(secret)
    assert "''quoted" in copied
    result = recognise(copied)
    assert result.host == report.host and result.client_id == report.client_id
    assert secret_noted(result)
    assert_never_shown(result, secret)
    assert_never_shown(result, secret.replace("'", "''"))


def test_a_connect_haloapi_line_without_scopes_asks_for_all() -> None:
    client_id = new_guid()
    result = recognise(
        f"Connect-HaloAPI -URL https://acme.halopsa.com -ClientID {client_id} "
        "-ClientSecret $HaloSecret -Tenant acme"
    )
    assert result.scopes == ("all",) and result.scopes_from_tool
    (note,) = notes_with(result, "no -Scopes")
    assert "not read from the text" in note
    assert masked_noted(result) and not secret_noted(result), "a variable holds the secret"


# ----- e-mail wording and slips -----


def test_labels_an_email_uses_are_read() -> None:
    client_id = new_guid()
    for text in (
        f"url: https://acme.halopsa.com\nClient: {client_id}\ntenant: acme\n",
        f"URL: acme.halopsa.com\nclient: {client_id}\nTenant: acme\n",
    ):
        result = recognise(text)
        assert result.host == "https://acme.halopsa.com", text
        assert result.client_id == client_id and result.tenant == "acme"
        assert result.missing == ()
        assert result.notes == ()


def test_a_client_that_is_a_customer_is_passed_over_quietly() -> None:
    result = recognise("Client: Acme Ltd\nURL: https://acme.halopsa.com\n")
    assert result.client_id is None
    assert result.notes == ()


@pytest.mark.parametrize(
    ("label", "field", "read_as"),
    [
        ("Cleint ID", "client_id", "the Client ID"),
        ("Clinet ID", "client_id", "the Client ID"),
        ("Tennant", "tenant", "the tenant"),
        ("Tennant ID", "tenant", "the tenant"),
        ("Resouce Server", "host", "the Halo address"),
        ("Client Secert", "secret", "the client secret"),
    ],
)
def test_a_misspelt_label_is_read_with_a_note(label: str, field: str, read_as: str) -> None:
    values = {
        "client_id": new_guid(),
        "tenant": "acme",
        "host": "acme.halopsa.com",
        "secret": new_secret(),
    }
    for text in (f"{label}: {values[field]}\n", f"{label}\n{values[field]}\n"):
        result = recognise(text)
        assert f'Read "{label}" as {read_as}.' in result.notes, text
        if field == "secret":
            assert secret_noted(result)
            assert_never_shown(result, values[field])
        else:
            assert [found.label for found in result.found] == [label]


def test_a_label_a_letter_off_another_field_is_not_guessed() -> None:
    result = recognise("Client IP: 10.20.30.40\nClients: 12345678\n")
    assert result.client_id is None
    assert not notes_with(result, "Read ")


@pytest.mark.parametrize("label", ["Client  ID", "Client   ID", "Tenant  ID", "Client\u00a0 ID"])
def test_a_label_with_doubled_spaces_is_read(label: str) -> None:
    value = "acme" if "Tenant" in label else new_guid()
    for text in (f"{label}: {value}\n", f"{label}:\n{value}\n", f"{label}\n{value}\n"):
        result = recognise(text)
        assert value in (result.client_id, result.tenant), text
        assert result.found == (
            FoundField(
                "tenant" if "Tenant" in label else "client_id", label.replace("\u00a0", " "), value
            ),
        )


def test_a_one_line_email_is_read() -> None:
    client_id = new_guid()
    result = recognise(
        f"Hi, the url is https://acme.halopsa.com and the client id is {client_id}, tenant acme"
    )
    assert result.host == "https://acme.halopsa.com"
    assert result.client_id == client_id
    assert result.tenant == "acme"
    assert result.missing == ()
    (note,) = notes_with(result, "Read from the sentence on line 1")
    assert '(after "url")' in note and '(after "client id")' in note
    assert '(after "tenant")' in note


def test_an_email_over_several_lines_is_read() -> None:
    client_id, secret = new_guid(), new_secret()
    result = recognise(
        "Hi Sam,\n\n"
        "As asked, our Halo URL is https://acme.halopsa.com/ and the tenant name is acme.\n"
        f"The Client ID: {client_id}\n"
        f"The client secret is {secret} (please keep it safe).\n\n"
        "Thanks,\nAlex\n"
    )
    assert (result.host, result.tenant, result.client_id) == (
        "https://acme.halopsa.com",
        "acme",
        client_id,
    )
    assert secret_noted(result)
    assert_never_shown(result, secret)


def test_words_of_a_guide_are_no_values() -> None:
    result = recognise(
        "The tenant is shown in Configuration > Integrations > Halo API.\n"
        "Paste your Client ID below, then the secret as well.\n"
        "Halo reports no tenant [ON_PREMISE] for your own server.\n"
        "Enter the url of your Halo and the client id.\n"
    )
    assert result.found == ()
    assert not secret_noted(result)


@pytest.mark.parametrize(
    "address",
    [
        "https://acme.halopsa.com",
        "https://acme.haloitsm.com/",
        "https://acme.haloservicedesk.com/portal",
        "https://halo.example.org/api",
        "https://halo.example.org/auth",
    ],
)
def test_an_address_plainly_halos_is_used_without_a_label(address: str) -> None:
    client_id = new_guid()
    result = recognise(f"Here you go:\n{address}\n{client_id}\n")
    host = address.split("/")[0] + "//" + address.split("/")[2]
    assert result.host == host
    assert result.client_id == client_id
    assert result.auth_url is None
    (note,) = notes_with(result, "No label names the Halo address")
    assert f"{host} (line 2) has the shape of one" in note
    assert notes_with(result, "(line 3) is the only code in the text shaped like one")
    assert not notes_with(result, "not understood")
    said = describe(result)
    assert f"Halo address {host} (by its shape, on line 2)" in said
    assert f"Client ID {client_id} (by its shape, on line 3)" in said


def test_an_address_not_plainly_halos_is_not_guessed() -> None:
    for text in (
        "See https://intranet.example.com/wiki for the steps\n",
        "http://acme.halopsa.com\n",
        "The guide: https://halopsa.com/guides/api\n",
    ):
        result = recognise(text)
        assert result.host is None, text
        assert result.found == ()


def test_several_unlabelled_client_ids_or_addresses_are_not_guessed() -> None:
    result = recognise(
        f"{new_guid()}\n{new_guid()}\nhttps://acme.halopsa.com\nhttps://other.halopsa.com\n"
    )
    assert result.client_id is None and result.host is None
    assert notes_with(result, "the text has 2 codes shaped like one; none is used")
    assert notes_with(result, "several that could be it")


def test_a_guid_under_the_secret_label_is_never_taken_as_the_client_id() -> None:
    guid = new_guid()
    result = recognise(f"Resource Server: acme.halopsa.com\nClient Secret: {guid}\n")
    assert result.client_id is None
    assert_never_shown(result, guid)


# ----- masked secrets -----

MASKED = [
    "********",
    "\u2022\u2022\u2022\u2022\u2022\u2022",
    "\u25cf\u25cf\u25cf\u25cf\u25cf",
    "xxxx\u2026",
    "xxxxxxxx-xxxx-xxxx",
    "<hidden>",
    "[redacted]",
    "REDACTED",
    "(hidden)",
    "<client secret>",
    "abcd********",
    "abcd...wxyz",
]


@pytest.mark.parametrize("masked", MASKED)
def test_a_masked_secret_is_no_secret_in_the_text(masked: str) -> None:
    client_id = new_guid()
    for text in (
        f"Resource Server: acme.halopsa.com\nClient ID: {client_id}\nClient Secret: {masked}\n",
        f"Resource Server\nacme.halopsa.com\nClient ID\n{client_id}\nClient Secret\n{masked}\n",
        f"HALO_HOST=acme.halopsa.com\nHALO_CLIENT_ID={client_id}\nHALO_CLIENT_SECRET={masked}\n",
    ):
        result = recognise(text)
        assert result.client_id == client_id, text
        assert not secret_noted(result), text
        assert not [found for found in result.found if found.field == "secret"]
        (note,) = notes_with(result, "is hidden (masked or a placeholder)")
        assert "so the text does not give it" in note
        assert masked not in note


def test_a_masked_client_id_is_not_used() -> None:
    result = recognise("Resource Server: acme.halopsa.com\nClient ID: ********\n")
    assert result.client_id is None and "client_id" in result.missing
    assert notes_with(result, 'The Client ID under "Client ID" is hidden')


# ----- n8n's credential has no scopes field -----


def test_an_n8n_credential_gets_n8ns_own_scopes_with_a_note() -> None:
    result = recognise(
        "Hosting Type: Hosted Solution Of Halo\n"
        "HaloPSA Authorisation Server URL: https://acme.halopsa.com/auth\n"
        "Resource Server: https://acme.halopsa.com/api\n"
        f"Client ID: {new_guid()}\n"
        "Client Secret: ********\n"
        "Tenant: acme\n"
    )
    assert result.tool == "n8n"
    assert result.scopes == ("admin", "edit:tickets", "edit:customers")
    assert result.scopes_from_tool
    (note,) = notes_with(result, "n8n's form has no field for scopes")
    assert "n8n's own request, not read from the text" in note
    assert not [found for found in result.found if found.field == "scopes"]


def test_scopes_in_the_text_are_kept_and_other_tools_get_none_offered() -> None:
    n8n = recognise(
        f"Resource Server: https://acme.halopsa.com/api\nClient ID: {new_guid()}\n"
        "Hosting Type: Hosted Solution Of Halo\nScopes: read:tickets\n"
    )
    assert n8n.scopes == ("read:tickets",) and not n8n.scopes_from_tool
    # Rewst's guide, not Rewst itself, says what to tick: the admin is asked.
    rewst = recognise(f"Resource Server Hostname: acme.halopsa.com\nClient ID: {new_guid()}\n")
    assert rewst.tool == "rewst" and rewst.scopes is None
    no_tool = recognise(f"Halo URL: https://acme.halopsa.com\nClient ID: {new_guid()}\n")
    assert no_tool.tool is None and no_tool.scopes is None and not no_tool.scopes_from_tool


# ----- CIPP's "None" tenant -----


@pytest.mark.parametrize("none", ["None", "none", "NONE", '"None"'])
def test_cipps_none_tenant_is_no_tenant(none: str) -> None:
    result = recognise(
        "HaloPSA Resource Server URL: https://acme.halopsa.com/api\n"
        "HaloPSA Authorisation Endpoint URL: https://acme.halopsa.com/auth\n"
        f"HaloPSA Tenant: {none}\n"
        f"HaloPSA Client ID: {new_guid()}\n"
    )
    assert result.tool == "cipp"
    assert result.tenant is None
    assert "tenant" not in result.missing
    (note,) = notes_with(result, "CIPP reads as no tenant")
    assert note.startswith('The tenant under "HaloPSA Tenant" is none')
    assert "Not found" not in describe(result)


# ----- swapped values -----


def test_swapped_client_id_and_secret_are_said_and_neither_is_shown() -> None:
    guid, secret = new_guid(), halo_shaped_secret()
    for swapped in (secret, new_secret()):
        result = recognise(
            f"Resource Server: acme.halopsa.com\nClient ID: {swapped}\nClient Secret: {guid}\n"
        )
        assert result.client_id is None
        assert notes_with(result, "look swapped") or notes_with(result, "shape of a client secret")
        assert_never_shown(result, swapped)
        assert_never_shown(result, guid)


# ----- one reading for the window and the command line -----


def test_read_pasted_reads_a_printed_form() -> None:
    chosen = recipes.recipe("cipp")
    report = report_of("on_premise", chosen)
    pasted = read_pasted(printed(chosen, report), "the pasted text")
    assert pasted.connection is None and pasted.recognised is not None
    assert_read_back(pasted.recognised, chosen, report)
