"""JWT Assertion (Services) on the command line: `keygen`, and `check --private-key`.

`keygen --out DIR` makes the RSA key pair: the public key is pasted into the application in
Halo, the private key stays on this computer (readable by its owner alone). `check
--private-key FILE` then tests the connection with a new signed assertion for each token
request: no secret is needed or read. Exit codes are `check`'s: 0 works, 1 problems, 2 the
command could not run (keygen: the folder cannot be written, or key files are already there).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import Any, TextIO

SECRET_ENV = "HALO_CLIENT_SECRET"


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


def add_commands(commands: Any, parser_class: type[argparse.ArgumentParser]) -> None:
    keygen = commands.add_parser(
        "keygen",
        allow_abbrev=False,
        help="make the RSA key pair for Halo's JWT Assertion (Services) method",
        description="Make an RSA key pair (3072 bits) for an application whose "
        "Authentication Method is JWT Assertion (Services): DIR/halo-public-key.pem is "
        "pasted into the application in Halo; DIR/halo-private-key.pem stays on this "
        "computer, readable only by you, and is given to `check --private-key`.",
    )
    keygen.add_argument("--out", required=True, metavar="DIR", help="the folder for the files")
    keygen.add_argument(
        "--force",
        action="store_true",
        help="replace key files already in DIR (Halo's copy of the old public key then "
        "stops matching)",
    )


def run_keygen(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.cli import EXIT_OK, UsageError
    from wizard.core import assertion

    key = assertion.generate_key_pair()
    try:
        files = assertion.write_key_pair(args.out, key, force=args.force)
    except assertion.KeyFileError as exc:
        raise UsageError(f"keygen: {exc}") from None
    finally:
        del key
    out.write(
        "Made an RSA key pair (3072 bits) for JWT Assertion (Services):\n"
        f"  public key:  {files.public_key}\n"
        f"  private key: {files.private_key}\n\n"
        "In Halo: Configuration > Integrations > HaloPSA API (HaloITSM API, ...) > View\n"
        'Applications, open the application, set Authentication Method to "JWT Assertion\n'
        '(Services)", paste the whole public key below (from -----BEGIN PUBLIC KEY----- to\n'
        "-----END PUBLIC KEY-----) into its public key field, and click Save. Then copy the\n"
        "Client ID again (it can change on Save).\n\n"
        f"{files.public_pem.rstrip()}\n\n"
        "Keep the private key private: it proves to Halo that a request is your\n"
        "application's, as the secret does. Never paste it into Halo, a ticket or a chat;\n"
        "only this computer's tools read it. Test the connection with:\n"
        f"  halo-wizard check --host ... --client-id ... --scopes ... "
        f"--private-key {files.private_key}\n"
    )
    out.flush()
    return EXIT_OK


def secret_or_none(
    args: argparse.Namespace, read_secret: Callable[[], str], err: TextIO | None = None
) -> str:
    """The client secret `check` sends (from `read_secret`), or "" with --private-key: then
    no secret is read at all, and one in the environment is said to be ignored."""
    from wizard.cli import UsageError

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
