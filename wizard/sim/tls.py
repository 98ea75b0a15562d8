"""A throwaway certificate authority for the simulated Halo, made in memory with `cryptography`.

The demo presents the simulator under a hosted name (acme.halopsa.com) with a certificate for
that name, so that every message about an address reads as it would for a real instance. The
authority's key lives only in this process: nothing it signs is trusted anywhere else.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
import tempfile
from collections.abc import Sequence
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

_VALID_FOR = datetime.timedelta(days=2)
# A clock a little behind this computer's still accepts the certificate.
_BACKDATE = datetime.timedelta(hours=1)


class SimCA:
    """A certificate authority that exists only while this process runs."""

    def __init__(self, organization: str = "Simulated Halo demo CA") -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                x509.NameAttribute(NameOID.COMMON_NAME, organization),
            ]
        )
        public = self._key.public_key()
        self._name = name
        self.certificate = (
            _builder(name, name, public)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_usage(cert_sign=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
            .sign(self._key, hashes.SHA256())
        )

    @property
    def cert_pem(self) -> str:
        """The authority's certificate, for a client to trust (TransportOptions.ca_data)."""
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")

    def write_cert(self, path: str | os.PathLike[str]) -> str:
        Path(path).write_text(self.cert_pem, encoding="ascii")
        return str(path)

    def server_context(self, hostnames: Sequence[str]) -> ssl.SSLContext:
        """A server SSLContext presenting a certificate for `hostnames` (wildcards allowed)."""
        key = ec.generate_private_key(ec.SECP256R1())
        public = key.public_key()
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hostnames[0])])
        names: list[x509.GeneralName] = [_general_name(host) for host in hostnames]
        leaf = (
            _builder(subject, self._name, public)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(cert_sign=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self._key.public_key()),
                critical=False,
            )
            .sign(self._key, hashes.SHA256())
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        # load_cert_chain reads only files: they live for the call, in a private folder.
        with tempfile.TemporaryDirectory(prefix="simulated-halo-") as folder:
            chain = Path(folder) / "chain.pem"
            private = Path(folder) / "key.pem"
            chain.write_bytes(
                leaf.public_bytes(serialization.Encoding.PEM)
                + self.certificate.public_bytes(serialization.Encoding.PEM)
            )
            private.write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                )
            )
            context.load_cert_chain(str(chain), str(private))
        return context


def _builder(
    subject: x509.Name, issuer: x509.Name, public: ec.EllipticCurvePublicKey
) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _BACKDATE)
        .not_valid_after(now + _VALID_FOR)
    )


def _usage(*, cert_sign: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _general_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def make_tls(hostnames: Sequence[str] = ("localhost", "127.0.0.1")) -> tuple[ssl.SSLContext, str]:
    """A server SSLContext for hostnames, and the path of a CA bundle a client can trust."""
    ca = SimCA()
    context = ca.server_context(hostnames)
    path = Path(tempfile.mkdtemp(prefix="simulated-halo-")) / "ca.pem"
    return context, ca.write_cert(path)
