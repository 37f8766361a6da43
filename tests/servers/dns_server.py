"""The loopback DNS server ships with the demo mode; the tests use the same one."""

from sparkgui.core.demo.dns_server import NXDOMAIN, SERVFAIL, SILENT, DnsServer

__all__ = ["NXDOMAIN", "SERVFAIL", "SILENT", "DnsServer"]
