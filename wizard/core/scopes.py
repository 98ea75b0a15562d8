"""Halo's permission scopes: which exist, what each covers, and the read-only call probing it."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from wizard.core import messages
from wizard.core.cleaning import QUOTES, clean

# Areas that have both read: and edit: scopes in Halo.
AREAS: tuple[str, ...] = (
    "tickets",
    "calendar",
    "customers",
    "crm",
    "timesheets",
    "contracts",
    "suppliers",
    "items",
    "projects",
    "sales",
    "quotes",
    "sos",
    "pos",
    "invoices",
    "reporting",
    "software",
    "softwarelicensing",
    "kb",
    "assets",
    "distributionlists",
    # Seen in a live token answer (reference §10); no read-only test is known for them.
    "mailcampaign",
    "events",
)

# The sign-in (OpenID Connect) names a token answer may list beside Halo's scopes (seen in
# a live answer, reference §10). They are no permission area: never judged as one.
OPENID_SCOPES: tuple[str, ...] = ("openid", "email", "profile", "roles", "offline_access")

# Scopes that cover everything (or all administration): worth a warning.
BROAD_SCOPES: frozenset[str] = frozenset({"all", "all:standard", "all:teams", "admin"})
# Broad scopes that let a token read every area, so that no area has a test of its own.
WILDCARD_SCOPES: frozenset[str] = frozenset({"all", "all:standard"})

KNOWN_SCOPES: tuple[str, ...] = (
    *(f"{verb}:{area}" for area in AREAS for verb in ("read", "edit")),
    "editMine:timesheets",
    "access:chat",
    "access:adpasswordreset",
    "admin:webhooks",
    "all",
    "all:standard",
    "all:teams",
    "admin",
    *OPENID_SCOPES,
)
_CANONICAL = {scope.lower(): scope for scope in KNOWN_SCOPES}


@dataclass(frozen=True)
class Probe:
    """A read-only GET that lists at most one record of an area."""

    path: str
    list_key: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return self.path


def _paged(path: str, key: str) -> Probe:
    # Never count=N: Halo then answers record_count=N instead of the total (reference §10).
    return Probe(path, key, {"pageinate": "true", "page_size": "1", "page_no": "1"})


# One probe per area whose listing path the reference names (§4); mailcampaign, events,
# sales, software and distributionlists have none, and are reported as not tested.
PROBES: dict[str, Probe] = {
    "tickets": _paged("/api/Tickets", "tickets"),
    "customers": _paged("/api/Client", "clients"),
    "assets": _paged("/api/Asset", "assets"),
    "invoices": _paged("/api/Invoice", "invoices"),
    "items": _paged("/api/Item", "items"),
    "projects": _paged("/api/Projects", "tickets"),
    "crm": _paged("/api/Opportunities", "tickets"),
    "quotes": _paged("/api/Quotation", "quotes"),
    "sos": _paged("/api/SalesOrder", "salesorders"),
    "pos": _paged("/api/PurchaseOrder", "purchaseorders"),
    "contracts": _paged("/api/ClientContract", "contracts"),
    "suppliers": _paged("/api/Supplier", "suppliers"),
    "kb": _paged("/api/KBArticle", "articles"),
    "reporting": _paged("/api/Report", "reports"),
    "softwarelicensing": _paged("/api/SoftwareLicence", "licences"),
    "calendar": _paged("/api/Appointment", "appointments"),
    "timesheets": _paged("/api/Timesheet", "timesheets"),
}

IDENTITY_PATH = "/api/Agent/me"


def area_of(scope: str) -> str | None:
    """The area a read:/edit:/editMine: scope covers ("tickets"), else None."""
    verb, _, area = scope.partition(":")
    if verb in ("read", "edit", "editMine") and area in AREAS:
        return area
    return None


def area_name(scope: str) -> str:
    area = area_of(scope)
    return messages.AREA_NAMES.get(area or "", scope)


def probe_for(scope: str) -> Probe | None:
    """The read-only probe that tells whether `scope` works; edit: scopes use the read probe."""
    area = area_of(scope)
    return PROBES.get(area) if area else None


@dataclass(frozen=True)
class ScopeList:
    """The scopes read from what was entered, and what was taken out of it on the way."""

    scopes: tuple[str, ...]
    removed: tuple[str, ...] = ()  # phrases, as in cleaning.Cleaned.removed


def read_scopes(text: str | Iterable[str]) -> ScopeList:
    """Split scopes given with spaces, commas, semicolons or line breaks; drop repeats.

    Invisible characters are removed and other spaces (non-breaking...) separate scopes, so
    that read:tickets copied from a web page with a zero-width space after it is still
    read:tickets; `removed` says what was taken out and where.
    Known scopes are returned in Halo's spelling whatever the case typed; unknown ones
    are returned as typed so that they can be reported.
    """
    pieces = [text] if isinstance(text, str) else list(text)
    removed: list[str] = []
    seen: dict[str, None] = {}
    for piece in pieces:
        cleaned = clean(piece)
        removed.extend(cleaned.removed)
        for part in re.split(r"[\s,;]+", cleaned.value):
            scope = part.strip(QUOTES)
            if not scope:
                continue
            if scope != part:
                removed.append(_quotes_removed(part, scope))
            seen.setdefault(_CANONICAL.get(scope.lower(), scope), None)
    return ScopeList(tuple(seen), tuple(removed))


def _quotes_removed(part: str, scope: str) -> str:
    before = len(part) - len(part.lstrip(QUOTES))
    after = len(part) - len(part.rstrip(QUOTES))
    if before and after:
        return messages.REMOVED_QUOTES.format(word=scope)
    what = messages.CHARACTER_NAMES["quote"][0 if before + after == 1 else 1]
    what = what if before + after == 1 else f"{before + after} {what}"
    template = messages.REMOVED_BEFORE if before else messages.REMOVED_AFTER
    return template.format(what=what, word=scope)


def parse_scopes(text: str | Iterable[str]) -> list[str]:
    """The scopes of read_scopes, without what was removed."""
    return list(read_scopes(text).scopes)


def is_known(scope: str) -> bool:
    """Whether this program knows `scope`. Halo may know more (it had areas the reference
    missed): an unknown name is sent anyway, and Halo's own answer decides."""
    return scope in _CANONICAL.values()


def permission_scopes(names: Iterable[str]) -> list[str]:
    """Halo's permission scopes among `names` (a token answer's scope), without the sign-in
    names (openid, email, profile, roles, offline_access) that may come with them."""
    return [name for name in names if name not in OPENID_SCOPES]


def suggestion_for(scope: str) -> str:
    """A plain-English hint for a scope this program does not know."""
    area = scope.partition(":")[2].lower()
    if area in ("actions", "action"):
        return messages.SCOPE_SUGGEST_ACTIONS
    if area in ("sites", "site"):
        return messages.SCOPE_SUGGEST_SITES
    close = difflib.get_close_matches(scope.lower(), list(_CANONICAL), n=1, cutoff=0.75)
    if close:
        return messages.SCOPE_SUGGEST_CLOSE.format(candidate=_CANONICAL[close[0]])
    return messages.SCOPE_SUGGEST_NONE


def covers(granted: Iterable[str], scope: str) -> bool:
    """Whether a token carrying `granted` scopes allows `scope` (edit:X implies read:X)."""
    granted_set = set(granted)
    if scope in granted_set:
        return True
    verb, _, area = scope.partition(":")
    if verb == "read" and f"edit:{area}" in granted_set:
        return True
    return area_of(scope) is not None and bool(granted_set & {"all", "all:standard"})


def granted_as_list(scope: str, asked: Iterable[str], granted: Iterable[str] | None) -> bool:
    """Whether a broad scope asked for (all, admin...) came back as a list of named scopes.

    Halo narrows a request for all to the scopes the application allows, and lists their
    names rather than the word asked for (reference §10). A named scope in the answer that
    was not asked for by name (nor implied by an edit: asked for) can only have come from
    the broad one; an answer holding only the names asked for has dropped it.
    """
    if scope not in BROAD_SCOPES or granted is None:
        return False
    listed = set(granted)
    if scope in listed:
        return False
    named = set(with_implied(asked))
    return any(name not in named and name not in BROAD_SCOPES for name in listed)


def carried(scope: str, asked: Iterable[str], granted: Iterable[str] | None) -> bool:
    """Whether the token carries `scope`: by name, through a scope that implies it, or (for
    a broad scope) as the list of names Halo gave for it. True when the answer listed no
    scopes at all, as nothing then says it is missing."""
    if granted is None:
        return True
    listed = list(granted)
    return covers(listed, scope) or granted_as_list(scope, asked, listed)


def wildcard_granted(asked: Iterable[str], granted: Iterable[str] | None) -> bool:
    """Whether a scope asked for that reads every area (all, all:standard) was granted, by
    name or as a list of named scopes; also when the answer listed no scopes at all."""
    asked = list(asked)
    listed = None if granted is None else list(granted)
    return any(scope in WILDCARD_SCOPES and carried(scope, asked, listed) for scope in asked)


def with_implied(scopes: Iterable[str]) -> list[str]:
    """The scopes plus the read: scopes their edit: scopes imply, in a stable order."""
    result: dict[str, None] = {}
    for scope in scopes:
        result.setdefault(scope, None)
        verb, _, area = scope.partition(":")
        if verb == "edit" and area in AREAS:
            result.setdefault(f"read:{area}", None)
    return list(result)
