"""`simulate`: run a simulated Halo on this computer, for trying things out."""

from __future__ import annotations

import argparse
import tempfile
import threading
from collections.abc import Callable
from typing import Any, TextIO

from wizard.cli.common import DEMO_SCOPES, EXIT_OK, SECRET_ENV, _known_scenario


def add_command(commands: Any) -> None:
    simulate = commands.add_parser(
        "simulate",
        help="run a simulated Halo on this computer, for trying things out",
        description="Run a simulated Halo on this computer until Ctrl+C: it prints its "
        "address, a Client ID and secret, and the `halo-wizard check` command to test it "
        "with from another terminal. Nothing leaves this computer.",
    )
    simulate.add_argument(
        "--scenario",
        default="healthy",
        help="how the simulated Halo behaves, e.g. wrong_secret (default healthy; --list "
        "names them all)",
    )
    simulate.add_argument(
        "--port",
        type=int,
        default=0,
        help="the port on 127.0.0.1 to listen on (default: any free port, printed at start)",
    )
    simulate.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="delay every answer by this many milliseconds, as a slow network would (default 0)",
    )
    simulate.add_argument(
        "--tls",
        action="store_true",
        help="serve HTTPS with a freshly made certificate (its CA file is printed, for "
        "check --ca-bundle) instead of plain HTTP",
    )
    simulate.add_argument(
        "--identity",
        metavar="FILE",
        help="keep the simulated application's Client ID and secret in FILE (readable by you "
        "alone; made at the first run, reused after), so that a connection saved against it "
        "can be tested again after a restart with another --scenario (use a fixed --port too)",
    )
    simulate.add_argument(
        "--list", action="store_true", help="list the scenarios, one line each, and exit"
    )
    simulate.add_argument(
        "--replay",
        metavar="TRACE.json",
        help="instead of a scenario, serve a trace written by `check --record` or `diagnose "
        "--record`: each request answered as the recorded Halo answered it, for any secret "
        "(docs/trace.md)",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.sim import SimulatedHalo
    from wizard.sim.scenarios import DEMO_SCENARIOS, INFERRED_SCENARIOS

    if args.list:
        # "inferred": the scenario rests on our own inference, not on a real Halo seen so.
        width = max(len(name) for name in DEMO_SCENARIOS)
        for name, description in DEMO_SCENARIOS.items():
            mark = "inferred" if name in INFERRED_SCENARIOS else ""
            out.write(f"{name:<{width}}  {mark:<8}  {description}\n")
        out.write("\ninferred: behaviour not seen from a real Halo, only reasoned out.\n")
        return EXIT_OK
    if args.replay:
        return _replay(args, out)
    _known_scenario(args.scenario)
    identity = _identity(args.identity) if args.identity else None
    tls, ca_path = _tls(args)
    halo = SimulatedHalo(
        args.scenario,
        port=args.port,
        latency_ms=args.latency_ms,
        tls=tls,
        public_host="localhost" if tls else "127.0.0.1",
    )
    if identity is not None:
        halo.client_id, halo.client_secret = identity

    def introduce(keys: str | None) -> str:
        out.write(halo.describe().rstrip() + "\n\n")
        extra = f" --ca-bundle {ca_path}" if ca_path else ""
        command = (
            f"halo-wizard check --host {halo.url} --client-id {halo.client_id} "
            f'--scopes "{DEMO_SCOPES}"{extra}'
        )
        if keys is None:
            return f"{SECRET_ENV}=<the secret above> {command}"
        # The admin's half of the simulated application's key pair, owner-only.
        from wizard.core import assertion

        key = assertion.load_private_key_pem(halo.assertion_private_key)
        files = assertion.write_key_pair(keys, key)
        out.write(f"The private key of this application: {files.private_key}\n\n")
        return f"{command} --private-key {files.private_key}"

    return _serve(halo, args.port, ca_path, halo.uses_assertion(), introduce, out)


def _serve(
    halo: Any,
    port: int,
    ca_path: str | None,
    signs: bool,
    introduce: Callable[[str | None], str],
    out: TextIO,
) -> int:
    """Serve `halo` until Ctrl+C or SIGTERM, after `introduce` has said what it is and
    returned the check command to run against it (given a folder for a private key when the
    application `signs`); the key and CA files are removed on the way out, whatever ends it."""
    try:
        _start(halo, port)
    except BaseException:
        _remove_ca(ca_path)
        raise
    keys = tempfile.TemporaryDirectory(prefix="halo-wizard-sim-") if signs else None
    stop_on_sigterm()
    try:
        command = introduce(keys.name if keys is not None else None)
        out.write(f"Check it from another terminal:\n  {command}\n\nPress Ctrl+C to stop.\n")
        out.flush()
        threading.Event().wait()
    except KeyboardInterrupt:
        out.write("Stopped.\n")
    finally:
        halo.stop()
        if keys is not None:
            keys.cleanup()
        _remove_ca(ca_path)
    return EXIT_OK


def stop_on_sigterm() -> None:
    """SIGTERM (a service manager, `kill`) stops the simulator as Ctrl+C does: its key and
    CA files are removed on the way out."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set a handler (tests run commands in threads)

    def stop(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def _start(halo: Any, port: int) -> None:
    """Start `halo`; a port already in use is said in one sentence."""
    import errno

    from wizard.cli.common import UsageError

    try:
        halo.start()
    except OSError as exc:
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            raise UsageError(
                f"Port {port} on 127.0.0.1 is already in use (another simulator, or another "
                "program): choose another with --port, or leave --port out to take any free "
                "port."
            ) from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise UsageError(
                f"Port {port} on 127.0.0.1 cannot be used by you (ports below 1024 need an "
                "administrator): choose one above 1024 with --port."
            ) from None
        raise


def _tls(args: argparse.Namespace) -> tuple[Any, str | None]:
    """With --tls: a server context with a certificate made now, and its CA file's path."""
    if not args.tls:
        return None, None
    from wizard.sim.tls import make_tls

    return make_tls()


def _remove_ca(ca_path: str | None) -> None:
    """Remove the CA file made for --tls, and its folder."""
    if ca_path:
        import shutil
        from pathlib import Path

        shutil.rmtree(Path(ca_path).parent, ignore_errors=True)


def _identity(path: str) -> tuple[str, str]:
    """The Client ID and secret kept in `path` (made there, owner-only, at the first run)."""
    import json
    import os
    import uuid

    from wizard.cli.common import UsageError

    where = os.path.abspath(os.path.expanduser(path))
    try:
        with open(where, encoding="utf-8") as file:
            data = json.load(file)
    except FileNotFoundError:
        made = {
            "what": "the simulated Halo's application (halo-wizard simulate --identity)",
            "client_id": str(uuid.uuid4()),
            "client_secret": f"{uuid.uuid4()}-{uuid.uuid4()}",
        }
        try:
            descriptor = os.open(where, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as exc:
            raise UsageError(f"--identity: {where} cannot be written ({exc.strerror}).") from None
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(made, file, indent=2)
            file.write("\n")
        return made["client_id"], made["client_secret"]
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not JSON"
        raise UsageError(f"--identity: {where} cannot be read ({reason}).") from None
    client_id = data.get("client_id") if isinstance(data, dict) else None
    secret = data.get("client_secret") if isinstance(data, dict) else None
    if not isinstance(client_id, str) or not isinstance(secret, str) or not client_id:
        raise UsageError(
            f"--identity: {where} is not a simulator identity (no client_id and client_secret)."
        )
    return client_id, secret


def _replay(args: argparse.Namespace, out: TextIO) -> int:
    """simulate --replay: serve a recorded trace until Ctrl+C, saying how to check it."""
    from wizard.cli.common import UsageError
    from wizard.sim.replay import ReplayedHalo, ReplayError, load

    try:
        trace = load(args.replay)
    except ReplayError as exc:
        raise UsageError(f"--replay: {exc}") from None
    tls, ca_path = _tls(args)
    halo = ReplayedHalo(
        trace,
        port=args.port,
        latency_ms=args.latency_ms,
        tls=tls,
        public_host="localhost" if tls else "127.0.0.1",
    )

    def introduce(keys: str | None) -> str:
        out.write(halo.describe(args.replay).rstrip() + "\n\n")
        words = [_quoted(argument) for argument in halo.check_arguments()]
        if ca_path:
            words += ["--ca-bundle", _quoted(ca_path)]
        command = "halo-wizard check " + " ".join(words)
        if keys is None:
            return f"{SECRET_ENV}=any-secret {command}"
        # Any key pair: the replay answers the token request as it was answered.
        from wizard.core import assertion

        files = assertion.write_key_pair(keys, assertion.generate_key_pair())
        out.write(f"A private key to sign with (any will do): {files.private_key}\n\n")
        return f"{command} --private-key {_quoted(str(files.private_key))}"

    return _serve(halo, args.port, ca_path, halo.uses_assertion, introduce, out)


def _quoted(argument: str) -> str:
    """An argument as typed into a shell: in double quotes when it holds a space."""
    plain = argument and all(c.isalnum() or c in "-_.:/=@+,%" for c in argument)
    return argument if plain else '"' + argument.replace('"', '\\"') + '"'
