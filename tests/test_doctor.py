"""`halo-wizard doctor`, run as a real subprocess, and the parsing of the OS proxy settings."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import re
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import EXIT_OK, EXIT_PROBLEMS, REPO, _env, check_args, run_cli
from wizard.core import doctor
from wizard.core.doctor import (
    MACOS_SOURCE,
    WINDOWS_SOURCE,
    AutoProxy,
    auto_proxy,
    hide_password,
    macos_auto_proxy,
    parse_scutil_proxy,
    windows_auto_proxy,
    windows_name,
)
from wizard.sim import SimulatedHalo

# Variables that would change what doctor reports; each test sets the ones it is about.
_UNSET = (
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "NO_PROXY",
    "ALL_PROXY",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)


def run_doctor(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """`python -m wizard doctor ARGS` with no proxy or CA bundle variables but `extra_env`."""
    env = {k: v for k, v in _env().items() if k.upper() not in _UNSET}
    env.update(extra_env)
    result = subprocess.run(
        [sys.executable, "-m", "wizard", "doctor", *args],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def doctor_json(*args: str, **env: str) -> dict[str, Any]:
    result = run_doctor("--json", *args, **env)
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert isinstance(report, dict)
    return report


def _pyproject_version() -> str:
    """The version the installed metadata records (pyproject.toml reads it from
    wizard/__init__.py; tests/packaging/test_build.py checks the two agree)."""
    return importlib.metadata.version("halo-wizard")


# ----- what a supporter reads -----


def test_doctor_json_has_every_key_the_packaged_app_smoke_test_reads() -> None:
    report = doctor_json()
    assert report["version"] == _pyproject_version()
    assert report["frozen"] is False
    assert report["python"] == platform.python_version()
    import PySide6
    from PySide6.QtCore import qVersion

    assert (report["qt"], report["pyside6"]) == (qVersion(), PySide6.__version__)
    assert isinstance(report["os"], str) and report["os"]
    keychain = report["keychain"]
    assert set(keychain) == {"name", "available", "backend", "reason"}
    assert isinstance(keychain["name"], str) and isinstance(keychain["available"], bool)
    certificates = report["certificates"]
    assert isinstance(certificates["system_ca_count"], int)
    assert all(isinstance(source, str) for source in certificates["sources"])
    assert isinstance(certificates["native_verifier"], bool)
    assert isinstance(report["proxies"], dict) and isinstance(report["folders"], dict)
    assert isinstance(report["log_file"], str)
    assert "keychain_round_trip" not in report, "without --try-keychain the keychain is not used"


def test_doctor_names_the_log_file_in_the_log_folder_it_writes(tmp_path: Path) -> None:
    report = doctor_json(HALO_WIZARD_LOG_DIR=str(tmp_path))
    log_file = tmp_path / "halo-wizard.log"
    assert report["log_file"] == str(log_file)
    assert report["folders"]["log"] == str(tmp_path)
    assert report["log"]["writing"] is True
    assert "command doctor" in log_file.read_text(encoding="utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux CA store paths")
def test_doctor_counts_the_system_ca_certificates_openssl_trusts() -> None:
    certificates = doctor_json()["certificates"]
    assert certificates["system_ca_count"] > 0
    assert certificates["native_verifier"] is False
    assert any("CA file" in source or "CA folder" in source for source in certificates["sources"])


def test_a_proxy_password_is_never_shown_but_the_proxy_is_named() -> None:
    password = secrets.token_hex(8)
    proxy = f"http://alice:{password}@proxy.example:3128"
    report = doctor_json(HTTPS_PROXY=proxy, NO_PROXY=".internal.example")
    proxies = report["proxies"]
    assert proxies["environment"]["HTTPS_PROXY"] == "http://alice:***@proxy.example:3128"
    assert proxies["used"]["https"] == "http://alice:***@proxy.example:3128"
    readable = run_doctor(HTTPS_PROXY=proxy)
    assert readable.returncode == EXIT_OK
    assert "http://alice:***@proxy.example:3128" in readable.stdout
    assert password not in json.dumps(report) + readable.stdout + readable.stderr


def test_a_proxy_for_http_only_is_said_not_to_reach_halo() -> None:
    report = doctor_json(HTTP_PROXY="http://proxy.example:3128")
    assert "https" not in report["proxies"]["used"]
    assert any("https://" in note for note in report["proxies"]["notes"])


def test_requests_ca_bundle_is_reported_as_ignored_with_the_option_to_use(ca_bundle: str) -> None:
    report = doctor_json(REQUESTS_CA_BUNDLE=ca_bundle, SSL_CERT_DIR="/nonexistent/certs")
    environment = report["certificates"]["environment"]
    assert environment["REQUESTS_CA_BUNDLE"] == {
        "value": ca_bundle,
        "honoured": False,
        "exists": True,
    }
    assert environment["SSL_CERT_DIR"]["honoured"] is True
    assert environment["SSL_CERT_DIR"]["exists"] is False
    notes = " ".join(report["certificates"]["notes"])
    assert "REQUESTS_CA_BUNDLE" in notes and "ignores it" in notes and "--ca-bundle" in notes
    readable = run_doctor(REQUESTS_CA_BUNDLE=ca_bundle)
    assert f"REQUESTS_CA_BUNDLE: {ca_bundle} (ignored)" in readable.stdout


def test_the_readable_report_has_a_section_for_each_subject() -> None:
    result = run_doctor()
    assert result.returncode == EXIT_OK, result.stderr
    lines = result.stdout.splitlines()
    for section in ("Program", "Keychain", "Certificates", "Proxies", "Folders"):
        assert section in lines
    assert any(
        line.startswith("  version:") and line.endswith(_pyproject_version()) for line in lines
    )


def test_without_pyside6_doctor_says_why_instead_of_failing(tmp_path: Path) -> None:
    broken = tmp_path / "PySide6"
    broken.mkdir()
    (broken / "__init__.py").write_text("raise ImportError('no Qt libraries here')\n")
    report = doctor_json(PYTHONPATH=os.pathsep.join((str(tmp_path), str(REPO))))
    assert report["qt"] is None and report["pyside6"] is None
    assert "no Qt libraries here" in report["qt_error"]


# ----- the keychain -----


@pytest.fixture
def secret_service() -> None:
    from wizard.core.secrets import SECRET_SERVICE, keychain_info

    info = keychain_info()
    if not (info.available and info.name == SECRET_SERVICE):
        if "CI" in os.environ:
            pytest.fail(f"No Secret Service: {info.reason}; see .ci/run")
        pytest.skip(f"No Secret Service is reachable: {info.reason}")


def test_try_keychain_stores_reads_back_and_removes_a_test_secret(secret_service: None) -> None:
    from wizard.core.secrets import load_secret

    report = doctor_json("--try-keychain")
    trip = report["keychain_round_trip"]
    assert trip["ok"] is True, trip
    client_id, _, host = trip["account"].partition("@")
    assert host == doctor.DOCTOR_HOST
    assert load_secret(host, client_id) is None, "the test secret was left behind"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Secret Service is Linux's")
def test_without_a_session_bus_there_is_no_keychain_and_the_reason_is_given() -> None:
    nowhere = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/halo-wizard-bus"}
    keychain = doctor_json(**nowhere)["keychain"]
    assert keychain["available"] is False
    assert keychain["name"] == "no keychain"
    assert "Secret Service" in keychain["reason"]
    result = run_doctor("--json", "--try-keychain", **nowhere)
    assert result.returncode == EXIT_PROBLEMS
    trip = json.loads(result.stdout)["keychain_round_trip"]
    assert trip["ok"] is False and "Secret Service" in trip["detail"]


# ----- parsing the OS proxy settings (Windows and macOS cannot run here) -----

SCUTIL_WITH_PAC = """<dictionary> {
  ExceptionsList : <array> {
    0 : *.local
    1 : 169.254/16
  }
  FTPPassive : 1
  HTTPEnable : 1
  HTTPPort : 3128
  HTTPProxy : proxy.example
  ProxyAutoConfigEnable : 1
  ProxyAutoConfigURLString : http://wpad.example/proxy.pac
  ProxyAutoDiscoveryEnable : 1
}
"""


def test_scutil_output_is_read_at_the_top_level_only() -> None:
    values = parse_scutil_proxy(SCUTIL_WITH_PAC)
    assert values["HTTPProxy"] == "proxy.example"
    assert values["ProxyAutoConfigURLString"] == "http://wpad.example/proxy.pac"
    assert "0" not in values and "ExceptionsList" not in values


def test_a_macos_pac_file_and_auto_discovery_are_named() -> None:
    found = macos_auto_proxy(parse_scutil_proxy(SCUTIL_WITH_PAC))
    assert found == AutoProxy(MACOS_SOURCE, "http://wpad.example/proxy.pac", True)
    assert found.to_dict()["evaluated"] is False


def test_a_macos_pac_file_that_is_turned_off_is_not_named() -> None:
    text = SCUTIL_WITH_PAC.replace("ProxyAutoConfigEnable : 1", "ProxyAutoConfigEnable : 0")
    text = text.replace("ProxyAutoDiscoveryEnable : 1", "ProxyAutoDiscoveryEnable : 0")
    assert macos_auto_proxy(parse_scutil_proxy(text)) == AutoProxy(MACOS_SOURCE)


def _connection_settings(flags: int) -> bytes:
    return (0x46).to_bytes(4, "little") + (7).to_bytes(4, "little") + flags.to_bytes(4, "little")


def test_a_windows_pac_file_and_auto_detect_are_named() -> None:
    values = {
        "AutoConfigURL": "http://wpad.example/proxy.pac",
        "DefaultConnectionSettings": _connection_settings(0x01 | 0x04 | 0x08),
    }
    assert windows_auto_proxy(values) == AutoProxy(
        WINDOWS_SOURCE, "http://wpad.example/proxy.pac", True
    )


def test_windows_auto_detect_from_policy_and_nothing_when_unset() -> None:
    assert windows_auto_proxy({"AutoDetect": 1}).auto_detect is True
    assert windows_auto_proxy({"AutoDetect": 0}) == AutoProxy(WINDOWS_SOURCE)
    plain = {"DefaultConnectionSettings": _connection_settings(0x01), "AutoConfigURL": " "}
    assert windows_auto_proxy(plain) == AutoProxy(WINDOWS_SOURCE)
    assert windows_auto_proxy({"DefaultConnectionSettings": b"\x46"}) == AutoProxy(WINDOWS_SOURCE)


def test_proxy_settings_that_cannot_be_read_are_reported_not_raised() -> None:
    def no_registry() -> dict[str, object]:
        raise PermissionError("Access is denied")

    def no_scutil() -> str:
        raise FileNotFoundError("scutil")

    found = auto_proxy("win32", read_registry=no_registry)
    assert found is not None and found.source == WINDOWS_SOURCE
    assert "Access is denied" in (found.error or "")
    found = auto_proxy("darwin", run_scutil=no_scutil)
    assert found is not None and "scutil" in (found.error or "")
    assert auto_proxy("darwin", run_scutil=lambda: SCUTIL_WITH_PAC) == macos_auto_proxy(
        parse_scutil_proxy(SCUTIL_WITH_PAC)
    )
    assert auto_proxy("linux") is None


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("http://user:pass@proxy:3128", "http://user:***@proxy:3128"),
        ("http://user:p@ss:w0rd@proxy:3128/", "http://user:***@proxy:3128/"),
        ("user:pass@proxy:3128", "user:***@proxy:3128"),
        ("http://user@proxy:3128", "http://user@proxy:3128"),
        ("http://proxy:3128", "http://proxy:3128"),
        ("http://proxy:3128/path@x", "http://proxy:3128/path@x"),
    ],
)
def test_a_proxy_url_keeps_its_user_and_loses_its_password(url: str, shown: str) -> None:
    assert hide_password(url) == shown


def test_windows_11_is_called_so_even_where_python_says_10() -> None:
    assert windows_name("10", "10.0.22631", "Professional", "AMD64") == (
        "Windows 11 Professional 10.0.22631 (AMD64)"
    )
    assert windows_name("10", "10.0.19045", None, "AMD64") == "Windows 10 10.0.19045 (AMD64)"


def test_doctor_names_the_profiles_folder_and_how_many_are_saved(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    folder = data / "halo-wizard-profiles-test"
    env = {"HALO_WIZARD_DATA_DIR": str(folder)}
    profiles = folder / "profiles"
    report = doctor_json(**env)
    assert report["folders"]["profiles"] == str(profiles)
    assert report["folders"]["profiles_saved"] == 0
    readable = run_doctor(**env)
    assert re.search(rf"^  profiles kept in: +{re.escape(str(profiles))}$", readable.stdout, re.M)
    assert re.search(r"^  profiles saved: +none yet$", readable.stdout, re.M)
    saved = run_cli(
        *check_args(halo, ca_bundle, "--save-profile", "acme", "--secret-store", "none"),
        secret=halo.client_secret,
        **env,
    )
    assert saved.returncode == EXIT_OK, saved.stderr
    assert doctor_json(**env)["folders"]["profiles_saved"] == 1
    assert re.search(r"^  profiles saved: +1$", run_doctor(**env).stdout, re.M)
