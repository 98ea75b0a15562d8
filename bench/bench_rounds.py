"""How many answers a check waits for one after another (the critical path), for 10 scopes.

Every answer of the simulated Halo is delayed by L milliseconds. A check that makes its
requests one after another pays L once per request; one that overlaps them pays it once
per round. round trips = (time with latency L - time without) / L. The floor is 3:
discovery, token, then the probes and the identity together.

    python bench/bench_rounds.py [--latency-ms 250] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wizard.core import CheckRequest, run_check_sync
from wizard.sim import SimulatedHalo, make_tls

SCOPES = (
    "read:tickets read:customers read:assets read:invoices read:items read:projects "
    "read:crm read:quotes read:contracts read:kb"
)


def timed_check(halo: SimulatedHalo, ca_bundle: str) -> float:
    request = CheckRequest(
        host=halo.url,
        client_id=halo.client_id,
        client_secret=halo.client_secret,
        scopes=SCOPES,
        ca_bundle=ca_bundle,
    )
    started = time.perf_counter()
    report = run_check_sync(request)
    elapsed = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"the check failed: {report.codes()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--latency-ms", type=int, default=250)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tls, ca_bundle = make_tls()
    with SimulatedHalo(tls=tls, public_host="localhost") as halo:
        timed_check(halo, ca_bundle)  # warm up imports and the first TLS setup
        baseline = statistics.median(timed_check(halo, ca_bundle) for _ in range(args.runs))
        halo.latency_ms = args.latency_ms
        delayed = statistics.median(timed_check(halo, ca_bundle) for _ in range(args.runs))
    latency = args.latency_ms / 1000
    rounds = (delayed - baseline) / latency
    print(f"scopes: 10, runs: {args.runs}, latency: {args.latency_ms} ms")
    print(f"median check without latency: {baseline * 1000:.0f} ms")
    print(f"median check with latency:    {delayed * 1000:.0f} ms")
    print(f"round trips on the critical path: {rounds:.2f} (floor 3, target <= 3.5)")


if __name__ == "__main__":
    main()
