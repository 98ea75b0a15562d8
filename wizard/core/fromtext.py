"""Read the Halo connection settings an admin typed into another tool's form, from pasted text.

Used by `halo-wizard diagnose --from-text FILE` and the wizard's "paste text" box to start a
diagnosis from what is already set up elsewhere: Rewst's Halo integration form, n8n's HaloPSA
credential, a Halo custom integration (runbooks), Halo's own API Details page, environment
files and shell commands (`export HALO_HOST=...`, `$env:HALO_HOST = "..."`,
`set "HALO_HOST=..."`, as `connection_file.environment_variables` writes them), and JSON-ish
`"client_id": "..."` lines.

A line is read as a label and a value separated by a colon, `=`, a tab or two or more spaces;
a label alone on its line takes its value from the next line that is not itself a label (as
text copied from a web form comes). Labels are matched whatever their case, spacing and
punctuation ("Client ID", "client_id", "clientId", "CLIENT-ID" are one label), and only
whole: a label inside a sentence is not a field.

Pure: no network, no Qt. The client secret is never kept: only that one was in the text.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as _field
from urllib.parse import unquote_plus

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
            "authorisationurl",
            "authorizationurl",
        ),
        "auth_url",
    ),
    **dict.fromkeys(("accesstokenurl", "tokenurl", "tokenendpoint"), _TOKEN),
    **dict.fromkeys(("tenant", "tenantid", "tenantname"), "tenant"),
    "clientid": "client_id",
    **dict.fromkeys(("clientsecret", "secret"), "secret"),
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
NOTE_INVISIBLE = (
    'Removed {what} from the line labelled "{label}": such characters come with copied text '
    "and are never part of a value."
)

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
    """

    field: str
    label: str
    value: str


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
    # The tool whose own form the labels are (a recipe's id), when they say so.
    tool: str | None = None


# ----- reading lines -----

_KEEP_KINDS = frozenset({"space", "tab"})
_AS_SPACE_KINDS = frozenset({"nbsp", "unicode_space", "line_break", "unicode_line_break"})
_BULLET = re.compile(r"^(?:[-*+>\u2022\u00b7\u2013\u2014]+|\d{1,2}[.)])\s+")
_COMMENT = re.compile(r"^(?:#|//|;|rem\b|::)", re.IGNORECASE)
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


def _display_label(label: str) -> str:
    label = label.strip(_LABEL_DECORATION)
    return label.rstrip(":").strip(_LABEL_DECORATION)


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


def _parse(number: int, raw: str) -> _Line:
    visible, removed = _visible(raw)
    text = visible.strip()
    if not text or _COMMENT.match(text):
        return _Line(number, text, None, None, "", removed)
    text = _BULLET.sub("", text)
    parts = _split(text)
    if parts is None:
        label = _display_label(text)
        field = _field_of(_key(label)) if label else None
        if field is None:
            return _Line(number, text, None, None, "", removed)
        return _Line(number, text, label, field, "", removed)
    label, value = parts
    label = _display_label(label)
    return _Line(number, text, label, _field_of(_key(label)), value.strip(), removed)


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


@dataclass
class _Reading:
    values: list[_Value]
    notes: list[str]
    secrets: list[str]  # labels under which a secret was given
    # Labels under which the "secret" is shaped like a Client ID (the two may be swapped).
    secrets_like_ids: list[str] = _field(default_factory=list)


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

    def add(field: str, shown: str, read: str | bool | tuple[str, ...]) -> None:
        reading.values.append(_Value(field, label, shown, read, line.number, env))

    if field == "secret":
        secret = clean(value).value
        # Words of a sentence ("Authentication secret for the Application") are no secret.
        if secret and len(secret.split()) < 3:
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
        if looks_like_secret(tenant):
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
    """Whether a line on its own can be the value of a label on the line before."""
    address_field = field in ("host", "auth_url", _TOKEN)
    value = (clean_address(text) if address_field else clean(text)).value
    if not value:
        return False
    if field == "on_premise":
        return _key(value) in _ON_PREMISE_VALUES
    if field == "scopes":
        words = re.split(r"[\s,;]+", value.strip("[]"))
        return all(":" in word or word.lower() in _ONE_WORD_SCOPES for word in words if word)
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
    lines = [_parse(number, raw) for number, raw in enumerate(text.splitlines(), start=1)]
    reading = _Reading([], [], [])
    used: set[int] = set()
    for index, line in enumerate(lines):
        if index in used:
            continue
        if line.label is None:
            continue
        if line.field is None:
            if line.value and len(line.value.split()) <= 3 and _looks_like_label(line.label):
                note = NOTE_NOT_UNDERSTOOD.format(label=line.label)
                if note not in reading.notes:
                    reading.notes.append(note)
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
    return reading


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

    found = [
        FoundField(v.field, v.label, v.shown)
        for v in sorted((v for vs in chosen.values() for v in vs), key=lambda v: v.line)
    ]
    found.extend(FoundField("secret", label, HIDDEN) for label in dict.fromkeys(reading.secrets))

    missing = [name for name, value in (("host", host), ("client_id", client_id)) if not value]
    if tenant is None and _hosted(on_premise, address):
        missing.append("tenant")
    from wizard.core.recipes import tool_of_labels

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
        tool=tool_of_labels([f.label for f in found]),
    )


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
        labels = [found.label for found in result.found if found.field == field]
        if labels:
            unused = ", not used" if field == "secret" else ""
            parts.append(f"{_what(result, field)} (from {_quoted_labels(labels)}{unused})")
    lines = ["Found: " + ", ".join(parts) + "." if parts else "Found no Halo connection settings."]
    if result.missing:
        lines.append(
            "Not found: " + _joined([_MISSING_NAMES[name] for name in result.missing]) + "."
        )
    return "\n".join(lines)
