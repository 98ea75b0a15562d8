"""Names shared by the connection file, the tasks, the command line and the window."""

from __future__ import annotations

from enum import StrEnum


class SecretFrom(StrEnum):
    """Where the secret a test used came from (the JSON's "secret_from")."""

    STDIN = "stdin"  # --client-secret-stdin
    ENVIRONMENT = "environment"  # HALO_CLIENT_SECRET
    KEYCHAIN = "keychain"  # the keychain entry the saved connection names
    CONNECTION_FILE = "connection file"  # the connection file holds it
    PROMPT = "prompt"  # typed at a hidden prompt
    NONE = "none"  # no secret: the connection signs with a private key


class SecretStoreKind(StrEnum):
    """Where a saved connection keeps its secret (connection file: secret.store)."""

    KEYCHAIN = "keychain"
    EMBEDDED = "embedded"
    NONE = "none"
