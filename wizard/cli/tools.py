"""The tool a connection is for on the command line (--for): its scopes, what it needs
judged, and its form's values in the report."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wizard.core.model import CheckReport


def add_check_options(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "--for",
        dest="tool",
        metavar="TOOL",
        help="the tool being connected (see `halo-wizard recipes`): its scopes when --scopes "
        "is not given, what it needs judged too, and its form's values in the report",
    )


def scopes_for(args: argparse.Namespace) -> str | None:
    """The scopes to test: --scopes, else the chosen tool's; UsageError for an unknown tool."""
    from wizard.cli.common import UsageError
    from wizard.core import recipes

    given: str | None = args.scopes
    if args.tool is None:
        return given
    try:
        chosen = recipes.recipe(args.tool)
    except KeyError as exc:
        raise UsageError(f"--for: {exc.args[0]}") from None
    args.tool = chosen.id  # as the recipes name it, whatever the capitalisation given
    if _key_based(args) and not chosen.signs_with_a_key:
        raise UsageError(
            f"--for {chosen.id}: {chosen.name} signs in with a client secret, so it cannot use "
            f"a private key ({chosen.methods_note}) Test its application's secret instead "
            "(without --private-key), or leave out --for."
        )
    return given or " ".join(chosen.scopes)


def _key_based(args: argparse.Namespace) -> bool:
    return getattr(args, "private_key", None) is not None


def add_to_json(data: dict[str, Any], args: argparse.Namespace, report: CheckReport) -> None:
    """The "for" member, when --for names a tool."""
    if args.tool is None:
        return
    from wizard.core import recipes

    chosen = recipes.recipe(args.tool)
    signed = _signed(args, recipes.Facts.from_report(report))
    data["for"] = recipes.for_json(chosen, report, signed=signed)


def _signed(args: argparse.Namespace, facts: Any) -> Any:
    """How the check signed (recipes.Signed), for --private-key; None for a secret."""
    from wizard.core import recipes

    if not _key_based(args) or facts is None:
        return None
    key_file = os.path.abspath(os.path.expanduser(args.private_key))
    audience = getattr(args, "assertion_audience", None)
    issuer = getattr(args, "assertion_issuer", None)
    return recipes.Signed.of(facts, audience, issuer, key_file)


def form_text(args: argparse.Namespace, report: CheckReport) -> str:
    """ "Type these into Rewst:" and each field, for the readable report ("" without --for)."""
    if args.tool is None:
        return ""
    from wizard.core import recipes

    chosen = recipes.recipe(args.tool)
    facts = recipes.Facts.from_report(report)
    if facts is None:
        return (
            f"\nThe test did not find the instance, so there are no values for {chosen.name} yet.\n"
        )
    # "Another tool" is the admin's own tool, unnamed.
    name = "your tool" if chosen.id == "other" else chosen.name
    lines = [f"\nType these into {name}:"]
    fields = recipes.form(chosen, facts, signed=_signed(args, facts))
    width = max(len(f.label) for f in fields)
    for f in fields:
        value = "(your client secret: never printed here)" if f.value is None else f.value
        extra = [f.note] if f.note else []
        if f.sure == "inferred":
            extra.append("the label is our reading of the tool's guide")
        lines.append(
            f"  {f.label:<{width}}  {value}" + (f"   ({'; '.join(extra)})" if extra else "")
        )
    return "\n".join(lines) + "\n"
