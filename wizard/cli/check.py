"""`check`: test a connection and explain every problem with its fix."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

from wizard.cli import saving, signing, tools
from wizard.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    SECRET_ENV,
    UsageError,
    _check_common,
    _print_report,
    read_secret,
    secret_origin_words,
)
from wizard.cli.saving import add_save_options

if TYPE_CHECKING:
    pass


def add_command(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        allow_abbrev=False,
        help="test a connection: discovery, a new token, each scope and the identity",
        description="Test a Halo API connection and explain every problem with its fix. "
        f"The client secret is read from the environment variable {SECRET_ENV}, from "
        "standard input with --client-secret-stdin, or asked for when run in a terminal; "
        "never from an argument, which other users of the computer can read.",
    )
    check.add_argument(
        "--host", required=True, help="the Halo address, as copied from the browser (any form)"
    )
    check.add_argument("--client-id", required=True, help="the application's Client ID")
    check.add_argument(
        "--scopes",
        help='permission scopes, separated by spaces or commas, e.g. "read:tickets read:assets" '
        "(needed unless --for names a tool)",
    )
    check.add_argument("--tenant", help="the tenant your tool uses (checked against Halo's)")
    check.add_argument("--auth-url", help="use this authorisation server instead of Halo's own")
    check.add_argument(
        "--ca-bundle",
        metavar="FILE",
        help="a PEM file of extra CA certificates to trust (e.g. a company "
        "proxy's root); wins over REQUESTS_CA_BUNDLE",
    )
    check.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        metavar="S",
        help="give up on any request after S seconds (default 10)",
    )
    check.add_argument(
        "--client-secret-stdin",
        action="store_true",
        help="read the client secret from standard input",
    )
    check.add_argument(
        "--json", action="store_true", help="print one JSON object instead of the readable report"
    )
    add_save_options(check)
    saving.add_record_option(check)
    tools.add_check_options(check)
    signing.add_check_options(check)


def run(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    from wizard.core import CheckRequest, run_check_sync
    from wizard.core.scopes import parse_scopes

    _check_common(args)
    args.scopes = tools.scopes_for(args)
    if args.scopes is None:
        raise UsageError(
            'Give the scopes to test with --scopes "read:tickets ...", or name the tool being '
            "connected with --for (see `halo-wizard recipes`)."
        )
    if not parse_scopes(args.scopes):
        raise UsageError('--scopes is empty; give at least one, e.g. --scopes "read:tickets".')
    if args.save_profile:
        from wizard.core.profiles import ProfileError, check_name

        try:
            check_name(args.save_profile)
        except ProfileError as exc:
            raise UsageError(f"--save-profile: {exc}") from None
    # Before the test, so nobody waits for a test whose result cannot be saved.
    saving.check_save_target(args)
    record_path = saving.record_target(args, saving._inputs(args), ("--save", args.save))
    origin = "none"

    def read() -> str:
        nonlocal origin
        choice = read_secret(args, stdin, None, sys.stderr)
        origin = choice.origin.value
        return choice.secret or ""

    secret = signing.secret_or_none(args, read)
    request = CheckRequest(
        host=args.host,
        client_id=args.client_id,
        client_secret=secret,
        scopes=args.scopes,
        tenant=args.tenant,
        auth_url=args.auth_url,
        ca_bundle=args.ca_bundle,
        timeout=args.timeout,
        tool=args.tool,
        **signing.request_options(args),
    )
    if record_path is None:
        report = run_check_sync(request)
    else:
        report = saving.recorded(request, record_path, secret, "check", sys.stderr)
    if args.json:
        data = report.to_dict()
        data["secret_from"] = origin
        data["tool"] = args.tool
        data["for"] = None
        tools.add_to_json(data, args, report)
        out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        out.flush()
    else:
        _print_report(report, False, out)
        out.write(secret_origin_words(origin) + "\n")
        out.write(tools.form_text(args, report))
        out.flush()
    saving.save_after_check(args, report, secret, sys.stderr)
    del secret
    return EXIT_OK if report.ok else EXIT_PROBLEMS
