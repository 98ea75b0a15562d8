"""The connection file: what a real check of the simulator records, how it survives a crash
or a full disk, what a damaged or hostile file gives, and its environment variables."""

from __future__ import annotations

import dataclasses
import errno
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import HaloFactory, check
from wizard.core import CheckReport, ScopeStatus, Severity
from wizard.core.connection_file import (
    SCHEMA_VERSION,
    AssertionEntry,
    ConnectionFile,
    ConnectionFileError,
    ExportError,
    LastResult,
    RecordedFinding,
    RecordedIdentity,
    RecordedScope,
    SecretEntry,
    environment_variables,
)
from wizard.core.secrets import SERVICE, account_for
from wizard.sim import SimulatedHalo

REPO = Path(__file__).resolve().parent.parent.parent
SCOPES = ["read:tickets", "read:customers", "read:assets"]
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are a POSIX feature")


def checked(
    start_halo: HaloFactory, ca_bundle: str, scenario: str = "healthy"
) -> tuple[SimulatedHalo, CheckReport]:
    """A check of a simulated Halo in `scenario`, as the admin would have run it."""
    halo = start_halo(scenario)
    return halo, check(halo, ca_bundle)


def exported(halo: SimulatedHalo, report: CheckReport, **changes: Any) -> ConnectionFile:
    fields: dict[str, Any] = {
        "client_id": halo.client_id,
        "identity_kind": "agent",
        "scopes": SCOPES,
        "secret": None,
        "secret_in_keychain": True,
    }
    fields.update(changes)
    return ConnectionFile.from_report(report, **fields)


# ----- what a real check records -----


def test_round_trip_of_a_healthy_connection(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo, report = checked(start_halo, ca_bundle)
    connection = exported(halo, report)
    path = tmp_path / "acme.halo.json"
    connection.save(path)
    assert ConnectionFile.load(path) == connection

    data = json.loads(path.read_text(encoding="utf-8"))
    # The keys tools read since the first version, with the values they always had.
    assert data["schema"] == "halo-connection"
    assert data["schema_version"] == SCHEMA_VERSION == 1
    assert data["host"] == halo.url
    assert data["tenant"] == "acme"
    assert data["token_url"] == report.token_url and data["auth_url"] == report.auth_url
    assert data["client_id"] == halo.client_id
    assert data["scopes"] == SCOPES
    assert data["identity"] == {
        "kind": "agent",
        "name": "Integration API",
        "id": 42,
        "api_only": True,
    }
    assert data["product"] == report.product and data["version"] == report.version
    assert data["tested_at"] == report.started_at
    assert data["test"] == {"ok": True, "errors": [], "warnings": []}
    assert data["secret"] == {
        "store": "keychain",
        "service": SERVICE,
        "account": account_for(halo.url, halo.client_id),
    }
    # And the whole result, finding by finding and scope by scope.
    result = data["last_result"]
    assert result["ok"] is True and result["tested_at"] == report.started_at
    assert result["tenant"] == "acme" and result["auth_url"] == report.auth_url
    assert result["identity"] == data["identity"]
    assert result["findings"] == [
        {"code": f.code, "severity": str(f.severity), "scope": f.scope} for f in report.findings
    ]
    assert result["scopes"] == [
        {"scope": s.scope, "status": str(s.status), "records": s.records} for s in report.scopes
    ]
    assert all(s["records"] > 0 for s in result["scopes"])
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "schema"')


def test_the_last_result_compares_finding_by_finding_with_a_new_check(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo, report = checked(start_halo, ca_bundle, "agent_no_permission")
    path = tmp_path / "connection.json"
    exported(halo, report).save(path)
    recorded = ConnectionFile.load(path).last_result
    assert recorded is not None and recorded.complete and recorded.ok is False
    assert recorded == LastResult.from_report(report)
    denied = [f for f in recorded.findings if f.code == "PERMISSION_DENIED"]
    assert [(f.severity, f.scope) for f in denied] == [
        (Severity.ERROR, "read:tickets"),
        (Severity.ERROR, "read:assets"),
    ]
    assert {f.key for f in recorded.findings} == {f.key for f in report.findings}
    assert {s.scope: s.status for s in recorded.scopes} == {
        "read:tickets": ScopeStatus.DENIED,
        "read:customers": ScopeStatus.OK,
        "read:assets": ScopeStatus.DENIED,
    }
    assert [s.record_count for s in recorded.scopes if s.status is ScopeStatus.DENIED] == [
        None,
        None,
    ]
    assert recorded.identity == RecordedIdentity("agent", "Integration API", 42, True)

    # The same connection once the agent was given its permissions: what changed is the
    # two findings that went away.
    halo.scenario = "healthy"
    now = LastResult.from_report(check(halo, ca_bundle))
    gone = {f.key for f in recorded.findings} - {f.key for f in now.findings}
    assert gone == {("PERMISSION_DENIED", "read:tickets"), ("PERMISSION_DENIED", "read:assets")}


def test_failed_check_and_on_premise_are_recorded(start_halo: HaloFactory, ca_bundle: str) -> None:
    halo, report = checked(start_halo, ca_bundle, "wrong_secret")
    connection = exported(
        halo,
        report,
        identity_kind=None,
        scopes="read:tickets read:assets",
        secret_in_keychain=False,
        tested_at="2025-01-02T03:04:05+00:00",
    )
    data = connection.to_dict()
    assert data["test"]["ok"] is False
    assert data["test"]["errors"] == ["INVALID_CLIENT"]
    assert data["tested_at"] == data["last_result"]["tested_at"] == "2025-01-02T03:04:05+00:00"
    assert data["scopes"] == ["read:tickets", "read:assets"]
    assert data["identity"] == {"kind": None, "name": None, "id": None, "api_only": None}
    assert data["last_result"]["identity"] is None and data["last_result"]["scopes"] == []
    assert data["secret"] == {"store": "none"}

    halo, report = checked(start_halo, ca_bundle, "on_premise")
    connection = exported(halo, report, identity_kind=None, secret_in_keychain=False)
    assert connection.tenant is None
    assert connection.identity.kind == "agent"  # what the check saw, when not told
    assert "export HALO_TENANT=''\n" in environment_variables(connection)


@pytest.mark.parametrize("store", ["keychain", "none", "embedded"])
def test_the_secret_is_in_the_file_only_when_embedding_was_chosen(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path, store: str
) -> None:
    halo, report = checked(start_halo, ca_bundle)
    connection = exported(
        halo,
        report,
        secret=halo.client_secret if store == "embedded" else None,
        secret_in_keychain=store == "keychain",
    )
    path = tmp_path / "connection.json"
    connection.save(path)
    raw = path.read_bytes()
    assert connection.secret.store == store
    assert halo.client_secret not in repr(connection)
    if store == "embedded":
        assert halo.client_secret.encode() in raw
        assert ConnectionFile.load(path).secret.value == halo.client_secret
    else:
        assert halo.client_secret.encode() not in raw


def test_embedding_and_keychain_together_is_refused(
    start_halo: HaloFactory, ca_bundle: str
) -> None:
    halo, report = checked(start_halo, ca_bundle)
    with pytest.raises(ValueError, match="not both"):
        exported(halo, report, secret=halo.client_secret, secret_in_keychain=True)


def test_characters_that_are_not_text_are_refused_before_touching_the_disk(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    # A hostile server can send a tenant such as "\ud800" in its JSON.
    halo, report = checked(start_halo, ca_bundle)
    report.tenant = "acme\ud800"
    path = tmp_path / "connection.json"
    path.write_text("kept", encoding="utf-8")
    with pytest.raises(ExportError, match="not valid text"):
        exported(halo, report).save(path)
    assert path.read_text(encoding="utf-8") == "kept"
    assert [p.name for p in tmp_path.iterdir()] == ["connection.json"]


# ----- files of version 1 as the first wizard wrote them -----

FIRST_VERSION_FILE = """\
{
  "schema": "halo-connection",
  "schema_version": 1,
  "host": "https://acme.halopsa.com",
  "auth_url": "https://acme.halopsa.com/auth",
  "token_url": "https://acme.halopsa.com/auth/token?tenant=acme",
  "tenant": "acme",
  "client_id": "6f1c0c0e-8a4e-4d53-9a55-1b0d1e1f2a3b",
  "scopes": [
    "read:tickets",
    "read:assets"
  ],
  "identity": {
    "kind": "agent",
    "name": "Integration API",
    "id": 42
  },
  "product": "Halo PSA",
  "version": "2.236.133",
  "tested_at": "2025-01-02T03:04:05+00:00",
  "test": {
    "ok": false,
    "errors": [
      "PERMISSION_DENIED"
    ],
    "warnings": [
      "NO_RECORDS_VISIBLE"
    ]
  },
  "secret": {
    "store": "keychain",
    "service": "Halo connection wizard",
    "account": "6f1c0c0e-8a4e-4d53-9a55-1b0d1e1f2a3b@acme.halopsa.com"
  }
}
"""


def test_a_file_of_the_first_version_opens_with_what_it_recorded(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(FIRST_VERSION_FILE, encoding="utf-8")
    connection = ConnectionFile.load(path)
    assert connection.schema_version == 1
    assert connection.host == "https://acme.halopsa.com" and connection.tenant == "acme"
    assert connection.scopes == ("read:tickets", "read:assets")
    assert connection.identity == RecordedIdentity("agent", "Integration API", 42, None)
    assert connection.secret == SecretEntry(
        "keychain", SERVICE, "6f1c0c0e-8a4e-4d53-9a55-1b0d1e1f2a3b@acme.halopsa.com"
    )
    result = connection.last_result
    assert result is not None and not result.complete and result.ok is False
    assert result.findings == (
        RecordedFinding("PERMISSION_DENIED", Severity.ERROR),
        RecordedFinding("NO_RECORDS_VISIBLE", Severity.WARNING),
    )
    assert result.scopes == ()
    assert (result.product, result.version, result.tested_at) == (
        "Halo PSA",
        "2.236.133",
        "2025-01-02T03:04:05+00:00",
    )
    # Saved again, it keeps what it said and claims no more than it knew.
    connection.save(path)
    again = json.loads(path.read_text(encoding="utf-8"))
    first = json.loads(FIRST_VERSION_FILE)
    assert "last_result" not in again
    assert {k: v for k, v in again.items() if k != "identity"} == {
        k: v for k, v in first.items() if k != "identity"
    }
    assert again["identity"] == {**first["identity"], "api_only": None}
    assert ConnectionFile.load(path) == connection


def test_a_first_version_file_without_a_test_or_identity_still_opens(tmp_path: Path) -> None:
    data = json.loads(FIRST_VERSION_FILE)
    for key in ("test", "identity", "product", "version", "tested_at", "auth_url"):
        del data[key]
    data["secret"] = {"store": "keychain"}
    connection = ConnectionFile.from_dict(data)
    assert connection.to_dict()["secret"] == {"store": "keychain"}
    assert connection.last_result is None and connection.identity == RecordedIdentity()
    assert connection.auth_url is None and connection.secret.account is None
    assert "keychain" in environment_variables(connection).splitlines()[-1]


# ----- writing -----


def sample(**changes: Any) -> ConnectionFile:
    """A connection file with every field filled, some with awkward text."""
    connection = ConnectionFile(
        host="https://acme.halopsa.com",
        client_id=str(uuid.uuid4()),
        scopes=("read:tickets", "read:assets"),
        secret=SecretEntry("none"),
        auth_url="https://acme.halopsa.com/auth",
        token_url="https://acme.halopsa.com/auth/token?tenant=acme",
        tenant="acme",
        identity=RecordedIdentity("agent", "Integration API", 42, True),
        last_result=LastResult(
            ok=False,
            tested_at="2025-01-02T03:04:05+00:00",
            product="Halo PSA",
            version="2.236.133",
            tenant="acme",
            auth_url="https://acme.halopsa.com/auth",
            identity=RecordedIdentity("agent", "Integration API", 42, True),
            findings=(
                RecordedFinding("TENANT_DETECTED", Severity.INFO),
                RecordedFinding("PERMISSION_DENIED", Severity.ERROR, "read:assets"),
                RecordedFinding("NO_RECORDS_VISIBLE", Severity.WARNING, "read:tickets"),
            ),
            scopes=(
                RecordedScope("read:tickets", ScopeStatus.EMPTY, 0),
                RecordedScope("read:assets", ScopeStatus.DENIED),
            ),
        ),
    )
    return dataclasses.replace(connection, **changes)


def test_a_full_sample_round_trips_through_its_bytes() -> None:
    connection = sample(tenant="sëcond ü", secret=SecretEntry.embedded("s3cr\u00e9t"))
    assert ConnectionFile.from_bytes(connection.to_json()) == connection
    data = connection.to_dict()
    assert data["test"] == {
        "ok": False,
        "errors": ["PERMISSION_DENIED"],
        "warnings": ["NO_RECORDS_VISIBLE"],
    }


@posix_only
def test_file_is_readable_only_by_the_user(tmp_path: Path) -> None:
    path = tmp_path / "connection.json"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o644)
    fresh = tmp_path / "fresh.json"
    for umask in (0, 0o277):  # the mode must not depend on the umask, careless or strict
        old_umask = os.umask(umask)
        try:
            sample(secret=SecretEntry.embedded("x")).save(path)
            sample().save(str(fresh))
        finally:
            os.umask(old_umask)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


def test_writing_over_a_file_replaces_it_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "connection.json"
    path.write_text('{"old": true}\n', encoding="utf-8")
    sample(tenant="first").save(path)
    second = sample(tenant="sëcond ü")
    second.save(path)
    assert ConnectionFile.load(path) == second
    assert "sëcond ü" in path.read_text(encoding="utf-8")  # UTF-8, not \u escapes
    assert sorted(p.name for p in tmp_path.iterdir()) == ["connection.json"]


def test_missing_folder_is_named_and_nothing_is_left_behind(tmp_path: Path) -> None:
    folder = tmp_path / "no such folder"
    with pytest.raises(ExportError) as caught:
        sample().save(folder / "connection.json")
    assert str(folder) in str(caught.value)
    assert "does not exist" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_very_long_file_name_still_saves(tmp_path: Path) -> None:
    # The temporary file's name is longer than the file's own; it must still fit.
    path = tmp_path / ("h" * 240 + ".json")
    connection = sample()
    connection.save(path)
    assert ConnectionFile.load(path) == connection
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


@posix_only
@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write anywhere")
def test_folder_without_write_permission(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ExportError, match="not allowed to write"):
            sample().save(folder / "connection.json")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


# ----- atomic writes: a full disk, a killed process, any failing step -----

# Run in a child process: save the file `previous`, then try to save the file `bigger` over
# it (both outside the child's tmpfs, so visible to the child and the parent). Prints what
# the folder then holds, as JSON, so the parent (outside the child's mount) can judge.
FULL_DISK_CHILD = textwrap.dedent(
    """
    import errno, json, os, sys
    from wizard.core.connection_file import ConnectionFile, ExportError
    folder, previous, bigger, free = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    path = os.path.join(folder, "connection.json")
    ConnectionFile.load(previous).save(path)
    filler = os.open(os.path.join(folder, "filler"), os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(filler, b"\\0" * 65536)
    except OSError as exc:
        assert exc.errno == errno.ENOSPC, exc
    # Give back `free` bytes, so that the new file is cut off part way through.
    os.ftruncate(filler, max(0, os.fstat(filler).st_size - free))
    os.close(filler)
    try:
        ConnectionFile.load(bigger).save(path)
        error = None
    except ExportError as exc:
        error = str(exc)
    print(json.dumps({
        "error": error,
        "content": open(path, encoding="utf-8").read(),
        "loaded": ConnectionFile.load(path).tenant,
        "names": sorted(os.listdir(folder)),
    }))
    """
)


def _namespaces_work() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None or sys.platform != "linux":
        return False
    done = subprocess.run([unshare, "-rm", "true"], capture_output=True, timeout=30)
    return done.returncode == 0


def big_sample(tenant: str) -> ConnectionFile:
    """A connection file of about 100 KB: many findings, as a badly broken setup gives."""
    base = sample(tenant=tenant)
    assert base.last_result is not None
    findings = tuple(
        RecordedFinding("PERMISSION_DENIED", Severity.ERROR, f"read:area{n}") for n in range(1500)
    )
    return dataclasses.replace(
        base, last_result=dataclasses.replace(base.last_result, findings=findings)
    )


@pytest.mark.skipif(not _namespaces_work(), reason="needs Linux user namespaces to mount a tmpfs")
@pytest.mark.parametrize("free", [0, 12 * 1024], ids=["full", "fills-part-way"])
def test_a_full_disk_leaves_the_previous_file_whole(tmp_path: Path, free: int) -> None:
    # A real file system that fills: a 1 MB tmpfs, mounted in a mount namespace of the child
    # process (no root needed), filled to the last byte, or to 12 KB before the end.
    disk = tmp_path / "disk"
    disk.mkdir()
    previous = sample(tenant="previous").to_json().decode()
    (tmp_path / "previous.json").write_text(previous, encoding="utf-8")
    bigger = big_sample("bigger")
    bigger.save(tmp_path / "bigger.json")
    assert len(bigger.to_json()) > 8 * free
    script = 'mount -t tmpfs -o size=1m tmpfs "$1" || exit 77; shift; exec "$@"'
    done = subprocess.run(
        [
            *("unshare", "-rm", "sh", "-c", script, "sh", str(disk)),
            *(sys.executable, "-c", FULL_DISK_CHILD, str(disk)),
            *(str(tmp_path / "previous.json"), str(tmp_path / "bigger.json"), str(free)),
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode == 77:
        pytest.skip(f"tmpfs cannot be mounted here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["error"] is not None and "is full" in seen["error"]
    assert seen["content"] == previous
    assert seen["loaded"] == "previous"
    assert seen["names"] == ["connection.json", "filler"]


# Run in a child process: save the file `new` over `path`, stopping for good at `point` (the
# parent kills it there). `mid-write` writes half the content first, as a short write does.
KILLED_CHILD = textwrap.dedent(
    """
    import os, sys
    from wizard.core.connection_file import ConnectionFile
    path, point, new = sys.argv[1], sys.argv[2], ConnectionFile.load(sys.argv[3])
    real_write, real_fsync, real_replace = os.write, os.fsync, os.replace
    calls = {"write": 0, "fsync": 0}

    def stop_here():
        sys.stdout.write("stopped\\n")
        sys.stdout.flush()
        sys.stdin.read()  # blocks until the parent kills this process
        raise SystemExit("the parent should have killed this process")

    def write(fd, data):
        calls["write"] += 1
        if point == "before-write":
            stop_here()
        if point == "mid-write":
            if calls["write"] == 1:
                return real_write(fd, data[: len(data) // 2])
            stop_here()
        return real_write(fd, data)

    def fsync(fd):
        calls["fsync"] += 1
        if (point, calls["fsync"]) in (("before-sync", 1), ("after-rename", 2)):
            stop_here()
        return real_fsync(fd)

    def replace(source, target):
        if point == "before-rename":
            stop_here()
        return real_replace(source, target)

    os.write, os.fsync, os.replace = write, fsync, replace
    new.save(path)
    """
)

TEMP_NAME = re.compile(r"^\.connection\.json\.[a-z0-9_]{8}\.tmp$")


@pytest.mark.parametrize(
    "point", ["before-write", "mid-write", "before-sync", "before-rename", "after-rename"]
)
def test_a_save_killed_at_any_point_leaves_a_whole_file(tmp_path: Path, point: str) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    path = folder / "connection.json"
    previous = sample(tenant="previous")
    previous.save(path)
    before = path.read_bytes()
    new = big_sample("new")
    new.save(tmp_path / "new.json")
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_CHILD, str(path), point, str(tmp_path / "new.json")],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"stopped\n", child.stderr.read() if child.stderr else ""
        child.kill()  # SIGKILL: no clean-up code of the child runs
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
        child.communicate(timeout=30)
    assert child.returncode != 0

    if point == "after-rename":
        assert ConnectionFile.load(path) == new
    else:
        assert path.read_bytes() == before
        assert ConnectionFile.load(path) == previous
    left = [p.name for p in folder.iterdir() if p.name != "connection.json"]
    # Before the rename the killed save leaves its temporary file; nothing reads it.
    assert len(left) == (0 if point == "after-rename" else 1)
    assert all(TEMP_NAME.match(name) for name in left)

    # The next save works and leaves that recent file alone (another save might be
    # writing it); once it is an hour old, a save removes it.
    sample(tenant="third").save(path)
    assert ConnectionFile.load(path).tenant == "third"
    assert [p.name for p in folder.iterdir() if p.name != "connection.json"] == left
    long_ago = time.time() - 2 * 3600
    for name in left:
        os.utime(folder / name, (long_ago, long_ago))
    unrelated = folder / ".connection.json.notes.tmp"
    unrelated.write_text("the admin's own file", encoding="utf-8")
    os.utime(unrelated, (long_ago, long_ago))
    sample(tenant="fourth").save(path)
    assert sorted(p.name for p in folder.iterdir()) == [
        ".connection.json.notes.tmp",
        "connection.json",
    ]


def _fails(exc: BaseException) -> Callable[..., Any]:
    """A stand-in for an os function that raises `exc`."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return fail


# A real disk fails at these steps too, but no test can make it do so on demand: fsync
# failing (an I/O error, or a network disk full only at the flush), the rename refused (a
# Windows program holding the file open) and the temporary file that cannot be created.
FAULTS: dict[str, tuple[str, BaseException, str | None]] = {
    "create": ("mkstemp", OSError(errno.ENOSPC, "No space left on device"), "is full"),
    "write": ("write", OSError(errno.ENOSPC, "No space left on device"), "is full"),
    "second-write": ("write", OSError(errno.EDQUOT, "Disk quota exceeded"), "is full"),
    "fsync": ("fsync", OSError(errno.EIO, "Input/output error"), "Input/output error"),
    "close": ("close", OSError(errno.EIO, "Input/output error"), "Input/output error"),
    "rename": ("replace", PermissionError(errno.EACCES, "Permission denied"), "not allowed"),
    "interrupted": ("write", KeyboardInterrupt(), None),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_step_that_fails_leaves_the_previous_file_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    import tempfile

    path = tmp_path / "connection.json"
    sample(tenant="previous").save(path)
    before = path.read_bytes()
    name, exc, message = FAULTS[fault]
    if name == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", _fails(exc))
    elif name == "write":
        real_write = os.write
        calls = {"n": 0}

        def write(fd: int, data: Any) -> int:
            calls["n"] += 1
            if fault == "second-write" and calls["n"] == 1:
                return real_write(fd, bytes(data[:100]))  # a short write first
            raise exc

        monkeypatch.setattr(os, "write", write)
    elif name == "close":
        real_close = os.close

        def close(fd: int) -> None:
            real_close(fd)
            raise exc

        monkeypatch.setattr(os, "close", close)
    else:
        monkeypatch.setattr(os, name, _fails(exc))
    with pytest.raises(type(exc) if message is None else ExportError) as caught:
        big_sample("new").save(path)
    monkeypatch.undo()
    if message is not None:
        assert message in str(caught.value) and str(tmp_path) in str(caught.value)
    assert path.read_bytes() == before
    assert ConnectionFile.load(path).tenant == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["connection.json"]


# ----- files that are not connection files this wizard can open -----


def written(**changes: Any) -> dict[str, Any]:
    """The JSON of a full sample file, with `changes` to its top-level entries."""
    data = sample().to_dict()
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (json.dumps(written(schema="something-else")), "not a Halo connection file"),
        (json.dumps({"name": "a list of tickets"}), "not a Halo connection file"),
        (json.dumps(written(schema_version=2)), "newer version of the wizard"),
        (json.dumps(written(schema_version=True)), "schema version True is not valid"),
        (json.dumps(written(schema_version="1")), "schema version '1' is not valid"),
        ('{"schema": "halo-connection", ', "not valid JSON"),
        (json.dumps(written())[:-40], "not valid JSON"),
        (json.dumps([1, 2]), "not a Halo connection file"),
        ("null", "not a Halo connection file"),
        ("", "is empty"),
        (json.dumps(written(host=None)), "'host' entry should be text, not null"),
        (json.dumps(written(secret={"store": "somewhere"})), "where the secret is kept"),
        (json.dumps(written(secret={"store": "embedded"})), "'secret.value' entry is missing"),
        ("[" * 100_000 + "]" * 100_000, "nested far too deeply"),
        (json.dumps(written(extra=[])).replace("[]", "[" * 50_000 + "]" * 50_000), "too deeply"),
        ('{"schema": "halo-connection", "n": ' + "9" * 5000 + "}", "thousands of digits"),
        (json.dumps(written(tenant="\ud800")), "'tenant' entry should be text or null"),
        (" " * 1_000_001, "far too large"),
    ],
)
def test_read_rejects_other_files_plainly(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "from-customer.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConnectionFileError, match=re.escape(message)) as caught:
        ConnectionFile.load(path)
    assert str(path) in str(caught.value)
    assert len(str(caught.value)) < 400


def test_read_of_a_missing_binary_or_folder_file(tmp_path: Path) -> None:
    with pytest.raises(ConnectionFileError, match="There is no file"):
        ConnectionFile.load(tmp_path / "absent.json")
    binary = tmp_path / "picture.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    with pytest.raises(ConnectionFileError, match="not text"):
        ConnectionFile.load(binary)
    with pytest.raises(ConnectionFileError, match="is a folder"):
        ConnectionFile.load(tmp_path)
    utf16 = tmp_path / "notepad.json"
    utf16.write_text(FIRST_VERSION_FILE, encoding="utf-16")
    with pytest.raises(ConnectionFileError, match="not text"):
        ConnectionFile.load(utf16)
    bom = tmp_path / "bom.json"
    bom.write_text(FIRST_VERSION_FILE, encoding="utf-8-sig")
    assert ConnectionFile.load(bom).tenant == "acme"


def _paths(value: Any, prefix: str = "") -> Iterator[tuple[str, list[str | int]]]:
    """Every entry of a JSON document: its name in messages and its keys to reach it."""
    if isinstance(value, dict):
        for key, child in value.items():
            name = f"{prefix}.{key}" if prefix else key
            yield name, [key]
            for inner, keys in _paths(child, name):
                yield inner, [key, *keys]
    elif isinstance(value, list):
        for index, child in enumerate(value):
            name = f"{prefix}[{index}]"
            yield name, [index]
            for inner, keys in _paths(child, name):
                yield inner, [index, *keys]


WRONG_VALUES: list[Any] = [None, True, 7, -1, 1.5, "text", [], ["x"], {}, {"a": 1}]
FULL = sample(secret=SecretEntry.keychain("https://acme.halopsa.com", "x")).to_dict()


@pytest.mark.parametrize(("entry", "keys"), list(_paths(FULL)), ids=[n for n, _ in _paths(FULL)])
def test_a_wrong_value_in_any_entry_is_named_or_harmless(entry: str, keys: list[Any]) -> None:
    for wrong in WRONG_VALUES:
        data = json.loads(json.dumps(FULL))
        holder = data
        for key in keys[:-1]:
            holder = holder[key]
        holder[keys[-1]] = wrong
        try:
            connection = ConnectionFile.from_bytes(json.dumps(data).encode(), source="f.json")
        except ConnectionFileError as exc:
            said = str(exc)
            assert said.startswith("f.json ")
            # Says which entry, or that it is not (or no longer) a connection file at all.
            named = entry.split("[")[0].split(".")[0]
            assert (
                f"'{entry.split('[')[0]}" in said
                or f"'{entry}" in said
                or named in ("schema", "schema_version")
                or "secret is kept" in said
            ), said
            continue
        # Accepted: then it is a value this entry may hold, and it saves as it was read.
        assert ConnectionFile.from_bytes(connection.to_json()) == connection


# ----- hostile files, generated -----

# Text as hostile files hold it too: a lone surrogate, a zero byte, a direction override.
NASTY_TEXT = ["\ud800", "\udfff x", "\x00", "\u202e", "", "x" * 10_000, "halo-connection"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**4000), max_value=10**4000)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.sampled_from(NASTY_TEXT),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_any_json_value_is_a_connection_file_or_a_plain_error(value: Any) -> None:
    for document in (value, {**FULL, "added later": value}, {**FULL, "last_result": value}):
        try:
            ConnectionFile.from_dict(document)
        except ConnectionFileError as exc:
            assert str(exc).startswith("The file ")


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_a_connection_file_with_any_entry_changed_opens_or_says_what_is_wrong(
    data: st.DataObject,
) -> None:
    document = json.loads(json.dumps(FULL))
    for _ in range(data.draw(st.integers(1, 3))):
        choices = [keys for _, keys in _paths(document)]
        if not choices:
            break
        keys = data.draw(st.sampled_from(choices))
        holder = document
        for key in keys[:-1]:
            holder = holder[key]
        if data.draw(st.booleans()) and isinstance(holder, dict):
            del holder[keys[-1]]
        else:
            holder[keys[-1]] = data.draw(json_values)
    raw = json.dumps(document).encode()
    try:
        connection = ConnectionFile.from_bytes(raw)
    except ConnectionFileError as exc:
        assert str(exc).startswith("The file ")
        event("refused")
        return
    event("opened")
    assert ConnectionFile.from_bytes(connection.to_json()) == connection


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=2000)
    | st.builds(
        lambda text, cut: text.encode()[:cut],
        st.just(FIRST_VERSION_FILE),
        st.integers(0, len(FIRST_VERSION_FILE)),
    )
)
def test_any_bytes_are_a_connection_file_or_a_plain_error(raw: bytes) -> None:
    try:
        ConnectionFile.from_bytes(raw)
    except ConnectionFileError as exc:
        assert str(exc).startswith("The file ")


# ----- the format's documentation -----


def test_every_key_written_is_described_in_the_documentation() -> None:
    doc = (REPO / "docs" / "connection-file.md").read_text(encoding="utf-8")
    keychain = sample(secret=SecretEntry.keychain("https://acme.halopsa.com", "x")).to_dict()
    embedded = sample(secret=SecretEntry.embedded("x")).to_dict()
    signed = [
        sample(assertion=AssertionEntry("file", "/keys/halo-private-key.pem")).to_dict(),
        sample(assertion=AssertionEntry.keychain("https://acme.halopsa.com", "x")).to_dict(),
    ]
    written = [*_paths(keychain), *_paths(embedded), *(p for d in signed for p in _paths(d))]
    names = {re.sub(r"\[\d+\]", "[]", name) for name, _ in written}
    missing = sorted(name for name in names if f"`{name}`" not in doc)
    assert missing == []
    assert f"schema_version` is {SCHEMA_VERSION}" in doc
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    connection = ConnectionFile.from_bytes(example.encode())
    assert connection.last_result is not None and connection.last_result.complete
    assert ConnectionFile.from_bytes(connection.to_json()) == connection


# ----- environment variables -----

AWKWARD = 'it\'s a "quoted" value & $HOME `id` %PATH% \u2018smart\u2019'


def test_posix_values_survive_a_real_shell() -> None:
    sh = shutil.which("sh")
    if sh is None or sys.platform == "win32":
        pytest.skip("no POSIX shell here")
    secret = f"{uuid.uuid4()}-'quote'"
    connection = sample(tenant=AWKWARD, secret=SecretEntry.embedded(secret))
    text = environment_variables(connection, include_secret=True, shell="posix")
    names = ["HALO_HOST", "HALO_TENANT", "HALO_SCOPES", "HALO_CLIENT_SECRET", "HALO_AUTH_URL"]
    script = text + "".join(f'printf "%s\\0" "${name}"\n' for name in names)
    done = subprocess.run(
        [sh, "-c", script], capture_output=True, check=True, env={"PATH": os.defpath}
    )
    values = done.stdout.decode().split("\0")[:-1]
    assert values == [
        connection.host,
        AWKWARD,
        "read:tickets read:assets",
        secret,
        connection.auth_url,
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
    embedded = sample(secret=SecretEntry.embedded(secret))
    text = environment_variables(embedded, shell=shell)
    assert secret not in text
    assert "HALO_CLIENT_SECRET" in text.splitlines()[-1]
    assert text.splitlines()[-1].startswith("REM " if shell == "cmd" else "# ")
    assert secret in environment_variables(embedded, include_secret=True, shell=shell)

    in_keychain = sample(secret=SecretEntry.keychain("https://acme.halopsa.com", "abc"))
    account = account_for("https://acme.halopsa.com", "abc")
    text = environment_variables(in_keychain, shell=shell)
    assert account in text.splitlines()[-1] and SERVICE in text.splitlines()[-1]
    with pytest.raises(ValueError, match="does not contain the secret"):
        environment_variables(in_keychain, include_secret=True, shell=shell)


def test_line_breaks_cannot_smuggle_commands() -> None:
    with pytest.raises(ValueError, match="HALO_TENANT"):
        environment_variables(sample(tenant="acme\nrm -rf ~"))
    hostile = sample(secret=SecretEntry("keychain", SERVICE, "x\nrm -rf ~"))
    text = environment_variables(hostile)
    assert len(text.splitlines()) == 7
    assert text.splitlines()[-1].startswith("# ")
    with pytest.raises(ValueError, match="Unknown shell"):
        environment_variables(sample(), shell="fish")


def test_the_file_records_the_identity_halo_reported_and_the_choice_when_it_differs() -> None:
    from wizard.core.connection_file import ConnectionFile
    from wizard.core.model import CheckReport, Identity

    report = CheckReport(
        host="https://acme.halopsa.com",
        identity=Identity(kind="agent", name="Integration API", id=42, api_only=True),
    )
    chose_application = ConnectionFile.from_report(
        report,
        client_id="id",
        identity_kind="application",
        scopes="read:tickets",
        secret=None,
        secret_in_keychain=False,
    )
    identity = chose_application.to_dict()["identity"]
    assert identity["kind"] == "agent" and identity["name"] == "Integration API"
    assert identity["chosen"] == "application"
    assert "agent" in identity["warning"] and "application" in identity["warning"]
    again = ConnectionFile.from_bytes(chose_application.to_json(), source="test")
    assert again.identity == chose_application.identity

    chose_agent = ConnectionFile.from_report(
        report,
        client_id="id",
        identity_kind="agent",
        scopes="read:tickets",
        secret=None,
        secret_in_keychain=False,
    )
    assert "chosen" not in chose_agent.to_dict()["identity"]


@pytest.mark.parametrize("shell", ["posix", "powershell", "cmd"])
def test_a_key_based_connection_gives_the_method_the_key_and_the_assertion_it_signs(
    shell: str,
) -> None:
    on_disk = sample(assertion=AssertionEntry("file", "/keys/halo-private-key.pem"))
    text = environment_variables(on_disk, shell=shell)
    assert _assigned(shell, "HALO_AUTH_METHOD", "jwt_assertion") in text
    assert _assigned(shell, "HALO_PRIVATE_KEY_FILE", "/keys/halo-private-key.pem") in text
    # The defaults the test signed with: the token service's address without ?tenant=, and
    # the Client ID.
    audience = "https://acme.halopsa.com/auth/token"
    assert _assigned(shell, "HALO_ASSERTION_AUDIENCE", audience) in text
    assert _assigned(shell, "HALO_ASSERTION_ISSUER", on_disk.client_id) in text
    assert "HALO_CLIENT_SECRET" not in text
    assert "HALO_PRIVATE_KEY_FILE" in text.splitlines()[-1]
    with pytest.raises(ValueError, match="no secret to copy"):
        environment_variables(on_disk, include_secret=True, shell=shell)

    entry = AssertionEntry.keychain(
        "https://acme.halopsa.com", "abc", audience="https://elsewhere.example/t", issuer="me"
    )
    text = environment_variables(sample(assertion=entry), shell=shell)
    assert "HALO_PRIVATE_KEY_FILE" not in text
    assert _assigned(shell, "HALO_ASSERTION_AUDIENCE", "https://elsewhere.example/t") in text
    assert _assigned(shell, "HALO_ASSERTION_ISSUER", "me") in text
    last = text.splitlines()[-1]
    assert last.startswith("REM " if shell == "cmd" else "# ")
    assert str(entry.account) in last and "private key" in last


def _assigned(shell: str, name: str, value: str) -> str:
    return {
        "posix": f"export {name}='{value}'",
        "powershell": f"$env:{name} = '{value}'",
        "cmd": f'set "{name}={value}"',
    }[shell]
