"""Support mode on the command line, run as real subprocesses against the simulated Halo:
`check --save`, `diagnose` (with what changed since the last test) and `profiles`."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import pytest

from tests.conftest import HaloFactory
from tests.core.test_secrets import secret_service  # noqa: F401  (a fixture)
from tests.test_cli import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    check_args,
    issued_tokens,
    run_cli,
)
from wizard.core.connection_file import ConnectionFile
from wizard.sim import SimulatedHalo

SCOPES = "read:tickets read:customers read:assets"


@pytest.fixture
def data_dir(tmp_path: Path) -> dict[str, str]:
    """Profiles go into a folder of this test's own."""
    return {"HALO_WIZARD_DATA_DIR": str(tmp_path / "data")}


def save(halo: SimulatedHalo, ca_bundle: str, *where: str, **env: str) -> None:
    result = run_cli(
        *check_args(halo, ca_bundle, *where, "--secret-store", "none", scopes=SCOPES),
        secret=halo.client_secret,
        **env,
    )
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "Saved the connection to" in result.stderr


def diagnose(ca_bundle: str, *source: str, secret: str, **env: str) -> tuple[int, dict]:
    result = run_cli(
        "diagnose", *source, "--ca-bundle", ca_bundle, "--timeout", "5", "--json",
        secret=secret, **env,
    )  # fmt: skip
    assert result.returncode in (EXIT_OK, EXIT_PROBLEMS), result.stdout + result.stderr
    assert secret not in result.stdout + result.stderr
    return result.returncode, json.loads(result.stdout)


def test_check_save_writes_the_connection_file_the_wizard_writes(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    target = tmp_path / "acme.json"
    save(halo, ca_bundle, "--save", str(target))
    connection = ConnectionFile.load(target)
    assert connection.host == halo.url
    assert connection.client_id == halo.client_id
    assert connection.scopes == tuple(SCOPES.split())
    assert connection.secret.store == "none"
    assert connection.last_result is not None and connection.last_result.ok
    assert connection.identity.kind == "agent" and connection.identity.name == "Integration API"
    assert halo.client_secret not in target.read_text(encoding="utf-8")


def test_a_healthy_saved_connection_diagnosed_again_has_no_changes(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    target = tmp_path / "acme.json"
    save(halo, ca_bundle, "--save", str(target))
    before = len(halo.requests)
    code, data = diagnose(ca_bundle, "--connection", str(target), secret=halo.client_secret)
    assert code == EXIT_OK
    assert data["ok"] is True
    assert data["changes"] == []
    assert all(isinstance(step["seconds"], float) for step in data["steps"])
    assert data["last_tested_at"] == ConnectionFile.load(target).last_result.tested_at  # type: ignore[union-attr]
    assert "SAVED_TOKEN_URL_CHANGED" not in [f["code"] for f in data["findings"]]
    assert any(r.path.lower() == "/auth/token" for r in halo.requests[before:])


def test_a_secret_regenerated_since_saving_is_a_change_and_a_problem(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    target = tmp_path / "acme.json"
    save(halo, ca_bundle, "--save", str(target))
    halo.scenario = "wrong_secret"
    code, data = diagnose(ca_bundle, "--connection", str(target), secret=halo.client_secret)
    assert code == EXIT_PROBLEMS
    changes = {(c["what"], c["before"], c["now"]) for c in data["changes"]}
    assert ("result", "works", "has problems") in changes
    assert ("new finding", None, "INVALID_CLIENT") in changes


def test_an_agent_that_lost_access_to_one_area_names_that_scope(
    halo: SimulatedHalo, ca_bundle: str, data_dir: dict[str, str]
) -> None:
    save(halo, ca_bundle, "--save-profile", "acme", **data_dir)
    halo.scenario = "agent_no_permission"
    code, data = diagnose(ca_bundle, "--profile", "acme", secret=halo.client_secret, **data_dir)
    assert code == EXIT_PROBLEMS
    changed = {c["what"]: (c["before"], c["now"]) for c in data["changes"]}
    assert changed["read:tickets"] == ("records seen", "refused")
    assert changed["read:assets"] == ("records seen", "refused")
    assert "read:customers" not in changed


def test_the_readable_diagnosis_ends_with_what_changed(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    target = tmp_path / "acme.json"
    save(halo, ca_bundle, "--save", str(target))
    halo.scenario = "agent_no_permission"
    result = run_cli(
        "diagnose", "--connection", str(target), "--ca-bundle", ca_bundle,
        secret=halo.client_secret,
    )  # fmt: skip
    assert result.returncode == EXIT_PROBLEMS
    assert "What changed since the last test" in result.stdout
    assert "read:tickets: records seen → refused" in result.stdout


def test_diagnosing_pasted_form_values(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("healthy")
    text = tmp_path / "rewst.txt"
    host = halo.url.removeprefix("https://")
    text.write_text(
        f"Resource Server Hostname: {host}\nClient ID: {halo.client_id}\nTenant ID: acme\n"
        "Is On-Premise: No\n",
        encoding="utf-8",
    )
    code, data = diagnose(
        ca_bundle, "--from-text", str(text), "--scopes", "read:tickets", secret=halo.client_secret
    )
    assert code == EXIT_OK, data["findings"]
    assert data["last_tested_at"] is None and data["changes"] == []


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b'{"schema": "halo-connection", "schema_version": 1, "host": ', "not valid JSON"),
        (b'{"schema": "halo-connection", "schema_version": 99}', "newer"),
        (b'{"schema": "something-else"}', "not a Halo connection file"),
        (b"[" * 100_000 + b"]" * 100_000, ""),
        (b'{"schema": "halo-connection", "schema_version": 1, "host": 7}', "host"),
        (b"\xff\xfe\x00garbage", ""),
        (b'{"schema": "halo-connection", "pad": "' + b"x" * 2_000_000 + b'"}', "too large"),
        (b'{"schema": "halo-connection", "schema_version": 1, "scopes": {"a": 1}}', ""),
    ],
)
def test_a_damaged_or_foreign_file_exits_2_with_a_message_and_no_traceback(
    tmp_path: Path, content: bytes, says: str
) -> None:
    target = tmp_path / "broken.json"
    target.write_bytes(content)
    result = run_cli("diagnose", "--connection", str(target), secret=secrets.token_hex(16))
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert str(target) in result.stderr
    assert says.lower() in result.stderr.lower()


def test_profiles_list_show_rename_duplicate_delete(
    halo: SimulatedHalo, ca_bundle: str, data_dir: dict[str, str]
) -> None:
    save(halo, ca_bundle, "--save-profile", "acme", **data_dir)
    listed = run_cli("profiles", "list", "--json", **data_dir)
    assert json.loads(listed.stdout)[0]["name"] == "acme"
    assert json.loads(listed.stdout)[0]["ok"] is True
    shown = run_cli("profiles", "show", "acme", **data_dir)
    assert halo.url in shown.stdout and "works" in shown.stdout
    assert run_cli("profiles", "rename", "acme", "acme prod", **data_dir).returncode == EXIT_OK
    assert run_cli("profiles", "duplicate", "acme prod", "acme test", **data_dir).returncode == 0
    names = [
        p["name"] for p in json.loads(run_cli("profiles", "list", "--json", **data_dir).stdout)
    ]
    assert names == ["acme prod", "acme test"]
    refused = run_cli("profiles", "delete", "acme test", **data_dir)
    assert refused.returncode == EXIT_USAGE and "--yes" in refused.stderr
    deleted = run_cli("profiles", "delete", "acme test", "--yes", **data_dir)
    assert deleted.returncode == EXIT_OK, deleted.stderr
    missing = run_cli("profiles", "show", "acme test", **data_dir)
    assert missing.returncode == EXIT_USAGE and '"acme prod"' in missing.stderr


def test_a_profile_name_that_cannot_be_a_file_name_is_refused_before_the_test(
    halo: SimulatedHalo, ca_bundle: str, data_dir: dict[str, str]
) -> None:
    result = run_cli(
        *check_args(halo, ca_bundle, "--save-profile", "../escape"),
        secret=halo.client_secret,
        **data_dir,
    )
    assert result.returncode == EXIT_USAGE
    assert "cannot be a profile name" in result.stderr
    assert not any(r.path.lower() == "/auth/token" for r in halo.requests)


def test_diagnose_writes_a_support_report_that_holds_no_secret(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    target = tmp_path / "acme.json"
    save(halo, ca_bundle, "--save", str(target))
    halo.scenario = "agent_no_permission"
    page = tmp_path / "report.html"
    result = run_cli(
        "diagnose", "--connection", str(target), "--ca-bundle", ca_bundle, "--report", str(page),
        secret=halo.client_secret,
    )  # fmt: skip
    assert result.returncode == EXIT_PROBLEMS, result.stderr
    html = page.read_text(encoding="utf-8")
    assert "What changed since the last test" in html
    assert "Secret used: the one in HALO_CLIENT_SECRET" in html
    # Each step with its timing and outcome.
    assert "<th>Seconds</th>" in html
    assert "read:tickets" in html and "/api/Tickets" in html
    logs = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in Path(os.environ["HALO_WIZARD_LOG_DIR"]).rglob("*")
        if path.is_file()
    )
    assert "diagnose" in logs  # the run was logged, there
    for token in [halo.client_secret, *issued_tokens(halo)]:
        assert token not in html and token not in result.stdout + result.stderr
        assert token not in logs


def _entry_of(path: Path) -> str:
    """The keychain account a saved connection file names."""
    account = ConnectionFile.load(path).secret.account
    assert account is not None
    return account


@pytest.mark.usefixtures("secret_service")
def test_a_rotated_secret_replaces_the_keychain_entry_only_once_halo_accepts_it(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    from wizard.core.secrets import delete_at, load_at

    target = tmp_path / "acme.json"
    result = run_cli(
        *check_args(halo, ca_bundle, "--save", str(target), scopes=SCOPES),
        secret=halo.client_secret,
    )
    assert result.returncode == EXIT_OK, result.stderr
    account = _entry_of(target)
    try:
        assert load_at(account) == halo.client_secret
        halo.scenario = "wrong_secret"  # regenerated in Halo since it was saved
        # The keychain's (old) secret is refused.
        code, data = diagnose(ca_bundle, "--connection", str(target), secret=halo.client_secret)
        assert code == EXIT_PROBLEMS and "INVALID_CLIENT" in [f["code"] for f in data["findings"]]
        assert data["secret_from"] == "keychain"
        # A mistyped new secret is not accepted: the old one stays.
        code, data = diagnose(
            ca_bundle, "--connection", str(target), "--rotate-secret",
            secret=secrets.token_urlsafe(30),
        )  # fmt: skip
        assert code == EXIT_PROBLEMS and data["secret_rotated"] is False
        assert data["secret_from"] == "environment"
        assert load_at(account) == halo.client_secret
        # The secret Halo now holds is accepted and replaces it, in the same entry.
        new = halo.regenerated_secret
        code, data = diagnose(ca_bundle, "--connection", str(target), "--rotate-secret", secret=new)
        assert code == EXIT_OK and data["secret_rotated"] is True
        assert load_at(account) == new
        assert _entry_of(target) == account
    finally:
        delete_at(account)


def test_text_that_gives_no_address_exits_2_and_says_what_was_missing(tmp_path: Path) -> None:
    text = tmp_path / "form.txt"
    text.write_bytes(b"\x00\x01 Client Secret: " + secrets.token_hex(20).encode() + b"\n\xff")
    secret = secrets.token_hex(16)
    result = run_cli("diagnose", "--from-text", str(text), secret=secret)
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert "the Halo address and the Client ID" in result.stderr
    assert text.read_bytes()[17:57].decode() not in result.stderr  # the pasted secret
