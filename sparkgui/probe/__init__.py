"""The reference probe server: the platform's known-good endpoint for sparkgui's checks.

A platform deploys it at the profile's WebSocket URL (`wss://probe.sparkup.app/ws`); the tests and the
fault lab use it as "the platform". Plain aiohttp, no Qt: `python -m sparkgui.probe --help`.
"""

from sparkgui.probe.app import ProbeConfig, make_app
from sparkgui.probe.server import start_probe

__all__ = ["ProbeConfig", "make_app", "start_probe"]
