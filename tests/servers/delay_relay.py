"""The delaying relay ships with the demo mode; the tests and benches use the same one."""

from sparkgui.core.demo.delay_relay import DelayRelay

__all__ = ["DelayRelay"]
