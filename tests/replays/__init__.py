"""Replays of notable situations: traces recorded from the simulator (make.py), replayed as
regression tests by tests/sim/test_replay.py."""
