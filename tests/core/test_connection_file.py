"""The exported connection file and its environment variables, from real checks of the simulator."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import HaloFactory, check
from wizard.core import CheckReport
from wizard.core.connection_file import (
    SCHEMA_VERSION,
    ExportError,
    build_connection,
    environment_variables,
    read_connection_file,
    write_connection_file,
)
from wizard.core.secrets import SERVICE, account_for
from wizard.sim import SimulatedHalo

SCOPES = ["read:tickets", "read:customers", "read:assets"]
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX feature")


def checked(
    start_halo: HaloFactory, ca_bundle: str, scenario: str = "healthy"
) -> tuple[SimulatedHalo, CheckReport]:
    """A check of a simulated Halo in `scenario`, as the admin would have run it."""
    halo = start_halo(scenario)
    return halo, check(halo, ca_bundle)


def test_round_trip_of_a_healthy_connection(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo, report = checked(start_halo, ca_bundle)
    data = build_connection(
        report,
        client_id=halo.client_id,
        identity_kind="agent",
        scopes=SCOPES,
        secret=None,
        secret_in_keychain=True,
    )
    path = tmp_path / "acme.halo.json"
    write_connection_file(path, data)
    assert read_connection_file(path) == data

    assert data["schema"] == "halo-connection"
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["host"] == halo.url
    assert data["tenant"] == "acme"
    assert data["token_url"] == report.token_url and data["auth_url"] == report.auth_url
    assert data["client_id"] == halo.client_id
    assert data["scopes"] == SCOPES
    assert data["identity"] == {"kind": "agent", "name": "Integration API", "id": 42}
    assert data["product"] == report.product and data["version"] == report.version
    assert data["tested_at"] == report.started_at
    assert data["test"] == {"ok": True, "errors": [], "warnings": []}
    assert data["secret"] == {
        "store": "keychain",
        "service": SERVICE,
        "account": account_for(halo.url, halo.client_id),
    }
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "schema"')


def test_failed_check_and_on_premise_are_recorded(start_halo: HaloFactory, ca_bundle: str) -> None:
    halo, report = checked(start_halo, ca_bundle, "wrong_secret")
    data = build_connection(
        report,
        client_id=halo.client_id,
        identity_kind=None,
        scopes="read:tickets read:assets",
        secret=None,
        secret_in_keychain=False,
        tested_at="2025-01-02T03:04:05+00:00",
    )
    assert data["test"]["ok"] is False
    assert data["test"]["errors"] == ["INVALID_CLIENT"]
    assert data["tested_at"] == "2025-01-02T03:04:05+00:00"
    assert data["scopes"] == ["read:tickets", "read:assets"]
    assert data["identity"] == {"kind": None, "name": None, "id": None}
    assert data["secret"] == {"store": "none"}

    halo, report = checked(start_halo, ca_bundle, "on_premise")
    data = build_connection(
        report,
        client_id=halo.client_id,
        identity_kind=None,
        scopes=SCOPES,
        secret=None,
        secret_in_keychain=False,
    )
    assert data["tenant"] is None
    assert data["identity"]["kind"] == "agent"  # what the check saw, when not told
    assert "export HALO_TENANT=''\n" in environment_variables(data)


@pytest.mark.parametrize("store", ["keychain", "none", "embedded"])
def test_the_secret_is_in_the_file_only_when_embedding_was_chosen(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path, store: str
) -> None:
    halo, report = checked(start_halo, ca_bundle)
    data = build_connection(
        report,
        client_id=halo.client_id,
        identity_kind="agent",
        scopes=SCOPES,
        secret=halo.client_secret if store == "embedded" else None,
        secret_in_keychain=store == "keychain",
    )
    path = tmp_path / "connection.json"
    write_connection_file(path, data)
    raw = path.read_bytes()
    assert data["secret"]["store"] == store
    if store == "embedded":
        assert halo.client_secret.encode() in raw
        assert read_connection_file(path)["secret"]["value"] == halo.client_secret
    else:
        assert halo.client_secret.encode() not in raw


def test_embedding_and_keychain_together_is_refused(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo, report = checked(start_halo, ca_bundle)
    with pytest.raises(ValueError, match="not both"):
        build_connection(
            report,
            client_id=halo.client_id,
            identity_kind="agent",
            scopes=SCOPES,
            secret=halo.client_secret,
            secret_in_keychain=True,
        )


def sample(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "schema": "halo-connection",
        "schema_version": 1,
        "host": "https://acme.halopsa.com",
        "auth_url": "https://acme.halopsa.com/auth",
        "token_url": "https://acme.halopsa.com/auth/token?tenant=acme",
        "tenant": "acme",
        "client_id": str(uuid.uuid4()),
        "scopes": ["read:tickets", "read:assets"],
        "identity": {"kind": "agent", "name": "Integration API", "id": 42},
        "product": "Halo PSA",
        "version": "2.236.133",
        "tested_at": "2025-01-02T03:04:05+00:00",
        "test": {"ok": True, "errors": [], "warnings": []},
        "secret": {"store": "none"},
    }
    data.update(changes)
    return data


@posix_only
def test_file_is_readable_only_by_the_user(tmp_path: Path) -> None:
    path = tmp_path / "connection.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    old_umask = os.umask(0)  # the mode must not depend on a careful umask
    try:
        write_connection_file(path, sample(secret={"store": "embedded", "value": "x"}))
        fresh = tmp_path / "fresh.json"
        write_connection_file(str(fresh), sample())
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


def test_writing_over_a_file_replaces_it_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "connection.json"
    path.write_text('{"old": true}\n', encoding="utf-8")
    first = sample(tenant="first")
    write_connection_file(path, first)
    second = sample(tenant="sëcond ü")
    write_connection_file(path, second)
    assert read_connection_file(path) == second
    assert "sëcond ü" in path.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["connection.json"]


def test_data_that_is_not_json_fails_before_touching_the_disk(tmp_path: Path) -> None:
    path = tmp_path / "connection.json"
    path.write_text("kept", encoding="utf-8")
    with pytest.raises(TypeError):
        write_connection_file(path, sample(tenant=object()))
    assert path.read_text(encoding="utf-8") == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["connection.json"]


def test_missing_folder_is_named_and_nothing_is_left_behind(tmp_path: Path) -> None:
    folder = tmp_path / "no such folder"
    with pytest.raises(ExportError) as caught:
        write_connection_file(folder / "connection.json", sample())
    assert str(folder) in str(caught.value)
    assert "does not exist" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_folder_without_write_permission(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="not allowed to write"):
            write_connection_file(folder / "connection.json", sample())
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (json.dumps(sample(schema="something-else")), "not a Halo connection file"),
        (json.dumps({"name": "a list of tickets"}), "not a Halo connection file"),
        (json.dumps(sample(schema_version=2)), "newer version of the wizard"),
        (json.dumps(sample(schema_version=True)), "schema version True is not valid"),
        (json.dumps(sample(schema_version="1")), "schema version '1' is not valid"),
        ('{"schema": "halo-connection", ', "not valid JSON"),
        (json.dumps([1, 2]), "not a Halo connection file"),
        (json.dumps(sample(host=None)), "'host' entry is missing"),
        (json.dumps(sample(secret={"store": "somewhere"})), "where the secret is kept"),
    ],
)
def test_read_rejects_other_files_plainly(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "from-customer.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ExportError, match=message) as caught:
        read_connection_file(path)
    assert str(path) in str(caught.value)


def test_read_of_a_missing_or_binary_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="There is no file"):
        read_connection_file(tmp_path / "absent.json")
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(ExportError, match="not text"):
        read_connection_file(binary)


AWKWARD = 'it\'s a "quoted" value & $HOME `id` %PATH% \u2018smart\u2019'


def test_posix_values_survive_a_real_shell() -> None:
    sh = shutil.which("sh")
    if sh is None or sys.platform == "win32":
        pytest.skip("no POSIX shell here")
    secret = f"{uuid.uuid4()}-'quote'"
    data = sample(tenant=AWKWARD, secret={"store": "embedded", "value": secret})
    text = environment_variables(data, include_secret=True, shell="posix")
    names = ["HALO_HOST", "HALO_TENANT", "HALO_SCOPES", "HALO_CLIENT_SECRET", "HALO_AUTH_URL"]
    script = text + "".join(f'printf "%s\\0" "${name}"\n' for name in names)
    done = subprocess.run(
        [sh, "-c", script], capture_output=True, check=True, env={"PATH": os.defpath}
    )
    values = done.stdout.decode().split("\0")[:-1]
    assert values == [
        data["host"],
        AWKWARD,
        "read:tickets read:assets",
        secret,
        data["auth_url"],
    ]


def test_posix_quoting() -> None:
    text = environment_variables(sample(tenant="it's here"))
    assert "export HALO_TENANT='it'\\''s here'\n" in text
    assert text.startswith("export HALO_HOST='https://acme.halopsa.com'\n")


def test_powershell_quoting() -> None:
    text = environment_variables(sample(tenant=AWKWARD), shell="powershell")
    # PowerShell also ends a '...' string at typographic quotes, so those are doubled too.
    expected = "it''s a \"quoted\" value & $HOME `id` %PATH% \u2018\u2018smart\u2019\u2019"
    assert f"$env:HALO_TENANT = '{expected}'\n" in text
    assert "$env:HALO_SCOPES = 'read:tickets read:assets'\n" in text


def test_cmd_quoting() -> None:
    text = environment_variables(sample(tenant="it's a & b | <c> ^d"), shell="cmd")
    assert 'set "HALO_TENANT=it\'s a & b | <c> ^d"\n' in text
    assert 'set "HALO_CLIENT_ID=' in text
    # cmd cannot be handed these safely inside "...": refused, naming the variable only.
    for awkward in ('say "hi"', "100%", "wow!"):
        with pytest.raises(ValueError, match="HALO_TENANT") as caught:
            environment_variables(sample(tenant=awkward), shell="cmd")
        assert awkward not in str(caught.value)


@pytest.mark.parametrize("shell", ["posix", "powershell", "cmd"])
def test_no_secret_unless_asked(shell: str) -> None:
    secret = str(uuid.uuid4())
    embedded = sample(secret={"store": "embedded", "value": secret})
    text = environment_variables(embedded, shell=shell)
    assert secret not in text
    assert "HALO_CLIENT_SECRET" in text.splitlines()[-1]
    assert text.splitlines()[-1].startswith("REM " if shell == "cmd" else "# ")
    assert secret in environment_variables(embedded, include_secret=True, shell=shell)

    account = account_for("https://acme.halopsa.com", embedded["client_id"])
    in_keychain = sample(secret={"store": "keychain", "service": SERVICE, "account": account})
    text = environment_variables(in_keychain, shell=shell)
    assert account in text.splitlines()[-1] and SERVICE in text.splitlines()[-1]
    with pytest.raises(ValueError, match="does not contain the secret"):
        environment_variables(in_keychain, include_secret=True, shell=shell)


def test_line_breaks_cannot_smuggle_commands() -> None:
    with pytest.raises(ValueError, match="HALO_TENANT"):
        environment_variables(sample(tenant="acme\nrm -rf ~"))
    hostile = sample(secret={"store": "keychain", "service": SERVICE, "account": "x\nrm -rf ~"})
    text = environment_variables(hostile)
    assert len(text.splitlines()) == 7
    assert text.splitlines()[-1].startswith("# ")
    with pytest.raises(ValueError, match="Unknown shell"):
        environment_variables(sample(), shell="fish")
