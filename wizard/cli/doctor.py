"""`doctor`: describe this computer for a supporter."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from wizard.cli.common import EXIT_OK, EXIT_PROBLEMS, _qt_versions


def add_command(commands: Any) -> None:
    doctor = commands.add_parser(
        "doctor",
        allow_abbrev=False,
        help="describe this computer for a supporter: versions, keychain, certificates, "
        "proxies, folders",
        description="Describe this computer as the wizard sees it, before it looks at Halo: "
        "the program, Python and Qt versions, the operating system, the keychain that would "
        "be used, where certificates are trusted from, the proxies in effect and the folders "
        "in use. Nothing is sent over the network and no secret is shown.",
    )
    doctor.add_argument(
        "--json", action="store_true", help="print one JSON object instead of the readable report"
    )
    doctor.add_argument(
        "--try-keychain",
        action="store_true",
        help="also store, read back and remove a throwaway test secret in the keychain "
        "(exit code 1 if that fails)",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.core import doctor

    report = doctor.collect(qt_versions=_qt_versions(), try_keychain=args.try_keychain)
    if args.json:
        out.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(doctor.render(report))
    out.flush()
    trip = report.get("keychain_round_trip")
    return EXIT_PROBLEMS if trip is not None and not trip["ok"] else EXIT_OK
