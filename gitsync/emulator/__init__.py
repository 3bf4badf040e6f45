"""A local, faithful Connect API (SPEC §6): an independent oracle that imports nothing else of gitsync.

app = EmulatorApp(seed, deploy_time=0.2, clock=ManualClock())   # a WSGI callable
with serve(app) as server:                                      # real HTTP on loopback
    server.url                                                  # Connect and auth base URL
"""

from __future__ import annotations

from gitsync.emulator.app import EmulatorApp
from gitsync.emulator.clock import Clock, ManualClock, MonotonicClock
from gitsync.emulator.seed import SeedError, load_seed
from gitsync.emulator.server import EmulatorServer, serve

__all__ = [
    "Clock",
    "EmulatorApp",
    "EmulatorServer",
    "ManualClock",
    "MonotonicClock",
    "SeedError",
    "load_seed",
    "serve",
]
