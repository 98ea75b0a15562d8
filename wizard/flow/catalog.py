"""Scope presets by purpose and the scope list grouped by area (data; words are in ui/text)."""

from __future__ import annotations

from collections.abc import Iterable

from wizard.core import scopes as halo_scopes

# Presets in the order they are offered. "everything" is offered last and marked as not
# recommended: one leaked secret would then open the whole instance.
PRESETS: dict[str, tuple[str, ...]] = {
    "read_tickets": ("read:tickets",),
    "ticket_sync": ("read:tickets", "edit:tickets", "read:customers"),
    "asset_sync": ("read:assets", "edit:assets", "read:customers"),
    # Running a report needs edit:reporting; read:reporting only lists reports.
    "reporting": ("read:reporting", "edit:reporting"),
    "everything": ("all",),
}
NOT_RECOMMENDED = frozenset({"everything"})

# Areas grouped as an admin thinks of them.
GROUPS: dict[str, tuple[str, ...]] = {
    "service_desk": ("tickets", "kb", "calendar", "timesheets", "projects", "events"),
    "customers": ("customers", "crm", "contracts", "distributionlists", "mailcampaign"),
    "assets": ("assets", "items", "software", "softwarelicensing", "suppliers"),
    "finance": ("invoices", "quotes", "sales", "sos", "pos"),
    "reporting": ("reporting",),
}
SPECIAL_SCOPES: tuple[str, ...] = (
    "editMine:timesheets",
    "access:chat",
    "access:adpasswordreset",
    "admin:webhooks",
)
BROAD_SCOPES: tuple[str, ...] = ("all", "all:standard", "all:teams", "admin")


def scopes_of_group(group: str) -> list[str]:
    return [f"{verb}:{area}" for area in GROUPS[group] for verb in ("read", "edit")]


def catalogue_order() -> list[str]:
    """Every scope the wizard offers, in the order it lists them."""
    ordered = [scope for group in GROUPS for scope in scopes_of_group(group)]
    return [*ordered, *SPECIAL_SCOPES, *BROAD_SCOPES]


def implied_by(scope: str) -> str | None:
    """The read: scope an edit: scope brings with it, if any."""
    verb, _, area = scope.partition(":")
    return f"read:{area}" if verb == "edit" and area in halo_scopes.AREAS else None


def normalise_selection(selected: Iterable[str]) -> tuple[str, ...]:
    """The selection with every implied read: added, in catalogue order."""
    chosen = set(halo_scopes.with_implied(selected))
    order = catalogue_order()
    known = [scope for scope in order if scope in chosen]
    return tuple(known + sorted(chosen - set(order)))


def preset_matching(selected: Iterable[str]) -> str | None:
    """The preset whose scopes are exactly `selected` (implied scopes counted), if any."""
    chosen = set(normalise_selection(selected))
    for name, preset in PRESETS.items():
        if set(normalise_selection(preset)) == chosen:
            return name
    return None


def boxes_to_tick(selected: Iterable[str]) -> list[str]:
    """Exactly the boxes to tick on the application's Permissions tab, in catalogue order."""
    return list(normalise_selection(selected))


def is_broad(selected: Iterable[str]) -> bool:
    return any(scope in BROAD_SCOPES for scope in selected)
