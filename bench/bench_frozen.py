"""Start-up of the frozen app against the same program run from source, in one run.

    python bench/bench_frozen.py [--runs 9] [PATH]

PATH is the frozen app's executable (default: dist/halo-wizard/halo-wizard, made by
packaging/build.py). Both are started with `--exit-after-first-paint` from an empty folder;
the figure is the time from starting the process to the moment its "first page painted"
line arrives, so it includes the interpreter's start-up, every import, and (for the frozen
app) unpacking nothing: one-folder mode reads its files in place. Runs alternate between
the two, after one warm-up each, so that disk caching favours neither. Target: the frozen
app no slower than 1.3 times the unfrozen one.

Runs offscreen (QT_QPA_PLATFORM=offscreen) unless a platform is set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.3


def default_frozen() -> Path:
    name = "halo-wizard-cli.exe" if sys.platform == "win32" else "halo-wizard"
    return ROOT / "dist" / "halo-wizard" / name


def first_paint(command: list[str], cwd: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    with subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("first page painted"):
                took = time.perf_counter() - started
                break
        else:
            raise SystemExit(f"{command[0]} did not paint: {process.stderr.read()[-2000:]}")
        process.stdout.read()
        if process.wait(timeout=60) != 0:
            raise SystemExit(f"{command[0]} exited {process.returncode}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("frozen", nargs="?", type=Path, default=default_frozen())
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    if not args.frozen.is_file():
        raise SystemExit(f"no frozen app at {args.frozen}: run python3 packaging/build.py")
    # Without PYTHONDONTWRITEBYTECODE: the run from source keeps its compiled bytecode after
    # the warm-up, as an installed program has it, so its imports are not compiled each time.
    dropped = ("PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    source_env = dict(env, PYTHONPATH=str(ROOT))
    frozen = [str(args.frozen.resolve()), "--exit-after-first-paint"]
    source = [sys.executable, "-m", "wizard", "--exit-after-first-paint"]
    with tempfile.TemporaryDirectory() as cwd:
        env["HALO_WIZARD_LOG_DIR"] = source_env["HALO_WIZARD_LOG_DIR"] = cwd
        first_paint(frozen, cwd, env)
        first_paint(source, cwd, source_env)
        frozen_times, source_times = [], []
        for _ in range(args.runs):
            frozen_times.append(first_paint(frozen, cwd, env))
            source_times.append(first_paint(source, cwd, source_env))
    f, s = statistics.median(frozen_times), statistics.median(source_times)
    print(
        f"process start to first page painted, median of {args.runs}: frozen {f * 1000:.0f} ms, "
        f"from source {s * 1000:.0f} ms, ratio {f / s:.2f} (target <= {TARGET})"
    )


if __name__ == "__main__":
    main()
