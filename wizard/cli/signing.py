"""check --private-key: a connection that signs a JWT assertion (JWT Assertion (Services))
instead of sending a secret."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

from wizard.cli.common import SECRET_ENV


def add_check_options(check: argparse.ArgumentParser) -> None:
    group = check.add_argument_group(
        "JWT Assertion (Services)",
        "authenticate with a signed assertion instead of the client secret (Halo 2.234.6 "
        "and later); no secret is then read",
    )
    group.add_argument(
        "--private-key",
        metavar="FILE",
        help="the private key made by `halo-wizard keygen` (halo-private-key.pem), whose "
        "public key is pasted into the application in Halo",
    )
    group.add_argument(
        "--assertion-audience",
        metavar="URL",
        help="the assertion's aud (default: the token service's address, without "
        "?tenant=); Halo does not publish the one it expects",
    )
    group.add_argument(
        "--assertion-issuer",
        metavar="ID",
        help="the assertion's iss, when the application in Halo names an Issuer "
        "(default: the Client ID)",
    )


def secret_or_none(
    args: argparse.Namespace, read_secret: Callable[[], str], err: TextIO | None = None
) -> str:
    """The client secret `check` sends (from `read_secret`), or "" with --private-key: then
    no secret is read at all, and one in the environment is said to be ignored."""
    from wizard.cli.common import UsageError

    if not wants_assertion(args):
        return read_secret()
    if not args.private_key:
        if args.private_key is None:
            raise UsageError(
                "--assertion-audience and --assertion-issuer need --private-key (the key "
                "that signs the assertion)."
            )
        raise UsageError("--private-key is empty: give the private key file made by keygen.")
    if args.client_secret_stdin:
        raise UsageError(
            "--private-key and --client-secret-stdin cannot be used together: with a private "
            "key no secret is sent."
        )
    if os.environ.get(SECRET_ENV) is not None:
        err = err or sys.stderr
        err.write(
            f"halo-wizard: {SECRET_ENV} is set but not used: with --private-key the test "
            "signs an assertion instead of sending a secret.\n"
        )
        err.flush()
    return ""


def request_options(args: argparse.Namespace) -> dict[str, Any]:
    """The CheckRequest fields of the JWT Assertion method (none without --private-key)."""
    if not wants_assertion(args):
        return {}
    return {
        "private_key": args.private_key,
        "assertion_audience": args.assertion_audience,
        "assertion_issuer": args.assertion_issuer,
    }


def wants_assertion(args: argparse.Namespace) -> bool:
    """Whether `check` was asked for the JWT Assertion method (any of its options given)."""
    return any(
        getattr(args, name, None) is not None
        for name in ("private_key", "assertion_audience", "assertion_issuer")
    )
