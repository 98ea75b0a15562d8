"""A throwaway certificate authority and server certificate for the simulator, via trustme."""

from __future__ import annotations

import ssl
import tempfile
from collections.abc import Sequence
from pathlib import Path


def make_tls(hostnames: Sequence[str] = ("localhost", "127.0.0.1")) -> tuple[ssl.SSLContext, str]:
    """A server SSLContext for hostnames, and the path of a CA bundle a client can trust."""
    try:
        import trustme
    except ImportError as exc:
        raise RuntimeError("TLS for the simulated Halo needs trustme: pip install trustme") from exc
    ca = trustme.CA(organization_name="Simulated Halo test CA")
    server_cert = ca.issue_cert(*hostnames)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_cert.configure_cert(context)
    ca_path = Path(tempfile.mkdtemp(prefix="simulated-halo-")) / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))
    return context, str(ca_path)
