"""`recipes`: the tools with a recipe, the scopes and identity each needs, and its form."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO


def add_command(commands: Any) -> None:
    listing = commands.add_parser(
        "recipes",
        allow_abbrev=False,
        help="the tools with a recipe: the scopes and identity each needs, and its form",
    )
    listing.add_argument(
        "--json",
        action="store_true",
        help="print one JSON array (one recipe per tool) instead of the readable list",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.cli.common import EXIT_OK
    from wizard.core import recipes

    found = recipes.all_recipes()
    if args.json:
        out.write(json.dumps([r.to_dict() for r in found], indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    width = max(len(r.id) for r in found)
    for r in found:
        out.write(f"{r.id:<{width}}  {r.name}: {r.summary}\n")
        by = {"tool": "asked for by the tool itself", "guide": "as its guide says"}.get(
            r.scopes_chosen_by, "a starting point: choose what you need"
        )
        out.write(f"{'':<{width}}  scopes {' '.join(r.scopes)} ({by})\n")
        if r.requests is not None and tuple(r.requests) != tuple(r.scopes):
            asks = " ".join(r.requests) if r.requests else "no scope unless one is set in it"
            sure = r.cited("requests").sure
            out.write(f"{'':<{width}}  its token request asks Halo for {asks} ({sure})\n")
        signs = "a client secret or a private key" if r.signs_with_a_key else "a client secret"
        out.write(f"{'':<{width}}  signs in with {signs}\n")
        out.write(f"{'':<{width}}  source: {r.source} ({r.sure})\n")
    out.write("\nUse one with: halo-wizard check ... --for ID\n")
    return EXIT_OK
