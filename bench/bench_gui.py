"""The wizard's start-up and how long the GUI thread can stall during a live test.

    python bench/bench_gui.py [--runs 7]

1. Time from starting the process to the first page painted, for `halo-wizard` and for a
   bare PySide6 QWizard started the same way; the ratio shows what the wizard itself adds.
2. The longest stall of the GUI thread during a live test of ten scopes against the
   simulated Halo over HTTPS (every answer delayed 100 ms): a 5 ms Qt timer's worst lateness.

Runs offscreen (QT_QPA_PLATFORM=offscreen) unless a platform is set.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SCOPES = (
    "read:tickets",
    "read:customers",
    "read:assets",
    "read:invoices",
    "read:items",
    "read:projects",
    "read:crm",
    "read:quotes",
    "read:contracts",
    "read:kb",
)


def first_paint(mode: str) -> float:
    env = dict(os.environ)
    started = time.time()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "_gui_child.py"), mode, repr(started)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{mode} did not paint: {done.stderr[-2000:]}")
    return float(lines[-1])


def startup(runs: int) -> tuple[float, float]:
    first_paint("wizard")  # warm the disk cache for both
    first_paint("bare")
    wizard = statistics.median(first_paint("wizard") for _ in range(runs))
    bare = statistics.median(first_paint("bare") for _ in range(runs))
    return wizard, bare


def longest_stall(latency_ms: int = 100) -> tuple[float, float]:
    """(worst timer lateness in ms, seconds the test took) during one live test."""
    import qasync
    from PySide6.QtCore import QTimer

    from wizard.core import run_discovery
    from wizard.flow import AppChoice, IdentityChoice, StepKey, WizardFlow, WizardState
    from wizard.sim import SimulatedHalo, make_tls
    from wizard.ui.app import application
    from wizard.ui.context import UiContext
    from wizard.ui.window import WizardWindow

    tls, ca_bundle = make_tls()
    halo = SimulatedHalo(tls=tls, public_host="localhost", latency_ms=latency_ms)
    halo.start()
    try:
        discovery = asyncio.run(run_discovery(halo.url, ca_bundle=ca_bundle))
        state = WizardState(
            app_choice=AppChoice.EXISTING,
            # The tool step comes first: without a tool chosen, Next would never leave it.
            tool="script",
            identity=IdentityChoice.AGENT,
            scopes=SCOPES,
            host_text=halo.url,
            discovery=discovery,
            client_id_text=halo.client_id,
            secret_text=halo.client_secret,
        )
        app = application([])
        window = WizardWindow(UiContext(flow=WizardFlow(state), ca_bundle=ca_bundle))
        window.show()

        async def measure() -> tuple[float, float]:
            worst = 0.0
            last = time.perf_counter()
            interval = 0.005

            def tick() -> None:
                nonlocal worst, last
                now = time.perf_counter()
                worst = max(worst, now - last - interval)
                last = now

            timer = QTimer()
            timer.setInterval(int(interval * 1000))
            timer.timeout.connect(tick)
            for _ in range(40):
                if window.context.flow.current is StepKey.TEST:
                    break
                window.next()
                await asyncio.sleep(0.05)
            else:
                raise RuntimeError(
                    f"stuck at {window.context.flow.current}: a page asks for something"
                )
            started = time.perf_counter()
            last = started
            timer.start()
            page = window.current_page()
            while page.busy or window.context.flow.state.report is None:
                await asyncio.sleep(0.01)
            took = time.perf_counter() - started
            timer.stop()
            report = window.context.flow.state.report
            assert report is not None and report.ok, report and report.codes()
            window.close_now()
            return worst * 1000, took

        result: tuple[float, float] = qasync.run(measure())
        del app
        return result
    finally:
        halo.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    wizard, bare = startup(args.runs)
    print(
        f"first page painted, median of {args.runs}: halo-wizard {wizard * 1000:.0f} ms, "
        f"bare QWizard {bare * 1000:.0f} ms, ratio {wizard / bare:.2f} (target < 1 s)"
    )
    stalls = [longest_stall() for _ in range(3)]
    worst = max(s[0] for s in stalls)
    print(
        f"longest GUI stall during a live test of 10 scopes (3 runs): "
        f"{', '.join(f'{s[0]:.1f}' for s in stalls)} ms, worst {worst:.1f} ms "
        f"(target < 50 ms); each test took {', '.join(f'{s[1]:.2f}' for s in stalls)} s"
    )


if __name__ == "__main__":
    main()
