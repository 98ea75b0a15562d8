"""`halo-wizard keygen` and `halo-wizard check --private-key`, run as real subprocesses
against the simulated Halo over TLS; the private key and the assertions signed with it
appear in no output and no log."""

from __future__ import annotations

import json
import shlex
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.canary import Canary, record_issued
from tests.conftest import HaloFactory
from tests.core.test_secrets import secret_service  # noqa: F401  (a fixture)
from tests.test_cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, REPO, _env, check_args, run_cli
from tests.test_secret_canary import check_command, run
from wizard.core import assertion
from wizard.sim import SimulatedHalo

ELSEWHERE = "https://login.elsewhere.example/token"


def _key_file(halo: SimulatedHalo, folder: Path) -> str:
    """The private key the admin of `halo`'s JWT Assertion application holds, as a file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "halo-private-key.pem"
    path.write_text(halo.assertion_private_key, encoding="ascii")
    path.chmod(0o600)
    return str(path)


def _key_lines(pem: str) -> list[str]:
    """The base64 lines of a PEM key: what a leak of it would show."""
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


# ----- keygen -----


def test_keygen_writes_the_pair_and_says_what_to_paste_where(tmp_path: Path) -> None:
    out = tmp_path / "keys"
    result = run_cli("keygen", "--out", str(out))
    assert result.returncode == EXIT_OK, result.stderr
    private, public = out / "halo-private-key.pem", out / "halo-public-key.pem"
    text = result.stdout
    words = " ".join(text.split())
    assert str(private) in text and str(public) in text
    assert 'set Authentication Method to "JWT Assertion (Services)"' in words
    assert "View Applications" in words and "click Save" in words
    assert "Keep the private key private" in words
    public_text = public.read_text("ascii")
    assert public_text.rstrip() in text  # shown whole, to copy
    assert len(public_text) < 2000
    assert assertion.load_private_key(private).key_size == 3072
    if sys.platform != "win32":
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    for line in _key_lines(private.read_text("ascii")):
        assert line not in text and line not in result.stderr


def test_keygen_never_overwrites_unless_forced(tmp_path: Path) -> None:
    assert run_cli("keygen", "--out", str(tmp_path)).returncode == EXIT_OK
    before = (tmp_path / "halo-private-key.pem").read_bytes()
    again = run_cli("keygen", "--out", str(tmp_path))
    assert again.returncode == EXIT_USAGE
    assert "already exist; nothing was written" in again.stderr and "--force" in again.stderr
    assert again.stdout == "" and "Traceback" not in again.stderr
    assert (tmp_path / "halo-private-key.pem").read_bytes() == before
    forced = run_cli("keygen", "--out", str(tmp_path), "--force")
    assert forced.returncode == EXIT_OK, forced.stderr
    assert (tmp_path / "halo-private-key.pem").read_bytes() != before


def test_keygen_into_a_folder_that_cannot_be_written_exits_2(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_cli("keygen", "--out", str(blocker / "keys"))
    assert result.returncode == EXIT_USAGE
    assert "cannot be made" in result.stderr and "Traceback" not in result.stderr


# ----- check --private-key -----


def test_a_jwt_assertion_connection_passes_without_any_secret(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    key = _key_file(halo, tmp_path)
    result = run_cli(*check_args(halo, ca_bundle, "--private-key", key, "--json"))
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True and report["identity"]["name"] == "Integration API"
    (sent,) = [r for r in halo.requests if r.method == "POST"]
    assert "client_assertion" in sent.form and "client_secret" not in sent.form
    # The readable report too, and with a secret in the environment: said to be unused.
    result = run_cli(*check_args(halo, ca_bundle, "--private-key", key), secret="not-used-at-all")
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "HALO_CLIENT_SECRET is set but not used" in result.stderr
    assert "the connection works" in result.stdout
    assert all("not-used-at-all" not in r.form.get("client_secret", "") for r in halo.requests)


def test_a_wrong_key_exits_1_naming_what_to_check_in_halos_words(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_wrong_key")
    result = run_cli(*check_args(halo, ca_bundle, "--private-key", _key_file(halo, tmp_path)))
    assert result.returncode == EXIT_PROBLEMS, result.stdout + result.stderr
    out = " ".join(result.stdout.split())
    assert "ASSERTION_REFUSED" in out
    assert "The signature of the specified client assertion is invalid." in out
    for words in ("paste it whole", "JWT Assertion (Services)", "Click Save", "clock"):
        assert words in out, words
    assert "INVALID_CLIENT" not in out


def test_a_wrong_audience_is_refused_and_the_audience_named(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    key = _key_file(halo, tmp_path)
    args = check_args(halo, ca_bundle, "--private-key", key, "--assertion-audience", ELSEWHERE)
    result = run_cli(*args, "--json")
    assert result.returncode == EXIT_PROBLEMS, result.stdout + result.stderr
    (finding,) = [f for f in json.loads(result.stdout)["findings"] if f["severity"] == "error"]
    assert finding["code"] == "ASSERTION_REFUSED"
    assert f"{ELSEWHERE} as its audience" in finding["detail"]
    assert "audience of the specified client assertion is invalid" in finding["detail"]
    assert any("--assertion-audience" in step and ELSEWHERE in step for step in finding["fix"])


def test_a_public_key_given_as_the_private_key_is_a_finding(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    public = tmp_path / "halo-public-key.pem"
    public.write_text(
        assertion.public_pem(assertion.load_private_key_pem(halo.assertion_private_key))
    )
    result = run_cli(*check_args(halo, ca_bundle, "--private-key", str(public), "--json"))
    assert result.returncode == EXIT_PROBLEMS
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["PRIVATE_KEY_INVALID"]
    assert halo.requests == []


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--client-secret-stdin"], "cannot be used together"),
        (["--private-key", ""], "--private-key is empty"),
    ],
    ids=["with-stdin", "empty"],
)
def test_usage_errors_exit_2_before_any_request(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path, extra: list[str], says: str
) -> None:
    halo = start_halo("jwt_assertion")
    key = _key_file(halo, tmp_path)
    extra = [str(tmp_path / "acme.json") if part == "SAVE" else part for part in extra]
    args = check_args(halo, ca_bundle, "--private-key", key, *extra)
    result = run_cli(*args, stdin="a secret\n")
    assert result.returncode == EXIT_USAGE, result.stdout + result.stderr
    assert says in result.stderr and "Traceback" not in result.stderr
    assert halo.requests == []
    assert not (tmp_path / "acme.json").exists()


def test_assertion_options_need_a_private_key(halo: SimulatedHalo, ca_bundle: str) -> None:
    for option in (["--assertion-audience", ELSEWHERE], ["--assertion-issuer", "acme"]):
        result = run_cli(*check_args(halo, ca_bundle, *option), secret=halo.client_secret)
        assert result.returncode == EXIT_USAGE
        assert "need --private-key" in result.stderr
    assert halo.requests == []


def test_help_names_keygen_and_the_assertion_options() -> None:
    assert "keygen" in run_cli("--help").stdout
    check_help = run_cli("check", "--help").stdout
    for option in ("--private-key", "--assertion-audience", "--assertion-issuer"):
        assert option in check_help


# ----- the canary: the private key and the assertions appear nowhere -----


def test_the_private_key_and_the_assertions_leave_no_trace(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    logs = home / "logs"
    keys = tmp_path / "keys"  # outside home: the one place the private key belongs
    issued: list[tuple[str, str]] = []
    record_issued(lambda kind, value: issued.append((kind, value)), monkeypatch.setattr)
    outputs: dict[str, str] = {}

    done = run(["-m", "wizard", "keygen", "--out", str(keys)], home, HALO_WIZARD_LOG_DIR=str(logs))
    assert done.returncode == 0, done.stderr
    outputs["keygen: stdout"], outputs["keygen: stderr"] = done.stdout, done.stderr
    made = (keys / "halo-private-key.pem").read_text("ascii")

    good = start_halo("healthy")
    good.assertion_public_key = (keys / "halo-public-key.pem").read_text("ascii")
    wrong = start_halo("jwt_wrong_key")
    held = _key_file(wrong, tmp_path / "held")
    for name, halo, key, extra, code in (
        ("check --json", good, str(keys / "halo-private-key.pem"), ["--json"], 0),
        ("check", good, str(keys / "halo-private-key.pem"), [], 0),
        ("check (wrong key)", wrong, held, [], 1),
        (
            "check (audience)",
            good,
            str(keys / "halo-private-key.pem"),
            ["--assertion-audience", ELSEWHERE],
            1,
        ),
    ):
        done = run(
            check_command(halo, ca_bundle, "--private-key", key, *extra),
            home,
            HALO_WIZARD_LOG_DIR=str(logs),
        )
        assert done.returncode == code, done.stdout + done.stderr
        outputs[f"{name}: stdout"], outputs[f"{name}: stderr"] = done.stdout, done.stderr

    canary = Canary()
    for number, line in enumerate(_key_lines(made) + _key_lines(wrong.assertion_private_key)):
        if len(line) >= 16:
            canary.add(f"private key line {number}", line)
    sent = [
        r.form["client_assertion"] for r in good.requests + wrong.requests if r.method == "POST"
    ]
    assert len(sent) == 4
    for number, token in enumerate(sent, start=1):
        canary.add(f"assertion {number}", token)
        # Its signature alone, too: the part only the private key could have made.
        canary.add(f"assertion {number}'s signature", token.rsplit(".", 1)[1])
    for number, (kind, value) in enumerate(issued, start=1):
        canary.add(f"{kind} {number}", value)
    leaks, searched = canary.search_files([home])
    for where, text in outputs.items():
        leaks += canary.search_text(where, text)
    assert leaks == []
    logged = [path for path in searched if path.name == "halo-wizard.log"]
    assert logged and "keygen" in logged[0].read_text("utf-8")


# ----- saved, and diagnosed again -----


def test_a_jwt_assertion_connection_is_saved_naming_its_key_file_and_diagnosed_again(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    from wizard.core.connection_file import ConnectionFile

    halo = start_halo("jwt_assertion")
    key = _key_file(halo, tmp_path / "keys")
    target = tmp_path / "acme.json"
    saved = run_cli(
        *check_args(halo, ca_bundle, "--private-key", key, "--save", str(target),
                    "--secret-store", "file"),
    )  # fmt: skip
    assert saved.returncode == EXIT_OK, saved.stdout + saved.stderr
    assert "names the private key" in saved.stderr
    connection = ConnectionFile.load(target)
    assert connection.auth_method == "jwt_assertion"
    assert connection.assertion is not None and connection.assertion.key_path == key
    assert connection.secret.store == "none"
    written = target.read_text("utf-8")
    for line in _key_lines(halo.assertion_private_key):
        assert line not in written
    again = run_cli(
        "diagnose", "--connection", str(target), "--ca-bundle", ca_bundle, "--json",
        stdin="",
    )  # fmt: skip
    assert again.returncode == EXIT_OK, again.stdout + again.stderr
    data = json.loads(again.stdout)
    assert data["changes"] == [] and data["ok"] is True
    posts = [r for r in halo.requests if r.method == "POST"]
    assert posts and "client_secret" not in posts[-1].form
    assert posts[-1].form.get("client_assertion")


@pytest.mark.usefixtures("secret_service")
def test_a_key_kept_in_the_keychain_is_found_there_by_diagnose(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    from wizard.core.connection_file import ConnectionFile
    from wizard.core.secrets import PRIVATE_KEY_SUFFIX, delete_at, is_own_account, load_at

    halo = start_halo("jwt_assertion")
    key = _key_file(halo, tmp_path / "keys")
    target = tmp_path / "acme.json"
    saved = run_cli(*check_args(halo, ca_bundle, "--private-key", key, "--save", str(target)))
    assert saved.returncode == EXIT_OK, saved.stdout + saved.stderr
    entry = ConnectionFile.load(target).assertion
    assert entry is not None and entry.account is not None
    account = entry.account
    # An entry of its own, named in the file.
    assert is_own_account(account) and account.endswith(PRIVATE_KEY_SUFFIX)
    try:
        stored = load_at(account)
        assert stored is not None and stored.strip() == halo.assertion_private_key.strip()
        Path(key).unlink()  # the key file is gone: the keychain's copy is used
        again = run_cli("diagnose", "--connection", str(target), "--ca-bundle", ca_bundle)
        assert again.returncode == EXIT_OK, again.stdout + again.stderr
        rotate = run_cli(
            "diagnose", "--connection", str(target), "--rotate-secret", secret="x" * 20
        )
        assert rotate.returncode == EXIT_USAGE and "no secret to rotate" in rotate.stderr
    finally:
        delete_at(account)


def test_a_tool_that_sends_a_secret_is_refused_a_private_key_before_anything_is_sent(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    key = _key_file(halo, tmp_path)
    result = run_cli(*check_args(halo, ca_bundle, "--private-key", key, "--for", "rewst"))
    assert result.returncode == EXIT_USAGE
    assert "Rewst signs in with a client secret" in result.stderr
    assert "Rewst's form asks for a Client Secret" in result.stderr
    assert halo.requests == []


def test_a_script_signing_with_a_key_gets_its_values_without_a_secret_field(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("jwt_assertion")
    key = _key_file(halo, tmp_path)
    result = run_cli(*check_args(halo, ca_bundle, "--private-key", key, "--for", "other", "--json"))
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    labels = [f["label"] for f in json.loads(result.stdout)["for"]["fields"]]
    assert "Client ID" in labels and "Client Secret" not in labels
    fields = {f["label"]: f["value"] for f in json.loads(result.stdout)["for"]["fields"]}
    assert fields["Authentication Method"] == "JWT Assertion (Services)"
    assert fields["Assertion audience (aud)"] == f"{halo.url}/auth/token"
    assert fields["Assertion issuer (iss)"] == halo.client_id
    readable = run_cli(*check_args(halo, ca_bundle, "--private-key", key, "--for", "other"))
    assert "Type these into your tool:" in readable.stdout
    assert "client secret" not in readable.stdout.split("Type these into")[1].lower()
    # A script of one's own: the variables it reads, the key file among them.
    script = run_cli(
        *check_args(halo, ca_bundle, "--private-key", key, "--for", "script", "--json")
    )
    values = {f["label"]: f["value"] for f in json.loads(script.stdout)["for"]["fields"]}
    assert values["HALO_AUTH_METHOD"] == "jwt_assertion"
    assert values["HALO_PRIVATE_KEY_FILE"] == str(Path(key).resolve())
    assert values["HALO_ASSERTION_ISSUER"] == halo.client_id
    assert "HALO_CLIENT_SECRET" not in values
    # With a secret, none of these.
    with_secret = run_cli(
        *check_args(halo, ca_bundle, "--for", "script", "--json"), secret="not-the-secret"
    )
    labels = [f["label"] for f in json.loads(with_secret.stdout)["for"]["fields"]]
    assert "HALO_CLIENT_SECRET" in labels and "HALO_AUTH_METHOD" not in labels


# ----- trying the method without a Halo -----


def test_the_demo_signs_with_the_simulated_applications_key() -> None:
    works = run_cli("demo", "--scenario", "jwt_assertion")
    assert works.returncode == EXIT_OK, works.stdout + works.stderr
    assert "the connection works" in works.stdout
    refused = run_cli("demo", "--scenario", "jwt_wrong_key")
    assert refused.returncode == EXIT_PROBLEMS
    assert "ASSERTION_REFUSED" in refused.stdout and "paste it whole" in refused.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="Ctrl+C is a POSIX signal here")
def test_simulate_hands_over_the_private_key_and_the_command_that_uses_it() -> None:
    listed = run_cli("simulate", "--list")
    assert "jwt_assertion" in listed.stdout and "jwt_wrong_key" in listed.stdout
    with subprocess.Popen(
        [sys.executable, "-m", "wizard", "simulate", "--scenario", "jwt_assertion", "--tls"],
        cwd=REPO,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as simulate:
        try:
            assert simulate.stdout is not None
            said = []
            for line in simulate.stdout:
                said.append(line)
                if line.startswith("  halo-wizard check "):
                    break
            assert "Client secret" not in "".join(said), "this application has no secret"
            command = shlex.split(said[-1])
            key = Path(command[command.index("--private-key") + 1])
            assert stat.S_IMODE(key.stat().st_mode) == 0o600
            result = run_cli(*command[1:])
            assert result.returncode == EXIT_OK, result.stdout + result.stderr
            assert "the connection works" in result.stdout
        finally:
            simulate.send_signal(signal.SIGINT)
            simulate.communicate(timeout=30)
    assert not key.exists(), "the key is removed when the simulator stops"


def test_diagnose_signs_with_a_private_key_given_to_it(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    """Support finishes on the command line: a saved connection whose key this computer does
    not have, or pasted values, are diagnosed with --private-key; no secret is read."""
    halo = start_halo("jwt_assertion")
    key = _key_file(halo, tmp_path / "keys")
    target = tmp_path / "acme.json"
    saved = run_cli(
        *check_args(halo, ca_bundle, "--private-key", key, "--save", str(target),
                    "--secret-store", "none"),
    )  # fmt: skip
    assert saved.returncode == EXIT_OK, saved.stdout + saved.stderr
    # The file records no key: without --private-key it cannot be tested.
    without = run_cli("diagnose", "--connection", str(target), "--ca-bundle", ca_bundle)
    assert without.returncode == EXIT_USAGE and "--private-key" in without.stderr
    for source in (["--connection", str(target)], ["--from-text", str(tmp_path / "form.txt")]):
        (tmp_path / "form.txt").write_text(
            f"Halo URL: {halo.url}\nClient ID: {halo.client_id}\nTenant: acme\n", "utf-8"
        )
        result = run_cli(
            "diagnose", *source, "--scopes", "read:tickets", "--private-key", key,
            "--ca-bundle", ca_bundle, "--json", secret="not-used-" + "x" * 20,
        )  # fmt: skip
        assert result.returncode == EXIT_OK, result.stdout + result.stderr
        data = json.loads(result.stdout)
        assert data["secret_from"] == "none"
        assert halo.assertion_private_key.splitlines()[1] not in result.stdout + result.stderr
