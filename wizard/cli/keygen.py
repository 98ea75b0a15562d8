"""`keygen`: the RSA key pair for Halo's JWT Assertion (Services) method."""

from __future__ import annotations

import argparse
from typing import Any, TextIO


def add_command(commands: Any) -> None:
    keygen = commands.add_parser(
        "keygen",
        allow_abbrev=False,
        help="make the RSA key pair for Halo's JWT Assertion (Services) method",
        description="Make an RSA key pair (3072 bits) for an application whose "
        "Authentication Method is JWT Assertion (Services): DIR/halo-public-key.pem is "
        "pasted into the application in Halo; DIR/halo-private-key.pem stays on this "
        "computer, readable only by you, and is given to `check --private-key`.",
    )
    keygen.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="the folder to write halo-private-key.pem and halo-public-key.pem to",
    )
    keygen.add_argument(
        "--force",
        action="store_true",
        help="replace key files already in DIR (Halo's copy of the old public key then "
        "stops matching)",
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    from wizard.cli.common import EXIT_OK, UsageError
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
