"""The licences of what the program is built on: one text, made the same way everywhere.

The packaged app carries this text in its `licences` folder, written at build time by
packaging/notices.py from what was really bundled. Run from a source checkout, the same
text is made live from the installed distributions halo-wizard needs (its requirements,
followed to the end). Either way `halo-wizard licences` prints it and the About box shows it.

The text holds, for each part: its name, version and licence (the SPDX expression or name
the part's metadata gives), the copyright lines found in its licence files and those files
in full; for Qt and PySide6 (LGPL v3) also how to replace those libraries in the app. Parts
whose packages ship no licence file (PySide6 and shiboken6 do not) get the licence's text
from the program's resources. Nothing in it depends on the computer or the time it is made
on, so two builds of the same commit give the same bytes.
"""

from __future__ import annotations

import importlib.metadata
import platform
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from wizard import __version__

PROJECT = "halo-wizard"
LICENCES_FOLDER = "licences"
NOTICES_FILE = "THIRD-PARTY-NOTICES.txt"
SBOM_FILE = "halo-wizard.cdx.json"

# Distributions that carry Qt, offered under LGPL-3.0-only OR GPL-2.0-only OR GPL-3.0-only;
# the app uses them under the LGPL v3.
QT_DISTRIBUTIONS = frozenset({"pyside6", "pyside6-essentials", "pyside6-addons", "shiboken6"})
QT_LICENCE = "LGPL-3.0-only"
# Licence texts the program keeps itself (resources/licences), for parts that ship none.
LGPL = ("LGPL-3.0", "GNU Lesser General Public License v3")
GPL = ("GPL-3.0", "GNU General Public License v3 (which the LGPL v3 builds on)")
APACHE = ("Apache-2.0", "Apache License 2.0")

_RULE = "=" * 78
_LINE = "-" * 78
_LICENCE_FILE = re.compile(r"(?i)^(licen[cs]e|copying|notice|authors|copyright)")
_COPYRIGHT = re.compile(r"(?i)^\s*(copyright\b|\(c\)|\u00a9)")
_MAX_COPYRIGHT_LINES = 12


class NoticesError(Exception):
    """The licences cannot be given (a file missing from the app or the environment)."""


@dataclass(frozen=True)
class Component:
    """One part of the program as the notices name it."""

    name: str
    version: str
    licence: str
    # (file name, text) of each licence file, in file-name order.
    texts: tuple[tuple[str, str], ...] = ()
    note: str = ""
    copyright: tuple[str, ...] = field(default=())


def canonical(name: str) -> str:
    """A distribution's name as indexes compare it: PySide6_Essentials is pyside6-essentials."""
    return re.sub(r"[-_.]+", "-", name).lower()


# ----- which distributions halo-wizard needs (from a source checkout) -----


_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
_FOR_AN_EXTRA = re.compile(r"\bextra\s*==")


def required_distributions(root: str = PROJECT) -> list[importlib.metadata.Distribution]:
    """The installed distributions `root` needs here: its requirements and theirs in turn.

    A requirement for one of a package's extras is left out (the wizard asks for none). Any
    other marker is taken as holding when the package is installed: one that does not hold
    on this system (pywin32-ctypes off Windows) is not installed, and a licence too many is
    better than one missing. Not `root` itself.
    """
    found: dict[str, importlib.metadata.Distribution] = {}
    wanted = [root]
    seen: set[str] = set()
    while wanted:
        name = wanted.pop()
        if canonical(name) in seen:
            continue
        seen.add(canonical(name))
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue  # not needed on this system, so not installed
        if canonical(name) != canonical(root):
            found[canonical(name)] = distribution
        for requirement in distribution.requires or []:
            spec, _, marker = requirement.partition(";")
            match = _REQUIREMENT.match(spec)
            if match is not None and not _FOR_AN_EXTRA.search(marker):
                wanted.append(match.group(1))
    return [found[name] for name in sorted(found)]


# ----- one distribution's licence -----


def _field(distribution: importlib.metadata.Distribution, key: str) -> str:
    """A metadata field's first value, "" when absent."""
    values = distribution.metadata.get_all(key) or []
    return str(values[0]) if values else ""


def licence_of(distribution: importlib.metadata.Distribution) -> str:
    """The licence as the metadata gives it: License-Expression, else a short License
    field, else the licence classifiers."""
    metadata = distribution.metadata
    expression = _field(distribution, "License-Expression").strip()
    if expression:
        return expression
    stated = _field(distribution, "License").strip()
    if stated and stated.upper() != "UNKNOWN":
        first = stated.splitlines()[0].strip()
        if len(stated.splitlines()) == 1 and len(first) <= 200:
            return first
    classifiers = sorted(
        {
            c.split(" :: ")[-1].strip()
            for c in metadata.get_all("Classifier") or []
            if c.startswith("License ::")
        }
    )
    if classifiers:
        return "; ".join(classifiers)
    if stated:
        return stated.splitlines()[0].strip()[:200]
    return "not stated in its metadata"


def _clean(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n") + "\n"


def licence_files(distribution: importlib.metadata.Distribution) -> tuple[tuple[str, str], ...]:
    """(name, text) of each licence file the distribution installed, by name."""
    found: dict[str, str] = {}
    for name in distribution.metadata.get_all("License-File") or []:
        for candidate in (f"licenses/{name}", name):
            text = distribution.read_text(candidate)
            if text is not None:
                found[name] = _clean(text)
                break
    if not found:
        # Older metadata names no License-File; the files sit in the .dist-info folder.
        for path in distribution.files or []:
            parts = path.parts
            if (
                len(parts) >= 2
                and parts[0].endswith((".dist-info", ".egg-info"))
                and _LICENCE_FILE.match(parts[-1])
            ):
                relative = "/".join(parts[1:])
                text = distribution.read_text(relative)
                if text is not None:
                    found[relative.removeprefix("licenses/")] = _clean(text)
    return tuple(sorted(found.items()))


def copyright_lines(texts: Iterable[str]) -> tuple[str, ...]:
    """The distinct "Copyright ..." lines of some licence texts, in the order found."""
    lines: list[str] = []
    for text in texts:
        for line in text.splitlines():
            stripped = " ".join(line.split())
            if _COPYRIGHT.match(stripped) and stripped not in lines:
                lines.append(stripped)
    return tuple(lines[:_MAX_COPYRIGHT_LINES])


def component_of(distribution: importlib.metadata.Distribution) -> Component:
    metadata = distribution.metadata
    name = metadata["Name"]
    texts = licence_files(distribution)
    copyright_ = copyright_lines(text for _, text in texts)
    if not copyright_:
        authors = [
            _field(distribution, key).strip()
            for key in ("Author", "Author-email", "Maintainer", "Maintainer-email")
        ]
        named = "; ".join(a for a in authors if a and a.upper() != "UNKNOWN")
        if named:
            copyright_ = (f"Authors (from its metadata): {named}",)
    note = ""
    if canonical(name) in QT_DISTRIBUTIONS:
        note = (
            f"Offered under {licence_of(distribution)}; this program uses it under the "
            f"{LGPL[1]} ({QT_LICENCE}); its text is below, with the {GPL[1]}. See "
            '"Replacing Qt and PySide6" above.'
        )
    elif not texts:
        note = "This package installs no licence file; its metadata names the licence above."
    return Component(name, distribution.version, licence_of(distribution), texts, note, copyright_)


# ----- Python, OpenSSL, and the texts kept in resources/licences -----


def python_licence_text() -> str | None:
    """The running Python's own LICENSE file (Windows' also covers its bundled libraries)."""
    import sysconfig

    stdlib = Path(sysconfig.get_paths()["stdlib"])
    short = f"{sys.version_info.major}.{sys.version_info.minor}"
    candidates = [
        stdlib / "LICENSE.txt",
        stdlib / "LICENSE",
        Path(sys.base_prefix) / "LICENSE.txt",
        Path(sys.base_prefix) / "LICENSE",
        # Debian and Ubuntu keep it in the package's copyright file instead.
        Path("/usr/share/doc") / f"libpython{short}-minimal" / "copyright",
        Path("/usr/share/doc") / f"python{short}" / "copyright",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return _clean(candidate.read_text(encoding="utf-8", errors="replace"))
    return None


def kept_licence(spdx: str) -> str:
    """A licence text the program keeps in resources/licences (SPDX id + .txt)."""
    from wizard.assets import resource

    found = resource(LICENCES_FOLDER, f"{spdx}.txt")
    if not found.is_file():
        raise NoticesError(f"the text of {spdx} is missing from the program's resources")
    return _clean(found.read_text(encoding="utf-8"))


def python_component() -> Component:
    text = python_licence_text()
    if text is None:
        raise NoticesError(
            "Python's LICENSE file was not found next to its standard library; this "
            "Python installation does not carry it."
        )
    return Component(
        "Python",
        platform.python_version(),
        "PSF-2.0",
        (("LICENSE", text),),
        "The Python interpreter and its standard library, which run the program.",
        copyright_lines([text]),
    )


def openssl_versions() -> list[str]:
    """The OpenSSL versions in use: Python's ssl module's, and the one in cryptography."""
    import ssl

    texts = [(ssl.OPENSSL_VERSION, "Python's ssl module")]
    try:
        from cryptography.hazmat.backends.openssl import backend

        texts.append((backend.openssl_version_text(), "inside cryptography"))
    except Exception:  # not installed, or it cannot load here: the licence is the same
        pass
    versions = []
    for text, where in texts:
        number = re.search(r"\d+\.\d+[\w.]*", text)
        versions.append(f"{number.group(0) if number else text} ({where})")
    return versions


def openssl_component() -> Component:
    versions = openssl_versions()
    three = all(v[0] in "3456789" for v in versions)
    licence = APACHE[0] if three else "Apache-2.0 (OpenSSL 3), or the OpenSSL and SSLeay licences"
    return Component(
        "OpenSSL",
        ", ".join(versions),
        licence,
        (),
        "The TLS library under Python's ssl module and the cryptography package. "
        f"OpenSSL 3 is under the {APACHE[1]}, whose text is below.",
        ("Copyright The OpenSSL Project Authors. All Rights Reserved.",),
    )


REPLACING_QT = """\
Replacing Qt and PySide6
------------------------
Qt, PySide6 and shiboken6 are under the GNU Lesser General Public License v3 (LGPL). You may
replace them in this program with other versions, changed or built by you, and run it with
them. The app is a folder of ordinary files, not one sealed file, so there is nothing to
unpack: swap the library files, keeping their names, for builds of the same Qt and PySide6
version (the versions above) or a compatible one. The program imports PySide6 the usual way,
so it uses whatever is in that folder the next time it starts.

Where the files are (the folder you unpacked or installed the app into):
- Linux:   halo-wizard/_internal/PySide6/Qt/lib/libQt6*.so.6 (Qt),
           halo-wizard/_internal/PySide6/ (PySide6's modules, *.abi3.so; Qt's plugins
           under Qt/plugins), halo-wizard/_internal/shiboken6/ (shiboken6).
- Windows: _internal\\PySide6\\Qt6*.dll (Qt), _internal\\PySide6\\*.pyd (PySide6; plugins under
           _internal\\PySide6\\plugins), _internal\\shiboken6\\ (shiboken6), in the install
           folder (%LOCALAPPDATA%\\Programs\\Halo Connection Wizard by default).
- macOS:   Halo Connection Wizard.app/Contents/Frameworks/PySide6/Qt/lib/*.framework (Qt),
           .../Contents/Frameworks/PySide6/ and .../Contents/Frameworks/shiboken6/. Changing
           files breaks the app's signature: sign it again for yourself afterwards with
           codesign --force --deep --sign - "Halo Connection Wizard.app".

The source code of Qt, PySide6 and shiboken6 is published by the Qt Project at
https://code.qt.io (qt/qtbase and the other Qt modules; pyside/pyside-setup for PySide6 and
shiboken6). Qt's own licence and the third-party code inside Qt are also shown by the About
Qt button in the wizard's About box.
"""


# ----- the whole text -----


def render(
    components: Sequence[Component],
    *,
    version: str = __version__,
    system_libraries: Sequence[Component] = (),
) -> str:
    """The notices: a list of every part, how to replace Qt, then each part's texts.

    `components` are the Python distributions bundled (or needed); Python and OpenSSL are
    added here. `system_libraries` are the operating system's libraries the app carries
    (Linux: a Debian package each, with its copyright file).
    """
    distributions = sorted(components, key=lambda c: (canonical(c.name), c.version))
    systems = sorted(system_libraries, key=lambda c: (c.name, c.version))
    parts = [python_component(), openssl_component(), *distributions, *systems]
    out = [
        _RULE,
        f"Halo Connection Wizard {version}: the software it is built on, and their licences",
        _RULE,
        "",
        "The Halo Connection Wizard is built on the open-source software listed here. Each",
        "part keeps its own licence; the full texts follow the list. Copyright in each part",
        "stays with its authors.",
        "",
    ]
    width = max(len(f"{c.name} {_short(c.version)}") for c in parts) + 2
    for part in parts:
        out.append(f"  {f'{part.name} {_short(part.version)}':<{width}}{part.licence}")
    out += ["", REPLACING_QT.rstrip("\n"), ""]
    for part in parts:
        out += [_LINE, f"{part.name} {part.version}", f"Licence: {part.licence}"]
        if part.note:
            out.append(part.note)
        out += ["Copyright:", *(f"  {line}" for line in part.copyright)] if part.copyright else []
        for name, text in part.texts:
            out += ["", f"--- {name} ---", "", text.rstrip("\n")]
        out.append("")
    texts = [LGPL, GPL]
    if APACHE[0] in parts[1].licence:
        texts.append(APACHE)
    for spdx, title in texts:
        out += [_LINE, f"{title} ({spdx})", "", kept_licence(spdx).rstrip("\n"), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _short(version: str) -> str:
    return version.split(" (")[0]


def live_text() -> str:
    """The notices made now from the installed distributions halo-wizard needs."""
    return render([component_of(d) for d in required_distributions()])


def bundled_folder(executable: str | None = None) -> Path | None:
    """The packaged app's `licences` folder, or None when not running as the packaged app."""
    if executable is None:
        if not getattr(sys, "frozen", False):
            return None
        executable = sys.executable
    here = Path(executable).resolve().parent
    # Linux and Windows: beside the executable. macOS: the bundle's Contents/Resources.
    for folder in (here / LICENCES_FOLDER, here.parent / "Resources" / LICENCES_FOLDER):
        if folder.is_dir():
            return folder
    return here / LICENCES_FOLDER


def licences_text() -> str:
    """What `halo-wizard licences` prints: the app's bundled file, or the live text."""
    folder = bundled_folder()
    if folder is None:
        return live_text()
    path = folder / NOTICES_FILE
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise NoticesError(
            f"the licences file is missing from this app ({exc.strerror or exc}): {path}"
        ) from None
