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
)

# Scopes that cover everything (or all administration): worth a warning.
BROAD_SCOPES: frozenset[str] = frozenset({"all", "all:standard", "all:teams", "admin"})

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
    "offline_access",
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
    return Probe(path, key, {"pageinate": "true", "page_size": "1", "page_no": "1"})


def _counted(path: str, key: str) -> Probe:
    # Lists without paging honour count=N; a page size alone would be ignored.
    return Probe(path, key, {"pageinate": "true", "page_size": "1", "count": "1"})


PROBES: dict[str, Probe] = {
    "tickets": _paged("/api/Tickets", "tickets"),
    "customers": _paged("/api/Client", "clients"),
    "assets": _paged("/api/Asset", "assets"),
    "invoices": _counted("/api/Invoice", "invoices"),
    "items": _counted("/api/Item", "items"),
    "projects": _counted("/api/Projects", "tickets"),
    "crm": _counted("/api/Opportunities", "tickets"),
    "quotes": _counted("/api/Quotation", "quotes"),
    "sos": _counted("/api/SalesOrder", "salesorders"),
    "pos": _counted("/api/PurchaseOrder", "purchaseorders"),
    "contracts": _counted("/api/ClientContract", "contracts"),
    "suppliers": _counted("/api/Supplier", "suppliers"),
    "kb": _counted("/api/KBArticle", "articles"),
    "reporting": _counted("/api/Report", "reports"),
    "softwarelicensing": _counted("/api/SoftwareLicence", "licences"),
    "calendar": _counted("/api/Appointment", "appointments"),
    "timesheets": _counted("/api/Timesheet", "timesheets"),
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
    return scope in _CANONICAL.values()


def suggestion_for(scope: str) -> str:
    """A plain-English hint for a scope Halo does not have."""
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


def with_implied(scopes: Iterable[str]) -> list[str]:
    """The scopes plus the read: scopes their edit: scopes imply, in a stable order."""
    result: dict[str, None] = {}
    for scope in scopes:
        result.setdefault(scope, None)
        verb, _, area = scope.partition(":")
        if verb == "edit" and area in AREAS:
            result.setdefault(f"read:{area}", None)
    return list(result)
