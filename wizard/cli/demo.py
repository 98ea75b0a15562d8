"""`demo`: start the simulated Halo and check a connection to it."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from wizard.cli.common import DEMO_SCOPES, EXIT_OK, EXIT_PROBLEMS, _known_scenario, _print_report


def add_command(commands: Any) -> None:
    demo = commands.add_parser("demo", help="start the simulated Halo and check a connection to it")
    demo.add_argument(
        "--scenario",
        default="healthy",
        help="how the simulated Halo behaves (see `simulate --list`)",
    )
    demo.add_argument("--json", action="store_true", help="print the report as JSON")


def run(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.core import CheckRequest, run_check_sync
    from wizard.core.model import LocalRoutes
    from wizard.sim.halo import HostedHalo
    from wizard.sim.scenarios import DEMO_SCENARIOS

    _known_scenario(args.scenario)
    with HostedHalo(args.scenario) as halo:
        if not args.json:
            out.write(
                f"Demo: a simulated Halo runs at {halo.url} "
                f'(scenario "{args.scenario}": {DEMO_SCENARIOS[args.scenario]})\n\n'
            )
        key = None
        if halo.uses_assertion():
            from wizard.core import assertion

            # Signed with the admin's half of the application's key pair: no secret.
            key = assertion.load_private_key_pem(halo.assertion_private_key)
        request = CheckRequest(
            host=halo.url,
            client_id=halo.client_id,
            client_secret="" if key is not None else halo.client_secret,
            scopes=DEMO_SCOPES,
            timeout=5.0,
            routes=LocalRoutes(halo.routes, halo.ca_pem),
            private_key=key,
        )
        report = run_check_sync(request)
    _print_report(report, args.json, out)
    if not args.json and args.scenario == "healthy":
        out.write(
            "\nTry a failure: halo-wizard demo --scenario wrong_secret "
            "(all scenarios: halo-wizard simulate --list)\n"
        )
    return EXIT_OK if report.ok else EXIT_PROBLEMS
