"""Nothing saved is lost or leaked, on the command line: real subprocesses, the simulated Halo
over TLS, and a real Secret Service (gnome-keyring). wizard/tasks/save.py says the rules."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import HaloFactory
from tests.core.test_secrets import secret_service  # noqa: F401  (a fixture)
from tests.test_cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, check_args, run_cli
from wizard.core.connection_file import ConnectionFile
from wizard.core.secrets import delete_at, is_own_account, load_at
from wizard.sim import SimulatedHalo

SCOPES = "read:tickets read:customers read:assets"


@pytest.fixture
def data_dir(tmp_path: Path) -> dict[str, str]:
    return {"HALO_WIZARD_DATA_DIR": str(tmp_path / "data")}


@pytest.fixture
def entries() -> Iterator[list[str]]:
    """Keychain accounts a test made, removed afterwards."""
    made: list[str] = []
    yield made
    for account in made:
        delete_at(account)


def profile_file(data_dir: dict[str, str], name: str) -> Path:
    return Path(data_dir["HALO_WIZARD_DATA_DIR"]) / "profiles" / f"{name}.json"


def save_profile(
    halo: SimulatedHalo, ca_bundle: str, name: str, data_dir: dict[str, str], *, secret: str
) -> tuple[int, str]:
    result = run_cli(
        *check_args(halo, ca_bundle, "--save-profile", name, scopes=SCOPES),
        secret=secret,
        **data_dir,
    )
    return result.returncode, result.stderr


def saved_file(halo: SimulatedHalo, ca_bundle: str, folder: Path) -> Path:
    """`check --save` of a healthy connection, keeping no secret: the file."""
    target = folder / "acme.json"
    saved = run_cli(
        *check_args(halo, ca_bundle, "--save", str(target), "--secret-store", "none"),
        secret=halo.client_secret,
    )
    assert saved.returncode == EXIT_OK, saved.stderr
    return target


def diagnose_profile(
    ca_bundle: str, name: str, data_dir: dict[str, str], **env: str
) -> tuple[int, dict, str]:
    result = run_cli(
        "diagnose", "--profile", name, "--ca-bundle", ca_bundle, "--timeout", "5", "--json",
        **data_dir, **env,
    )  # fmt: skip
    assert result.returncode in (EXIT_OK, EXIT_PROBLEMS), result.stdout + result.stderr
    return result.returncode, json.loads(result.stdout), result.stderr


@pytest.mark.usefixtures("secret_service")
def test_a_secret_halo_refused_never_replaces_another_profiles_secret(
    halo: SimulatedHalo, ca_bundle: str, data_dir: dict[str, str], entries: list[str]
) -> None:
    code, said = save_profile(halo, ca_bundle, "a", data_dir, secret=halo.client_secret)
    assert code == EXIT_OK, said
    account_a = ConnectionFile.load(profile_file(data_dir, "a")).secret.account
    assert account_a is not None and is_own_account(account_a)
    entries.append(account_a)
    # The same Client ID and host, a secret Halo refuses.
    wrong = secrets.token_urlsafe(30)
    code, said = save_profile(halo, ca_bundle, "b", data_dir, secret=wrong)
    assert code == EXIT_PROBLEMS
    assert "Halo did not accept the secret or key, so it was not kept" in said
    assert wrong not in said
    b = ConnectionFile.load(profile_file(data_dir, "b"))
    assert b.secret.store == "none"
    assert load_at(account_a) == halo.client_secret
    # Profile a still works, with its own secret, even with b's in the environment.
    code, data, said = diagnose_profile(ca_bundle, "a", data_dir, HALO_CLIENT_SECRET=wrong)
    assert code == EXIT_OK and data["secret_from"] == "keychain"
    assert "HALO_CLIENT_SECRET is set but was not used" in said


@pytest.mark.usefixtures("secret_service")
def test_deleting_a_profile_never_removes_an_entry_another_profile_uses(
    halo: SimulatedHalo, ca_bundle: str, data_dir: dict[str, str], entries: list[str]
) -> None:
    code, said = save_profile(halo, ca_bundle, "a", data_dir, secret=halo.client_secret)
    assert code == EXIT_OK, said
    account = ConnectionFile.load(profile_file(data_dir, "a")).secret.account
    assert account is not None
    entries.append(account)
    assert run_cli("profiles", "duplicate", "a", "copy", **data_dir).returncode == EXIT_OK
    # The question says what will happen, before anything happens.
    asked = run_cli("profiles", "delete", "copy", **data_dir)
    assert asked.returncode == EXIT_USAGE
    assert f'Its keychain entry "{account}" will be kept: another profile uses it.' in (
        asked.stderr
    )
    deleted = run_cli("profiles", "delete", "copy", "--yes", **data_dir)
    assert deleted.returncode == EXIT_OK, deleted.stderr
    assert "another profile uses it" in deleted.stdout
    assert load_at(account) == halo.client_secret
    code, data, _ = diagnose_profile(ca_bundle, "a", data_dir)
    assert data["secret_from"] == "keychain"
    assert code == EXIT_OK
    # The last profile that names it: the entry goes with it, as the question said.
    asked = run_cli("profiles", "delete", "a", **data_dir)
    assert "will be removed (made for it alone)" in asked.stderr
    deleted = run_cli("profiles", "delete", "a", "--yes", **data_dir)
    assert deleted.returncode == EXIT_OK and f'Removed its keychain entry "{account}"' in (
        deleted.stdout
    )
    assert load_at(account) is None


def test_a_damaged_profile_can_be_deleted(data_dir: dict[str, str]) -> None:
    damaged = profile_file(data_dir, "broken")
    damaged.parent.mkdir(parents=True)
    damaged.write_text('{"schema": "halo-connection", "schema_version": 1, "host": ', "utf-8")
    shown = run_cli("profiles", "show", "broken", **data_dir)
    assert shown.returncode == EXIT_USAGE and "cannot be opened" in shown.stderr
    deleted = run_cli("profiles", "delete", "broken", "--yes", **data_dir)
    assert deleted.returncode == EXIT_OK, deleted.stderr
    assert "the keychain entry it named (if any) is unknown" in deleted.stdout
    assert not damaged.exists()


def test_no_command_writes_over_a_file_it_reads(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    target = saved_file(halo, ca_bundle, tmp_path)
    before = target.read_bytes()
    for extra in ([], ["--force"]):
        result = run_cli(
            "diagnose", "--connection", str(target), "--report", str(target), *extra,
            secret=halo.client_secret,
        )  # fmt: skip
        assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
        assert "is a file this command reads; it is never written over" in result.stderr
        assert target.read_bytes() == before
    text = tmp_path / "form.txt"
    text.write_text(f"Host: {halo.url}\nClient ID: {halo.client_id}\n", "utf-8")
    result = run_cli(
        "diagnose", "--from-text", str(text), "--scopes", "read:tickets", "--report", str(text),
        "--force", secret=halo.client_secret,
    )  # fmt: skip
    assert result.returncode == EXIT_USAGE and "never written over" in result.stderr
    assert text.read_text("utf-8").startswith("Host:")


def test_the_private_key_is_never_replaced_by_a_connection_file(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    key = tmp_path / "halo-private-key.pem"
    key.write_text(halo.assertion_private_key, "ascii")
    result = run_cli(
        *check_args(halo, ca_bundle, "--private-key", str(key), "--save", str(key),
                    "--secret-store", "file", "--force"),
    )  # fmt: skip
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert "never written over" in result.stderr
    assert key.read_text("ascii") == halo.assertion_private_key
    assert not any(r.path.lower() == "/auth/token" for r in halo.requests), "refused first"


def test_an_existing_file_or_profile_is_replaced_only_with_force(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path, data_dir: dict[str, str]
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my own notes", "utf-8")
    args = check_args(halo, ca_bundle, "--save", str(notes), "--secret-store", "none")
    refused = run_cli(*args, secret=halo.client_secret)
    assert refused.returncode == EXIT_USAGE
    assert "already exists. Add --force to replace it" in refused.stderr
    assert notes.read_text("utf-8") == "my own notes"
    assert not any(r.path.lower() == "/auth/token" for r in halo.requests), "refused first"
    replaced = run_cli(*args, "--force", secret=halo.client_secret)
    assert replaced.returncode == EXIT_OK, replaced.stderr
    assert ConnectionFile.load(notes).host == halo.url
    save = ("--save-profile", "acme", "--secret-store", "none")
    first = run_cli(*check_args(halo, ca_bundle, *save), secret=halo.client_secret, **data_dir)
    assert first.returncode == EXIT_OK, first.stderr
    again = run_cli(*check_args(halo, ca_bundle, *save), secret=halo.client_secret, **data_dir)
    assert again.returncode == EXIT_USAGE
    assert 'there is already a profile "acme". Add --force' in again.stderr
    report = tmp_path / "report.html"
    report.write_text("an older report", "utf-8")
    diagnosed = run_cli(
        "diagnose", "--profile", "acme", "--ca-bundle", ca_bundle, "--report", str(report),
        secret=halo.client_secret, **data_dir,
    )  # fmt: skip
    assert diagnosed.returncode == EXIT_USAGE and "Add --force" in diagnosed.stderr
    assert report.read_text("utf-8") == "an older report"


def test_a_secret_kept_in_the_file_is_never_printed(
    halo: SimulatedHalo, ca_bundle: str, data_dir: dict[str, str]
) -> None:
    result = run_cli(
        *check_args(halo, ca_bundle, "--save-profile", "acme", "--secret-store", "file"),
        secret=halo.client_secret,
        **data_dir,
    )
    assert result.returncode == EXIT_OK, result.stderr
    assert halo.client_secret in profile_file(data_dir, "acme").read_text("utf-8")
    for extra in ([], ["--json"]):
        shown = run_cli("profiles", "show", "acme", *extra, **data_dir)
        assert shown.returncode == EXIT_OK, shown.stderr
        assert halo.client_secret not in shown.stdout + shown.stderr
    data = json.loads(run_cli("profiles", "show", "acme", "--json", **data_dir).stdout)
    assert data["secret"]["store"] == "embedded"
    code, diagnosed, said = diagnose_profile(ca_bundle, "acme", data_dir)
    assert code == EXIT_OK and diagnosed["secret_from"] == "connection file"
    assert halo.client_secret not in json.dumps(diagnosed) + said


def test_the_ca_bundle_a_connection_was_tested_with_is_used_again(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    target = saved_file(halo, ca_bundle, tmp_path)
    assert ConnectionFile.load(target).ca_bundle == str(Path(ca_bundle).resolve())
    # No --ca-bundle: the one it was tested with, not a new TLS problem.
    again = run_cli(
        "diagnose", "--connection", str(target), "--timeout", "5", "--json",
        secret=halo.client_secret,
    )  # fmt: skip
    assert again.returncode == EXIT_OK, again.stdout + again.stderr
    assert "Using the CA bundle the connection was tested with" in again.stderr
    assert json.loads(again.stdout)["changes"] == []


def test_diagnose_save_updates_the_connection_it_tested(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    target = saved_file(halo, ca_bundle, tmp_path)
    halo.scenario = "agent_no_permission"
    updated = run_cli("diagnose", "--connection", str(target), "--save", secret=halo.client_secret)
    assert updated.returncode == EXIT_PROBLEMS, updated.stderr
    assert f"Updated {target}" in updated.stderr
    last = ConnectionFile.load(target).last_result
    assert last is not None and not last.ok
    assert halo.client_secret not in target.read_text("utf-8")


def test_a_swapped_client_id_and_secret_are_named_and_neither_is_printed(
    halo: SimulatedHalo, tmp_path: Path
) -> None:
    secret = secrets.token_urlsafe(30)  # not shaped like Halo's own secrets
    text = tmp_path / "form.txt"
    text.write_text(
        f"Halo URL: {halo.url}\nClient ID: {secret}\nClient Secret: {halo.client_id}\n", "utf-8"
    )
    for extra in ([], ["--json"]):
        result = run_cli(
            "diagnose", "--from-text", str(text), "--scopes", "read:tickets", *extra,
            secret=secrets.token_hex(16),
        )  # fmt: skip
        assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
        said = result.stdout + result.stderr
        assert "The Client ID and the client secret look swapped" in said
        assert secret not in said and halo.client_id not in said
    assert halo.requests == [], "nothing was sent"
