"""JWT Assertion (Services): the key pair, its files, and the signed client assertion.

Halo (v2.234.6 and later) lets an application prove who it is with a JWT signed by its own
private key instead of sending a client secret; the application in Halo holds the public key
(a text field of up to 2000 characters). Halo's guide names RSA keys and PS256. What the
request carries is not published: the fields here are the standard ones for a client
assertion (RFC 7521/7523: `client_assertion_type` and `client_assertion`), and the audience
Halo expects is unknown, so it can be changed and defaults to the token endpoint's address
(reference §5: inferred).

The signing is PyJWT's, the keys are `cryptography`'s: no cryptography is written here.
The private key is never logged, shown or put in a repr; each assertion made is registered
with the log's redaction, since it proves who the application is for five minutes.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import jwt
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.utils import CryptographyDeprecationWarning

from wizard.core.log import register_secret

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHM = "PS256"
# Seconds an assertion is valid for: exp = iat + this.
LIFETIME_S = 300
DEFAULT_BITS = 3072
MIN_BITS = 2048
PRIVATE_KEY_FILE = "halo-private-key.pem"
PUBLIC_KEY_FILE = "halo-public-key.pem"
# The application's public key field in Halo holds at most this many characters (its
# database column, PublicKey, is 2000 long: reference §5).
PUBLIC_KEY_LIMIT = 2000
# A private key file is a few kilobytes; anything far larger is another file.
MAX_KEY_FILE_BYTES = 64 * 1024


class KeyFileError(ValueError):
    """A key file that cannot be used or written; the message says why in plain words and
    never holds any of the file's content."""


class KeyFilesExist(KeyFileError):
    """keygen would overwrite key files that are already there."""


# ----- the key pair -----


def generate_key_pair(bits: int = DEFAULT_BITS) -> rsa.RSAPrivateKey:
    """A new RSA private key (its public key is `key.public_key()`)."""
    if bits < MIN_BITS:
        raise ValueError(f"an RSA key for Halo needs at least {MIN_BITS} bits, not {bits}")
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def private_pem(key: rsa.RSAPrivateKey) -> bytes:
    """The private key as unencrypted PKCS#8 PEM (-----BEGIN PRIVATE KEY-----)."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(key: rsa.RSAPrivateKey | rsa.RSAPublicKey) -> str:
    """The public key as SubjectPublicKeyInfo PEM (-----BEGIN PUBLIC KEY-----): what is
    pasted into the application in Halo."""
    public = key.public_key() if isinstance(key, rsa.RSAPrivateKey) else key
    text = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    if len(text) > PUBLIC_KEY_LIMIT:
        raise ValueError(
            f"the public key is {len(text)} characters long; Halo's field holds "
            f"{PUBLIC_KEY_LIMIT}: use a key of {DEFAULT_BITS} bits"
        )
    return text


# ----- the key files -----


@dataclass(frozen=True)
class KeyFiles:
    """Where keygen wrote the pair, and the public key's text (to show and to copy)."""

    private_key: Path
    public_key: Path
    public_pem: str


def icacls_command(path: str | os.PathLike[str], user: str) -> list[str]:
    """The Windows command that leaves `path` readable by `user` alone: the permissions
    inherited from the folder are removed, and `user` gets full control.

    Built here so that it can be tested anywhere; it runs only on Windows, where it has not
    been tried yet (no Windows machine in this project's tests).
    """
    return ["icacls", os.fspath(path), "/inheritance:r", "/grant:r", f"{user}:(F)"]


def windows_user(environ: dict[str, str] | None = None) -> str:
    """DOMAIN\\user (or user) of this process on Windows, as icacls names accounts."""
    env = dict(os.environ) if environ is None else environ
    user = env.get("USERNAME", "").strip()
    if not user:
        raise KeyFileError("the Windows user name is not known (USERNAME is not set)")
    domain = env.get("USERDOMAIN", "").strip()
    return f"{domain}\\{user}" if domain else user


def _owner_only_on_windows(path: Path, run: Callable[..., Any] = subprocess.run) -> None:
    command = icacls_command(path, windows_user())
    try:
        done = run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise KeyFileError(
            f"icacls could not be run to make {path} readable by you alone ({exc})"
        ) from None
    if done.returncode != 0:
        said = (done.stderr or done.stdout or "").strip()[:200]
        raise KeyFileError(f"icacls could not make {path} readable by you alone: {said}")


def _create_owner_only(path: Path, data: bytes) -> None:
    """Create `path` (never an existing file, never through a link) readable by its owner
    alone from its first byte, and write `data` into it."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, 0o600)
    try:
        if sys.platform == "win32":
            # The mode above only sets read-only on Windows: the file is still empty when
            # its inherited permissions are replaced by an owner-only ACL.
            os.close(fd)
            fd = -1
            _owner_only_on_windows(path)
            fd = os.open(path, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "wb") as file:
            fd = -1
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
    except BaseException:
        if fd >= 0:
            os.close(fd)
        path.unlink(missing_ok=True)
        raise


def write_key_pair(
    folder: str | os.PathLike[str], key: rsa.RSAPrivateKey, *, force: bool = False
) -> KeyFiles:
    """Write halo-private-key.pem (PKCS#8, unencrypted, owner-only) and halo-public-key.pem
    (SubjectPublicKeyInfo) into `folder`, made if missing.

    Existing key files are never overwritten unless `force`: they may be the only copy of a
    key Halo already holds. With `force` the new files are written beside them first and
    then put in their place, so a failure leaves the old pair whole. Raises KeyFileError
    (KeyFilesExist for files already there).
    """
    where = Path(folder).expanduser()
    targets = (where / PRIVATE_KEY_FILE, where / PUBLIC_KEY_FILE)
    contents = (private_pem(key), public_pem(key).encode("ascii"))
    try:
        where.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise KeyFileError(f"the folder {where} cannot be made ({exc.strerror or exc})") from None
    if not where.is_dir():
        raise KeyFileError(f"{where} is not a folder")
    present = [path for path in targets if path.exists() or path.is_symlink()]
    if present and not force:
        raise KeyFilesExist(
            f"{' and '.join(str(p) for p in present)} already "
            f"{'exist' if len(present) > 1 else 'exists'}; nothing was written. They may hold "
            "the key Halo already has: keep them, choose another folder, or replace them "
            "with --force (then paste the new public key into Halo)."
        )
    suffix = f".{uuid.uuid4().hex[:12]}.tmp" if force else ""
    written: list[Path] = []
    try:
        for target, data in zip(targets, contents, strict=True):
            path = target.with_name(target.name + suffix)
            if target.name == PRIVATE_KEY_FILE:
                _create_owner_only(path, data)
            else:
                with path.open("xb") as file:
                    file.write(data)
            written.append(path)
        if force:
            for path, target in zip(written, targets, strict=True):
                os.replace(path, target)
    except FileExistsError:
        _remove(written)
        raise KeyFilesExist(
            f"a key file appeared in {where} while the pair was being written; nothing was replaced"
        ) from None
    except (OSError, KeyFileError) as exc:
        _remove(written)
        if isinstance(exc, KeyFileError):
            raise
        raise KeyFileError(
            f"the key files cannot be written in {where} ({exc.strerror or exc})"
        ) from None
    return KeyFiles(targets[0], targets[1], contents[1].decode("ascii"))


def _remove(paths: Sequence[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def load_private_key(path: str | os.PathLike[str]) -> rsa.RSAPrivateKey:
    """The RSA private key in a PEM file; KeyFileError says why a file cannot be used."""
    where = Path(path).expanduser()
    try:
        with where.open("rb") as file:
            data = file.read(MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise KeyFileError(f"there is no file {where}") from None
    except IsADirectoryError:
        raise KeyFileError(f"{where} is a folder, not a key file") from None
    except OSError as exc:
        raise KeyFileError(f"{where} cannot be read ({exc.strerror or exc})") from None
    if len(data) > MAX_KEY_FILE_BYTES:
        raise KeyFileError(
            f"{where} is larger than {MAX_KEY_FILE_BYTES // 1024} KB: far larger than a key file"
        )
    return load_private_key_pem(data, str(where))


def load_private_key_pem(data: bytes | str, name: str = "the key") -> rsa.RSAPrivateKey:
    """The RSA private key in PEM text (a file's content, or a keychain entry's)."""
    raw = data.encode("utf-8", "replace") if isinstance(data, str) else data
    text = raw.decode("ascii", "replace")
    if "-----BEGIN" not in text:
        raise KeyFileError(
            f"{name} is not a PEM key file (text starting with -----BEGIN PRIVATE KEY-----)"
            + (": it looks like a binary (DER) file" if raw[:1] == b"\x30" else "")
        )
    if (
        any(
            marker in text
            for marker in ("BEGIN PUBLIC KEY", "BEGIN RSA PUBLIC KEY", "BEGIN CERTIFICATE")
        )
        and "PRIVATE KEY-----" not in text
    ):
        raise KeyFileError(
            f"{name} holds a public key (or a certificate), which is what Halo keeps; the "
            f"test signs with the private key: give {PRIVATE_KEY_FILE} instead"
        )
    if "BEGIN ENCRYPTED PRIVATE KEY" in text or "Proc-Type: 4,ENCRYPTED" in text:
        raise KeyFileError(
            f"{name} is protected by a passphrase, which this program does not ask for: "
            "make a new pair with halo-wizard keygen, or save the key without a passphrase"
        )
    try:
        with warnings.catch_warnings():
            # Reading a DSA key makes cryptography (49 and later) warn that DSA is deprecated;
            # the key is refused just below with its kind named, so the warning would only
            # reach the admin's terminal as noise.
            warnings.simplefilter("ignore", CryptographyDeprecationWarning)
            key = serialization.load_pem_private_key(raw, password=None)
    except TypeError:
        raise KeyFileError(f"{name} is protected by a passphrase, which is not asked for") from None
    except (ValueError, UnsupportedAlgorithm):
        raise KeyFileError(
            f"{name} holds no private key that can be read (it may be damaged or cut short)"
        ) from None
    return check_key(key, name)


def check_key(key: object, name: str = "the key") -> rsa.RSAPrivateKey:
    """`key` if it can sign Halo's assertions: an RSA private key of at least MIN_BITS."""
    if not isinstance(key, rsa.RSAPrivateKey):
        kind = _key_kind(key)
        raise KeyFileError(
            f"{name} is {kind}, not an RSA private key: Halo's JWT Assertion signs with RSA "
            "(PS256); make a new pair with halo-wizard keygen"
        )
    if key.key_size < MIN_BITS:
        raise KeyFileError(
            f"{name} is an RSA key of {key.key_size} bits, too small to be safe (at least "
            f"{MIN_BITS}): make a new pair with halo-wizard keygen ({DEFAULT_BITS} bits)"
        )
    return key


# What a key that cannot sign is called, by the name of its class. The class's name, not
# isinstance() against cryptography's classes: every access to `dsa.DSAPrivateKey` and its
# kin is deprecated (cryptography 51) and warns, and a key's class is named the same in the
# Rust bindings of every release since 42.
_KEY_KINDS = {
    "RSAPublicKey": "an RSA public key",
    "EllipticCurvePrivateKey": "an elliptic-curve (EC) key",
    "ECPrivateKey": "an elliptic-curve (EC) key",
    "EllipticCurvePublicKey": "an elliptic-curve (EC) public key",
    "ECPublicKey": "an elliptic-curve (EC) public key",
    "Ed25519PrivateKey": "an Ed25519 key",
    "Ed25519PublicKey": "an Ed25519 public key",
    "Ed448PrivateKey": "an Ed448 key",
    "Ed448PublicKey": "an Ed448 public key",
    "X25519PrivateKey": "an X25519 key",
    "X25519PublicKey": "an X25519 public key",
    "X448PrivateKey": "an X448 key",
    "X448PublicKey": "an X448 public key",
    "DSAPrivateKey": "a DSA key",
    "DSAPublicKey": "a DSA public key",
}


def _key_kind(key: object) -> str:
    names = (cls.__name__ for cls in type(key).__mro__)
    return next((_KEY_KINDS[name] for name in names if name in _KEY_KINDS), "another kind of key")


# ----- the assertion -----


def default_audience(token_url: str) -> str:
    """The audience used unless another is given: the token endpoint's address, without its
    query (?tenant=...), which names the tenant rather than the endpoint. Inferred: Halo does
    not publish the audience it expects (reference §5)."""
    parts = urlsplit(token_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@dataclass(frozen=True, repr=False)
class ClientAssertion:
    """The application's Client ID and its private key (JWT Assertion (Services)): the same
    Credential as stages.ClientSecret, with a new signed assertion for every token request."""

    client_id: str
    private_key: rsa.RSAPrivateKey
    audience: str
    # `iss` when Halo's application names another issuer; `sub` stays the Client ID.
    issuer: str | None = None
    lifetime_s: int = LIFETIME_S
    clock: Callable[[], float] = field(default=time.time, compare=False)

    def claims(self) -> dict[str, Any]:
        now = int(self.clock())
        return {
            "iss": self.issuer or self.client_id,
            "sub": self.client_id,
            "aud": self.audience,
            "iat": now,
            "exp": now + self.lifetime_s,
            "jti": str(uuid.uuid4()),
        }

    def assertion(self) -> str:
        """A new signed JWT: PS256, and a jti never used before."""
        token = jwt.encode(
            self.claims(), self.private_key, algorithm=ALGORITHM, headers={"typ": "JWT"}
        )
        register_secret(token)
        return token

    def token_fields(self) -> dict[str, str]:
        return {
            "client_id": self.client_id,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": self.assertion(),
        }

    def __repr__(self) -> str:
        return (
            f"ClientAssertion(client_id={self.client_id!r}, private_key=***, "
            f"audience={self.audience!r}, issuer={self.issuer!r})"
        )


def decode_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, claims) of an assertion, unverified: for tests and for showing what was sent."""
    header = jwt.get_unverified_header(token)
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return header, claims
