"""One set of names for the same ideas, used by the connection file, the tasks, the command
line, the wizard's state and its pages: where a secret or key is kept, how a connection
proves who it is, and who it acts as. Their values are the connection file's own words."""

from __future__ import annotations

from enum import StrEnum


class SecretFrom(StrEnum):
    """Where the secret a test used came from (the JSON's "secret_from")."""

    STDIN = "stdin"  # --client-secret-stdin
    ENVIRONMENT = "environment"  # HALO_CLIENT_SECRET
    KEYCHAIN = "keychain"  # the keychain entry the saved connection names
    CONNECTION_FILE = "connection file"  # the connection file holds it
    PROMPT = "prompt"  # typed at a hidden prompt
    TYPED = "typed"  # typed in the window
    NONE = "none"  # no secret: the connection signs with a private key


class SecretStoreKind(StrEnum):
    """Where a saved connection keeps its secret (the connection file's secret.store)."""

    KEYCHAIN = "keychain"  # an entry of the computer's keychain, named in the file
    EMBEDDED = "embedded"  # the file itself (the admin chose this, and was warned)
    NONE = "none"  # nowhere: given again at each test


class KeyStore(StrEnum):
    """Where a JWT-assertion connection keeps its private key (assertion.private_key.store)."""

    KEYCHAIN = "keychain"  # an entry of the computer's keychain, named in the file
    FILE = "file"  # a key file readable by its owner alone, named in the file
    NONE = "none"  # not recorded


class AuthMethod(StrEnum):
    """How a connection proves who it is (the connection file's auth_method)."""

    SECRET = "client_secret"  # Client ID and Secret (Services): the tool sends a secret
    ASSERTION = "jwt_assertion"  # JWT Assertion (Services): a signed assertion instead


class IdentityKind(StrEnum):
    """Who a connection acts as (identity.kind in the file and in the JSON)."""

    AGENT = "agent"  # a dedicated API-only agent
    APPLICATION = "application"  # the application identity (Halo 2.234 and later)
