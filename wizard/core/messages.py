"""Every sentence an admin reads about a finding, in one place, for review and translation.

Placeholders in braces are filled from what the check learnt: {product} ("HaloPSA"),
{api_menu} ("HaloPSA API"), {host}, {tenant}, {scope}, {area}, {agent}... A value the
check does not know reads as "(unknown)", never as an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True)
class Template:
    severity: str
    title: str
    detail: str
    fix: tuple[str, ...] = ()


DEFAULT_CONTEXT = {
    "product": "Halo",
    "api_menu": "Halo API",
    "application": "your application",
    "agent": "The agent the application logs in as",
    "area": "this area",
    "credential": "secret",
    "requests_made": "a few requests",
    "statuses": "401",
}

HALO_SAID = 'Halo\'s own words: "{text}"'
# Above a finding's steps: a note's steps are advice, not the fix of a problem.
FIX_HEADING = "How to fix it:"
NOTE_STEPS_HEADING = "What to do:"

# Menu paths, in Halo's own words. Kept here so every fix names them the same way.
_APPS = "In {product}, go to Configuration > Integrations > {api_menu} > View Applications"
_OPEN_APP = _APPS + " and open {application}."
_NEW_TOKEN = (
    "Run the test again: it always asks Halo for a new token, so the change is seen at once."
)
_AGENT = "Configuration > Teams & Agents > Agents"


# Where each front end's admin types a value a fix names, or does what it asks: a fix names
# only places that exist where it is read ({enter_secret}, {correct_address}, ...).
class Front(StrEnum):
    WINDOW = "window"
    COMMAND_LINE = "command line"


FRONT_WORDS: dict[Front, dict[str, str]] = {
    Front.WINDOW: {
        "enter_secret": (
            "Enter the corrected Client ID or secret on the Client ID and secret page (when "
            'diagnosing a saved connection: on Open the connection, tick "I generated a new '
            'secret in Halo" and paste it there), then run the test again.'
        ),
        "correct_address": "correct it on the Halo address page",
        "tenant_where": (
            "on the Find your Halo page under Advanced (or clear the box there to use the "
            "tenant found), and in your tool's settings"
        ),
        "assertion_where": (
            "under Advanced, on the Client ID page (when diagnosing: on Open the connection)"
        ),
        "public_key_from": "the wizard showed it on its Create the API application page",
        "private_key_from": "the one the wizard made with the public key",
        "new_key_pair": (
            "If that key is lost or cannot be used, make a new pair: go Back to Create the "
            "API application and choose JWT Assertion there."
        ),
        "use_key": (
            "choose JWT Assertion as the method in the wizard (asked on the Client ID and "
            "secret page for an application that exists already) and give its private key file"
        ),
    },
    Front.COMMAND_LINE: {
        "enter_secret": (
            "Run the check again with the corrected --client-id and the secret in "
            "HALO_CLIENT_SECRET (or on standard input with --client-secret-stdin). For a "
            "saved connection, halo-wizard diagnose --profile NAME --rotate-secret (or "
            "--connection FILE --rotate-secret) tests the new secret and keeps it once Halo "
            "accepts it."
        ),
        "correct_address": "run the check again with the corrected --host",
        "tenant_where": (
            "in --tenant (or leave it out to use the tenant found), and in your tool's settings"
        ),
        "assertion_where": "with --assertion-issuer and --assertion-audience URL",
        "public_key_from": "halo-wizard keygen wrote it to halo-public-key.pem",
        "private_key_from": (
            "the file halo-private-key.pem (not halo-public-key.pem) that halo-wizard keygen "
            "wrote, given with --private-key FILE"
        ),
        "new_key_pair": (
            "If that key is lost or cannot be used, make a new pair: halo-wizard keygen "
            "--out FOLDER."
        ),
        "use_key": "test it with --private-key FILE (its private key) instead of a secret",
    },
}
_ENTER_SECRET = "{enter_secret}"
_NEW_KEY_PAIR = "{new_key_pair}"

FINDINGS: dict[str, Template] = {
    # ----- what the admin typed -----
    "HOST_INVALID": Template(
        "error",
        "The Halo address cannot be used",
        "{reason}",
        (
            "Copy the address from your browser's address bar while you are signed in to "
            "{product}, for example https://yourcompany.halopsa.com.",
            "Paste it as it is: the rest of the address (such as /api or /portal) is removed "
            "for you.",
        ),
    ),
    "SCOPE_UNKNOWN": Template(
        "warning",
        "{scope} is not a scope this program knows",
        "{scope} is not among the Halo permission scopes this program knows. It was sent "
        "to Halo all the same, since Halo has scopes beyond any published list: Halo's "
        "answer decides. If Halo does not know it either, it refuses the whole token "
        "request (invalid_scope).",
        (
            "If Halo refuses the token request, remove {scope} from the scopes your tool asks for.",
            "{suggestion}",
        ),
    ),
    "NO_SCOPES": Template(
        "error",
        "No permission scope was chosen",
        "A token request without scopes gets a token that every API call then refuses, so "
        "at least one scope is needed.",
        ("Choose the scopes your tool needs, for example read:tickets.",),
    ),
    "SECRET_MISSING": Template(
        "error",
        "No client secret was entered",
        "The test needs the application's client secret to ask Halo for a token.",
        (
            _OPEN_APP,
            "If you no longer have the secret, click Generate next to Client Secret, copy the "
            "new secret at once (it is shown only once), then click Save.",
        ),
    ),
    "CA_BUNDLE_INVALID": Template(
        "error",
        "The extra CA certificate file cannot be used",
        "{path} could not be read as CA certificates in PEM form ({reason}).",
        (
            'Export the company\'s root certificate as "Base-64 encoded X.509 (.CER)" (PEM): '
            "a text file starting with -----BEGIN CERTIFICATE-----.",
            "Or leave the file out: the certificates in this computer's own store are always "
            "trusted.",
        ),
    ),
    "PRIVATE_KEY_INVALID": Template(
        "error",
        "The private key cannot be used",
        "The test signs its token request with a private key instead of a secret (JWT "
        "Assertion), and the key given cannot be used: {reason}.",
        (
            "Use the private key made together with the public key that Halo holds: "
            "{private_key_from}.",
            _NEW_KEY_PAIR,
            _OPEN_APP,
            "Paste the new public key whole into its public key field, click Save, and test "
            "again with the new private key.",
        ),
    ),
    "SECRET_TRIMMED": Template(
        "warning",
        "Extra characters were removed from the client secret",
        "The secret you pasted contained {removed}. A Halo client secret never contains "
        "them, so they were removed before testing. If your tool keeps them, Halo will "
        "reject the secret.",
        (
            "Paste the secret into your tool without them. Text copied from a document, an "
            "e-mail or a chat can carry invisible characters: copy the secret from Halo, or "
            "from a plain text editor, instead.",
        ),
    ),
    "CLIENT_ID_CLEANED": Template(
        "warning",
        "Extra characters were removed from the Client ID",
        "The Client ID you entered contained {removed}. A Halo Client ID never contains "
        "them, so they were removed before testing. If your tool keeps them, Halo will not "
        "recognise the Client ID.",
        (
            _OPEN_APP,
            "Copy the Client ID from its field again and paste it into your tool without "
            "the characters listed above.",
        ),
    ),
    "SCOPES_CLEANED": Template(
        "warning",
        "Invisible or odd characters were removed from the scopes",
        "The scopes you entered contained {removed}. Such characters are never part of a "
        "scope's name, so they were taken out (or read as spaces) before testing. If your "
        "tool sends them, Halo will not recognise the scope.",
        (
            "Type the scopes into your tool by hand, separated by spaces, or copy them from "
            "a plain text editor.",
        ),
    ),
    "TENANT_CLEANED": Template(
        "warning",
        "Invisible or odd characters were removed from the tenant",
        "The tenant you entered contained {removed}. Such characters are never part of a "
        "tenant's name, so they were taken out before comparing it with the tenant Halo "
        "reports. If your tool keeps them, Halo will not find the tenant.",
        ("Type the tenant into your tool by hand.",),
    ),
    "CLIENT_ID_FORMAT": Template(
        "warning",
        "The Client ID does not look like a Halo Client ID",
        "{reason}",
        (
            _OPEN_APP,
            "Copy the value of the Client ID field (after the application was saved: the "
            "Client ID can change on Save).",
        ),
    ),
    "SECRET_LOOKS_LIKE_CLIENT_ID": Template(
        "error",
        "The client secret looks like a Client ID",
        "The secret entered has the shape of a Client ID: one code of letters and digits "
        "such as 1a2b3c4d-0000-4000-8000-123456789abc. A Halo client secret is longer: two "
        "such codes joined by a dash. The Client ID was probably pasted into the secret field.",
        (
            _OPEN_APP,
            "Copy the Client Secret (if you no longer have it, click Generate next to Client "
            "Secret, copy the new secret, then click Save; every other tool that uses this "
            "application will need the new secret too).",
            _ENTER_SECRET,
        ),
    ),
    # ----- the network -----
    "DNS_FAILED": Template(
        "error",
        "The address {server} could not be found",
        "This computer could not look up {server} (no such name, or no DNS answer). Either "
        "the address is mistyped, or this computer cannot reach the internet or the "
        "company network.",
        (
            "Check the address for a typo: the test looked up {server}. Compare it with your "
            "browser's address bar when you are signed in to {product}, and {correct_address}.",
            "If the address is right, check that this computer is online and, for an "
            "on-premise Halo, connected to the company network or VPN.",
        ),
    ),
    "CONNECT_FAILED": Template(
        "error",
        "Could not connect to {server}",
        "The connection to {server} failed: {reason}.",
        (
            "Check the address for a typo, the port included: the test connected to "
            "{server}. Compare it with your browser's address bar when you are signed in to "
            "{product}, and {correct_address}.",
            "If the address is right, open it in a browser on this computer. If the browser "
            "cannot open it either, ask your network team to allow outgoing HTTPS to it.",
            "If your company uses a proxy, set it in this computer's network settings; this "
            "program uses the same proxy settings as the system.",
        ),
    ),
    "TIMEOUT": Template(
        "error",
        "{server} did not answer in time",
        "No complete answer came from {server} within {timeout} seconds. A firewall that "
        "silently drops traffic, a slow proxy or an overloaded server can cause this.",
        (
            "Run the test again in a minute.",
            "If it keeps happening, open {server} in a browser on this computer; if that is "
            "slow too, ask your network team about firewalls or proxies on the way.",
        ),
    ),
    "INVALID_HTTP": Template(
        "error",
        "{server} answered with broken HTTP",
        "Something answered at {server}, but not in valid HTTP: {reason}. Halo always answers "
        "in valid HTTP, so something else answered in its place: a proxy or a security "
        "appliance between this computer and Halo, or another program listening on this "
        "address and port.",
        (
            "Check the address: use it exactly as your browser shows it when you are signed "
            "in to {product}, with no port number unless your Halo needs one.",
            "If your company uses a proxy, a firewall that inspects traffic or another "
            "security appliance, ask IT to let this program reach {server} directly, and give "
            "them this message.",
            "For an on-premise Halo, ask whoever runs the server what answers on this address "
            "and port (a load balancer or another web server may be in front of Halo).",
        ),
    ),
    "CONNECTION_CUT": Template(
        "error",
        "The answer from {server} was cut off",
        "{server} began to answer, but {reason}. A proxy, firewall or security appliance that "
        "cuts or inspects connections can do this, as can an unstable network or an "
        "overloaded server.",
        (
            "Run the test again.",
            "If it keeps happening, ask your network team whether a proxy, firewall or "
            "security appliance between this computer and {server} cuts connections or limits "
            "the size of answers, and give them this message.",
        ),
    ),
    "TLS_UNTRUSTED": Template(
        "error",
        "The secure connection to {server} is not trusted",
        "The certificate that {server} presented is not trusted by this computer ({reason}). "
        "This usually means a company proxy inspects secure traffic with its own certificate "
        "that this computer does not trust yet, or, for an on-premise Halo, an incomplete "
        "certificate chain. A wrong date or time on this computer causes this too.",
        (
            "Check that this computer's date, time and time zone are correct.",
            "If your company inspects secure traffic, ask IT to install the company's root "
            "certificate in this computer's certificate store (or give this program its CA "
            "file with the certificate-bundle option).",
            "For an on-premise Halo, ask whoever runs the server to install the full "
            "certificate chain, including intermediate certificates.",
            "Never turn certificate checking off: it protects the client secret.",
        ),
    ),
    "TLS_HOSTNAME_MISMATCH": Template(
        "error",
        "The certificate of {server} is for another name",
        "The server presented a valid certificate, but for a different name ({reason}). "
        "The address may be an alias of the real one, or a proxy is answering instead of "
        "Halo.",
        (
            "Use the address exactly as your browser shows it when you are signed in to {product}.",
            "For an on-premise Halo, ask whoever runs the server for a certificate that "
            "covers {server}.",
        ),
    ),
    "CLOCK_SKEW": Template(
        "warning",
        "This computer's clock is off by {skew}",
        "Halo's server says the time is {server_time}, but this computer says {local_time}. "
        "Tokens and certificates have validity times, so a wrong clock can make them look "
        "expired or not yet valid.",
        (
            "Set this computer's date and time to update automatically (Windows: Settings > "
            "Time & language > Date & time; macOS: System Settings > General > Date & Time).",
        ),
    ),
    # ----- discovery -----
    "NOT_HALO": Template(
        "error",
        "No Halo API answers at {host}",
        "{reason}",
        (
            "Check the address for a typo: the test used {host}. Sign in to {product} in your "
            "browser, compare it with the address bar (for example "
            "https://yourcompany.halopsa.com), and {correct_address}.",
            "Do not use the self-service portal address or your company's website.",
        ),
    ),
    "AGENT_URL_DIFFERS": Template(
        "warning",
        "Halo says its address is {reported_agent_url}",
        "You entered {host}, but this Halo instance reports its agent web app at "
        "{reported_agent_url}. The address entered may be the portal's or an old domain; "
        "tools should use the address Halo reports.",
        ("Use {reported_agent_url} as the Halo address in your tool.",),
    ),
    "TENANT_DETECTED": Template(
        "info",
        "Tenant detected: {tenant}",
        "Halo reports the tenant {tenant} for this instance. Type it exactly so, with the "
        "same capital letters, where a tool asks for the tenant.",
    ),
    "ON_PREMISE": Template(
        "info",
        "On-premise Halo: no tenant",
        "This instance reports no tenant, as on-premise installations do. Leave the tenant "
        'empty in your tool; do not type a word such as "none" in its place.',
    ),
    "TENANT_MISMATCH": Template(
        "error",
        "The tenant {given_tenant} is not this instance's tenant",
        "{reason} The test went on with the tenant Halo reports.",
        (
            "Use the tenant {expected_tenant} where it was typed: {tenant_where}.",
            "You can check it in {product} under Configuration > Integrations > {api_menu} "
            "(API Details).",
        ),
    ),
    "AUTH_SERVER_SEPARATE": Template(
        "info",
        "The authorisation server is on another host: {auth_url}",
        "Tokens for this instance come from {auth_url}, not from {host}/auth (trial "
        "instances work this way). Tools that build the token address from the Halo "
        "address will fail with this instance.",
        ("Where your tool asks for the authorisation server, enter {auth_url}.",),
    ),
    "AUTH_URL_DIFFERS": Template(
        "warning",
        "The authorisation server entered differs from the one Halo reports",
        "You asked to use {given_auth_url}, but this instance reports {auth_url}. The test "
        "used the address you entered.",
        ("Use {auth_url} unless your Halo administrator told you otherwise.",),
    ),
    "SAVED_TOKEN_URL_CHANGED": Template(
        "warning",
        "Halo's token address changed since the connection was saved",
        "The saved connection asks for its token at {known_token_url}, but Halo now reports "
        "{token_url}. The test used the address Halo reports now.",
        (
            "Set the token address (or the authorisation server and tenant) in your tool to "
            "what Halo reports now: {token_url}.",
            "Save the connection again so that its file records the new address.",
        ),
    ),
    "AUTH_URL_CLEANED": Template(
        "warning",
        "Invisible or odd characters were removed from the authorisation server",
        "The authorisation server address you entered contained {removed}. Such characters "
        "are never part of an address, so they were taken out before testing. If your tool "
        "keeps them, it cannot reach the authorisation server.",
        ("Type the authorisation server's address into your tool by hand, or leave it empty.",),
    ),
    "AUTH_SERVER_NOT_FOUND": Template(
        "error",
        "No token service answers at {token_url}",
        "{reason}",
        (
            "Leave the authorisation server empty so the address Halo reports is used.",
            "For an on-premise Halo, check that the Halo Auth service is installed and "
            "running (it is a separate web application, usually at /auth).",
        ),
    ),
    # ----- the token -----
    "INVALID_CLIENT": Template(
        "error",
        "Halo rejected the Client ID or the client secret",
        "The token service answered that the client credentials are invalid. Usually the "
        "secret is wrong (it was regenerated, or only part of it was copied), or the "
        "Client ID was copied before the application was saved (it can change on Save), or "
        "the application belongs to another Halo instance. Halo refuses a secret the same "
        'way when the application is set to sign with a key (Authentication Method "JWT '
        'Assertion (Services)"): it takes no secret at all.',
        (
            _OPEN_APP,
            'On the Details tab, look at Authentication Method. If it is "JWT Assertion '
            '(Services)", the application signs with a key and takes no secret: set it to '
            '"Client ID and Secret (Services)" and click Save (then generate a secret as '
            "below), or keep it and {use_key}.",
            "Copy the Client ID again from the Details tab and compare it with the one you "
            "entered.",
            "If you are not sure of the secret, click Generate next to Client Secret, copy the "
            "new secret at once (it is shown only once), then click Save. Every other tool "
            "that uses this application will need the new secret too.",
            _ENTER_SECRET,
        ),
    ),
    "UNAUTHORIZED_CLIENT": Template(
        "error",
        "Halo does not let this application get a token this way",
        "The Client ID and secret were recognised, but the application may not use the "
        "client credentials flow: it is not Active, or its Authentication Method is not "
        '"Client ID and Secret (Services)", or it is awaiting approval.',
        (
            _OPEN_APP,
            "On the Details tab, tick Active.",
            'Set Authentication Method to "Client ID and Secret (Services)".',
            "Click Save, then copy the Client ID again (it can change on Save).",
            _NEW_TOKEN,
        ),
    ),
    "ASSERTION_REFUSED": Template(
        "error",
        "Halo refused the signed assertion sent instead of a secret",
        "The token service at {token_url} refused the token request signed with the private "
        "key (HTTP {status}). The assertion (PS256) named {client_id} as its subject, "
        "{assertion_issuer} as its issuer and {assertion_audience} as its audience "
        "({audience_note}).",
        (
            _OPEN_APP,
            'On the Details tab, check that Authentication Method is "JWT Assertion (Services)" '
            "and that Active is ticked.",
            "Copy the public key made together with the private key the test used "
            "({public_key_from}), all of it, from -----BEGIN PUBLIC KEY----- to -----END "
            "PUBLIC KEY-----, and paste it whole into the application's public key field, "
            "replacing what was there.",
            "Click Save: the method and the key count only once saved. Then copy the Client ID "
            "again (it can change on Save) and compare it with {client_id}.",
            "If the application names an Issuer, give the test the same value "
            "({assertion_where}); the test used {assertion_issuer}.",
            "Check this computer's date, time and time zone (set them to update automatically): "
            "each assertion is valid for five minutes from this computer's time, so a clock "
            "that is off makes it look expired or not yet valid.",
            "Check the audience: the test used {assertion_audience}. Halo does not publish "
            "which audience it expects; try {audience_alternatives} instead "
            "({assertion_where}).",
        ),
    ),
    "INVALID_SCOPE": Template(
        "error",
        "Halo refused the permission scopes requested",
        "The token service refused one or more of the scopes asked for ({scopes}). Either "
        "a scope name is misspelt, or the application does not allow it.",
        (
            _OPEN_APP,
            "On the Permissions tab, tick {scopes_to_tick}, then click Save.",
            "Make sure your tool asks only for scopes that are ticked there.",
            _NEW_TOKEN,
        ),
    ),
    "TOKEN_REJECTED": Template(
        "error",
        "Halo refused to issue a token",
        "The token service at {token_url} refused the token request (HTTP {status}).",
        (
            _OPEN_APP,
            "Check that the application is Active and its Authentication Method is "
            '"Client ID and Secret (Services)", then click Save.',
            "Check the tenant: it must be {tenant}.",
            _NEW_TOKEN,
        ),
    ),
    "TOKEN_WITHOUT_SCOPE": Template(
        "error",
        "The token carries no permission scopes, so every API call is refused",
        "Halo issued a token that carries none of its permission scopes, and the API "
        "refused it on every call (HTTP {statuses}). This happens when a tool does not send "
        "the scope with its token request, or when none of the scopes asked for is ticked "
        "on the application. Such a connection looks fine and then nothing works; the "
        "refusals look like the agent's permissions, but they are not.",
        (
            _OPEN_APP,
            "On the Permissions tab, tick {scopes_to_tick}, then click Save.",
            "Make sure your tool sends the scope with its token request (space-separated).",
            _NEW_TOKEN,
        ),
    ),
    "SCOPE_NOT_GRANTED": Template(
        "error",
        "The application does not allow {scope}",
        "The token was issued, but without {scope}: the scope is not ticked on the "
        "application's Permissions tab. Calls needing it will be refused.",
        (
            _OPEN_APP,
            "On the Permissions tab, tick {scope}, then click Save.",
            _NEW_TOKEN,
        ),
    ),
    "TOKEN_MALFORMED": Template(
        "error",
        "The token service gave an answer that is not a token",
        "{token_url} answered with {what} instead of a token (HTTP {status}). A proxy or a "
        "web page may be answering in place of Halo's token service.",
        (
            "Leave the authorisation server empty so the address Halo reports is used.",
            "If your company uses a proxy, ask IT to let this program reach {auth_url} directly.",
        ),
    ),
    "REDIRECTED": Template(
        "error",
        "The token address redirects elsewhere",
        "{token_url} answered with a redirect to {location}. It was not followed: following "
        "it would send the client secret to another address.",
        (
            "Use the Halo address exactly as your browser shows it when you are signed in, "
            "and leave the authorisation server empty so the address Halo reports is used.",
            "If the redirect points to your company's sign-in page, a proxy is intercepting "
            "the request: ask IT to let this program reach Halo directly.",
        ),
    ),
    # ----- the API -----
    "API_UNAUTHORIZED": Template(
        "error",
        "The API refused the token",
        "Halo issued a token, but its API refused it on every call (HTTP 401 Unauthorized). The "
        "token may come from another instance's authorisation server, or the application "
        "or its agent was disabled after the token was issued.",
        (
            "Leave the authorisation server empty so the address Halo reports is used.",
            _OPEN_APP + ' Check that it is Active and that its "Agent to log in as" is an '
            "active agent.",
            _NEW_TOKEN,
        ),
    ),
    "PERMISSION_DENIED": Template(
        "error",
        "{agent} may not read {area}",
        "The token carries {scope}, but Halo refused to list {area} (HTTP {status}). The "
        "application's scopes only allow what the identity it acts as may do, and that "
        "identity has no access to {area}.",
        (
            "In {product}, go to {agent_fix_path}.",
            "Give access to {area} (Feature Access {access_level}), then click Save.",
            _NEW_TOKEN,
        ),
    ),
    "NO_VISIBLE_DATA": Template(
        "warning",
        "{agent} sees no {area}",
        "Halo allowed the request for {area} but returned no records. If {area} exist in "
        "Halo, the identity the application acts as cannot see them: it is not in the "
        "teams or departments that own them, or its role restricts customers or ticket "
        "types.",
        (
            "In {product}, go to {visibility_fix_path}.",
            "Add the teams that own the {area} you need to sync.",
            'In its role, under Client Restrictions, set "Allow use of all Customers" to Yes'
            ' (and "Allow use of all Ticket Types" if tickets are missing).',
            _NEW_TOKEN,
        ),
    ),
    "RATE_LIMITED": Template(
        "warning",
        "Halo is limiting the number of requests",
        "Halo answered that too many requests were made (HTTP 429){retry_note}. Halo counts "
        "requests over a rolling window several minutes long (about 300 requests per 5 "
        "minutes has been seen), and every integration on this instance shares it, so other "
        "tools' calls count too; this check made {requests_made}.",
        (
            "Wait about 5 minutes, then run the test again: trying again at once only adds "
            "to the count.",
            "If it keeps happening, another integration on this instance is using up the "
            "limit: pause or slow down the tools that call Halo's API often (scheduled "
            "syncs, scripts), then test again.",
        ),
    ),
    "SERVER_ERROR": Template(
        "error",
        "Halo had an internal error",
        "{what} answered with a server error (HTTP {status}): the problem is on Halo's side, "
        "not in your settings.",
        (
            "Run the test again in a few minutes.",
            "If it keeps happening, contact Halo support and give them the time of the test "
            "and the message shown here.",
        ),
    ),
    "UNEXPECTED_RESPONSE": Template(
        "error",
        "Halo gave an unexpected answer",
        "{what} gave an answer the test did not expect: {shape}, HTTP {status}.",
        (
            "If your company uses a proxy or web filter, ask IT to let this program reach "
            "{host} directly.",
            "Run the test again; if it keeps happening, send this report to support.",
        ),
    ),
    # ----- who the token acts as -----
    "ACTS_AS_AGENT": Template(
        "info",
        "The application acts as the agent {agent_name}",
        "Everything this connection does is done, and audited, as the agent {agent_name}"
        "{agent_extra}. What it may do is the application's scopes limited by this agent's "
        "role, teams and restrictions.",
    ),
    "ACTS_AS_APPLICATION": Template(
        "info",
        "The application acts as itself (application identity)",
        "Halo reports no agent behind this token: the application uses its own identity "
        "(Halo 2.234 and later). Its changes are audited as the application's, and what it "
        "may do is set by its Identity Roles limited by its scopes.",
    ),
    "AGENT_NOT_API_ONLY": Template(
        "warning",
        "The application acts as a person's account, {agent_name}",
        "{agent_name} is not an API-only agent: it takes a licence, its changes mix with "
        "a person's own in the audit trail, and the connection breaks when the person leaves "
        "or their permissions change.",
        (
            "In {product}, go to " + _AGENT + ' > New. Name it (for example "Integration '
            'API"), tick "Is an API-only Agent", give it a role with only the access the '
            "tool needs, and Save.",
            _OPEN_APP + ' Set "Agent to log in as" to the new agent, or to "Application '
            'identity" where your Halo offers it (from v2.234), then click Save.',
            "Changing the login type can make Halo generate a new secret: copy it if one is shown.",
        ),
    ),
    "TOOL_NEEDS_OTHER_IDENTITY": Template(
        "warning",
        "{tool} expects the connection to act as an {wanted}",
        "{tool} needs the connection to act as an {wanted}, but the test shows it acting as "
        "another identity. What {tool} needs: {identity_advice}",
        (
            "In {product}, go to Configuration > Integrations > {api_menu} > View "
            "Applications and open your application.",
            "On the Details tab, set Login Type and Agent to log in as for {tool}, then "
            "click Save, and run the test again.",
        ),
    ),
    "TOOL_CANNOT_SIGN_IN": Template(
        "error",
        "{tool} cannot sign in to this Halo",
        "{tool} signs in only at {own_token_url}, without a tenant, but this Halo signs in "
        "at {auth_url}, a shared server that needs the tenant, as trials do. The test "
        "passed because it uses that server; {tool} would be refused.",
        (
            "Connect {tool} to a Halo that signs in on its own address (a hosted or "
            "on-premise instance, not a trial).",
            "Or use a tool that lets you type the Authorisation Server URL and the tenant.",
        ),
    ),
    "TOOL_SEES_NO_RECORDS": Template(
        "warning",
        "{tool} will find no {area}",
        "{tool} reads {area}, but the connection sees none: Halo allows reading them "
        "({scope_name}) and shows no records. What {tool} needs: {identity_advice}",
        (
            "In {product}, go to Configuration > Teams & Agents > Agents and open the agent "
            "the application logs in as.",
            "Add it to the teams that hold the {area}, and check its Client Restriction "
            '("Allow use of all Customers"), then click Save and run the test again.',
        ),
    ),
    "BROAD_ACCESS": Template(
        "warning",
        "This connection has more access than it needs",
        "{reason} If the {credential} leaks, whoever holds it can do all of that.",
        ("{narrow_fix}",),
    ),
    "TOOL_NEEDS_BROAD_ACCESS": Template(
        "info",
        "{tool} needs broad scopes: limit the agent's role instead",
        "{why} With {scopes}, what the connection can do is limited only by the agent it "
        "acts as: if the {credential} leaks, whoever holds it can do all that agent can.",
        (
            "Keep the scopes as {tool} needs them. In {product}, go to Configuration > Teams & "
            "Agents > Agents, open the agent the application logs in as, and give it a role "
            "that allows only what {tool} does.",
            "Keep the {credential} only in {tool}, and replace it in Halo if it may have been "
            "seen by anyone else.",
        ),
    ),
}

# Plain-English words for each area a scope covers, as Halo's menus name it.
AREA_NAMES = {
    "tickets": "tickets",
    "customers": "customers",
    "assets": "assets",
    "invoices": "invoices",
    "items": "items",
    "projects": "projects",
    "crm": "opportunities",
    "quotes": "quotations",
    "sos": "sales orders",
    "pos": "purchase orders",
    "contracts": "contracts",
    "suppliers": "suppliers",
    "kb": "knowledge base articles",
    "reporting": "reports",
    "softwarelicensing": "software licences",
    "calendar": "appointments",
    "timesheets": "timesheets",
    "sales": "sales",
    "software": "software",
    "distributionlists": "distribution lists",
    "mailcampaign": "mail campaigns",
    "events": "events",
}

# Words used inside findings' details.
HTML_PAGE = "a web page (HTML)"
EMPTY_BODY = "an empty answer"
UNREADABLE_BODY = "an answer that is not JSON"
TOO_LARGE_BODY = "an answer larger than {size} (read no further)"
WRONG_SHAPE = "JSON of an unexpected shape"

NOT_HALO_HTML = (
    "{host} answered with a web page instead of Halo's API. It may be the self-service "
    "portal, your company's website or a sign-in page, not the Halo agent web app."
)
NOT_HALO_STATUS = (
    "{host} does not answer as Halo does at /api/authinfo, where Halo describes itself (it "
    "answered HTTP {status}). It is not a Halo agent web app, or the address is mistyped."
)
NOT_HALO_HOSTED_500 = (
    "Halo's cloud answered with a server error (HTTP {status}) for {host}. This is how it "
    "answers for an instance name that does not exist: the name before .{domain} is "
    "probably mistyped."
)
NOT_HALO_REDIRECT = (
    "{host} redirected its API discovery address to {location}. If that is your Halo, use "
    "its address instead."
)
NOT_HALO_SHAPE = (
    "{host} answered its discovery address with something other than Halo's description of itself."
)

AUTH_404 = "{token_url} answered HTTP {status}: there is no token service at this address."

TENANT_MISMATCH_OTHER = (
    "You entered the tenant {given_tenant}, but this instance reports {reported_tenant}."
)
TENANT_MISMATCH_CASE = (
    "You entered the tenant {given_tenant}, but Halo spells it {reported_tenant}. Some "
    "authorisation servers compare it exactly."
)
TENANT_MISMATCH_ONPREM = (
    "You entered the tenant {given_tenant}, but this instance is on-premise and has no tenant."
)

CLIENT_ID_IS_SECRET = (
    "The Client ID entered is {length} characters long, like a client secret. The secret "
    "was probably pasted into the Client ID field. A Client ID is a shorter code of letters "
    "and digits, such as 1a2b3c4d-0000-4000-8000-123456789abc."
)
CLIENT_ID_NOT_GUID = (
    "A Halo Client ID is a code of letters and digits in five groups, such as "
    "1a2b3c4d-0000-4000-8000-123456789abc; the value entered is not one. It may be "
    "incomplete or another field's value."
)

BROAD_SCOPES = "The application asks for {scopes}, which cover far more than one integration needs."
TOOL_ASKS_ITSELF = "{tool} asks Halo for {scopes} itself, whatever is ticked."
TOOL_GUIDE_ASKS = "{tool}'s setup guide says to tick {scopes} on the application."
BROAD_ADMIN_AGENT = "It acts as {agent_name}, an administrator of {product}."
BROAD_SCOPES_FIX = (
    "Ask for named scopes only (for example read:tickets), tick exactly those on the "
    "application's Permissions tab, and untick all and admin."
)
BROAD_AGENT_FIX = (
    "Make the application act as a dedicated API-only agent whose role allows only what the "
    "tool needs, or as the application identity with a narrow Identity Role."
)

SCOPE_SUGGEST_ACTIONS = "Actions are covered by read:tickets (and edit:tickets to add them)."
SCOPE_SUGGEST_SITES = "Sites are covered by read:customers (and edit:customers)."
SCOPE_SUGGEST_CLOSE = "Did you mean {candidate}?"
SCOPE_SUGGEST_NONE = "See the list of Halo's scopes on the application's Permissions tab."

AGENT_FIX_PATH = _AGENT + " > {agent_name} > Permissions (or the agent's role under Roles)"
AGENT_FIX_PATH_UNKNOWN = (
    _AGENT + ' > (the agent set as "Agent to log in as" on the application) > Permissions'
)
APP_IDENTITY_FIX_PATH = (
    "Configuration > Integrations > {api_menu} > View Applications > {application} > Identity "
    "Roles, and then to the role under Configuration > Teams & Agents > Roles"
)
VISIBILITY_FIX_PATH = _AGENT + " > {agent_name} > Departments & Teams > Edit"
VISIBILITY_FIX_PATH_UNKNOWN = (
    _AGENT + ' > (the agent set as "Agent to log in as") > Departments & Teams > Edit'
)

RETRY_AFTER_NOTE = " and asked to wait {seconds}"
RETRY_AFTER_NONE = " without saying how long to wait"
RETRY_NOT_WAITED = (
    " and asked to wait {wait}; the test does not wait that long, so it stopped there"
)
RETRY_NOTE = ", even after waiting {seconds} seconds as it asked"
RETRY_NOTE_BRIEF = "; the test waited {seconds} seconds as Halo asked and then succeeded"
REQUESTS_MADE = ("1 request", "{count} requests")

# ----- what was taken out of a pasted value (wizard/core/cleaning.py) -----

# Each kind of character: (one, several), the number put before the plural.
CHARACTER_NAMES: dict[str, tuple[str, str]] = {
    "bom": ("a byte-order mark", "byte-order marks"),
    "zwsp": ("a zero-width space", "zero-width spaces"),
    "zwnj": ("a zero-width non-joiner", "zero-width non-joiners"),
    "zwj": ("a zero-width joiner", "zero-width joiners"),
    "word_joiner": ("a word joiner", "word joiners"),
    "soft_hyphen": ("a soft hyphen", "soft hyphens"),
    "direction_mark": ("a text-direction mark", "text-direction marks"),
    "direction_control": (
        "a text-direction control character",
        "text-direction control characters",
    ),
    "format": ("an invisible formatting character", "invisible formatting characters"),
    "zero_byte": ("a zero byte", "zero bytes"),
    "control": ("a control character", "control characters"),
    "undecodable": ("a byte that is not text", "bytes that are not text"),
    "space": ("a space", "spaces"),
    "tab": ("a tab", "tabs"),
    "line_break": ("a line break", "line breaks"),
    "unicode_line_break": ("an unusual line break", "unusual line breaks"),
    "nbsp": ("a non-breaking space", "non-breaking spaces"),
    "unicode_space": ("an unusual space (thin, wide...)", "unusual spaces (thin, wide...)"),
    "quote": ("a quote", "quotes"),
    "bracket": ("an angle bracket", "angle brackets"),
}
REMOVED_AT_START = "{what} at the start"
REMOVED_AT_END = "{what} at the end"
REMOVED_INSIDE = "{what} in the middle"
REMOVED_AFTER = "{what} after {word}"
REMOVED_BEFORE = "{what} before {word}"
REMOVED_WITHIN = "{what} inside {word}"
REMOVED_QUOTES = "quotes around {word}"
REMOVED_BRACKETS = "angle brackets around {word}"
THE_VALUE = "it"
READ_AS_SPACE = "{phrase} (read as a space)"
ADDRESS_CLEANED = "Removed {removed}, which cannot be part of an address."

# ----- a secret that arrived as bytes and is not text (credentials.decode_secret) -----
# Never the bytes themselves: only their number, positions and a byte-order mark.

SECRET_BYTES_NOT_TEXT = "{source} held {count} that cannot be read as {encoding} text ({looks})."
BYTE_COUNT = ("1 byte", "{size} bytes")
SECRET_BYTES_UTF16_ODD = (
    "it starts with bytes {signature}, the mark of UTF-16, but an odd number of bytes follows"
)
SECRET_BYTES_UTF16_BROKEN = (
    "it starts with bytes {signature}, the mark of UTF-16, but character {position} after it "
    "is broken"
)
SECRET_BYTES_BAD_AFTER_MARK = (
    "it starts with bytes {signature}, the mark of UTF-8 text, but byte {position} cannot be "
    "read as UTF-8"
)
SECRET_BYTES_OTHER = (
    "byte {position} is the first that cannot be read as UTF-8, which suggests another "
    "encoding, such as a Windows code page"
)

# ----- the checklist: each step's label and the summary beside it -----

STEP_LABELS = {
    "input": "Your entries",
    "discovery": "Find the instance",
    "token": "Get a token",
    "identity": "Who the application acts as",
}
SUMMARY_CA_FILE = "CA file unusable"
# Where the audience of a signed assertion came from (ASSERTION_REFUSED).
AUDIENCE_DEFAULT = "the token service's address, used when no other audience is given"
AUDIENCE_GIVEN = "the audience given for the test"
SUMMARY_FIX_ADDRESS = "Fix the address first"
SUMMARY_FIND_FIRST = "Not asked: the instance must be found first"
SUMMARY_FIX_ENTRIES = "Fix the entries first"
SUMMARY_NO_ANSWER = "No answer"
SUMMARY_SERVER_ERROR = "Server error (HTTP {status})"
SUMMARY_NOT_HALO = "Not a Halo API"
SUMMARY_AUTH_URL_UNUSABLE = "Authorisation server address unusable"
SUMMARY_NO_TOKEN_ANSWER = "No answer from the token service"
SUMMARY_REFUSED = "Refused (HTTP {status})"
# The token request answered with something that is not a token, or sent elsewhere.
SUMMARY_NOT_A_TOKEN = "Got {what} instead of a token (HTTP {status})"
SUMMARY_TOKEN_REDIRECTED = (
    "Redirected (HTTP {status}) to {where}, not followed: probably the wrong address, or a proxy"
)
REDIRECT_SAME_SERVER = "another page of the same server"
REDIRECT_NOWHERE = "an address it did not give"
SUMMARY_TOKEN = "Token issued with {count} scope{s}"
SUMMARY_TOKEN_NO_SCOPES = "Token issued, without a list of scopes"
SUMMARY_TOKEN_NO_PERMISSIONS = "Token issued, without any permission scope"
SUMMARY_NOT_IN_TOKEN = "Not in the token: not ticked on the application"
SUMMARY_NOT_TESTED = "No read-only test for this scope"
# A broad scope (all) Halo answered with the names it stands for, narrowed to what the
# application allows (reference §10).
SUMMARY_GRANTED_AS_NAMES = "Granted as {count} named scope{s}; no read-only test of its own"
SUMMARY_IDENTITY_UNREADABLE = "Could not be read"
SUMMARY_APPLICATION_IDENTITY = "Application identity"
SUMMARY_AGENT = "Agent: {agent_name}"
SUMMARY_PERSON_SUFFIX = " (a person's account)"
SUMMARY_API_ONLY_SUFFIX = " (API-only)"
# A number only where Halo stated a total (record_count); otherwise no number at all.
SUMMARY_VISIBLE = "{records} {area} visible"
SUMMARY_RECORDS_VISIBLE = "Records visible (Halo gave no total)"
ACCESS_TO_READ = 'at least "Read"'
ACCESS_TO_CHANGE = (
    "high enough to change {area}, not only to read them: the scopes chosen include changing {area}"
)
# ----- the one sentence that sums up a result (textreport.result_sentence) -----
# The verdict alone, short; what was and was not verified, and each warning and problem by
# name, are in its details (textreport.result_details) and the findings.

RESULT_WORKS = "The connection works"
# Changing (edit:) is granted but never tried: the details say so, naming the scopes.
RESULT_WORKS_READING = "The connection works for reading"
RESULT_WARNINGS = "{works}, but {count} warning{s} worth fixing."
RESULT_PROBLEM = "1 problem to fix before the connection works: {name}."
RESULT_PROBLEMS = "{count} problem{s} to fix before the connection works."
# No error, but some areas returned no records: "works" would overstate it.
RESULT_NO_RECORDS = "Halo accepted the connection, but it sees no {areas}."
RESULT_NO_RECORDS_COUNTED = "Halo accepted the connection, but it sees no records in {count} areas."
# The details under the sentence, each a sentence of its own.
RESULT_NOT_TRIED = (
    "Changing ({scopes}) is granted but not tried: the test never changes anything in Halo."
)
RESULT_PROBLEM_NAMES = "To fix: {names}."
RESULT_WARNING_NAMES = "Worth fixing: {names}."
RESULT_NO_RECORDS_NAMES = "No records in: {areas}."
RESULT_MORE = "and {count} more"

SUMMARY_EDIT_GRANTED = "Granted; not tried (the test never changes anything in Halo)"
SUMMARY_NONE_VISIBLE = "No {area} visible"
SUMMARY_SLOW_DOWN = "Halo asked to slow down (HTTP 429)"
SUMMARY_UNEXPECTED = "Unexpected answer (HTTP {status})"
WHAT_LISTING = "Listing {area} ({path})"
WHAT_AGENT_RECORD = "The agent record ({path}), which says who the connection acts as,"
WHAT_TOKEN_SERVICE = "The token service ({token_url})"

# ----- the connection file (wizard/core/connection_file.py) -----
# {source} is the file's path; {entry} names an entry by its path, as 'last_result.ok'.

FILE_MISSING = "There is no file {source}."
FILE_IS_FOLDER = "{source} is a folder, not a connection file."
FILE_NOT_ALLOWED = "You are not allowed to open {source}."
FILE_CANNOT_OPEN = "Could not open {source}: {reason}."
FILE_TOO_LARGE = "{source} is far too large to be a Halo connection file."
FILE_NOT_TEXT = "{source} is not a Halo connection file (it is not text)."
FILE_AUTH_METHOD_UNKNOWN = (
    "{source} names an authentication method this version cannot use ({method}), or names "
    "JWT assertion without saying where its private key is. Save the connection again with "
    "this version."
)
FILE_KEY_STORE_UNKNOWN = (
    "{source} does not say where the connection's private key is kept (its store must be "
    "keychain, file or none)."
)
FILE_EMPTY = (
    "{source} is empty: it is not a connection file, or it was cut short when it was written. "
    "Ask for the connection file again."
)
FILE_NOT_JSON = (
    "{source} is not a Halo connection file, or it was damaged: it is not valid JSON "
    "(line {line}, column {column})."
)
FILE_TOO_DEEP = (
    "{source} is not a Halo connection file, or it was damaged: its JSON is nested far too deeply."
)
FILE_HUGE_NUMBER = (
    "{source} is not a Halo connection file, or it was damaged: it holds a number thousands "
    "of digits long."
)
FILE_SAYS_SCHEMA = "it says it is {schema}"
FILE_NO_SCHEMA = "it has no 'schema' entry"
FILE_NOT_A_CONNECTION_FILE = (
    "{source} is not a Halo connection file ({said}, not '{schema}'). Ask for the "
    "connection file the wizard exported."
)
FILE_BAD_VERSION = "{source} is damaged: its schema version {version} is not valid."
FILE_NEWER = (
    "{source} was made by a newer version of the wizard (file version {version}; this "
    "version reads version {known}). Update the wizard to open it."
)
FILE_MISSING_ENTRY = "{source} is damaged: its '{entry}' entry is missing."
FILE_WRONG_ENTRY = "{source} is damaged: its '{entry}' entry should be {expected}, not {found}."
FILE_UNKNOWN_VALUE = (
    "{source} is damaged, or was made by a newer version of the wizard: its '{entry}' entry "
    "is {value}, which should be {expected}."
)
FILE_SECRET_UNKNOWN = "{source} is damaged: it does not say where the secret is kept."
FILE_KIND_NULL = "null"
FILE_KIND_FLAG = "true or false"
FILE_KIND_FLAG_OR_NULL = "true, false or null"
FILE_KIND_NUMBER = "a number"
FILE_KIND_WHOLE = "a whole number or null"
FILE_KIND_COUNT = "a whole number of 0 or more, or null"
FILE_KIND_TEXT = "text"
FILE_KIND_TEXT_OR_NULL = "text or null"
FILE_KIND_LIST = "a list"
FILE_KIND_OBJECT = "a JSON object"
FILE_KIND_ONE_OF = "one of {choices}"
FILE_NOT_TEXT_TO_SAVE = (
    "The connection cannot be saved: a value Halo sent (such as the tenant or the product "
    "name) holds characters that are not valid text."
)

FILE_WRITE_NO_FOLDER = (
    "The folder {folder} does not exist. Choose another folder, or create it first."
)
FILE_WRITE_IS_FOLDER = "{path} is a folder. Choose a file name inside it."
FILE_WRITE_NOT_ALLOWED = (
    "You are not allowed to write to {path}: the folder {folder} is protected, or the "
    "file is open in another program. Choose another folder, such as Documents."
)
FILE_WRITE_DISK_FULL = (
    "The disk holding {folder} is full. Free some space or choose another folder."
)
FILE_WRITE_READ_ONLY = "The folder {folder} is on a read-only disk. Choose another folder."
FILE_WRITE_FAILED = "Could not write {path}: {reason}."

FILE_SECRET_IN_KEYCHAIN = (
    'HALO_CLIENT_SECRET is not included: it is kept in the keychain (service "{service}", '
    'account "{account}").'
)
FILE_SECRET_IN_FILE = "HALO_CLIENT_SECRET is not included: it is in the connection file."
FILE_SECRET_NOWHERE = "HALO_CLIENT_SECRET is not included: it was not saved, so set it yourself."

ENV_CONTROL_CHARACTER = "{name} contains a line break or control character; it is not copied."
ENV_CMD_UNSAFE = (
    '{name} contains " % or !, which the Windows command prompt cannot be given safely. '
    "Copy the variables for PowerShell instead."
)
ENV_NO_SECRET = "This connection does not contain the secret, so it cannot be copied."
ENV_NO_SECRET_KEY_BASED = (
    "This connection signs in with a private key (JWT Assertion), so it has no secret to copy."
)
FILE_KEY_IN_KEYCHAIN = (
    'The private key is not included: it is kept in the keychain (service "{service}", '
    'account "{account}"). Sign a new assertion with it for each token request.'
)
FILE_KEY_IN_FILE = (
    "The private key is in HALO_PRIVATE_KEY_FILE, readable by its owner only. Sign a new "
    "assertion with it for each token request."
)
FILE_KEY_NOWHERE = (
    "The private key was not saved with this connection: give your script the key file "
    "made with the public key that Halo holds."
)
ENV_UNKNOWN_SHELL = "Unknown shell {shell!r}: use one of {shells}."
