"""A simulated Halo API server (discovery, token, read probes) with failure scenarios."""

from .halo import SimulatedHalo
from .scenarios import SCENARIOS
from .server import RecordedRequest
from .tls import make_tls

__all__ = ["SCENARIOS", "RecordedRequest", "SimulatedHalo", "make_tls"]
