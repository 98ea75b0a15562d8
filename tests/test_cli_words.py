"""The words a first-time admin meets on the command line: a mistyped option or command named
with the nearest real one (and never a value repeated back), every option's help, why the
window cannot open where there is no display or Qt's X11 libraries are missing, what a token
answer that is not a token was, and the support report's banner."""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import re
import secrets
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import HaloFactory
from tests.test_cli import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    REPO,
    _env,
    check_args,
    run_cli,
)
from wizard.cli import DisplayProblem, _parser, display_problem, main
from wizard.cli.window import LAUNCHER_ENV, XCB_LIBRARIES, display_problem_words
from wizard.sim import SimulatedHalo

# Options deliberately left out of --help, and why.
HIDDEN = {"--exit-after-first-paint"}  # the packaged app's smoke test and benchmark only


def every_parser(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Each command's parser (and the top one, and profiles' actions) with its command words."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) not in seen:  # licenses is licences
                    seen.add(id(sub))
                    yield from every_parser(sub, (*path, name))


def run_main(*args: str) -> tuple[int, str, str]:
    """`halo-wizard ARGS` in this process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(args), stdout=out)
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


# ----- a mistyped option or command -----


def test_a_misspelled_option_is_named_with_the_nearest_real_one() -> None:
    result = run_cli("check", "--scope", "x")
    assert result.returncode == EXIT_USAGE
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("usage: halo-wizard check")
    errors = [line for line in lines if "error:" in line]
    assert errors == ["halo-wizard check: error: unknown option --scope; did you mean --scopes?"], (
        "one line, before the missing --host and --client-id"
    )
    assert result.stdout == ""


def test_every_option_of_every_command_mistyped_is_named_with_the_one_meant() -> None:
    tried = 0
    for path, parser in every_parser(_parser()):
        for action in parser._actions:
            for option in action.option_strings:
                if not option.startswith("--") or option == "--help" or option in HIDDEN:
                    continue
                typo = option[:-1]  # --scopes given as --scope
                code, _, err = run_main(*path, typo)
                assert code == EXIT_USAGE, (path, option)
                assert (
                    err.strip()
                    .splitlines()[-1]
                    .endswith(f": error: unknown option {typo}; did you mean {option}?")
                ), (path, option, err)
                assert "usage:" in err
                tried += 1
    assert tried > 40


def test_no_command_takes_an_abbreviated_option() -> None:
    for path, parser in every_parser(_parser()):
        assert parser.allow_abbrev is False, path
    # Before, simulate and demo took a prefix: --lis for --list.
    code, _, err = run_main("simulate", "--lis")
    assert code == EXIT_USAGE and "unknown option --lis; did you mean --list?" in err
    code, _, err = run_main("demo", "--scen", "healthy")
    assert code == EXIT_USAGE and "unknown option --scen; did you mean --scenario?" in err


def test_an_option_given_before_its_command_says_where_it_goes() -> None:
    code, _, err = run_main("--host", "acme.halopsa.com")
    assert code == EXIT_USAGE
    assert "unknown option --host; did you mean halo-wizard check --host?" in err


@pytest.mark.parametrize(
    ("given", "typed", "meant"),
    [
        (["diagnos"], "diagnos", "diagnose"),
        (["chek", "--host", "x"], "chek", "check"),
        (["profiles", "lst"], "lst", "list"),
    ],
)
def test_an_unknown_command_is_named_with_the_nearest_real_one(
    given: list[str], typed: str, meant: str
) -> None:
    code, _, err = run_main(*given)
    assert code == EXIT_USAGE
    last = err.strip().splitlines()[-1]
    assert last.endswith(f"error: unknown command {typed}; did you mean {meant}?"), err


def test_a_mistyped_option_or_command_never_repeats_a_value() -> None:
    value = secrets.token_urlsafe(24)
    lowercase = secrets.token_hex(24)  # a value that looks like a word is still not one
    attempts = [
        ["check", f"--client-secrett={value}"],
        ["check", f"--clientsecret={lowercase}"],
        ["check", "--client-secrett", value],
        ["check", f"--{value}"],
        ["check", f"--{lowercase}"],
        ["check", "--host", "h", "--client-id", "c", "--scopes", "s", value],
        ["diagnose", "--profile", "acme", f"-{value}"],
        [value],
        [lowercase],
        ["profiles", value],
    ]
    for args in attempts:
        code, out, err = run_main(*args)
        assert code == EXIT_USAGE, args
        assert value not in out + err and lowercase not in out + err, (args, err)
        assert "not repeated here" in err or "unknown option --client" in err, (args, err)
    # As a real process too, with its log.
    result = run_cli("check", f"--client-secrett={value}")
    assert result.returncode == EXIT_USAGE
    assert "unknown option --client-secrett; did you mean --client-secret-stdin?" in result.stderr
    assert value not in result.stdout + result.stderr


# ----- every option says what it does -----


def test_every_option_of_every_command_has_help_saying_what_it_does() -> None:
    missing = []
    for path, parser in every_parser(_parser()):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            name = "/".join(action.option_strings) or action.dest
            if name in HIDDEN:
                assert action.help == argparse.SUPPRESS, name
                continue
            words = action.help
            if not words or words == argparse.SUPPRESS or len(words.split()) < 3:
                missing.append(f"{' '.join(path) or 'halo-wizard'} {name}")
    assert missing == []


@pytest.mark.parametrize("command", ["diagnose", "simulate"])
def test_diagnose_and_simulate_help_describe_every_option(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.returncode == EXIT_OK
    parser = dict(every_parser(_parser()))[(command,)]
    text = " ".join(result.stdout.split())
    for action in parser._actions:
        assert action.help and action.help != argparse.SUPPRESS
        for option in action.option_strings:
            assert option in result.stdout
        # The help itself, as argparse wraps it (its first words suffice).
        assert " ".join(action.help.split()[:4]) in text, action.option_strings


# ----- no display, or no X11 libraries -----

X11 = {"DISPLAY": ":0"}


def none_load(soname: str) -> bool:
    return False


def all_load(soname: str) -> bool:
    return True


def never_asked(soname: str) -> bool:
    raise AssertionError(f"{soname} looked for although X11 is not used")


def test_no_display_is_said_and_what_to_run_instead() -> None:
    problem = display_problem({}, "linux", never_asked, frozen=False)
    assert problem == DisplayProblem()
    words = display_problem_words(problem, demo=False)
    assert "neither DISPLAY nor WAYLAND_DISPLAY is set" in words
    assert "halo-wizard check --host" in words and "QT_QPA_PLATFORM" not in words
    demo = display_problem_words(problem, demo=True, launcher="python3 run.py wizard")
    assert "python3 run.py wizard demo." in demo
    # The packaged app carries its libraries, but needs a display as much.
    assert display_problem({}, "linux", never_asked, frozen=True) == DisplayProblem()


def test_every_missing_x11_library_is_named_by_its_debian_package() -> None:
    absent = {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxkbcommon-x11.so.0"}
    problem = display_problem(X11, "linux", lambda name: name not in absent, frozen=False)
    assert problem is not None
    assert set(problem.missing) == absent
    assert problem.packages == ["libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0"]
    words = display_problem_words(problem, demo=False)
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxkbcommon-x11-0" in words
    assert "halo-wizard check --host" in words
    assert words.count(". ") == 0 and words.endswith("."), "one sentence"
    nothing = display_problem(X11, "linux", none_load, frozen=False)
    assert nothing is not None
    assert {
        "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
        "libxcb-render-util0", "libxcb-xkb1", "libxkbcommon-x11-0", "libxcb-randr0",
        "libxcb-shape0",
    } <= set(nothing.packages)  # fmt: skip
    assert display_problem(X11, "linux", all_load, frozen=False, answers=lambda d: True) is None


def test_a_display_that_does_not_answer_is_named() -> None:
    problem = display_problem(X11, "linux", all_load, frozen=False, answers=lambda d: False)
    assert problem == DisplayProblem(unanswered=":0")
    assert "no X11 display answers at DISPLAY=:0" in display_problem_words(problem, demo=False)


@pytest.mark.parametrize(
    "environ",
    [
        {"QT_QPA_PLATFORM": "offscreen"},
        {"QT_QPA_PLATFORM": "wayland"},
        {"QT_QPA_PLATFORM": "wayland;xcb", **X11},
        {"QT_QPA_PLATFORM": "minimal"},
        {"WAYLAND_DISPLAY": "wayland-0", **X11},
        {"WAYLAND_DISPLAY": "wayland-0"},
        {"XDG_SESSION_TYPE": "wayland", **X11},
    ],
    ids=[
        "offscreen",
        "wayland",
        "wayland-first",
        "minimal",
        "wayland-session",
        "wayland-only",
        "wayland-session-type",
    ],
)
def test_a_platform_other_than_x11_is_not_second_guessed(environ: dict[str, str]) -> None:
    assert display_problem(environ, "linux", never_asked, frozen=False) is None


def test_x11_asked_for_is_checked_and_other_systems_are_not() -> None:
    asked = {"QT_QPA_PLATFORM": "xcb"}
    assert display_problem(asked, "linux", never_asked, frozen=False) == DisplayProblem()
    problem = display_problem({**asked, **X11}, "linux", none_load, frozen=False)
    assert problem is not None and problem.missing
    for system in ("darwin", "win32"):
        assert display_problem({}, system, never_asked, frozen=False) is None
    # The packaged app's own copies are not looked for on the system.
    frozen = display_problem(X11, "linux", never_asked, frozen=True, answers=lambda d: True)
    assert frozen is None


def _needed(path: Path) -> list[str]:
    """The DT_NEEDED entries of a 64-bit little-endian ELF file (as `readelf -d` lists)."""
    data = path.read_bytes()
    assert data[:4] == b"\x7fELF" and data[4] == 2 and data[5] == 1, path
    shoff = struct.unpack_from("<Q", data, 0x28)[0]
    shentsize, shnum = struct.unpack_from("<HH", data, 0x3A)
    sections = [struct.unpack_from("<IIQQQQII", data, shoff + i * shentsize) for i in range(shnum)]
    for _name, kind, _flags, _addr, offset, size, link, _info in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strings = sections[link][4]
        found = []
        for at in range(offset, offset + size, 16):
            tag, value = struct.unpack_from("<qQ", data, at)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strings + value)
                found.append(data[strings + value : end].decode())
        return found
    return []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Qt's X11 plugin: Linux")
def test_the_libraries_checked_are_every_one_the_installed_qt_x11_plugin_links() -> None:
    spec = importlib.util.find_spec("PySide6")
    assert spec is not None and spec.submodule_search_locations
    qt = Path(next(iter(spec.submodule_search_locations))) / "Qt"
    files = [qt / "plugins" / "platforms" / "libqxcb.so", qt / "lib" / "libQt6XcbQpa.so.6"]
    if not all(path.exists() for path in files):
        pytest.skip("this PySide6 has no X11 plugin")
    runtime = re.compile(r"^(libQt6|libc\.|libm\.|libstdc\+\+|libgcc_s|libdl|libpthread|ld-)")
    linked = {name for path in files for name in _needed(path) if not runtime.match(name)}
    assert "libxcb-cursor.so.0" in linked
    assert linked - set(XCB_LIBRARIES) == set(), "add them, with their Debian package"


def _without_display() -> dict[str, str]:
    env = _env()
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE", LAUNCHER_ENV):
        env.pop(name, None)
    return env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY is Linux's")
@pytest.mark.parametrize(("args", "instead"), [((), "halo-wizard check --host"),
                                               (("--demo",), "halo-wizard demo.")])  # fmt: skip
def test_the_window_without_a_display_says_so_in_one_sentence(
    args: tuple[str, ...], instead: str, tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        cwd=REPO,
        env={**_without_display(), "HALO_WIZARD_LOG_DIR": str(tmp_path)},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == EXIT_PROBLEMS
    (line,) = result.stderr.splitlines()
    assert line.startswith("halo-wizard: the wizard's window needs a graphical desktop")
    assert "neither DISPLAY nor WAYLAND_DISPLAY is set" in line and instead in line
    assert line.endswith(".") and ". " not in line
    assert "Reinstalling" not in result.stderr and "qt.qpa" not in result.stderr


def _load_run_py() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_py", REPO / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="DISPLAY is Linux's")
def test_run_py_demo_without_a_display_says_what_to_run_from_the_checkout(
    monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run_py = _load_run_py()
    # The environment is this one: nothing is installed by the test.
    monkeypatch.setattr(run_py, "_ensure_environment", lambda: Path(sys.executable))
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("HALO_WIZARD_LOG_DIR", str(tmp_path))
    monkeypatch.chdir(REPO)
    assert run_py.main(["demo"]) == EXIT_PROBLEMS
    err = capfd.readouterr().err
    assert "try the demo on the command line instead: python3 run.py wizard demo." in err
    assert "Reinstalling" not in err


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11 is Linux's")
def test_a_display_named_but_not_running_is_said_instead_of_qts_abort(tmp_path: Path) -> None:
    env = {**_without_display(), "DISPLAY": ":917", "HALO_WIZARD_LOG_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "wizard"],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == EXIT_PROBLEMS
    (line,) = result.stderr.splitlines()
    # This computer may lack the libraries (said first) or have them (then the display).
    assert "no X11 display answers at DISPLAY=:917" in line or "sudo apt install" in line
    assert "Reinstalling" not in result.stderr


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="needs Xvfb")
def test_a_running_x_server_with_the_libraries_is_no_problem() -> None:
    if display_problem({"DISPLAY": ":0"}, "linux", frozen=False, answers=lambda d: True):
        pytest.skip("this computer lacks Qt's X11 libraries")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-nolisten", "tcp"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    try:
        with os.fdopen(read) as ready:
            number = ready.readline().strip()  # written once the server accepts connections
        assert number.isdigit()
        assert display_problem({"DISPLAY": f":{number}"}, "linux", frozen=False) is None
    finally:
        server.terminate()
        server.wait(timeout=30)


# ----- a token answer that is not a token -----


@pytest.mark.parametrize(
    ("scenario", "summary"),
    [
        ("token_malformed", "Got a web page (HTML) instead of a token (HTTP 200)"),
        (
            "token_redirect",
            "Redirected (HTTP 302) to login.elsewhere.example, not followed: probably the "
            "wrong address, or a proxy",
        ),
    ],
)
def test_a_token_answer_that_is_not_a_token_says_what_happened(
    start_halo: HaloFactory, ca_bundle: str, scenario: str, summary: str
) -> None:
    halo = start_halo(scenario)
    result = run_cli(*check_args(halo, ca_bundle, "--json"), secret=halo.client_secret)
    assert result.returncode == EXIT_PROBLEMS, result.stderr
    steps = {step["key"]: step for step in json.loads(result.stdout)["steps"]}
    assert steps["token"]["summary"] == summary
    readable = run_cli(*check_args(halo, ca_bundle), secret=halo.client_secret)
    assert "Refused (HTTP" not in readable.stdout
    assert " ".join(readable.stdout.split()).count(summary) == 1


def test_a_redirect_to_the_same_server_or_nowhere_says_so() -> None:
    from wizard.core import judges
    from wizard.core.http import Response

    token_url = "https://acme.halopsa.com/auth/token"
    for location, where in (
        ("/login?next=/auth/token", "another page of the same server"),
        (None, "an address it did not give"),
        ("https://sso.example.com/", "sso.example.com"),
    ):
        headers = {"location": location} if location else {}
        moved = Response(url=token_url, status=301, headers=headers, body=b"")
        verdict = judges.judge_token(moved, token_url, ["read:tickets"], 10.0, {})
        assert verdict.summary.startswith(f"Redirected (HTTP 301) to {where}, not followed")


# ----- the support report's banner -----


def test_the_report_of_a_connection_that_worked_at_its_last_test_says_it_stopped(
    start_halo: HaloFactory, ca_bundle: str, tmp_path: Path
) -> None:
    halo = start_halo("healthy")
    target = tmp_path / "acme.json"
    saved = run_cli(
        *check_args(halo, ca_bundle, "--save", str(target), "--secret-store", "none"),
        secret=halo.client_secret,
    )
    assert saved.returncode == EXIT_OK, saved.stderr
    halo.scenario = "agent_no_permission"
    page = tmp_path / "report.html"
    result = run_cli(
        "diagnose", "--connection", str(target), "--ca-bundle", ca_bundle,
        "--report", str(page), secret=halo.client_secret,
    )  # fmt: skip
    assert result.returncode == EXIT_PROBLEMS, result.stderr
    html = page.read_text("utf-8")
    assert '<span class="word">Stopped working</span>' in html
    assert "Not working yet" not in html


def test_the_report_of_a_connection_never_working_says_not_yet() -> None:
    from wizard.core import htmlreport

    check = {"ok": False, "findings": [{"code": "INVALID_CLIENT", "severity": "error",
                                        "title": "The secret is wrong"}]}  # fmt: skip
    never = htmlreport.report_data(check, doctor={}, changes=None)
    assert '<span class="word">Not working yet</span>' in htmlreport.render_html(never)
    stopped = htmlreport.report_data(
        check,
        doctor={},
        changes=[{"kind": "result", "what": "result", "before": "works",
                  "now": "has problems", "before_value": True, "now_value": False}],
        last_tested_at="2026-01-02T03:04:05+00:00",
    )  # fmt: skip
    assert stopped["worked_at_last_test"] is True
    assert '<span class="word">Stopped working</span>' in htmlreport.render_html(stopped)
    still = htmlreport.report_data(
        check, doctor={}, changes=[], last_tested_at="2026-01-02T03:04:05+00:00"
    )
    assert still["worked_at_last_test"] is False
    assert '<span class="word">Not working yet</span>' in htmlreport.render_html(still)


# ----- --for in the tool's own capitalisation -----


def test_for_takes_the_tools_own_capitalisation_in_check_and_diagnose(
    halo: SimulatedHalo, ca_bundle: str, tmp_path: Path
) -> None:
    target = tmp_path / "acme.json"
    checked = run_cli(
        *check_args(halo, ca_bundle, "--for", "Rewst", "--json", "--save", str(target),
                    "--secret-store", "none"),
        secret=halo.client_secret,
    )  # fmt: skip
    assert checked.returncode == EXIT_OK, checked.stderr
    data = json.loads(checked.stdout)
    assert data["tool"] == "rewst" and data["for"]["name"] == "Rewst"
    diagnosed = run_cli(
        "diagnose", "--connection", str(target), "--ca-bundle", ca_bundle, "--for", "REWST",
        "--json", secret=halo.client_secret,
    )  # fmt: skip
    assert diagnosed.returncode == EXIT_OK, diagnosed.stderr
    again = json.loads(diagnosed.stdout)
    assert again["tool"] == "rewst" and again["for"]["name"] == "Rewst"
    readable = run_cli(
        "diagnose", "--connection", str(target), "--ca-bundle", ca_bundle, "--for", "Rewst",
        secret=halo.client_secret,
    )  # fmt: skip
    assert "Type these into Rewst:" in readable.stdout
