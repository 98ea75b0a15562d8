"""`halo-wizard doctor`: what a supporter needs to know about this computer before Halo itself.

Nothing here goes over the network and nothing here reads a secret: the program and its
Python and Qt, the operating system, the keychain that would be used, where certificates
are trusted from, the proxies in effect and the folders in use. Only
`keychain_round_trip` writes to the keychain (a throwaway test entry, removed again).
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import secrets
import ssl
import subprocess
import sys
import textwrap
import urllib.request
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wizard import __version__
from wizard.core.log import log_status, register_secret
from wizard.core.threads import DaemonExecutor

DOCTOR_HOST = "doctor.invalid"
KEYCHAIN_TIMEOUT = 30.0
LINE_WIDTH = 100

_log = logging.getLogger(__name__)

# OpenSSL reads these itself; requests' own two are ignored on purpose (http.Transport).
OPENSSL_BUNDLE_VARIABLES = ("SSL_CERT_FILE", "SSL_CERT_DIR")
IGNORED_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
PROXY_VARIABLES = ("https_proxy", "http_proxy", "no_proxy", "all_proxy")

WINDOWS_SETTINGS_KEY = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings"
WINDOWS_SOURCE = r"the Windows registry (HKCU\\" + WINDOWS_SETTINGS_KEY + ")"
MACOS_SOURCE = "the macOS network settings (scutil --proxy)"
# A flag in the third DWORD of Internet Settings\Connections\DefaultConnectionSettings.
_WINDOWS_AUTO_DETECT_FLAG = 0x08

NOTE_IGNORED_BUNDLE = (
    "{name} is set ({value}) but this program ignores it on purpose: it would replace the "
    "operating system's certificates instead of adding to them. Use --ca-bundle FILE instead."
)
NOTE_MISSING_BUNDLE = "{name} names {value}, which does not exist; OpenSSL finds nothing there."
NOTE_NO_CA = (
    "No CA certificate was found, so every HTTPS connection will be reported as untrusted. "
    "Pass the CA certificates to trust with --ca-bundle FILE."
)
NOTE_PAC = (
    "A proxy auto-configuration (PAC) file is set in {source}: {url}. This program does NOT "
    "evaluate it. If Halo can be reached only through the proxy it picks, set HTTPS_PROXY "
    "to that proxy."
)
NOTE_AUTO_DETECT = (
    "Automatic proxy detection (WPAD) is on in {source}. This program does NOT detect "
    "proxies that way. If Halo can be reached only through a proxy, set HTTPS_PROXY to it."
)
NOTE_AUTO_ERROR = "The proxy settings in {source} could not be read: {error}"
NOTE_ALL_PROXY = "{name} is set but this program ignores it; set HTTPS_PROXY instead."
NOTE_HTTP_ONLY = (
    "A proxy is set for http:// only, so connections to Halo (https://) do not use a proxy. "
    "Set HTTPS_PROXY if they should."
)
NOTE_BOTH_CASES = "Both {lower} and {upper} are set; the lower-case {lower} is the one used."
NOTE_LINUX_DESKTOP = (
    "Desktop proxy settings (GNOME, KDE) are not read on Linux, only the environment "
    "variables HTTPS_PROXY, HTTP_PROXY and NO_PROXY."
)


# ----- the program, Python, Qt and the operating system -----


# (Qt version, PySide6 version, why they are unknown). The caller loads Qt: nothing in
# wizard.core may.
QtVersions = tuple[str | None, str | None, str | None]
QT_NOT_ASKED: QtVersions = (None, None, "Not looked up.")


def windows_name(release: str, version: str, edition: str | None, machine: str) -> str:
    """The Windows line, "Windows 11 Professional 10.0.22631 (AMD64)", from win32_ver()."""
    build = version.rsplit(".", 1)[-1]
    # Python before 3.12 calls Windows 11 "10"; build 22000 is where 11 begins.
    if release == "10" and build.isdigit() and int(build) >= 22000:
        release = "11"
    words = ["Windows", release, edition or "", version, f"({machine})" if machine else ""]
    return " ".join(word for word in words if word)


def os_description() -> str:
    """The operating system, its version and the processor architecture, in one line."""
    system = platform.system()
    machine = platform.machine()
    if system == "Darwin":
        release, _, mac_machine = platform.mac_ver()
        return f"macOS {release or platform.release()} ({mac_machine or machine})"
    if system == "Windows":
        release, version, _, _ = platform.win32_ver()
        return windows_name(release, version, platform.win32_edition(), machine)
    if system == "Linux":
        try:
            os_release = platform.freedesktop_os_release()
            distribution = os_release.get("PRETTY_NAME") or os_release.get("NAME") or ""
        except OSError:
            distribution = ""
        details = ", ".join(part for part in (distribution, machine) if part)
        return f"Linux {platform.release()} ({details})"
    return f"{system} {platform.release()} ({machine})"


def _program(qt_versions: QtVersions) -> dict[str, Any]:
    qt, pyside6, qt_error = qt_versions
    return {
        "version": __version__,
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "qt": qt,
        "pyside6": pyside6,
        "qt_error": qt_error,
        "os": os_description(),
    }


# ----- the keychain -----


def _keychain() -> dict[str, Any]:
    from wizard.core.secrets import backend_class_path, keychain_info

    info = keychain_info()
    return {
        "name": info.name,
        "available": info.available,
        "backend": backend_class_path(),
        "reason": info.reason,
    }


def keychain_round_trip(timeout: float = KEYCHAIN_TIMEOUT) -> dict[str, Any]:
    """Store, read back and remove a random test secret: {"ok", "detail", "account"}."""
    from wizard.core.secrets import (
        KeychainError,
        account_for,
        delete_secret,
        load_secret,
        store_secret,
    )

    client_id = f"doctor-test-{uuid.uuid4()}"
    secret = secrets.token_urlsafe(24)
    register_secret(secret)

    def attempt() -> str:
        store_secret(DOCTOR_HOST, client_id, secret)
        try:
            read_back = load_secret(DOCTOR_HOST, client_id)
        finally:
            removed = delete_secret(DOCTOR_HOST, client_id)
        if read_back != secret:
            raise KeychainError("The keychain gave back something other than what was stored.")
        if not removed:
            raise KeychainError("The test secret was stored but could not be found to remove.")
        return "A test secret was stored, read back and removed."

    # In a daemon thread: a locked keychain can wait for a password prompt for ever.
    account = account_for(DOCTOR_HOST, client_id)
    future = DaemonExecutor().submit(attempt)
    try:
        detail = future.result(timeout)
        _log.info("keychain round trip as %s: ok", account)
        return {"ok": True, "detail": detail, "account": account}
    except TimeoutError:
        detail = (
            f"The keychain did not answer within {timeout:g} seconds (it may be waiting for "
            "a password to be typed in a prompt)."
        )
    except KeychainError as exc:
        detail = str(exc)
    except Exception as exc:
        detail = f"{type(exc).__name__}: {exc}"
    _log.warning("keychain round trip as %s failed: %s", account, detail)
    return {"ok": False, "detail": detail, "account": account}


# ----- certificates -----


def _certificates(environ: Mapping[str, str]) -> dict[str, Any]:
    from wizard.core.http import NATIVE_VERIFIER, load_fallback_ca_file

    # The same steps as http.make_ssl_context, to count what it ends up trusting.
    context = ssl.create_default_context()
    fallback = load_fallback_ca_file(context)
    count = int(context.cert_store_stats().get("x509_ca", 0))
    paths = ssl.get_default_verify_paths()
    sources: list[str] = []
    if sys.platform == "win32":
        sources.append("the Windows certificate store (ROOT and CA)")
    if paths.cafile:
        sources.append(f"OpenSSL's CA file {paths.cafile}")
    if paths.capath:
        sources.append(f"OpenSSL's CA folder {paths.capath} (read when needed, not counted)")
    if fallback:
        sources.append(f"{fallback} (OpenSSL's own paths held no CA certificate)")
    if NATIVE_VERIFIER:
        sources.append(
            "the operating system's own verifier (truststore), for a certificate OpenSSL "
            "cannot place"
        )
    notes: list[str] = []
    environment: dict[str, Any] = {}
    for name in (*OPENSSL_BUNDLE_VARIABLES, *IGNORED_BUNDLE_VARIABLES):
        value = environ.get(name)
        if value is None:
            continue
        honoured = name in OPENSSL_BUNDLE_VARIABLES
        exists = os.path.exists(value)
        environment[name] = {"value": value, "honoured": honoured, "exists": exists}
        if not honoured:
            notes.append(NOTE_IGNORED_BUNDLE.format(name=name, value=value))
        elif not exists:
            notes.append(NOTE_MISSING_BUNDLE.format(name=name, value=value))
    if not count and not paths.capath and not NATIVE_VERIFIER:
        notes.append(NOTE_NO_CA)
    return {
        "system_ca_count": count,
        "sources": sources,
        "native_verifier": NATIVE_VERIFIER,
        "openssl": ssl.OPENSSL_VERSION,
        "openssl_paths": {
            "cafile": paths.cafile,
            "capath": paths.capath,
            "openssl_cafile": paths.openssl_cafile,
            "openssl_capath": paths.openssl_capath,
        },
        "fallback_file": fallback,
        "environment": environment,
        "notes": notes,
    }


# ----- proxies -----


def hide_password(url: str) -> str:
    """The proxy URL with its password replaced: http://user:***@proxy:3128."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        scheme, rest = "", url
    end = min((i for i in (rest.find(c) for c in "/?#") if i >= 0), default=len(rest))
    authority, path = rest[:end], rest[end:]
    if "@" not in authority:
        return url
    # rpartition: a password with an unescaped "@" in it is still hidden whole.
    user_info, _, host = authority.rpartition("@")
    if ":" in user_info:
        user_info = user_info.split(":", 1)[0] + ":***"
    return f"{scheme}{separator}{user_info}@{host}{path}"


@dataclass(frozen=True)
class AutoProxy:
    """A proxy the OS would choose by a PAC file or by detection: named, never evaluated."""

    source: str
    pac_url: str | None = None
    auto_detect: bool = False
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "pac_url": hide_password(self.pac_url) if self.pac_url else None,
            "auto_detect": self.auto_detect,
            "evaluated": False,
            "error": self.error,
        }


def windows_auto_proxy(values: Mapping[str, object]) -> AutoProxy:
    """What the Internet Settings registry values say about PAC files and detection.

    `values` holds AutoConfigURL (str), AutoDetect (int) and DefaultConnectionSettings
    (bytes, from the Connections subkey; its third DWORD has the dialog's check boxes).
    """
    pac = values.get("AutoConfigURL")
    pac_url = pac.strip() if isinstance(pac, str) and pac.strip() else None
    detect = values.get("AutoDetect")
    auto_detect = isinstance(detect, int) and detect != 0
    blob = values.get("DefaultConnectionSettings")
    if isinstance(blob, bytes) and len(blob) >= 12:
        # The "Automatically detect settings" box lives only here; AutoDetect is set by policy.
        flags = int.from_bytes(blob[8:12], "little")
        auto_detect = auto_detect or bool(flags & _WINDOWS_AUTO_DETECT_FLAG)
    return AutoProxy(WINDOWS_SOURCE, pac_url, auto_detect)


def parse_scutil_proxy(text: str) -> dict[str, str]:
    """The top-level "Key : value" pairs of `scutil --proxy` (nested arrays are skipped)."""
    found: dict[str, str] = {}
    depth = 0
    for line in text.splitlines():
        stripped = line.strip()
        if stripped == "}":
            depth -= 1
            continue
        key, separator, value = stripped.partition(" : ")
        if stripped.endswith("{"):
            depth += 1
            continue
        if separator and depth == 1:
            found[key.strip()] = value.strip()
    return found


def macos_auto_proxy(values: Mapping[str, str]) -> AutoProxy:
    """What scutil's ProxyAutoConfig* and ProxyAutoDiscoveryEnable keys say."""
    pac_url = None
    if values.get("ProxyAutoConfigEnable") == "1":
        pac_url = values.get("ProxyAutoConfigURLString") or None
    auto_detect = values.get("ProxyAutoDiscoveryEnable") == "1"
    return AutoProxy(MACOS_SOURCE, pac_url, auto_detect)


def _windows_internet_settings() -> dict[str, object]:
    if sys.platform != "win32":
        return {}
    import winreg

    values: dict[str, object] = {}
    with winreg.OpenKey(winreg.HKEY_CURRENT_USER, WINDOWS_SETTINGS_KEY) as key:
        for name in ("AutoConfigURL", "AutoDetect"):
            with contextlib.suppress(FileNotFoundError):
                values[name] = winreg.QueryValueEx(key, name)[0]
    try:
        with winreg.OpenKey(
            winreg.HKEY_CURRENT_USER, WINDOWS_SETTINGS_KEY + r"\Connections"
        ) as key:
            values["DefaultConnectionSettings"] = winreg.QueryValueEx(
                key, "DefaultConnectionSettings"
            )[0]
    except FileNotFoundError:
        pass
    return values


def _scutil_proxy() -> str:
    return subprocess.run(
        ["scutil", "--proxy"], capture_output=True, text=True, timeout=10, check=True
    ).stdout


def auto_proxy(
    platform_name: str = sys.platform,
    read_registry: Callable[[], Mapping[str, object]] = _windows_internet_settings,
    run_scutil: Callable[[], str] = _scutil_proxy,
) -> AutoProxy | None:
    """The PAC file or proxy detection set in the OS (Windows, macOS); None elsewhere."""
    if platform_name == "win32":
        try:
            return windows_auto_proxy(read_registry())
        except OSError as exc:
            return AutoProxy(WINDOWS_SOURCE, error=str(exc))
    if platform_name == "darwin":
        try:
            return macos_auto_proxy(parse_scutil_proxy(run_scutil()))
        except (OSError, subprocess.SubprocessError) as exc:
            return AutoProxy(MACOS_SOURCE, error=str(exc))
    return None


def _proxies(environ: Mapping[str, str]) -> dict[str, Any]:
    environment = {
        name: hide_password(value)
        for name, value in sorted(environ.items())
        if name.lower() in PROXY_VARIABLES
    }
    notes: list[str] = []
    error = None
    try:
        found = urllib.request.getproxies()
    except OSError as exc:
        found, error = {}, str(exc)
    used = {s: hide_password(found[s]) for s in ("https", "http") if found.get(s)}
    for name in environment:
        lower = name.lower()
        if lower == "all_proxy":
            notes.append(NOTE_ALL_PROXY.format(name=name))
        elif name != lower and lower in environment and environ[lower] != environ[name]:
            notes.append(NOTE_BOTH_CASES.format(lower=lower, upper=name))
    if "http" in used and "https" not in used:
        notes.append(NOTE_HTTP_ONLY)
    automatic = auto_proxy()
    if automatic is not None:
        if automatic.error:
            notes.append(NOTE_AUTO_ERROR.format(source=automatic.source, error=automatic.error))
        if automatic.pac_url:
            url = hide_password(automatic.pac_url)
            notes.append(NOTE_PAC.format(source=automatic.source, url=url))
        if automatic.auto_detect:
            notes.append(NOTE_AUTO_DETECT.format(source=automatic.source))
    elif sys.platform.startswith("linux"):
        notes.append(NOTE_LINUX_DESKTOP)
    return {
        "environment": environment,
        "used": used,
        "bypass": found.get("no") or None,
        "automatic": automatic.to_dict() if automatic is not None else None,
        "error": error,
        "notes": notes,
    }


# ----- folders -----


def export_folder() -> str:
    """The folder the wizard's export saves a bare file name to: Documents, else home.

    The window asks Qt (QStandardPaths), which reads the same system setting as
    platformdirs does here (Known Folders, XDG user dirs, ~/Documents) without loading Qt.
    """
    import platformdirs

    documents = platformdirs.user_documents_dir()
    if documents and os.path.isdir(documents):
        return documents
    return os.path.expanduser("~")


def _profiles_folder() -> dict[str, Any]:
    from wizard.core import profiles

    try:
        saved: int | None = len(profiles.names())
    except profiles.ProfileError:
        saved = None
    return {"profiles": str(profiles.profiles_folder()), "profiles_saved": saved}


# ----- the whole report -----


def collect(
    *, qt_versions: QtVersions = QT_NOT_ASKED, try_keychain: bool = False
) -> dict[str, Any]:
    """What doctor reports, as one JSON-ready dict; `qt_versions` as the caller found them.

    Keys (null where unknown):

    version (str), frozen (bool), executable (str), python (str, "3.12.3"),
    python_implementation (str), qt (str|null), pyside6 (str|null), qt_error (str|null: why
    PySide6 cannot be loaded), os (str, one line),
    keychain: {name (str), available (bool), backend (str|null: keyring class path),
    reason (str|null: why it cannot be used)},
    certificates: {system_ca_count (int: CA certificates OpenSSL's default context holds,
    after the fallback file), sources ([str]: where trust comes from), native_verifier
    (bool: the OS verifier is used for certificates OpenSSL cannot place), openssl (str),
    openssl_paths: {cafile, capath, openssl_cafile, openssl_capath}, fallback_file
    (str|null: which usual CA file was loaded because OpenSSL's paths had none),
    environment: {NAME: {value (str), honoured (bool), exists (bool)}} for SSL_CERT_FILE,
    SSL_CERT_DIR, REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE when set, notes ([str])},
    proxies: {environment ({NAME: value}, any case, passwords hidden), used ({"https",
    "http": url}: what requests go through, from urllib.request.getproxies()), bypass
    (str|null), automatic ({source, pac_url, auto_detect, evaluated (always false),
    error}|null: a PAC file or detection set in the OS), error (str|null), notes ([str])},
    folders: {log (str), export_default (str), profiles (str: where saved profiles are
    kept, made when the first is saved), profiles_saved (int|null: how many there are;
    null when the folder cannot be read)},
    log_file (str), log: {writing (bool), reason (str|null), debug (bool)},
    and with try_keychain: keychain_round_trip: {ok (bool), detail (str), account (str: the
    test entry's account, "doctor-test-<uuid>@doctor.invalid")}.
    """
    environ = dict(os.environ)
    status = log_status()
    report = _program(qt_versions)
    report["keychain"] = _keychain()
    report["certificates"] = _certificates(environ)
    report["proxies"] = _proxies(environ)
    report["folders"] = {
        "log": str(status.file.parent),
        "export_default": export_folder(),
        **_profiles_folder(),
    }
    report["log_file"] = str(status.file)
    report["log"] = {"writing": status.writing, "reason": status.reason, "debug": status.debug}
    if try_keychain:
        report["keychain_round_trip"] = keychain_round_trip()
    return report


# ----- the readable report -----


def _yes(value: object) -> str:
    return "yes" if value else "no"


def _aligned(title: str, rows: Sequence[tuple[str, object]]) -> list[str]:
    shown = [(label, value) for label, value in rows if value not in (None, "", [], {})]
    width = max((len(label) for label, _ in shown), default=0) + 1
    lines = [title]
    for label, value in shown:
        listed = isinstance(value, list)
        items = value if isinstance(value, list) else [value]
        prefix = f"{label}:"
        for item in items:
            # Paths and URLs are never broken; sentences wrap under their own column.
            wrapped = textwrap.wrap(
                str(item),
                max(40, LINE_WIDTH - width - 3),
                initial_indent="- " if listed else "",
                subsequent_indent="  " if listed else "",
                break_long_words=False,
                break_on_hyphens=False,
            )
            for part in wrapped or [""]:
                lines.append(f"  {prefix:<{width}} {part}")
                prefix = ""
    return lines


def _saved_words(saved: int | None) -> str:
    if saved is None:
        return "unknown: the folder cannot be read"
    return str(saved) if saved else "none yet"


def render(report: Mapping[str, Any]) -> str:
    """The report as aligned "label: value" sections, for a person to read or paste."""
    certificates = report["certificates"]
    proxies = report["proxies"]
    keychain = report["keychain"]
    qt = f"{report['qt']} (PySide6 {report['pyside6']})" if report["qt"] else report["qt_error"]
    frozen = f"yes: {report['executable']}" if report["frozen"] else "no"
    sections = [
        _aligned(
            "Program",
            [
                ("version", report["version"]),
                ("frozen", frozen),
                ("executable", None if report["frozen"] else report["executable"]),
                ("Python", f"{report['python']} ({report['python_implementation']})"),
                ("Qt", qt),
                ("operating system", report["os"]),
            ],
        ),
        _aligned(
            "Keychain",
            [
                ("keychain", keychain["name"]),
                ("usable", _yes(keychain["available"])),
                ("backend", keychain["backend"]),
                ("why not", keychain["reason"]),
            ],
        ),
        _aligned(
            "Certificates",
            [
                ("CA certificates", certificates["system_ca_count"]),
                ("trusted from", certificates["sources"]),
                ("native verifier", _yes(certificates["native_verifier"])),
                ("OpenSSL", certificates["openssl"]),
                *(
                    (name, f"{entry['value']} ({'used' if entry['honoured'] else 'ignored'})")
                    for name, entry in certificates["environment"].items()
                ),
                ("note", certificates["notes"]),
            ],
        ),
    ]
    automatic = proxies["automatic"]
    sections.append(
        _aligned(
            "Proxies",
            [
                *proxies["environment"].items(),
                ("https:// goes via", proxies["used"].get("https") or "no proxy"),
                ("http:// goes via", proxies["used"].get("http") or "no proxy"),
                ("bypassed for", proxies["bypass"]),
                ("PAC file", automatic["pac_url"] if automatic else None),
                ("auto-detect", _yes(automatic["auto_detect"]) if automatic else None),
                ("note", proxies["notes"]),
            ],
        )
    )
    log = report["log"]
    sections.append(
        _aligned(
            "Folders",
            [
                ("log file", report["log_file"]),
                ("log written", _yes(log["writing"]) + (" (debug)" if log["debug"] else "")),
                ("why not", log["reason"]),
                ("export saves to", report["folders"]["export_default"]),
                ("profiles kept in", report["folders"]["profiles"]),
                ("profiles saved", _saved_words(report["folders"]["profiles_saved"])),
            ],
        )
    )
    trip = report.get("keychain_round_trip")
    if trip is not None:
        result = ("works: " if trip["ok"] else "FAILED: ") + trip["detail"]
        sections.append(_aligned("Keychain test", [("result", result)]))
    header = [
        f"halo-wizard doctor {report['version']}: this computer, before Halo "
        "(nothing was sent anywhere; no secret is shown)"
    ]
    return "\n\n".join("\n".join(lines) for lines in [header, *sections]) + "\n"
