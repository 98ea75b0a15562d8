"""JWT Assertion (Services): the key pair and its files, the signed assertion, and the check
that uses it against the simulated Halo over real TLS."""

from __future__ import annotations

import os
import stat
import sys
import warnings
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa, x25519

from tests.conftest import HaloFactory, check
from wizard.core import assertion
from wizard.core.assertion import ClientAssertion, KeyFileError, KeyFilesExist
from wizard.core.log import redact
from wizard.core.messages import Front
from wizard.core.model import CheckRequest

CLIENT_ID = "6f1c0c0e-1b2a-4c3d-9e8f-0a1b2c3d4e5f"
TOKEN_URL = "https://acme.halopsa.com/auth/token?tenant=acme"


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return assertion.generate_key_pair()


@pytest.fixture(scope="module")
def small_key() -> rsa.RSAPrivateKey:
    # Made by cryptography directly: generate_key_pair refuses to make one this small.
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ----- the key pair and its files -----


def test_a_new_key_is_rsa_3072_and_its_public_key_fits_halos_field(key: rsa.RSAPrivateKey) -> None:
    assert key.key_size == 3072
    public = assertion.public_pem(key)
    assert public.startswith("-----BEGIN PUBLIC KEY-----\n")
    assert public.rstrip().endswith("-----END PUBLIC KEY-----")
    assert len(public) < assertion.PUBLIC_KEY_LIMIT == 2000
    # Even the largest key anyone would use still fits.
    assert len(assertion.public_pem(assertion.generate_key_pair(4096))) < 2000


def test_too_small_a_key_is_never_made() -> None:
    with pytest.raises(ValueError, match="at least 2048"):
        assertion.generate_key_pair(1024)


def test_keygen_writes_pkcs8_private_and_spki_public_files(
    key: rsa.RSAPrivateKey, tmp_path: Path
) -> None:
    files = assertion.write_key_pair(tmp_path / "keys", key)
    assert files.private_key == tmp_path / "keys" / "halo-private-key.pem"
    assert files.public_key == tmp_path / "keys" / "halo-public-key.pem"
    private_text = files.private_key.read_text("ascii")
    assert private_text.startswith("-----BEGIN PRIVATE KEY-----\n")  # PKCS#8, unencrypted
    assert files.public_key.read_text("ascii") == files.public_pem == assertion.public_pem(key)
    loaded = serialization.load_pem_private_key(private_text.encode(), password=None)
    assert isinstance(loaded, rsa.RSAPrivateKey)
    assert loaded.private_numbers() == key.private_numbers()
    public = serialization.load_pem_public_key(files.public_pem.encode())
    assert isinstance(public, rsa.RSAPublicKey)
    assert public.public_numbers() == key.public_key().public_numbers()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_private_key_is_readable_by_its_owner_alone_from_the_start(
    key: rsa.RSAPrivateKey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    modes: list[int] = []
    real_open = os.open

    def watching_open(path: Any, flags: int, mode: int = 0o777, **kwargs: Any) -> int:
        if str(path).endswith("halo-private-key.pem"):
            modes.append(mode)
            assert flags & os.O_EXCL and flags & os.O_CREAT
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", watching_open)
    # A permissive umask must not widen it.
    previous = os.umask(0)
    try:
        files = assertion.write_key_pair(tmp_path, key)
    finally:
        os.umask(previous)
    assert modes == [0o600]
    assert stat.S_IMODE(files.private_key.stat().st_mode) == 0o600
    # Replaced with --force: still owner-only (a new file, never the old one's mode).
    files.private_key.chmod(0o644)
    files = assertion.write_key_pair(tmp_path, key, force=True)
    assert stat.S_IMODE(files.private_key.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "halo-private-key.pem",
        "halo-public-key.pem",
    ]


def test_existing_key_files_are_never_overwritten_unless_asked(
    key: rsa.RSAPrivateKey, tmp_path: Path
) -> None:
    first = assertion.write_key_pair(tmp_path, key)
    old_private = first.private_key.read_bytes()
    other = assertion.generate_key_pair(2048)
    with pytest.raises(KeyFilesExist, match="already exist; nothing was written"):
        assertion.write_key_pair(tmp_path, other)
    assert first.private_key.read_bytes() == old_private
    # Only one of the two there is refused too.
    first.public_key.unlink()
    with pytest.raises(KeyFilesExist, match=r"halo-private-key\.pem already exists"):
        assertion.write_key_pair(tmp_path, other)
    assert not first.public_key.exists()
    replaced = assertion.write_key_pair(tmp_path, other, force=True)
    assert replaced.public_pem == assertion.public_pem(other)
    assert replaced.private_key.read_bytes() != old_private


def test_a_folder_that_cannot_be_made_is_said(key: rsa.RSAPrivateKey, tmp_path: Path) -> None:
    blocker = _write(tmp_path / "a-file", b"not a folder")
    with pytest.raises(KeyFileError, match="cannot be made"):
        assertion.write_key_pair(blocker / "keys", key)
    assert blocker.read_bytes() == b"not a folder"


def test_the_windows_acl_command_leaves_the_owner_alone(tmp_path: Path) -> None:
    path = tmp_path / "halo-private-key.pem"
    assert assertion.icacls_command(path, "ACME\\sam") == [
        "icacls",
        str(path),
        "/inheritance:r",
        "/grant:r",
        "ACME\\sam:(F)",
    ]
    assert assertion.windows_user({"USERNAME": "sam", "USERDOMAIN": "ACME"}) == "ACME\\sam"
    assert assertion.windows_user({"USERNAME": "sam"}) == "sam"
    with pytest.raises(KeyFileError, match="USERNAME"):
        assertion.windows_user({})


def test_a_failing_icacls_is_an_error_that_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path / "k.pem", b"")

    def refusing(command: list[str], **kwargs: Any) -> SimpleNamespace:
        assert command[0] == "icacls" and command[1] == str(path)
        return SimpleNamespace(returncode=5, stdout="", stderr="Access is denied.")

    monkeypatch.setenv("USERNAME", "tester")
    with pytest.raises(KeyFileError, match="Access is denied"):
        assertion._owner_only_on_windows(path, run=refusing)


# ----- loading a private key -----


def test_the_written_private_key_loads(key: rsa.RSAPrivateKey, tmp_path: Path) -> None:
    files = assertion.write_key_pair(tmp_path, key)
    assert assertion.load_private_key(files.private_key).private_numbers() == (
        key.private_numbers()
    )
    # The older PKCS#1 form (BEGIN RSA PRIVATE KEY) is a private key too.
    pkcs1 = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    assert assertion.load_private_key(_write(tmp_path / "rsa.pem", pkcs1)).key_size == 3072


def test_unusable_key_files_say_why_in_plain_words(
    key: rsa.RSAPrivateKey, small_key: rsa.RSAPrivateKey, tmp_path: Path
) -> None:
    files = assertion.write_key_pair(tmp_path / "pair", key)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"passphrase"),
    )
    ec_key = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    small = assertion.private_pem(small_key)
    cut = assertion.private_pem(key)[:300] + b"\n-----END PRIVATE KEY-----\n"
    cases = {
        "public key": (files.public_key, "holds a public key"),
        "missing": (tmp_path / "nothing.pem", "there is no file"),
        "folder": (tmp_path, "is a folder, not a key file"),
        "text": (_write(tmp_path / "notes.txt", b"my key is in the vault"), "not a PEM key file"),
        "DER": (_write(tmp_path / "key.der", der), "binary (DER)"),
        "encrypted": (_write(tmp_path / "enc.pem", encrypted), "protected by a passphrase"),
        "EC": (_write(tmp_path / "ec.pem", ec_key), "elliptic-curve (EC) key, not an RSA"),
        "1024 bits": (_write(tmp_path / "small.pem", small), "1024 bits, too small"),
        "cut short": (_write(tmp_path / "cut.pem", cut), "damaged or cut short"),
        "huge": (_write(tmp_path / "huge.pem", b"-----BEGIN" + b"A" * 70000), "larger than"),
    }
    secret_body = assertion.private_pem(key).decode().splitlines()[5]
    for name, (path, words) in cases.items():
        with pytest.raises(KeyFileError) as caught:
            assertion.load_private_key(path)
        assert words in str(caught.value), name
        assert secret_body not in str(caught.value), name


def test_a_key_object_of_another_kind_is_refused(small_key: rsa.RSAPrivateKey) -> None:
    with pytest.raises(KeyFileError, match="an RSA public key, not an RSA private key"):
        assertion.check_key(small_key.public_key())
    with pytest.raises(KeyFileError, match="too small"):
        assertion.check_key(small_key)


def _dsa_key_pem() -> bytes:
    # Made only here, with cryptography's own warning about DSA silenced: the test is about
    # what the wizard does with such a key, not about making one.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from cryptography.hazmat.primitives.asymmetric import dsa

        made = dsa.generate_private_key(key_size=2048)
        return made.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def _pkcs8(made: Any) -> bytes:
    return bytes(
        made.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def test_every_kind_of_key_is_named_without_any_warning(
    tmp_path: Path, small_key: rsa.RSAPrivateKey
) -> None:
    """cryptography 51 deprecates every access to its DSA classes: naming a key's kind, and
    reading a DSA key file, must not warn (an admin would see the warning in the terminal)."""
    ec_key = ec.generate_private_key(ec.SECP256R1())
    files = {
        "a DSA key,": _dsa_key_pem(),
        "an elliptic-curve (EC) key,": _pkcs8(ec_key),
        "an Ed25519 key,": _pkcs8(ed25519.Ed25519PrivateKey.generate()),
        "an Ed448 key,": _pkcs8(ed448.Ed448PrivateKey.generate()),
        "an X25519 key,": _pkcs8(x25519.X25519PrivateKey.generate()),
    }
    objects = {
        "an RSA public key,": small_key.public_key(),
        "an elliptic-curve (EC) public key,": ec_key.public_key(),
        "an Ed25519 public key,": ed25519.Ed25519PrivateKey.generate().public_key(),
        "another kind of key,": "-----BEGIN PRIVATE KEY----- not a key object",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for words, pem in files.items():
            path = _write(tmp_path / "key.pem", pem)
            with pytest.raises(KeyFileError) as caught:
                assertion.load_private_key(path)
            assert f"is {words} not an RSA private key" in str(caught.value), words
        for words, obj in objects.items():
            with pytest.raises(KeyFileError) as caught:
                assertion.check_key(obj, "the key given")
            assert f"the key given is {words} not an RSA private key" in str(caught.value)


# ----- the assertion -----


def test_each_assertion_is_a_fresh_ps256_jwt_with_the_standard_claims(
    key: rsa.RSAPrivateKey,
) -> None:
    credential = ClientAssertion(
        CLIENT_ID, key, assertion.default_audience(TOKEN_URL), clock=lambda: 1_800_000_000.5
    )
    first, second = credential.token_fields(), credential.token_fields()
    assert set(first) == {"client_id", "client_assertion_type", "client_assertion"}
    assert first["client_id"] == CLIENT_ID
    assert (
        first["client_assertion_type"] == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    )
    header, claims = assertion.decode_unverified(first["client_assertion"])
    assert header == {"alg": "PS256", "typ": "JWT"}
    assert claims == {
        "iss": CLIENT_ID,
        "sub": CLIENT_ID,
        "aud": "https://acme.halopsa.com/auth/token",
        "iat": 1_800_000_000,
        "exp": 1_800_000_300,
        "jti": claims["jti"],
    }
    # Verified with the public key, PS256 only.
    verified = jwt.decode(
        first["client_assertion"],
        key.public_key(),
        algorithms=["PS256"],
        audience="https://acme.halopsa.com/auth/token",
        issuer=CLIENT_ID,
        options={"verify_exp": False, "verify_iat": False},
    )
    assert verified["sub"] == CLIENT_ID
    # A new assertion for every request: its own jti (and its own signature).
    _, again = assertion.decode_unverified(second["client_assertion"])
    assert again["jti"] != claims["jti"]
    assert second["client_assertion"] != first["client_assertion"]
    jtis = {assertion.decode_unverified(credential.assertion())[1]["jti"] for _ in range(20)}
    assert len(jtis) == 20


def test_another_issuer_and_audience_are_used_when_given(key: rsa.RSAPrivateKey) -> None:
    credential = ClientAssertion(CLIENT_ID, key, "https://acme.halopsa.com/auth", issuer="acme-app")
    _, claims = assertion.decode_unverified(credential.token_fields()["client_assertion"])
    assert (claims["iss"], claims["sub"], claims["aud"]) == (
        "acme-app",
        CLIENT_ID,
        "https://acme.halopsa.com/auth",
    )


def test_the_default_audience_is_the_token_address_without_its_query() -> None:
    assert assertion.default_audience(TOKEN_URL) == "https://acme.halopsa.com/auth/token"
    assert (
        assertion.default_audience("https://uk-trial.halopsa.com/token?tenant=T1")
        == "https://uk-trial.halopsa.com/token"
    )
    assert (
        assertion.default_audience("https://halo.example.org/auth/token")
        == "https://halo.example.org/auth/token"
    )


def test_neither_repr_shows_the_key_and_the_assertion_is_redacted_from_logs(
    key: rsa.RSAPrivateKey,
) -> None:
    credential = ClientAssertion(CLIENT_ID, key, "https://acme.halopsa.com/auth/token")
    body = assertion.private_pem(key).decode().splitlines()[3]
    for text in (repr(credential), str(credential)):
        assert "private_key=***" in text and body not in text
    request = CheckRequest("acme.halopsa.com", CLIENT_ID, "", "read:tickets", private_key=key)
    assert "private_key='***'" in repr(request) and "RSAPrivateKey" not in repr(request)
    token = credential.token_fields()["client_assertion"]
    assert token not in redact(f"client_assertion={token}&x=1")


# ----- the check -----


def _key_file(tmp_path: Path, pem: str) -> str:
    path = tmp_path / "halo-private-key.pem"
    path.write_text(pem, encoding="ascii")
    path.chmod(0o600)
    return str(path)


def test_a_jwt_assertion_connection_passes_and_sends_no_secret(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    report = check(
        halo,
        ca_bundle,
        client_secret="",
        private_key=_key_file(tmp_path, halo.assertion_private_key),
    )
    assert report.ok, report.codes()
    assert "SECRET_MISSING" not in report.codes()
    assert report.identity is not None and report.identity.name == "Integration API"
    (sent,) = [r for r in halo.requests if r.method == "POST"]
    assert "client_secret" not in sent.form
    assert sent.form["client_id"] == halo.client_id
    assert sent.form["grant_type"] == "client_credentials"
    _, claims = assertion.decode_unverified(sent.form["client_assertion"])
    assert claims["aud"] == f"{halo.url}/auth/token"
    assert claims["iss"] == claims["sub"] == halo.client_id


def test_a_key_object_works_as_well_as_a_file(start_halo: HaloFactory, ca_bundle: str) -> None:
    halo = start_halo("healthy")
    key = assertion.generate_key_pair(2048)
    halo.assertion_public_key = assertion.public_pem(key)
    report = check(halo, ca_bundle, client_secret="", private_key=key)
    assert report.ok, report.codes()


def test_a_wrong_key_says_what_to_check_with_halos_own_words(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_wrong_key")
    report = check(
        halo,
        ca_bundle,
        client_secret="",
        private_key=_key_file(tmp_path, halo.assertion_private_key),
    )
    assert not report.ok
    (finding,) = [f for f in report.findings if f.code == "ASSERTION_REFUSED"]
    assert (
        finding.halo_said
        == "invalid_client: The signature of the specified client assertion is invalid."
    )
    assert "Halo's own words: \"invalid_client: The signature" in finding.detail
    fix = " ".join(finding.fix)
    for words in (
        "paste it whole",
        '"JWT Assertion (Services)"',
        "Click Save",
        "clock",
        f"the test used {halo.url}/auth/token.",
        "--assertion-audience",
    ):
        assert words in fix, words
    # The window's own places, in the window's words only.
    window = " ".join(finding.fix_for(Front.WINDOW))
    for words in (
        "the wizard showed it on its Create the API application page",
        "under Advanced, on the Client ID page",
    ):
        assert words in window and words not in fix, words
    assert finding.link == f"{halo.url}/config/integrations/api/applications"
    assert "INVALID_CLIENT" not in report.codes()


def test_a_wrong_audience_is_refused_and_named(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    report = check(
        halo,
        ca_bundle,
        client_secret="",
        private_key=_key_file(tmp_path, halo.assertion_private_key),
        assertion_audience="https://login.elsewhere.example/token",
    )
    (finding,) = [f for f in report.findings if f.code == "ASSERTION_REFUSED"]
    assert "https://login.elsewhere.example/token as its audience" in finding.detail
    assert "the audience given for the test" in finding.detail
    assert "audience of the specified client assertion is invalid" in (finding.halo_said or "")
    assert any(
        "the test used https://login.elsewhere.example/token" in step
        and f"{halo.url}/auth/token" in step
        for step in finding.fix
    )


def test_an_issuer_halo_names_must_be_given(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion", assertion_issuer="acme-integration")
    key_file = _key_file(tmp_path, halo.assertion_private_key)
    refused = check(halo, ca_bundle, client_secret="", private_key=key_file)
    (finding,) = [f for f in refused.findings if f.code == "ASSERTION_REFUSED"]
    assert "issuer of the specified client assertion is invalid" in (finding.halo_said or "")
    assert check(
        halo, ca_bundle, client_secret="", private_key=key_file, assertion_issuer="acme-integration"
    ).ok


def test_a_private_key_that_cannot_be_used_stops_before_any_request(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    public = tmp_path / "halo-public-key.pem"
    public.write_text(
        assertion.public_pem(assertion.load_private_key_pem(halo.assertion_private_key))
    )
    report = check(halo, ca_bundle, client_secret="", private_key=str(public))
    assert report.codes() == ["PRIVATE_KEY_INVALID"]
    (finding,) = report.findings
    assert "holds a public key" in finding.detail and "halo-private-key.pem" in finding.detail
    assert any("halo-wizard keygen" in step for step in finding.fix)
    assert any(
        "Create the API application and choose JWT Assertion" in step
        for step in finding.fix_for(Front.WINDOW)
    )
    assert halo.requests == []


def test_a_secret_sent_to_a_jwt_application_is_refused(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo = start_halo("jwt_assertion")
    assert check(halo, ca_bundle).codes()[-1] == "INVALID_CLIENT"


def test_a_retest_asks_early_with_an_assertion_made_for_the_known_address(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    report = check(
        halo,
        ca_bundle,
        client_secret="",
        private_key=_key_file(tmp_path, halo.assertion_private_key),
        known_token_url=f"{halo.url}/auth/token?tenant=acme",
    )
    assert report.ok, report.codes()
    assert len([r for r in halo.requests if r.method == "POST"]) == 1


def test_broad_access_names_the_private_key_as_what_a_leak_gives_away(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    key = _key_file(tmp_path, halo.assertion_private_key)
    report = check(halo, ca_bundle, client_secret="", private_key=key, scopes="all read:tickets")
    (broad,) = [f for f in report.findings if f.code == "BROAD_ACCESS"]
    assert "If the private key leaks" in broad.detail and "secret" not in broad.detail
