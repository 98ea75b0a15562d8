"""Values an admin typed into another tool's Halo form, pasted as text, give the same connection
settings whatever the tool, spelling, separator, quotes or address form; the secret is noticed,
never kept or shown."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wizard.core.connection_file import ConnectionFile, SecretEntry, environment_variables
from wizard.core.fromtext import FoundField, RecognisedText, describe, recognise

PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def new_guid() -> str:
    return str(uuid.uuid4())


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def assert_secret_hidden(result: RecognisedText, secret: str) -> None:
    assert secret not in describe(result)
    assert not [note for note in result.notes if secret in note]
    assert secret not in repr(result)
    assert all(found.value == "(hidden)" for found in result.found if found.field == "secret")


def labels(result: RecognisedText, field: str) -> list[str]:
    return [found.label for found in result.found if found.field == field]


def notes_with(result: RecognisedText, words: str) -> list[str]:
    return [note for note in result.notes if words in note]


def secret_noted(result: RecognisedText) -> bool:
    return any("client secret is in the text" in note for note in result.notes)


# ----- each tool's form, as pasted -----


def test_a_rewst_block_of_a_hosted_halo() -> None:
    client_id, secret = new_guid(), new_secret()
    result = recognise(
        "Halo PSA integration\n"
        "Resource Server Hostname: acme.halopsa.com\n"
        f"Client ID: {client_id}\n"
        "Tenant ID: acme\n"
        "Auth Server Hostname:\n"
        f"Client Secret: {secret}\n"
        "Is On-Premise?: No\n"
    )
    assert result.host == "https://acme.halopsa.com"
    assert result.auth_url is None
    assert result.tenant == "acme"
    assert result.client_id == client_id
    assert result.on_premise is False
    assert result.scopes is None
    assert result.missing == ()
    assert FoundField("host", "Resource Server Hostname", "acme.halopsa.com") in result.found
    assert FoundField("secret", "Client Secret", "(hidden)") in result.found
    assert secret_noted(result)
    assert "HALO_CLIENT_SECRET" in notes_with(result, "client secret is in the text")[0]
    assert not notes_with(result, "not understood")
    assert_secret_hidden(result, secret)


def test_a_rewst_block_of_a_trial_keeps_its_shared_authorisation_server() -> None:
    client_id, secret = new_guid(), new_secret()
    result = recognise(
        "Resource Server Hostname   acmetrial.halopsa.com\n"
        "Auth Server Hostname   uk-trial.halopsa.com\n"
        "Tenant ID   CLIdev\n"
        f"Client ID   {client_id}\n"
        f"Client Secret   {secret}\n"
        "Is On-Premise?   False\n"
    )
    assert result.host == "https://acmetrial.halopsa.com"
    assert result.auth_url == "https://uk-trial.halopsa.com"
    assert result.tenant == "CLIdev"  # the case is kept
    assert result.client_id == client_id
    assert labels(result, "auth_url") == ["Auth Server Hostname"]
    assert result.missing == ()
    assert_secret_hidden(result, secret)


def test_a_rewst_auth_server_with_auth_is_the_usual_one() -> None:
    result = recognise(
        "Resource Server Hostname: acme.halopsa.com\nAuth Server Hostname: acme.halopsa.com/auth\n"
    )
    assert result.auth_url is None
    assert labels(result, "auth_url") == ["Auth Server Hostname"]
    assert "usual authorisation server" in describe(result)


@pytest.mark.parametrize("yes", ["Yes", "yes", "TRUE", "True", "'Yes'"])
def test_a_rewst_block_of_an_on_premise_halo_needs_no_tenant(yes: str) -> None:
    client_id = new_guid()
    result = recognise(
        "Resource Server Hostname: halo.example.org\n"
        f"Client ID: {client_id}\n"
        "Tenant ID:\n"
        "Auth Server Hostname:\n"
        f"Is On-Premise?: {yes}\n"
    )
    assert result.on_premise is True
    assert result.host == "https://halo.example.org"
    assert result.tenant is None
    assert result.missing == ()
    assert "on-premise" in describe(result)


def test_a_tenant_given_for_an_on_premise_halo_is_not_used() -> None:
    result = recognise(
        "Resource Server Hostname: halo.example.org\nTenant ID: acme\nIs On-Premise: Yes\n"
    )
    assert result.tenant is None
    assert "tenant" not in result.missing
    assert notes_with(result, "no tenant")
    assert not labels(result, "tenant")


@pytest.mark.parametrize("spelling", ["Authorisation", "Authorization"])
def test_an_n8n_credential_of_a_hosted_halo(spelling: str) -> None:
    client_id, secret = new_guid(), new_secret()
    result = recognise(
        "Hosting Type\tHosted Solution Of Halo\n"
        f"HaloPSA {spelling} Server URL\thttps://acme.halopsa.com/auth/\n"
        "Resource Server\thttps://acme.halopsa.com/api\n"
        f"Client ID\t{client_id}\n"
        f"Client Secret\t{secret}\n"
        "Tenant\tacme\n"
    )
    assert result.on_premise is False
    assert result.host == "https://acme.halopsa.com"
    assert result.auth_url is None  # https://acme.halopsa.com/auth is the usual one
    assert labels(result, "auth_url") == [f"HaloPSA {spelling} Server URL"]
    assert result.tenant == "acme"
    assert result.client_id == client_id
    assert result.missing == ()
    assert secret_noted(result)
    assert_secret_hidden(result, secret)


def test_an_n8n_credential_of_an_on_premise_halo() -> None:
    client_id = new_guid()
    result = recognise(
        "Hosting Type: On-Premise Solution\n"
        "HaloPSA Authorisation Server URL: https://halo.example.org/auth\n"
        "Resource Server: https://halo.example.org/api\n"
        f"Client ID: {client_id}\n"
    )
    assert result.on_premise is True
    assert result.host == "https://halo.example.org"
    assert result.auth_url is None
    assert result.missing == ()


def test_a_halo_custom_integration_of_the_runbooks() -> None:
    client_id, secret = new_guid(), new_secret()
    result = recognise(
        "Base Resource URL: https://acme.halopsa.com\n"
        "Authorization: OAuth 2.0\n"
        "Authorization header name:\n"
        "Header Prefix: Bearer\n"
        "Grant Type: Client Credentials\n"
        "Access Token URL: https://acme.halopsa.com/auth/token?tenant=acme\n"
        f"Client ID: {client_id}\n"
        f"Client Secret: {secret}\n"
        "Scope: read:tickets read:customers\n"
    )
    assert result.host == "https://acme.halopsa.com"
    assert result.auth_url is None
    assert result.tenant == "acme"
    assert result.client_id == client_id
    assert result.scopes == ("read:tickets", "read:customers")
    assert result.missing == ()
    (from_query,) = notes_with(result, "?tenant=")
    assert '"Access Token URL"' in from_query
    assert not notes_with(result, "not understood")
    assert_secret_hidden(result, secret)


def test_an_access_token_url_on_another_host_is_the_authorisation_server() -> None:
    result = recognise(
        "Base Resource URL: https://acmetrial.halopsa.com\n"
        "Access Token URL: https://uk-trial.halopsa.com/token?tenant=Tenant123\n"
    )
    assert result.auth_url == "https://uk-trial.halopsa.com"
    assert result.tenant == "Tenant123"


def test_halos_api_details_page_copied_with_values_under_their_labels() -> None:
    client_id = new_guid()
    result = recognise(
        "API Details\n"
        "Resource Server\n"
        "https://acme.halopsa.com/api\n"
        "\n"
        "Authorisation Server\n"
        "https://acme.halopsa.com/auth\n"
        "Tenant\n"
        "acme\n"
        "Client ID\n"
        f"{client_id}\n"
    )
    assert result.host == "https://acme.halopsa.com"
    assert result.auth_url is None
    assert result.tenant == "acme"
    assert result.client_id == client_id
    assert result.missing == ()
    assert not notes_with(result, "not understood")


@pytest.mark.parametrize("shell", ["posix", "powershell", "cmd"])
@pytest.mark.parametrize(
    ("auth_url", "token_url", "expected_auth"),
    [
        ("https://acme.halopsa.com/auth", "https://acme.halopsa.com/auth/token?tenant=acme", None),
        (
            "https://uk-trial.halopsa.com",
            "https://uk-trial.halopsa.com/token?tenant=acme",
            "https://uk-trial.halopsa.com",
        ),
    ],
)
def test_the_variables_this_program_writes_are_read_back(
    shell: str, auth_url: str, token_url: str, expected_auth: str | None
) -> None:
    client_id, secret = new_guid(), new_secret()
    connection = ConnectionFile(
        host="https://acme.halopsa.com",
        client_id=client_id,
        scopes=("read:tickets", "read:assets"),
        secret=SecretEntry.embedded(secret),
        auth_url=auth_url,
        token_url=token_url,
        tenant="acme",
    )
    for include_secret in (False, True):
        text = environment_variables(connection, include_secret=include_secret, shell=shell)
        result = recognise(text)
        assert result.host == "https://acme.halopsa.com"
        assert result.auth_url == expected_auth
        assert result.tenant == "acme"
        assert result.client_id == client_id
        assert result.scopes == ("read:tickets", "read:assets")
        assert result.missing == ()
        assert secret_noted(result) is include_secret
        assert not notes_with(result, "not understood")
        assert not notes_with(result, "Different")
        assert_secret_hidden(result, secret)


def test_an_on_premise_connection_written_by_this_program_has_no_tenant_missing() -> None:
    connection = ConnectionFile(
        host="https://halo.example.org",
        client_id=new_guid(),
        scopes=("read:tickets",),
        secret=SecretEntry.nowhere(),
    )
    result = recognise(environment_variables(connection))
    assert result.host == "https://halo.example.org"
    assert result.tenant is None and result.auth_url is None
    assert result.missing == ()  # not a cloud address, and not said to be hosted
    assert not result.notes


@pytest.mark.parametrize(
    "template",
    [
        "HALO_URL=acme.halopsa.com\nHALO_TENANT=acme\nHALO_CLIENT_ID={id}\nHALO_SCOPE=all\n"
        "HALO_CLIENT_SECRET={secret}\n",
        'export HALO_RESOURCE_URL="https://acme.halopsa.com/api"\nexport HALO_TENANT="acme"\n'
        'export HALO_CLIENT_ID="{id}"\nexport HALO_SCOPES="all"\n'
        'export HALO_CLIENT_SECRET="{secret}"\n',
        '$env:HALO_HOST = "https://acme.halopsa.com"\n$env:HALO_TENANT = "acme"\n'
        '$env:HALO_CLIENT_ID = "{id}"\n$env:HALO_SCOPES = "all";\n'
        "$env:HALO_CLIENT_SECRET = '{secret}'\n",
        "set HALO_HOST=https://acme.halopsa.com\nset HALO_TENANT=acme\nset HALO_CLIENT_ID={id}\n"
        'set "HALO_SCOPES=all"\nset HALO_CLIENT_SECRET={secret}\n',
        'setx HALO_HOST "https://acme.halopsa.com"\nsetx HALO_TENANT acme\n'
        'setx HALO_CLIENT_ID "{id}"\nsetx HALO_SCOPES all\nsetx HALO_CLIENT_SECRET "{secret}"\n',
    ],
    ids=[".env", "export", "powershell", "cmd set", "setx"],
)
def test_environment_lines_written_by_hand(template: str) -> None:
    client_id, secret = new_guid(), new_secret()
    result = recognise(template.format(id=client_id, secret=secret))
    assert result.host == "https://acme.halopsa.com"
    assert result.tenant == "acme"
    assert result.client_id == client_id
    assert result.scopes == ("all",)
    assert result.missing == ()
    assert secret_noted(result)
    assert not notes_with(result, "not understood")
    assert_secret_hidden(result, secret)


def test_json_like_lines_are_labels_and_values() -> None:
    client_id, secret = new_guid(), new_secret()
    result = recognise(
        "{\n"
        '  "host": "https://acme.halopsa.com",\n'
        '  "auth_url": null,\n'
        '  "tenant_id": "acme",\n'
        f'  "client_id": "{client_id}",\n'
        f'  "client_secret": "{secret}",\n'
        '  "scopes": ["read:tickets", "read:assets"]\n'
        "}\n"
    )
    assert result.host == "https://acme.halopsa.com"
    assert result.auth_url is None
    assert result.tenant == "acme"
    assert result.client_id == client_id
    assert result.scopes == ("read:tickets", "read:assets")
    assert secret_noted(result)
    assert_secret_hidden(result, secret)


def test_bullets_bold_labels_and_table_rows() -> None:
    client_id = new_guid()
    result = recognise(
        "- **Resource Server Hostname**: acme.halopsa.com\n"
        "| Field | Value |\n"
        "|---|---|\n"
        f"| Client ID | {client_id} |\n"
        "2. Tenant ID = acme\n"
    )
    assert result.host == "https://acme.halopsa.com"
    assert result.client_id == client_id
    assert result.tenant == "acme"
    assert not notes_with(result, "not understood")


@pytest.mark.parametrize(
    "quoted",
    ['"acme"', "'acme'", "\u201cacme\u201d", "\u2018acme\u2019", "`acme`", "  acme  "],
)
def test_values_in_any_quotes(quoted: str) -> None:
    result = recognise(f"Tenant ID: {quoted}\n")
    assert result.tenant == "acme"
    assert result.found == (FoundField("tenant", "Tenant ID", "acme"),)


@pytest.mark.parametrize(
    "address",
    [
        "acme.halopsa.com",
        "https://acme.halopsa.com",
        "https://acme.halopsa.com/",
        "HTTPS://ACME.HALOPSA.COM/API/",
        "acme.halopsa.com/api",
        "http://acme.halopsa.com/auth",
        "<https://acme.halopsa.com>",
        "https://acme.halopsa.com/auth/token?tenant=acme",
        "\u200bhttps://acme.halopsa.com\ufeff",
    ],
)
def test_every_address_form_gives_the_agent_web_app(address: str) -> None:
    assert recognise(f"Resource Server: {address}").host == "https://acme.halopsa.com"


# ----- near misses -----


def test_a_client_secret_is_never_taken_as_the_client_id() -> None:
    secret = new_secret()
    result = recognise(f"Resource Server: acme.halopsa.com\nClient Secret: {secret}\n")
    assert result.client_id is None
    assert "client_id" in result.missing
    assert labels(result, "secret") == ["Client Secret"]
    assert_secret_hidden(result, secret)


def test_a_secret_pasted_as_the_client_id_is_not_used_or_shown() -> None:
    pasted = f"{new_guid()}-{new_guid()}"  # the shape of a Halo client secret
    result = recognise(f"Client ID: {pasted}\n")
    assert result.client_id is None
    assert result.missing[:2] == ("host", "client_id")
    assert notes_with(result, "shape of a client secret")
    assert_secret_hidden(result, pasted)


def test_an_empty_value_is_missing_not_empty() -> None:
    client_id = new_guid()
    result = recognise(
        f"Resource Server Hostname: acme.halopsa.com\nTenant ID:\nClient ID: {client_id}\n"
    )
    assert result.tenant is None
    assert result.client_id == client_id
    assert result.missing == ("tenant",)
    assert not labels(result, "tenant")
    assert "Not found: the tenant." in describe(result)


def test_tenant_and_tenant_id_are_both_the_tenant_and_keep_their_label() -> None:
    assert recognise("Tenant ID: acme").found == (FoundField("tenant", "Tenant ID", "acme"),)
    assert recognise("Tenant: acme").found == (FoundField("tenant", "Tenant", "acme"),)
    assert recognise("tenant_id=acme").tenant == "acme"


def test_a_label_inside_a_sentence_is_not_a_field() -> None:
    client_id = new_guid()
    result = recognise(
        "Paste your Client ID below\n"
        f"Use the Client ID {client_id} from the application\n"
        "Enter the Tenant ID shown in Configuration > Integrations > Halo API.\n"
        "Client ID: ID for the Application registered in Halo PSA\n"
    )
    assert result.tenant is None, '"shown" is no tenant'
    assert notes_with(result, 'under "Client ID" has spaces')
    # No label gives the one GUID in the text: it is the Client ID by its shape, said so.
    assert result.client_id == client_id
    assert result.found == (FoundField("client_id", "line 2", client_id),)
    assert result.found[0].by_shape
    (note,) = notes_with(result, "No label names the Client ID")
    assert "(line 2) is the only code in the text shaped like one" in note


def test_on_premise_no_means_hosted_and_the_tenant_is_then_needed() -> None:
    result = recognise(f"Resource Server Hostname: psa.example.com\nClient ID: {new_guid()}\n")
    assert result.on_premise is None
    assert result.missing == ()  # a custom domain, and not said to be hosted
    result = recognise(
        f"Resource Server Hostname: psa.example.com\nClient ID: {new_guid()}\nIs On-Premise: No\n"
    )
    assert result.on_premise is False
    assert result.missing == ("tenant",)


def test_an_unknown_on_premise_answer_is_not_guessed() -> None:
    result = recognise("Is On-Premise: maybe\n")
    assert result.on_premise is None
    assert notes_with(result, '"Is On-Premise" was not understood')


def test_a_client_id_not_shaped_like_a_guid_is_taken_with_a_note() -> None:
    result = recognise("Client ID: acme-integration-7\n")
    assert result.client_id == "acme-integration-7"
    (note,) = notes_with(result, "not shaped like a Halo Client ID")
    assert "used as given" in note


def test_a_client_id_in_braces_is_the_guid() -> None:
    client_id = new_guid()
    result = recognise(f"Client ID: {{{client_id}}}\n")
    assert result.client_id == client_id
    assert not result.notes


def test_hosts_of_several_labels_that_agree_give_no_note() -> None:
    result = recognise(
        "Resource Server: https://acme.halopsa.com/api\n"
        "Base Resource URL: https://acme.halopsa.com\n"
        "HALO_HOST=acme.halopsa.com/\n"
    )
    assert result.host == "https://acme.halopsa.com"
    assert labels(result, "host") == ["Resource Server", "Base Resource URL", "HALO_HOST"]
    assert result.notes == ()
    assert '(from "Resource Server", "Base Resource URL" and "HALO_HOST")' in describe(result)


def test_hosts_that_differ_are_noted_and_the_first_is_used() -> None:
    result = recognise(
        "Resource Server: https://acme.halopsa.com/api\n"
        "Base Resource URL: https://acme-old.halopsa.com\n"
    )
    assert result.host == "https://acme.halopsa.com"
    (note,) = notes_with(result, "Different Halo addresses")
    assert "https://acme-old.halopsa.com" in note and '"Base Resource URL"' in note
    assert "comes first" in note
    assert labels(result, "host") == ["Resource Server"]


def test_a_variable_set_twice_counts_as_its_last_setting() -> None:
    result = recognise("HALO_HOST=old.halopsa.com\nHALO_HOST=acme.halopsa.com\n")
    assert result.host == "https://acme.halopsa.com"
    (note,) = notes_with(result, "Different Halo addresses")
    assert "last one counts" in note


def test_a_tenant_given_beats_one_read_from_an_address() -> None:
    result = recognise(
        "Access Token URL: https://acme.halopsa.com/auth/token?tenant=other\nTenant: acme\n"
    )
    assert result.tenant == "acme"
    (note,) = notes_with(result, "Different tenants")
    assert "other" in note and "given as the tenant itself" in note
    assert not notes_with(result, "?tenant=")


def test_client_ids_that_differ_are_noted_without_their_values() -> None:
    first, second = new_guid(), new_guid()
    result = recognise(f"Client ID: {first}\nHALO_CLIENT_ID={second}\n")
    assert result.client_id == first
    (note,) = notes_with(result, "Different Client IDs")
    assert first not in note and second not in note
    assert "line 2" in note


def test_an_unknown_label_is_quoted_but_never_its_value() -> None:
    value = new_secret()
    result = recognise(f"API Key: {value}\nAzure Secret Id: {value}\nStep 1: {value}\n")
    assert notes_with(result, '"API Key" was not understood')
    assert notes_with(result, '"Azure Secret Id" was not understood')
    assert not notes_with(result, "Step 1")  # a numbered step is no label
    assert result.found == ()
    assert_secret_hidden(result, value)


def test_the_forms_own_settings_are_recognised_and_ignored() -> None:
    result = recognise(
        "Authorization: OAuth 2.0\nHeader Prefix: Bearer\nGrant Type: Client Credentials\n"
        "Authentication Method: Client ID and Secret (Services)\nLogin Type: Agent\n"
    )
    assert result.auth_url is None and result.client_id is None
    assert result.found == ()
    assert result.notes == ()


def test_comments_are_not_read() -> None:
    result = recognise(
        "# Resource Server: old.halopsa.com\nREM HALO_TENANT=old\n"
        "# HALO_CLIENT_SECRET is not included: it is kept in the keychain\n"
        "Resource Server: acme.halopsa.com\n"
    )
    assert result.host == "https://acme.halopsa.com"
    assert result.tenant is None
    assert labels(result, "host") == ["Resource Server"]
    assert not secret_noted(result)
    assert not [note for note in result.notes if "old" in note or "secret" in note]


def test_a_bare_address_is_no_label() -> None:
    result = recognise("https://intranet.example.com/wiki\nacme.halopsa.com:8443\n")
    assert result.found == ()
    assert result.notes == ()


def test_a_secret_under_its_label_on_the_next_line_is_hidden() -> None:
    secret = new_secret()
    result = recognise(f"Client Secret\n{secret}\nTenant\nacme\n")
    assert secret_noted(result)
    assert result.tenant == "acme"
    assert_secret_hidden(result, secret)


def test_a_secret_with_equals_signs_is_never_quoted_as_a_label() -> None:
    secret = secrets.token_urlsafe(24) + "a==a=b:c"
    for text in (f"Client Secret:\n{secret}\n", f"{secret}\n", f"HALO_CLIENT_SECRET={secret}"):
        result = recognise(text)
        assert not notes_with(result, "not understood"), text
        assert_secret_hidden(result, secret)
        assert secret[:20] not in repr(result)


@pytest.mark.parametrize(
    "label", ["Resource Server", "Auth Server Hostname", "Tenant", "Client ID"]
)
def test_a_secret_pasted_in_another_field_is_not_shown(label: str) -> None:
    halo_shaped = f"{new_guid()}-{new_guid()}"
    for secret in (halo_shaped, new_secret()) if "Server" in label else (halo_shaped,):
        result = recognise(f"{label}: {secret}\n")
        assert_secret_hidden(result, secret)
        assert result.notes


def test_a_label_alone_does_not_take_the_next_label_as_its_value() -> None:
    result = recognise("Tenant ID\nClient ID\nResource Server\nhttps://acme.halopsa.com/api\n")
    assert result.tenant is None and result.client_id is None
    assert result.host == "https://acme.halopsa.com"


def test_a_heading_followed_by_a_word_of_the_guide_is_no_value() -> None:
    result = recognise("Take note of the\nClient ID -\nthen\nClient Secret -\nSave\n")
    assert result.client_id is None
    assert result.found == ()
    assert not secret_noted(result)


def test_a_tenant_that_is_an_address_is_not_used() -> None:
    result = recognise("Tenant: https://acme.halopsa.com\n")
    assert result.tenant is None
    assert notes_with(result, "looks like an address")


def test_an_address_that_cannot_be_one_says_why() -> None:
    result = recognise("Resource Server: ftp://acme.halopsa.com\n")
    assert result.host is None
    (note,) = notes_with(result, '"Resource Server" cannot be used')
    assert "https://" in note


def test_a_cloud_address_said_to_be_on_premise_is_noted() -> None:
    result = recognise("Resource Server: acme.halopsa.com\nIs On-Premise: Yes\n")
    assert result.on_premise is True
    assert notes_with(result, "acme.halopsa.com is an address of Halo's cloud")


def test_an_authorisation_server_without_auth_on_the_same_host_is_kept_with_a_note() -> None:
    result = recognise(
        "Resource Server Hostname: acme.halopsa.com\nAuth Server Hostname: acme.halopsa.com\n"
    )
    assert result.auth_url == "https://acme.halopsa.com"
    assert notes_with(result, "https://acme.halopsa.com/auth")


def test_invisible_characters_are_taken_out_and_named() -> None:
    client_id = new_guid()
    result = recognise(f"\ufeffClient\u200b ID:\u00a0{client_id}\u200b\nTenant:\u2060acme\n")
    assert result.client_id == client_id
    assert result.tenant == "acme"
    (note,) = notes_with(result, '"Client ID"')
    assert "byte-order mark" in note and "2 zero-width spaces" in note
    assert notes_with(result, 'a word joiner from the line labelled "Tenant"')


def test_nothing_recognised() -> None:
    result = recognise("")
    assert result == RecognisedText(
        None, None, None, None, None, None, (), ("host", "client_id", "tenant"), ()
    )
    assert describe(result) == (
        "Found no Halo connection settings.\n"
        "Not found: the Halo address, the Client ID and the tenant."
    )


def test_describe_names_each_value_and_its_label() -> None:
    client_id, secret = new_guid(), new_secret()
    result = recognise(
        "Resource Server Hostname: acme.halopsa.com\n"
        "Auth Server Hostname: uk-trial.halopsa.com\n"
        f"Client ID: {client_id}\n"
        f"Client Secret: {secret}\n"
        "Scope: read:tickets\n"
    )
    assert describe(result) == (
        'Found: Halo address https://acme.halopsa.com (from "Resource Server Hostname"), '
        'authorisation server https://uk-trial.halopsa.com (from "Auth Server Hostname"), '
        f'Client ID {client_id} (from "Client ID"), scopes read:tickets (from "Scope"), '
        'a client secret (from "Client Secret", not used).\n'
        "Not found: the tenant."
    )
    assert_secret_hidden(result, secret)


# ----- any spelling of a known block -----

LABELS = {
    "host": (
        "Resource Server Hostname",
        "Resource Server",
        "Base Resource URL",
        "HaloPSA Resource Server",
        "host",
        "HALO_HOST",
        "HALO_URL",
        "HALO_RESOURCE_URL",
    ),
    "auth": (
        "Auth Server Hostname",
        "HaloPSA Authorisation Server URL",
        "HaloPSA Authorization Server URL",
        "Authorisation Server",
        "auth_url",
        "HALO_AUTH_URL",
    ),
    "token": ("Access Token URL", "token_url", "HALO_TOKEN_URL"),
    "tenant": ("Tenant ID", "Tenant", "tenant_id", "HALO_TENANT"),
    "client_id": ("Client ID", "client_id", "clientId", "HALO_CLIENT_ID"),
    "secret": ("Client Secret", "client_secret", "HALO_CLIENT_SECRET"),
    "scopes": ("Scope", "Scopes", "HALO_SCOPES", "HALO_SCOPE"),
    "hosting": ("Is On-Premise?", "Is On-Premise", "Hosting Type"),
}
CASES: tuple[Callable[[str], str], ...] = (str, str.upper, str.lower, str.title)
SEPARATORS = (": ", ":", " : ", " = ", "=", "\t", "   ", ":\t", "\t\t")
QUOTE_PAIRS = (("", ""), ('"', '"'), ("'", "'"), ("\u201c", "\u201d"), ("\u2018", "\u2019"))
PADS = ("", " ", "\u200b", "\u00a0", "\u2060", "\ufeff")


@st.composite
def line_of(draw: st.DrawFn, kind: str, value: str) -> str:
    """One label and its value, in any of the shapes a form, a page or a shell gives."""
    label = draw(st.sampled_from(CASES))(draw(st.sampled_from(LABELS[kind])))
    opening, closing = draw(st.sampled_from(QUOTE_PAIRS))
    quoted = draw(st.sampled_from(PADS)) + opening + value + closing + draw(st.sampled_from(PADS))
    indent = draw(st.sampled_from(("", "  ", "\t")))
    shapes = ["pair", "next line", "json"]
    if label.upper().startswith("HALO_"):
        shapes += ["export", "powershell", "cmd", "setx"]
    shape = draw(st.sampled_from(shapes))
    if shape == "pair":
        return indent + label + draw(st.sampled_from(SEPARATORS)) + quoted
    if shape == "next line":
        return indent + label + draw(st.sampled_from(("", ":"))) + "\n" + indent + quoted
    if shape == "json":
        return f'{indent}"{label}": "{value}",'
    if shape == "export":
        return f"export {label}={quoted}"
    if shape == "powershell":
        return f"$env:{label} = {quoted}"
    if shape == "cmd":
        return f'set "{label}={value}"'
    return f"setx {label} {quoted}"


@st.composite
def host_form(draw: st.DrawFn, host: str, path: str) -> str:
    scheme = draw(st.sampled_from(("", "https://", "HTTPS://", "http://")))
    name = host.upper() if draw(st.booleans()) else host
    return scheme + name + path


@st.composite
def known_block(draw: st.DrawFn) -> tuple[str, dict[str, object], str]:
    sub = draw(st.from_regex(r"[a-z][a-z0-9]{0,10}", fullmatch=True))
    host = f"{sub}.halopsa.com"
    tenant = "Acme" + draw(st.from_regex(r"[A-Za-z0-9]{0,8}", fullmatch=True))
    client_id = str(draw(st.uuids()))
    secret = secrets.token_urlsafe(32)
    scopes = draw(
        st.sampled_from(
            ("read:tickets read:assets", "read:tickets,read:assets", "read:tickets, read:assets")
        )
    )
    path = draw(st.sampled_from(("", "/", "/api", "/api/", "/portal/", "/auth")))
    blocks = [
        draw(line_of("host", draw(host_form(host, path)))),
        draw(line_of("tenant", tenant)),
        draw(line_of("client_id", client_id)),
        draw(line_of("secret", secret)),
        draw(line_of("scopes", scopes)),
        draw(line_of("hosting", draw(st.sampled_from(("No", "False", "Hosted Solution Of Halo"))))),
    ]
    auth = draw(st.sampled_from(("none", "usual", "trial")))
    expected_auth = None
    if auth != "none":
        auth_host = host if auth == "usual" else "uk-trial.halopsa.com"
        auth_path = "/auth" if auth == "usual" else ""
        kind = draw(st.sampled_from(("auth", "token")))
        if kind == "token":
            auth_path += "/token" + draw(st.sampled_from(("", f"?tenant={tenant}")))
        else:
            auth_path += draw(st.sampled_from(("", "/")))
        blocks.append(draw(line_of(kind, draw(host_form(auth_host, auth_path)))))
        expected_auth = None if auth == "usual" else "https://uk-trial.halopsa.com"
    blocks += draw(
        st.lists(
            st.sampled_from(
                (
                    "",
                    "Grant Type: Client Credentials",
                    "Header Prefix\tBearer",
                    "Complete the form with the details you created.",
                    "# exported from the wizard",
                )
            ),
            max_size=3,
        )
    )
    text = "\n".join(draw(st.permutations(blocks)))
    expected: dict[str, object] = {
        "host": f"https://{host}",
        "auth_url": expected_auth,
        "tenant": tenant,
        "client_id": client_id,
        "on_premise": False,
        "scopes": ("read:tickets", "read:assets"),
        "missing": (),
    }
    return text, expected, secret


@PROPERTY
@given(known_block())
def test_any_spelling_of_a_known_block_gives_the_same_values(
    block: tuple[str, dict[str, object], str],
) -> None:
    text, expected, secret = block
    result = recognise(text)
    got = {name: getattr(result, name) for name in expected}
    assert got == expected, text
    assert secret_noted(result)
    assert not notes_with(result, "not understood"), text
    assert not notes_with(result, "Different"), text
    assert_secret_hidden(result, secret)


ANY_LINE = st.one_of(
    st.text(max_size=60),
    st.tuples(
        st.sampled_from([label for spellings in LABELS.values() for label in spellings]),
        st.sampled_from((*SEPARATORS, "", " ", "\n")),
        st.text(max_size=40),
    ).map("".join),
)


@PROPERTY
@given(st.lists(ANY_LINE, max_size=12).map("\n".join))
def test_any_text_at_all_is_read_without_error(text: str) -> None:
    result = recognise(text)
    summary = describe(result)
    assert summary.startswith("Found")
    assert set(result.missing) <= {"host", "client_id", "tenant"}
    assert {found.field for found in result.found} <= {
        "host",
        "auth_url",
        "tenant",
        "client_id",
        "on_premise",
        "scopes",
        "secret",
    }
    if result.host is not None:
        assert result.host.startswith(("https://", "http://"))
        assert not result.host.endswith("/")
