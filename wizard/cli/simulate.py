"""`simulate`: run a simulated Halo on this computer, for trying things out."""

from __future__ import annotations

import argparse
import tempfile
import threading
from typing import Any, TextIO

from wizard.cli.common import DEMO_SCOPES, EXIT_OK, SECRET_ENV, _known_scenario


def add_command(commands: Any) -> None:
    simulate = commands.add_parser(
        "simulate", help="run a simulated Halo on this computer, for trying things out"
    )
    simulate.add_argument(
        "--scenario", default="healthy", help="how the simulated Halo behaves (see --list)"
    )
    simulate.add_argument("--port", type=int, default=0, help="port to listen on (default: any)")
    simulate.add_argument(
        "--latency-ms", type=int, default=0, help="delay every answer by this many milliseconds"
    )
    simulate.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a freshly made certificate",
    )
    simulate.add_argument("--list", action="store_true", help="list the scenarios and exit")


def run(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.sim import SimulatedHalo
    from wizard.sim.scenarios import DEMO_SCENARIOS

    if args.list:
        width = max(len(name) for name in DEMO_SCENARIOS)
        for name, description in DEMO_SCENARIOS.items():
            out.write(f"{name:<{width}}  {description}\n")
        return EXIT_OK
    _known_scenario(args.scenario)
    tls = None
    ca_path = None
    if args.tls:
        from wizard.sim.tls import make_tls

        tls, ca_path = make_tls()
    halo = SimulatedHalo(
        args.scenario,
        port=args.port,
        latency_ms=args.latency_ms,
        tls=tls,
        public_host="localhost" if tls else "127.0.0.1",
    )
    halo.start()
    keys = tempfile.TemporaryDirectory(prefix="halo-wizard-sim-") if halo.uses_assertion() else None
    try:
        out.write(halo.describe().rstrip() + "\n\n")
        extra = f" --ca-bundle {ca_path}" if ca_path else ""
        command = (
            f"halo-wizard check --host {halo.url} --client-id {halo.client_id} "
            f'--scopes "{DEMO_SCOPES}"{extra}'
        )
        if keys is not None:
            # The admin's half of the simulated application's key pair, owner-only.
            from wizard.core import assertion

            key = assertion.load_private_key_pem(halo.assertion_private_key)
            files = assertion.write_key_pair(keys.name, key)
            out.write(f"The private key of this application: {files.private_key}\n\n")
            command = f"{command} --private-key {files.private_key}"
        else:
            command = f"{SECRET_ENV}=<the secret above> {command}"
        out.write(f"Check it from another terminal:\n  {command}\n\nPress Ctrl+C to stop.\n")
        out.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        out.write("Stopped.\n")
    finally:
        halo.stop()
        if keys is not None:
            keys.cleanup()
    return EXIT_OK
