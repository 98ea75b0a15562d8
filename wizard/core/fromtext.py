"""Read the Halo connection settings an admin typed into another tool's form, from pasted text.

Used by `halo-wizard diagnose --from-text FILE` and the wizard's "paste text" box to start a
diagnosis from what is already set up elsewhere: Rewst's Halo integration form, n8n's HaloPSA
credential, CIPP's HaloPSA settings, Nango's host name, a Halo custom integration (runbooks),
Halo's own API Details page, environment files and shell commands (`export HALO_HOST=...`,
`$env:HALO_HOST = "..."`, `set "HALO_HOST=..."`, as `connection_file.environment_variables`
writes them), JSON-ish `"client_id": "..."` lines, the `Connect-HaloAPI` command of the HaloAPI
PowerShell module, and this program's own "Type these into Rewst:" blocks (whatever it prints,
it reads back: the remark after a value, "   (the host name only...)", or a note column after
two spaces or a tab, is not part of the value).

A line is read as a label and a value separated by a colon, `=`, a tab or two or more spaces;
a label alone on its line takes its value from the next line that is not itself a label (as
text copied from a web form comes). Labels are matched whatever their case, spacing and
punctuation ("Client ID", "client_id", "clientId", "CLIENT-ID", "Client  ID" are one label),
and a label misspelt by a letter ("Cleint ID", "Tennant") is read with a note saying so.

An e-mail is read too: in a sentence, a label followed by "is", a colon or the end of the
clause gives its value ("the url is https://acme.halopsa.com and the client id is ...,
tenant acme"); a label inside a sentence that is followed by more words ("Enter the Tenant ID
shown in...") is not a field. Without any label, the one code shaped like a Client ID and
an https address that is plainly Halo's (under halopsa.com and the like, or ending /auth or
/api) are used, with a note saying so.

Pure: no network, no Qt. The client secret is never kept: only that one was in the text. A
secret that is masked ("********", "<hidden>", "[redacted]", this program's own "(your
client secret: never printed here)") is not in the text at all, and is said to be so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as _field
from functools import lru_cache
from urllib.parse import unquote_plus, urlsplit

from wizard.core import messages
from wizard.core.address import HostAddress, HostInvalid, normalise_host, normalise_url
from wizard.core.cleaning import QUOTES, clean, clean_address, clean_tenant, kind_of
from wizard.core.cleaning import describe as _joined
from wizard.core.credentials import looks_like_guid, looks_like_secret
from wizard.core.scopes import KNOWN_SCOPES, read_scopes

HIDDEN = "(hidden)"

FIELDS: tuple[str, ...] = (
    "host",
    "auth_url",
    "tenant",
    "client_id",
    "on_premise",
    "scopes",
    "secret",
)
_IGNORED = "ignored"
_TOKEN = "token_url"  # read as the authorisation server, without its /token

# Labels as they are compared: lower case, letters and digits only ("Is On-Premise?" ->
# "isonpremise"), each with the field it gives.
_LABELS: dict[str, str] = {
    # The agent web app (the resource server is it + /api).
    **dict.fromkeys(
        (
            "resourceserverhostname",  # Rewst
            "resourceserver",  # n8n, Halo's API Details page
            "resourceserverurl",
            "resourceapiurl",  # n8n's own field name
            "resourceurl",
            "baseresourceurl",  # Halo custom integration
            "baseurl",
            "baseapiurl",
            "apiurl",
            "instanceurl",
            "host",  # connection file
            "hostname",
            "halourl",  # HALO_URL
            "haloaddress",
            "haloconnectioncheck",  # this program's report: "Halo connection check: https://..."
            "url",  # an e-mail: "URL: https://acme.halopsa.com"
            "address",
            "instance",
        ),
        "host",
    ),
    # The authorisation server.
    **dict.fromkeys(
        (
            "authserverhostname",  # Rewst
            "authserver",
            "authserverurl",
            "authurl",  # n8n's field name, HALO_AUTH_URL, connection file
            "authorisationserver",  # Halo's API Details page
            "authorizationserver",
            "authorisationserverurl",  # n8n: "HaloPSA Authorisation Server URL"
            "authorizationserverurl",
            "authorisationendpointurl",  # CIPP: "HaloPSA Authorisation Endpoint URL"
            "authorizationendpointurl",
            "authorisationendpoint",
            "authorizationendpoint",
            "authorisationurl",
            "authorizationurl",
        ),
        "auth_url",
    ),
    **dict.fromkeys(("accesstokenurl", "tokenurl", "tokenendpoint"), _TOKEN),
    **dict.fromkeys(("tenant", "tenantid", "tenantname"), "tenant"),
    **dict.fromkeys(("clientid", "client"), "client_id"),
    # "Your client secret: not shown here." is this program's own window, in place of it.
    **dict.fromkeys(("clientsecret", "secret", "yourclientsecret", "yoursecret"), "secret"),
    **dict.fromkeys(
        ("isonpremise", "onpremise", "isonpremises", "onpremises", "onprem", "hostingtype"),
        "on_premise",
    ),
    **dict.fromkeys(("scope", "scopes"), "scopes"),
    # Fields of the same forms that say nothing about the connection to test.
    **dict.fromkeys(
        (
            "authorization",  # custom integration: "OAuth 2.0"
            "authorisation",
            "authorizationheadername",
            "authorisationheadername",
            "headerprefix",
            "granttype",
            "authenticationmethod",
            "logintype",
            "agenttologinas",
            "name",
            "integrationname",
            "applicationname",
            "description",
            "connection",
            "permissions",
            "tickettypeid",  # CIPP's own setting: "HaloPSA Ticket Type ID"
            # This program's own report around the form ("Product: Halo ITSM 2.228").
            "product",
            "result",
            "openinhalo",
            # Headings of a table of settings ("| Field | Value |").
            "field",
            "setting",
            "key",
            "property",
            "parameter",
            "variable",
        ),
        _IGNORED,
    ),
}
# Product names put before a label: "HaloPSA Resource Server", HALO_CLIENT_ID.
_PRODUCT_PREFIXES = ("halopsa", "haloitsm", "haloservicedesk", "halocrm", "halo")
# Labels that often mean something else in an e-mail ("Client: Acme Ltd", "Address: 1 High
# Street"): their value is used only when it has the field's shape, else passed over quietly.
_WEAK_LABELS = frozenset({"client", "address", "instance"})
# A label misspelt by a letter is read as the label it is nearest to ("Cleint ID", "Tennant"),
# when it is this long, starts and ends as that label does, and is near no other field's.
_LEAST_FUZZY = 6

# What "Is On-Premise" and n8n's "Hosting Type" are set to, compared as labels are.
_ON_PREMISE_VALUES: dict[str, bool] = {
    **dict.fromkeys(
        ("yes", "y", "true", "1", "on", "checked", "ticked", "enabled"),
        True,
    ),
    **dict.fromkeys(
        ("no", "n", "false", "0", "off", "unchecked", "unticked", "disabled"),
        False,
    ),
    **dict.fromkeys(
        (
            "onpremisesolution",  # n8n
            "onpremise",  # n8n's stored value "onPremise"
            "onpremises",
            "onprem",
            "selfhosted",
        ),
        True,
    ),
    **dict.fromkeys(
        (
            "hostedsolutionofhalo",  # n8n
            "hostedhalo",  # n8n's stored value
            "hostedsolution",
            "hosted",
            "hostedbyhalo",
            "cloud",
            "cloudhosted",
        ),
        False,
    ),
}
_ONE_WORD_SCOPES = frozenset(scope.lower() for scope in KNOWN_SCOPES if ":" not in scope)

# What the summary calls each field.
_NAMES = {
    "host": "Halo address",
    "auth_url": "authorisation server",
    "tenant": "tenant",
    "client_id": "Client ID",
    "on_premise": "on-premise or hosted",
    "scopes": "scopes",
    "secret": "client secret",
}
_MISSING_NAMES = {"host": "the Halo address", "client_id": "the Client ID", "tenant": "the tenant"}

# ----- the sentences an admin reads -----

NOTE_SECRET = (
    "A client secret is in the text (under {labels}). It is not used from there: the secret "
    "is read from HALO_CLIENT_SECRET, standard input or the keychain, or asked for. If the "
    "text is kept in a file, take the secret out of it."
)
NOTE_TENANT_FROM_QUERY = (
    'The tenant {tenant} was read from the "?tenant=" at the end of the address under "{label}".'
)
NOTE_TENANT_ON_PREMISE = (
    "A tenant is given (under {labels}), but the text says Halo is on-premise, which has no "
    "tenant; it is not used."
)
NOTE_HOSTED_BUT_ON_PREMISE = (
    '"{label}" says Halo is on-premise, but {host} is an address of Halo\'s cloud. Check '
    "which is right; the diagnosis goes by what the text says."
)
NOTE_TENANT_NOT_NAME = (
    'The text under "{label}" looks like an address, not a tenant (a short name such as '
    "acme, shown in Configuration > Integrations > Halo API > API Details); it is not used."
)
NOTE_TENANT_IS_SECRET = (
    'The text under "{label}" has the shape of a client secret, not a tenant; it is not used '
    "and not shown."
)
NOTE_HAS_SPACES = (
    'The text under "{label}" has spaces in it, so it cannot be the {name}; it is not used.'
)
NOTE_NOT_AN_ADDRESS = 'The address under "{label}" cannot be used: {reason}'
NOTE_NO_DOT = "it is not an address (such as acme.halopsa.com)."
NOTE_CLIENT_ID_NOT_GUID = (
    'The Client ID under "{label}" is not shaped like a Halo Client ID (five groups of '
    "letters and digits, such as 1a2b3c4d-0000-4000-8000-123456789abc). It is used as given; "
    "the diagnosis shows whether Halo knows it."
)
NOTE_CLIENT_ID_IS_SECRET = (
    'The text under "{label}" has the shape of a client secret (two codes like a Client ID '
    "joined by a dash), so the secret was probably pasted there. It is not used and not "
    "shown."
)
NOTE_SWAPPED = (
    'The Client ID and the client secret look swapped: the text under "{secret}" has the '
    'shape of a Client ID, and the text under "{client_id}" does not. Neither is used and '
    "neither is shown. Copy the Client ID again from the application in Halo."
)
NOTE_ON_PREMISE_UNKNOWN = (
    'The value under "{label}" was not understood (Yes or No, Hosted Solution Of Halo or '
    "On-Premise Solution were expected); it is not used."
)
NOTE_AUTH_WITHOUT_AUTH = (
    'The authorisation server under "{label}" is the Halo address itself, without /auth; '
    "Halo's own is usually {usual}. It is used as given."
)
NOTE_DIFFERENT = "Different {what} are given: {values}. {used} is used, because {why}."
WHY_FIRST = "it comes first in the text; correct the other if it is the right one"
WHY_LAST = "a later line sets {label} again, and the last one counts, as in a shell or .env file"
WHY_EXPLICIT = "it is given as the tenant itself rather than read from an address"
NOTE_NOT_UNDERSTOOD = 'The line labelled "{label}" was not understood, so it is not used.'
NOTE_SECRET_MASKED = (
    "The client secret under {labels} is hidden (masked or a placeholder), so the text does "
    "not give it: the secret is read from HALO_CLIENT_SECRET, standard input or the keychain, "
    "or asked for."
)
NOTE_MASKED = (
    'The {name} under "{label}" is hidden (masked or a placeholder), so it cannot be read; it '
    "is not used."
)
NOTE_TENANT_NONE = (
    'The tenant under "{label}" is none, which CIPP reads as no tenant (as for a Halo on your '
    "own server): it is read as no tenant."
)
NOTE_FUZZY = 'Read "{label}" as {name}.'
NOTE_SENTENCE = "Read from the sentence on line {line}: {what}."
NOTE_SHAPE_HOST = (
    "No label names the Halo address; {host} (line {line}) has the shape of one, so it is used."
)
NOTE_SHAPE_AUTH = (
    "No label names the authorisation server; {auth} (line {line}) has the shape of one, so "
    "it is used."
)
NOTE_SHAPE_SEVERAL_HOSTS = (
    "No label names the Halo address, and the text has several that could be it ({hosts}); "
    'none is used. Put "Resource Server:" before the right one.'
)
NOTE_SHAPE_CLIENT_ID = (
    "No label names the Client ID; {client_id} (line {line}) is the only code in the text "
    "shaped like one, so it is used."
)
NOTE_SHAPE_SEVERAL_IDS = (
    "No label names the Client ID, and the text has {count} codes shaped like one; none is "
    'used. Put "Client ID:" before the right one.'
)
NOTE_SCOPES_OF_TOOL = (
    "{name}'s form has no field for scopes: {name} asks Halo for {scopes} itself, so those "
    "are tested. They are {name}'s own request, not read from the text."
)
NOTE_SCOPES_OF_COMMAND = (
    "The Connect-HaloAPI command has no -Scopes, so Connect-HaloAPI asks Halo for all: all is "
    "tested. It is the module's own default, not read from the text."
)
NOTE_INVISIBLE = (
    'Removed {what} from the line labelled "{label}": such characters come with copied text '
    "and are never part of a value."
)

# What a label is read as, in NOTE_FUZZY.
_AS_WHAT = {
    "host": "the Halo address",
    "auth_url": "the authorisation server",
    _TOKEN: "the token URL",
    "tenant": "the tenant",
    "client_id": "the Client ID",
    "on_premise": "whether Halo is on-premise",
    "scopes": "the scopes",
    "secret": "the client secret",
}

_PLURAL_WHAT = {
    "host": "Halo addresses",
    "auth_url": "authorisation servers",
    "tenant": "tenants",
    "client_id": "Client IDs",
    "on_premise": "answers to on-premise or hosted",
    "scopes": "scope lists",
}


# ----- the results -----


@dataclass(frozen=True)
class FoundField:
    """One label of the text that gave a value that is used.

    `value` is the value as written, without the spaces, quotes and invisible characters
    around it (before it is read as an address); for "secret" it is always "(hidden)".
    `by_shape`: no label gave it; it was taken for its shape alone, and `label` says where
    ("line 3").
    """

    field: str
    label: str
    value: str
    by_shape: bool = _field(default=False, compare=False)


@dataclass(frozen=True)
class RecognisedText:
    """The connection settings read from the text, and what was made of the rest."""

    host: str | None
    auth_url: str | None
    tenant: str | None
    client_id: str | None
    on_premise: bool | None
    scopes: tuple[str, ...] | None
    found: tuple[FoundField, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]
    # The tool whose own form the labels are (a recipe's id), when they say so (or this
    # program's "Type these into n8n:" heading, or a Connect-HaloAPI command).
    tool: str | None = None
    # The scopes are not in the text: they are what the tool asks Halo for itself (n8n's
    # credential has no field for them), said in a note.
    scopes_from_tool: bool = False


# ----- reading lines -----

_KEEP_KINDS = frozenset({"space", "tab"})
_AS_SPACE_KINDS = frozenset({"nbsp", "unicode_space", "line_break", "unicode_line_break"})
_BULLET = re.compile(r"^(?:[-*+>\u2022\u00b7\u2013\u2014]+|\d{1,2}[.)])\s+")
_COMMENT = re.compile(r"^(?:#|//|;|rem\b|::)", re.IGNORECASE)
# A step of this program's report ("OK Get a token   Token issued"): no label of a form.
_STEP_MARK = re.compile(r"^(?:OK|!!?|XX|--|\.\.|[\u2714\u2718\u2026])\s")
_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_EXPORT = re.compile(rf"^(?:export|set)\s+[\"']?(?P<name>{_NAME})\s*=(?P<value>.*)$", re.I)
_SETX = re.compile(rf"^setx\s+(?P<name>{_NAME})\s+(?P<value>\S.*?)(?:\s+/m)?$", re.I)
_PS_ENV = re.compile(rf"^\$env:(?P<name>{_NAME})\s*=(?P<value>.*)$", re.I)
_PAIR = re.compile(r"^(?P<label>[^:=\t]*?[^\s:=])(?P<sep>\s*[:=]|\s*\t\s*|\s{2,})(?P<value>.*)$")
# A word of a label: "KEY", "Key", "key", "apiKey", "OAuth"; not "kuVNShuxpP" or "x9".
_PLAIN_WORD = re.compile(r"[A-Z]+|[A-Za-z][a-z]*(?:[A-Z][a-z]+)*")
_LABEL_LIMIT = 40
_LEAST_SECRET = 16
_LEAST_CLIENT_ID = 8
_TENANT_QUERY = re.compile(r"[?&]tenant=([^&#]*)", re.IGNORECASE)
_TENANT_SHAPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
_TOKEN_PATH = re.compile(r"/token$", re.IGNORECASE)
_LABEL_DECORATION = "*_-. \t" + QUOTES


def _key(label: str) -> str:
    """A label as labels are compared: lower case, letters and digits only, no (remark)."""
    return re.sub(r"[^0-9a-z]", "", re.sub(r"\([^)]*\)", "", label).lower())


def _field_of(key: str) -> str | None:
    if key in _LABELS:
        return _LABELS[key]
    for prefix in _PRODUCT_PREFIXES:
        if key.startswith(prefix) and key[len(prefix) :] in _LABELS:
            return _LABELS[key[len(prefix) :]]
    return None


def _distance(a: str, b: str, limit: int) -> int:
    """The edits from a to b (a letter added, removed or changed, or two neighbours swapped),
    or limit + 1 once there are more than limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = int(a[i - 1] != b[j - 1])
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, previous = previous, current
    return previous[len(b)]


def _near(key: str) -> set[str]:
    """The fields of the known labels `key` is a slip of: a letter off (two for a long label),
    the same first and last letters ("clientip" is not "clientid")."""
    fields: set[str] = set()
    keys = [key] + [key[len(p) :] for p in _PRODUCT_PREFIXES if key.startswith(p)]
    for candidate in keys:
        if len(candidate) < _LEAST_FUZZY:
            continue
        for known, field in _LABELS.items():
            if len(known) < _LEAST_FUZZY or (known[0], known[-1]) != (candidate[0], candidate[-1]):
                continue
            limit = 1 if len(known) < 12 else 2
            if _distance(candidate, known, limit) <= limit:
                fields.add(field)
    return fields


@lru_cache(maxsize=1024)
def _resolve(label: str, *, fuzzy: bool = True) -> tuple[str | None, bool]:
    """(what the label gives, whether only as a slip of a known label); (None, False) for an
    unknown label."""
    key = _key(label)
    field = _field_of(key)
    if field is not None or not fuzzy or not key or len(label) > _LABEL_LIMIT:
        return field, False
    near = _near(key)
    if len(near) == 1:
        return near.pop(), True
    return None, False


def _visible(line: str) -> tuple[str, Counter[str]]:
    """The line without invisible characters (counted by kind); odd spaces become spaces."""
    kept: list[str] = []
    removed: Counter[str] = Counter()
    for char in line:
        kind = kind_of(char)
        if kind is None or kind in _KEEP_KINDS:
            kept.append(char)
        elif kind in _AS_SPACE_KINDS:
            kept.append(" ")
        else:
            removed[kind] += 1
    return "".join(kept), removed


@dataclass(frozen=True)
class _Line:
    number: int
    text: str  # visible text, stripped
    label: str | None  # as written; None when the line has no label
    field: str | None  # what the label gives (_IGNORED, _TOKEN or a field); None if unknown
    value: str  # the text after the label, "" for none
    removed: Counter[str]
    fuzzy: bool = False  # the label is a slip of a known one ("Cleint ID")
    weak: bool = False  # the value is used only when it has the field's shape (_WEAK_LABELS)


def _display_label(label: str) -> str:
    label = label.strip(_LABEL_DECORATION)
    return label.rstrip(":").strip(_LABEL_DECORATION)


# A label and its value after a colon or "=", tried before _PAIR when the label is known:
# "Client  ID: x" is "Client  ID" and x, not "Client" and "ID: x".
_COLON_PAIR = re.compile(r"^(?P<label>[^:=\t]*?[^\s:=])(?P<sep>\s*[:=])(?P<value>.*)$")
_WIDE_GAP = re.compile(r"\s{2,}|\t")


def _split(text: str) -> tuple[str, str] | None:
    """(label, value) of a line, or None when it has no label and value."""
    for pattern in (_EXPORT, _SETX, _PS_ENV):
        match = pattern.match(text)
        if match:
            return match["name"], match["value"]
    if text.startswith("|"):
        cells = [cell.strip() for cell in text.strip("|").split("|")]
        if len(cells) >= 2 and cells[0]:
            return cells[0], cells[1]
        return None
    match = _COLON_PAIR.match(text)
    if (
        match is None
        or match["value"].startswith("//")
        or _resolve(_display_label(match["label"]))[0] is None
    ):
        match = _PAIR.match(text)
    if not match:
        return None
    label, value = match["label"], match["value"]
    if ":" in match["sep"] and value.startswith("//"):
        return None  # https://..., not a label
    if "\t" in match["sep"]:
        value = next((cell for cell in value.split("\t") if cell.strip()), "")
    json_ish = len(label) >= 2 and label[0] in QUOTES and label[-1] in QUOTES
    value = value.strip()
    if json_ish:
        value = value.removesuffix(",").strip()
        if value in ("null", "{", "[", "{}", "[]"):
            value = ""
    else:
        value = re.sub(rf"(?<=[{QUOTES}])\s*[,;]$", "", value)
    return label, value


def _alone(text: str, *, strict: bool) -> tuple[str, str, bool] | None:
    """(label, field, fuzzy) of a line that is a label alone ("Client  ID", "Tennant:"), its
    value on the next line; None otherwise. `strict`: only the decoration around the label
    may follow it ("**Client ID:**", not "Client Secret: ********")."""
    label = _display_label(text)
    if not label or any(char in label for char in ":=\t"):
        return None
    if (text[0], text[-1]) in (("<", ">"), ("[", "]")):
        return None  # a placeholder ("<client secret>"), not a label
    if strict:
        lead = len(text) - len(text.lstrip(_LABEL_DECORATION))
        rest = re.sub(r"[\s:]", "", text[text.find(label) + len(label) :])
        if len(rest) > lead:
            return None
    field, fuzzy = _resolve(label, fuzzy=not _WIDE_GAP.search(label))
    return None if field is None else (label, field, fuzzy)


def _parse(number: int, raw: str) -> _Line:
    visible, removed = _visible(raw)
    text = visible.strip()
    if not text or _COMMENT.match(text):
        return _Line(number, text, None, None, "", removed)
    text = _BULLET.sub("", text)
    parts = None if (alone := _alone(text, strict=True)) else _split(text)
    if parts is None:
        alone = alone or _alone(text, strict=False)
        if alone is None:
            return _Line(number, text, None, None, "", removed)
        label, field, fuzzy = alone
        return _Line(number, text, label, field, "", removed, fuzzy, _key(label) in _WEAK_LABELS)
    label = _display_label(parts[0])
    found, fuzzy = _resolve(label)
    weak = _key(label) in _WEAK_LABELS
    return _Line(number, text, label, found, parts[1].strip(), removed, fuzzy, weak)


# ----- reading values -----


@dataclass(frozen=True)
class _Value:
    field: str
    label: str
    shown: str
    value: str | bool | tuple[str, ...]
    line: int
    env: bool  # the label is a variable name (HALO_HOST), set again by a later line
    derived: bool = False  # a tenant read from a ?tenant= query
    by_shape: bool = False  # no label gave it: taken for its shape (label is "line 3")


@dataclass
class _Reading:
    values: list[_Value]
    notes: list[str]
    secrets: list[str]  # labels under which a secret was given
    # Labels under which the "secret" is shaped like a Client ID (the two may be swapped).
    secrets_like_ids: list[str] = _field(default_factory=list)
    # Labels under which the secret is masked or a placeholder: no secret is in the text.
    masked: list[str] = _field(default_factory=list)
    # Labels of a tenant set to None (CIPP's word for no tenant).
    tenant_none: list[str] = _field(default_factory=list)
    # The tool the text says it is for: a Connect-HaloAPI command, or this program's own
    # "Type these into n8n:" heading.
    tool: str | None = None
    # For a Connect-HaloAPI command: whether it gives -Scopes.
    command_scopes: bool | None = None


# ----- what is around a value, and values that are no values -----

# Characters that hide a secret: "********", "••••••", "xxxx…".
_MASK_CHARS = "*#\u2022\u25cf\u25cb\u00b7\u2219\u25e6\u2026"
# A masked value in words, compared as labels are ("<hidden>" and "[redacted]" are brackets).
_MASK_WORDS = frozenset(
    {
        "hidden",
        "redacted",
        "masked",
        "removed",
        "omitted",
        "censored",
        "secret",
        "clientsecret",
        "yoursecret",
        "yourclientsecret",
        "notshown",
        "placeholder",
    }
)
# ...and in a sentence put in its place ("Your client secret: not shown here.").
_MASK_PHRASES = ("hidden", "redact", "masked", "notshown", "neverprinted", "placeholder")


def _remark_start(value: str) -> int | None:
    """Where the remark in brackets that ends the value starts, after a space; None if none."""
    if not value.endswith(")"):
        return None
    depth = 0
    for index in range(len(value) - 1, -1, -1):
        if value[index] == ")":
            depth += 1
        elif value[index] == "(":
            depth -= 1
            if depth == 0:
                return index if index and value[index - 1].isspace() else None
    return None


def _without_remark(value: str) -> str:
    """The value without the remark after it, "   (copy it from ...)"; a remark alone stays."""
    value = value.strip()
    for _ in range(3):
        start = _remark_start(value)
        if start is None or not value[:start].strip():
            break
        value = value[:start].rstrip()
    return value


def _scope_words(text: str) -> bool:
    words = re.split(r"[\s,;]+", text.strip().strip(QUOTES).strip("[]"))
    return all(":" in word or word.lower() in _ONE_WORD_SCOPES for word in words if word)


def _first_cell(field: str | None, value: str) -> str:
    """The value without a note column after two spaces or a tab ("acme  the host name")."""
    cells = [cell.strip() for cell in _WIDE_GAP.split(value) if cell.strip()]
    if len(cells) < 2:
        return value
    if field == "scopes":
        kept: list[str] = []
        for cell in cells:
            if not _scope_words(cell):
                break
            kept.append(cell)
        return " ".join(kept) or cells[0]
    return cells[0]


def _value_of(field: str | None, value: str) -> str:
    return _first_cell(field, _without_remark(value))


def _only_remark(value: str) -> bool:
    """A value that is a remark in brackets: this program's "(Leave it empty: ...)"."""
    value = value.strip()
    return len(value) >= 2 and value[0] == "(" and value[-1] == ")"


def _masked(value: str) -> bool:
    """Whether a value is masked or a placeholder rather than a value: "********", "••••",
    "xxxx…", "<hidden>", "[redacted]", "(your client secret: never printed here)", "$secret"."""
    text = value.strip().strip(QUOTES).strip()
    if not text:
        return False
    if text[0] in "<[({" and text[-1] in ">])}":
        return not looks_like_guid(text[1:-1].strip())  # "{1a2b...}" is a Client ID
    if text[0] == "$":
        return True  # a variable in a script: the secret is elsewhere
    letters = re.sub(r"[^a-z]", "", text.lower())
    if letters in _MASK_WORDS:
        return True
    if _has_space(text) and any(phrase in letters for phrase in _MASK_PHRASES):
        return True
    if sum(char in _MASK_CHARS for char in text) >= 3 or "\u2026" in text or "..." in text:
        return True
    return bool(re.fullmatch(r"[xX\-_.]+", text)) and text.lower().count("x") >= 3


def _is_env_name(label: str) -> bool:
    return bool(re.fullmatch(r"HALO_[A-Z0-9_]+", label, re.IGNORECASE))


def _has_space(text: str) -> bool:
    return any(char.isspace() for char in text)


def _tenant_in_query(text: str) -> str | None:
    match = _TENANT_QUERY.search(text)
    if not match:
        return None
    tenant = unquote_plus(match[1]).strip()
    return tenant if tenant and not _has_space(tenant) else None


def _address(reading: _Reading, field: str, label: str, value: str) -> str | None:
    """The URL an address value gives, or None with a note saying why it cannot be used."""
    if _has_space(value):
        reading.notes.append(NOTE_HAS_SPACES.format(label=label, name=_NAMES[field]))
        return None
    try:
        address = normalise_host(value)
        url = address.url if field == "host" else _TOKEN_PATH.sub("", normalise_url(value))
    except HostInvalid as error:
        # The reason quotes the text; text without a dot is no address and may be a secret
        # pasted into the wrong field, so it is not quoted.
        reason = str(error) if "." in value else NOTE_NO_DOT
        reading.notes.append(NOTE_NOT_AN_ADDRESS.format(label=label, reason=reason))
        return None
    if _like_a_code(address):
        reading.notes.append(NOTE_NOT_AN_ADDRESS.format(label=label, reason=NOTE_NO_DOT))
        return None
    return url


def _like_a_code(address: HostAddress) -> bool:
    """A long host name without a dot: more likely a code (a secret) in the wrong field than
    the name of a server on a company network ("halo", "helpdesk")."""
    host = address.host
    return "." not in host and ":" not in host and not address.is_loopback and len(host) >= 20


def _read(reading: _Reading, line: _Line, value: str) -> None:
    """Add what the value under the line's label gives."""
    field, label = line.field, line.label or ""
    env = _is_env_name(label)
    value = _value_of(field, value)
    if field is None or field == _IGNORED or not value.strip():
        return
    if line.weak and not _fits(field, value):
        return  # "Client: Acme Ltd" is a customer, not a Client ID
    if field != "secret" and _only_remark(value):
        return  # an empty value, with this program's remark on it
    if line.fuzzy:
        note = NOTE_FUZZY.format(label=label, name=_AS_WHAT[field])
        if note not in reading.notes:
            reading.notes.append(note)

    def add(field: str, shown: str, read: str | bool | tuple[str, ...]) -> None:
        reading.values.append(_Value(field, label, shown, read, line.number, env))

    if field == "secret":
        secret = clean(value).value
        if not secret:
            return
        if _masked(secret):
            reading.masked.append(label)
            return
        # Words of a sentence ("Authentication secret for the Application") are no secret.
        if len(secret.split()) < 3:
            reading.secrets.append(label)
            if looks_like_guid(secret.strip("{}")):
                reading.secrets_like_ids.append(label)
        return
    if field in ("host", "auth_url", _TOKEN):
        shown = clean_address(value).value
        if not shown:
            return
        url = _address(reading, "host" if field == "host" else "auth_url", label, shown)
        if url is not None:
            add("host" if field == "host" else "auth_url", shown, url)
            tenant = _tenant_in_query(shown)
            if tenant is not None:
                reading.values.append(
                    _Value("tenant", label, tenant, tenant, line.number, env, derived=True)
                )
        return
    if field == "tenant":
        tenant = clean_tenant(value).value
        if not tenant:
            return
        if tenant.casefold() == "none":
            reading.tenant_none.append(label)
            reading.notes.append(NOTE_TENANT_NONE.format(label=label))
        elif _masked(tenant):
            reading.notes.append(NOTE_MASKED.format(name="tenant", label=label))
        elif looks_like_secret(tenant):
            reading.notes.append(NOTE_TENANT_IS_SECRET.format(label=label))
        elif "/" in tenant or ":" in tenant:
            from_query = _tenant_in_query(tenant)
            if from_query is None:
                reading.notes.append(NOTE_TENANT_NOT_NAME.format(label=label))
            else:
                add("tenant", from_query, from_query)
        elif _has_space(tenant):
            reading.notes.append(NOTE_HAS_SPACES.format(label=label, name="tenant"))
        else:
            add("tenant", tenant, tenant)
        return
    if field == "client_id":
        client_id = clean(value).value
        if not client_id:
            return
        if _masked(client_id):
            reading.notes.append(NOTE_MASKED.format(name="Client ID", label=label))
            return
        if _has_space(client_id):
            reading.notes.append(NOTE_HAS_SPACES.format(label=label, name="Client ID"))
            return
        if client_id[0] == "{" and client_id[-1] == "}" and looks_like_guid(client_id[1:-1]):
            client_id = client_id[1:-1]
        if looks_like_secret(client_id):
            reading.notes.append(NOTE_CLIENT_ID_IS_SECRET.format(label=label))
            return
        add("client_id", client_id, client_id)
        return
    if field == "on_premise":
        answer = clean(value).value
        if not answer:
            return
        on_premise = _ON_PREMISE_VALUES.get(_key(answer))
        if on_premise is None:
            reading.notes.append(NOTE_ON_PREMISE_UNKNOWN.format(label=label))
        else:
            add("on_premise", answer, on_premise)
        return
    if field == "scopes":
        written = clean(value).value.strip("[]").strip()
        scopes = read_scopes(written).scopes
        if scopes:
            add("scopes", written, scopes)


def _fits(field: str, text: str) -> bool:
    """Whether a line on its own can be the value of a label on the line before (or a word
    in a sentence the value of the label before it)."""
    text = _value_of(field, text)
    address_field = field in ("host", "auth_url", _TOKEN)
    value = (clean_address(text) if address_field else clean(text)).value
    if not value:
        return False
    if field == "on_premise":
        return _key(value) in _ON_PREMISE_VALUES
    if field == "scopes":
        return _scope_words(value)
    if field == "secret" and _masked(value):
        return True  # said to be masked
    if _has_space(value):
        return False
    if address_field:
        try:
            address = normalise_host(value)
        except HostInvalid:
            return False
        return not _like_a_code(address) and (
            "." in address.host or ":" in address.host or address.is_loopback
        )
    if field == "tenant":
        return bool(_TENANT_SHAPE.fullmatch(value))
    if field == "secret":
        # A word after a heading ("Client Secret" then "Select") is no secret; Halo's are 73
        # characters long.
        return len(value) >= _LEAST_SECRET
    # A Client ID: a GUID, or at least a code with a digit in it rather than a word.
    value = value[1:-1] if value[0] == "{" and value[-1] == "}" else value
    return looks_like_guid(value) or (
        len(value) >= _LEAST_CLIENT_ID
        and any(char.isdigit() for char in value)
        and not any(char in value for char in "/:=")
    )


def _looks_like_label(label: str) -> bool:
    """Whether an unknown label is worth a note: a few plain words ("API Key", "HALO_PORT"),
    never a code, a sentence or the start of a secret that holds "=" or ":"."""
    if len(label) > _LABEL_LIMIT:
        return False
    words = [word.strip("()?'") for word in re.split(r"[\s_\-/&]+", label)]
    words = [word for word in words if word]
    return 0 < len(words) <= 5 and all(_PLAIN_WORD.fullmatch(word) for word in words)


def _invisible_note(line: _Line) -> str | None:
    if not line.removed or line.field in (None, _IGNORED, "secret"):
        return None
    phrases = []
    for kind, count in line.removed.items():
        one, many = messages.CHARACTER_NAMES.get(kind, messages.CHARACTER_NAMES["format"])
        phrases.append(one if count == 1 else f"{count} {many}")
    return NOTE_INVISIBLE.format(what=_joined(phrases), label=line.label)


def _read_lines(text: str) -> _Reading:
    raws = _joined_commands(text.splitlines())
    lines = [_parse(number, raw) for number, raw in enumerate(raws, start=1)]
    reading = _Reading([], [], [])
    used: set[int] = set()
    free: list[_Line] = []  # lines without a known label: read as sentences, then by shape
    not_understood: list[tuple[int, str]] = []  # (line, note) of an unknown label
    for index, line in enumerate(lines):
        if index in used or not line.text or _COMMENT.match(line.text):
            continue
        if _read_command(reading, line):
            continue
        heading = _heading_tool(line.text)
        if heading is not None:
            reading.tool = reading.tool or heading
            continue
        if line.label is None:
            free.append(line)
            continue
        if line.field is None:
            if (
                line.value
                and len(line.value.split()) <= 3
                and _looks_like_label(line.label)
                and not _STEP_MARK.match(line.text)
            ):
                not_understood.append((line.number, NOTE_NOT_UNDERSTOOD.format(label=line.label)))
            free.append(line)
            continue
        if line.field == _IGNORED:
            continue
        value = line.value
        if not value:
            following = _value_line(lines, index)
            if following is not None and _fits(line.field, lines[following].text):
                used.add(following)
                value = lines[following].text
                line = replace(line, removed=line.removed + lines[following].removed)
        invisible = _invisible_note(line)
        if invisible is not None:
            reading.notes.append(invisible)
        _read(reading, line, value)
    _read_sentences(reading, free)
    _read_shapes(reading, free)
    # An unknown label is said not to be understood unless its line gave a value after all
    # ("Here you go: https://acme.halopsa.com").
    gave = {value.line for value in reading.values}
    for number, note in not_understood:
        if number not in gave and note not in reading.notes:
            reading.notes.append(note)
    return reading


# ----- a Connect-HaloAPI command, and this program's own headings -----

HALOAPI_MODULE = "haloapi-powershell"  # the recipe of the Connect-HaloAPI command
_CONNECT = re.compile(r"connect-haloapi(?=\s+-[A-Za-z])", re.IGNORECASE)
# A word of a PowerShell command: 'single', "double" (with `escapes), or bare (-Name:'x').
_PS_QUOTED = r"'(?:[^']|'')*'|\"(?:[^\"`]|`.)*\""
_PS_WORD = re.compile(rf"{_PS_QUOTED}|[^\s'\"]+(?:{_PS_QUOTED})?")
_PS_PARAMETER = re.compile(r"-(?P<name>[A-Za-z][A-Za-z0-9]*)(?::(?P<value>.*))?", re.DOTALL)
_PS_FIELDS = {
    "url": "host",
    "clientid": "client_id",
    "clientsecret": "secret",
    "scopes": "scopes",
    "scope": "scopes",
    "tenant": "tenant",
}
# "Type these into Rewst:" (the command line), "Type these into n8n" (the window),
# "The command for the PowerShell HaloAPI module".
_HEADING = re.compile(r"^(?:type these into|the command for the)\s+(?P<name>.+?)\s*:?$", re.I)
_YOUR_TOOL = "your tool"  # the heading of the "Another tool" recipe's form
OTHER_TOOL = "other"


def _joined_commands(raws: list[str]) -> list[str]:
    """The lines, a Connect-HaloAPI command continued over lines ending in a backtick joined
    into its first line (the others left empty, so line numbers hold)."""
    lines = list(raws)
    index = 0
    while index < len(lines):
        if "connect-haloapi" in lines[index].lower():
            following = index
            while lines[index].rstrip().endswith("`") and following + 1 < len(lines):
                following += 1
                lines[index] = lines[index].rstrip()[:-1] + " " + lines[following]
                lines[following] = ""
            index = following
        index += 1
    return lines


def _ps_unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1].replace("''", "'")
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"`(.)", r"\1", value[1:-1])
    return value


def _command(text: str) -> list[tuple[str, str]] | None:
    """The parameters of the Connect-HaloAPI command in the line, (name, value) in order;
    None for a line without one."""
    matches = list(_CONNECT.finditer(text))
    if not matches:
        return None
    words = _PS_WORD.findall(text[matches[-1].end() :])
    found: list[tuple[str, str]] = []
    index = 0
    while index < len(words):
        match = _PS_PARAMETER.fullmatch(words[index])
        index += 1
        if match is None:
            continue
        value = match["value"]
        if value is None:
            value = ""
            if index < len(words) and _PS_PARAMETER.fullmatch(words[index]) is None:
                value = words[index]
                index += 1
        found.append((match["name"], _ps_unquoted(value)))
    return found


def _read_command(reading: _Reading, line: _Line) -> bool:
    """Read the line's Connect-HaloAPI command, if it has one (the command line prints it
    after its label, "Connect-HaloAPI  Connect-HaloAPI -URL ...")."""
    parameters = _command(line.text)
    if parameters is None:
        return False
    reading.tool = HALOAPI_MODULE
    scopes = False
    for name, value in parameters:
        field = _PS_FIELDS.get(name.lower())
        if field is None:
            continue
        scopes = scopes or field == "scopes"
        _read(reading, _Line(line.number, line.text, f"-{name}", field, value, Counter()), value)
    reading.command_scopes = bool(reading.command_scopes) or scopes
    return True


def _heading_tool(text: str) -> str | None:
    """The recipe a heading of this program's own form names ("Type these into n8n:")."""
    match = _HEADING.match(text)
    if match is None:
        return None
    from wizard.core.recipes import all_recipes

    name = match["name"].casefold()
    if name == _YOUR_TOOL:
        return OTHER_TOOL
    return next((chosen.id for chosen in all_recipes() if chosen.name.casefold() == name), None)


# ----- sentences, and values known by their shape alone -----

_SENTENCE_FIELDS = frozenset(
    {"host", "auth_url", _TOKEN, "tenant", "client_id", "secret", "scopes"}
)
_CONNECTORS = frozenset({"is", "was", "are", "=", ":", "-", "\u2013", "\u2014", "->", "=>"})
_CLAUSE_WORDS = frozenset({"and", "or", "but", "then", "also", "plus"})
_NEGATIONS = frozenset({"no", "not", "without", "any"})
# Words after "tenant" in a sentence that are no tenant ("the tenant itself").
_NOT_TENANTS = frozenset(
    {
        "itself",
        "name",
        "id",
        "here",
        "there",
        "below",
        "above",
        "field",
        "value",
        "too",
        "only",
        "again",
        "it",
        "shown",
        "settings",
        "page",
        "empty",
        "blank",
        "none",
        "required",
        "needed",
        "optional",
    }
)
_LABEL_WORD = re.compile(r"[A-Za-z][A-Za-z_\-]*")
_OPENING = "([{<" + QUOTES
_CLOSING = ".,;:!?)]}>" + QUOTES


def _label_at(words: Sequence[str], index: int) -> tuple[int, str, str, bool, bool] | None:
    """(words, field, label, fuzzy, followed by a colon) of a label of up to three words
    starting at words[index] ("client id", "URL:"); None when none starts there."""
    for size in (3, 2, 1):
        chunk = list(words[index : index + size])
        if len(chunk) < size:
            continue
        colon = chunk[-1].endswith((":", "="))
        chunk[-1] = chunk[-1].rstrip(":=")
        if not all(_LABEL_WORD.fullmatch(word) for word in chunk):
            continue
        label = " ".join(chunk)
        field, fuzzy = _resolve(label)
        if field in _SENTENCE_FIELDS:
            return size, field, label, fuzzy, colon
    return None


def _in_sentence(field: str, value: str, connected: bool, ends: bool) -> bool:
    """Whether a word after a label in a sentence is its value: it has the field's shape,
    and "is" (or a colon) comes between, or the clause ends with it ("tenant acme")."""
    if not value or not _fits(field, value):
        return False
    if field in ("host", "auth_url", _TOKEN) and "@" in value:
        return False  # an e-mail address
    if field == "tenant":
        return ends and value.casefold() not in _NOT_TENANTS
    return connected or ends


def _sentence_values(text: str) -> list[tuple[str, str, str, bool]]:
    """(field, label, value, fuzzy) of each label in a sentence with its value after it."""
    words = text.split()
    found: list[tuple[str, str, str, bool]] = []
    index = 0
    while index < len(words):
        hit = _label_at(words, index)
        if hit is None:
            index += 1
            continue
        size, field, label, fuzzy, connected = hit
        if index and words[index - 1].lower() in _NEGATIONS:
            index += size  # "no tenant", "without a Client ID"
            continue
        at = index + size
        while at < len(words) and words[at].lower() in _CONNECTORS:
            connected = True
            at += 1
        if at >= len(words):
            break
        word = words[at]
        value = word.lstrip(_OPENING).rstrip(_CLOSING)
        ends = at + 1 == len(words) or word[-1] in ",;.!?" or words[at + 1].lower() in _CLAUSE_WORDS
        bracketed = word[0] in "([<" and field != "client_id"  # "tenant [ON_PREMISE]"
        if not bracketed and _in_sentence(field, value, connected, ends):
            found.append((field, label, value, fuzzy))
            index = at + 1
        else:
            index += 1
    return found


def _read_sentences(reading: _Reading, free: Sequence[_Line]) -> None:
    """The values a sentence gives ("the url is ... and the client id is ..."), for the
    fields no label gave."""
    given = {value.field for value in reading.values}
    for line in free:
        read: list[str] = []
        for field, label, value, fuzzy in _sentence_values(line.text):
            gives = "auth_url" if field == _TOKEN else field
            if gives in given:
                continue
            before = len(reading.values)
            _read(
                reading, _Line(line.number, line.text, label, field, value, Counter(), fuzzy), value
            )
            if len(reading.values) > before:
                read.append(f'{_AS_WHAT[field]} (after "{label}")')
        if read:
            reading.notes.append(NOTE_SENTENCE.format(line=line.number, what=_joined(read)))


def _plain_address(word: str) -> tuple[str, str] | None:
    """("host" or "auth_url", URL) of an https address that is plainly Halo's: under one of
    Halo's cloud domains, or ending /api or /auth (the authorisation server)."""
    if not word.lower().startswith("https://"):
        return None
    try:
        address = normalise_host(word)
        path = urlsplit(word).path.lower().rstrip("/")
        auth = _TOKEN_PATH.sub("", normalise_url(word))
    except (HostInvalid, ValueError):
        return None
    domain = address.hosted_domain
    if "." not in address.host or address.host == domain or address.host.startswith("www."):
        return None  # Halo's own site, not an instance
    if path == "/auth" or path.startswith("/auth/"):
        return "auth_url", auth
    if domain is None and not (path == "/api" or path.startswith("/api/")):
        return None
    return "host", address.url


def _read_shapes(reading: _Reading, free: Sequence[_Line]) -> None:
    """Without a label for them, the one Client ID-shaped code and the one plainly Halo
    address in the text (each with a note), never a secret's."""
    given = {value.field for value in reading.values}
    ids: dict[str, tuple[str, int]] = {}
    found: dict[str, dict[str, int]] = {"host": {}, "auth_url": {}}
    for line in free:
        for word in line.text.split():
            token = word.lstrip(_OPENING).rstrip(_CLOSING)
            if looks_like_guid(token):
                ids.setdefault(token.lower(), (token, line.number))
                continue
            plain = _plain_address(token)
            if plain is not None:
                found[plain[0]].setdefault(plain[1], line.number)

    def add(field: str, url: str, line: int) -> None:
        label = f"line {line}"
        reading.values.append(_Value(field, label, url, url, line, False, by_shape=True))

    if "client_id" not in given and len(ids) == 1:
        ((client_id, number),) = ids.values()
        add("client_id", client_id, number)
        reading.notes.append(NOTE_SHAPE_CLIENT_ID.format(client_id=client_id, line=number))
    elif "client_id" not in given and len(ids) > 1:
        reading.notes.append(NOTE_SHAPE_SEVERAL_IDS.format(count=len(ids)))
    host = next((v.value for v in reading.values if v.field == "host"), None)
    if "host" not in given:
        hosts = found["host"] or {
            normalise_host(url).url: number for url, number in found["auth_url"].items()
        }
        if len(hosts) == 1:
            ((host, number),) = hosts.items()
            add("host", host, number)
            reading.notes.append(NOTE_SHAPE_HOST.format(host=host, line=number))
        elif len(hosts) > 1:
            reading.notes.append(NOTE_SHAPE_SEVERAL_HOSTS.format(hosts=_joined(list(hosts))))
    if "auth_url" not in given and len(found["auth_url"]) == 1:
        ((auth, number),) = found["auth_url"].items()
        if not isinstance(host, str) or auth.lower() != f"{host}/auth".lower():
            add("auth_url", auth, number)
            reading.notes.append(NOTE_SHAPE_AUTH.format(auth=auth, line=number))


def _value_line(lines: Sequence[_Line], index: int) -> int | None:
    """The next line with text after lines[index], when it is not a label of its own."""
    for following in range(index + 1, len(lines)):
        line = lines[following]
        if not line.text:
            continue
        if line.field is not None or _COMMENT.match(line.text):
            return None
        return following
    return None


# ----- choosing among the values -----


def _same(field: str) -> Callable[[_Value, _Value], bool]:
    def same(a: _Value, b: _Value) -> bool:
        if field == "scopes":
            return (
                isinstance(a.value, tuple)
                and isinstance(b.value, tuple)
                and ({s.lower() for s in a.value} == {s.lower() for s in b.value})
            )
        if field in ("auth_url", "client_id") and isinstance(a.value, str):
            return isinstance(b.value, str) and a.value.lower() == b.value.lower()
        return a.value == b.value

    return same


def _shown_value(value: _Value) -> str:
    if value.field == "client_id":
        return f'the one under "{value.label}" on line {value.line}'
    if value.field == "on_premise":
        answer = "on-premise" if value.value is True else "hosted"
        return f'{answer} (under "{value.label}")'
    if isinstance(value.value, tuple):
        return f'{" ".join(value.value)} (under "{value.label}")'
    return f'{value.value} (under "{value.label}")'


def _choose(field: str, values: list[_Value], notes: list[str]) -> list[_Value]:
    """The values of the field that are used (all alike), with a note when others differ."""
    if not values:
        return []
    same = _same(field)
    ordered = sorted(values, key=lambda v: v.derived)  # a tenant itself before one from a URL
    chosen = ordered[0]
    why = WHY_FIRST
    if chosen.env and all(v.env and _key(v.label) == _key(chosen.label) for v in values):
        chosen = values[-1]
        why = WHY_LAST.format(label=chosen.label)
    elif field == "tenant" and any(v.derived for v in values) and not chosen.derived:
        why = WHY_EXPLICIT
    agreeing = [v for v in values if same(v, chosen)]
    if len(agreeing) < len(values):
        distinct: list[_Value] = []
        for value in values:
            if not any(same(value, seen) for seen in distinct):
                distinct.append(value)
        shown = [_shown_value(v) for v in distinct]
        used = _shown_value(chosen)
        notes.append(
            NOTE_DIFFERENT.format(
                what=_PLURAL_WHAT[field],
                values=_joined(shown),
                used=used[0].upper() + used[1:],
                why=why,
            )
        )
    return agreeing


def recognise(text: str) -> RecognisedText:
    """The connection settings in `text`: what each label gave, what is missing, and notes."""
    reading = _read_lines(text)
    notes = reading.notes
    chosen: dict[str, list[_Value]] = {}
    for field in FIELDS[:-1]:
        values = [v for v in reading.values if v.field == field]
        chosen[field] = _choose(field, values, notes)

    def first(field: str) -> _Value | None:
        return chosen[field][0] if chosen[field] else None

    host_value, auth_value = first("host"), first("auth_url")
    client_value, scopes_value = first("client_id"), first("scopes")
    on_premise_value = first("on_premise")
    host = _text(host_value)
    on_premise = on_premise_value.value if on_premise_value else None
    if not isinstance(on_premise, bool):
        on_premise = None

    auth_url = _text(auth_value)
    if auth_url is not None and host is not None and auth_value is not None:
        if auth_url.lower() == (host + "/auth").lower():
            auth_url = None
        elif auth_url.lower() == host.lower():
            notes.append(
                NOTE_AUTH_WITHOUT_AUTH.format(label=auth_value.label, usual=host + "/auth")
            )

    tenant_values = chosen["tenant"]
    if tenant_values and on_premise is True:
        notes.append(
            NOTE_TENANT_ON_PREMISE.format(labels=_quoted_labels([v.label for v in tenant_values]))
        )
        chosen["tenant"] = tenant_values = []
    tenant = _text(tenant_values[0]) if tenant_values else None
    if tenant is not None and all(v.derived for v in tenant_values):
        notes.append(NOTE_TENANT_FROM_QUERY.format(tenant=tenant, label=tenant_values[0].label))

    client_id = _text(client_value)
    if (
        client_id is not None
        and client_value is not None
        and reading.secrets_like_ids
        and not looks_like_guid(client_id)
    ):
        # The secret is shaped like a Client ID and the Client ID is not: swapped. Neither
        # is used, and neither is shown (one of them is the secret).
        notes.append(
            NOTE_SWAPPED.format(client_id=client_value.label, secret=reading.secrets_like_ids[0])
        )
        chosen["client_id"] = []
        client_value, client_id = None, None
    if client_id is not None and client_value is not None and not looks_like_guid(client_id):
        notes.append(NOTE_CLIENT_ID_NOT_GUID.format(label=client_value.label))

    scopes = scopes_value.value if scopes_value else None
    if not isinstance(scopes, tuple):
        scopes = None

    address = normalise_host(host) if host is not None else None
    if on_premise is True and address is not None and address.hosted_domain is not None:
        label = on_premise_value.label if on_premise_value else ""
        notes.append(NOTE_HOSTED_BUT_ON_PREMISE.format(label=label, host=address.host))

    if reading.secrets:
        notes.append(NOTE_SECRET.format(labels=_quoted_labels(reading.secrets)))
    if reading.masked:
        notes.append(NOTE_SECRET_MASKED.format(labels=_quoted_labels(reading.masked)))

    found = [
        FoundField(v.field, v.label, v.shown, by_shape=v.by_shape)
        for v in sorted((v for vs in chosen.values() for v in vs), key=lambda v: v.line)
    ]
    found.extend(FoundField("secret", label, HIDDEN) for label in dict.fromkeys(reading.secrets))

    missing = [name for name, value in (("host", host), ("client_id", client_id)) if not value]
    if tenant is None and _hosted(on_premise, address) and not reading.tenant_none:
        missing.append("tenant")
    from wizard.core.recipes import tool_of_labels

    tool = reading.tool or tool_of_labels([f.label for f in found if not f.by_shape])
    scopes_from_tool = False
    if scopes is None and tool is not None:
        scopes = _scopes_of_tool(tool, reading, notes)
        scopes_from_tool = scopes is not None
    return RecognisedText(
        host=host,
        auth_url=auth_url,
        tenant=tenant,
        client_id=client_id,
        on_premise=on_premise,
        scopes=scopes,
        found=tuple(found),
        missing=tuple(missing),
        notes=tuple(notes),
        tool=tool,
        scopes_from_tool=scopes_from_tool,
    )


def _scopes_of_tool(tool: str, reading: _Reading, notes: list[str]) -> tuple[str, ...] | None:
    """The scopes a tool asks Halo for itself when its form has no field for them (n8n's
    credential), with a note saying so; None when the text should have named them."""
    from wizard.core.recipes import recipe

    if tool == HALOAPI_MODULE and reading.command_scopes is False:
        notes.append(NOTE_SCOPES_OF_COMMAND)
        return ("all",)
    try:
        chosen = recipe(tool)
    except KeyError:
        return None
    if not chosen.scopes_fixed or any(
        spec.source in ("scopes", "powershell") for spec in chosen.fields
    ):
        return None
    notes.append(NOTE_SCOPES_OF_TOOL.format(name=chosen.name, scopes=" ".join(chosen.scopes)))
    return chosen.scopes


def _text(value: _Value | None) -> str | None:
    return value.value if value is not None and isinstance(value.value, str) else None


def _hosted(on_premise: bool | None, address: HostAddress | None) -> bool:
    """Whether Halo is hosted (so has a tenant): as said, else unless a non-cloud address says
    it may not be."""
    if on_premise is not None:
        return not on_premise
    return address is None or address.hosted_domain is not None


def _quoted_labels(labels: Sequence[str]) -> str:
    return _joined([f'"{label}"' for label in dict.fromkeys(labels)])


# ----- the summary -----


def _what(result: RecognisedText, field: str) -> str:
    if field == "host":
        return f"{_NAMES[field]} {result.host}"
    if field == "auth_url":
        if result.auth_url is None:
            return "the usual authorisation server, the Halo address + /auth"
        return f"{_NAMES[field]} {result.auth_url}"
    if field == "tenant":
        return f"tenant {result.tenant}"
    if field == "client_id":
        return f"Client ID {result.client_id}"
    if field == "on_premise":
        return "on-premise" if result.on_premise else "hosted by Halo"
    if field == "scopes":
        return "scopes " + " ".join(result.scopes or ())
    return "a client secret"


def describe(result: RecognisedText) -> str:
    """A short plain-English summary of what was found, and under which labels, and what is
    missing. Never includes the secret. The notes are not repeated here."""
    parts = []
    for field in FIELDS:
        labels = [f.label for f in result.found if f.field == field and not f.by_shape]
        where = [f"from {_quoted_labels(labels)}"] if labels else []
        # Taken for its shape alone, no label saying what it is.
        where += [
            f"by its shape, on {f.label}" for f in result.found if f.field == field and f.by_shape
        ]
        if where:
            unused = ", not used" if field == "secret" else ""
            parts.append(f"{_what(result, field)} ({', '.join(where)}{unused})")
    lines = ["Found: " + ", ".join(parts) + "." if parts else "Found no Halo connection settings."]
    if result.missing:
        lines.append(
            "Not found: " + _joined([_MISSING_NAMES[name] for name in result.missing]) + "."
        )
    return "\n".join(lines)
