"""Which network was tested: the default route's interface, its addresses, the gateway and the Wi-Fi name.

They are read as the OS reports them. The public address comes from the platform's probe (`/whoami`), never
from a third-party service.

Nothing private is read: no MAC address, no user name. Every command has a deadline and any failure leaves a
field empty: a laptop that will not say is no failure of the network. Blocking: call it from a thread.
"""

from __future__ import annotations

import ipaddress
import json
import re
import socket
import struct
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sparkgui.core.i18n import Text, tr

COMMAND_DEADLINE_S = 2.0


@dataclass(frozen=True)
class NetworkIdentity:
    """The network a run used, as far as this laptop can tell."""

    interface: str = ""
    addresses: tuple[str, ...] = ()
    gateway: str = ""
    ssid: str = ""
    public_address: str = ""

    def as_json(self) -> dict[str, Any]:
        """The report's `environment.network`: only what is known."""
        data: dict[str, Any] = {
            "interface": self.interface,
            "addresses": list(self.addresses),
            "gateway": self.gateway,
            "ssid": self.ssid,
            "public_address": self.public_address,
        }
        return {key: value for key, value in data.items() if value}


def local_network() -> NetworkIdentity:
    """Read the default route's interface, its addresses, the gateway and the SSID from this OS."""
    try:
        if sys.platform.startswith("linux"):
            return _linux()
        if sys.platform == "darwin":
            return _macos()
        if sys.platform == "win32":
            return _windows()
    except (OSError, ValueError, subprocess.SubprocessError):
        pass
    return NetworkIdentity()


def _run(*argv: str) -> str:
    """A command's output, or "" when it is missing, fails or overruns its deadline."""
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=COMMAND_DEADLINE_S, check=False, stdin=subprocess.DEVNULL
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout if done.returncode == 0 else ""


def _usable(address: str) -> bool:
    """Addresses worth showing IT: not loopback, not link-local (fe80::, 169.254/16)."""
    try:
        parsed = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    return not (parsed.is_loopback or parsed.is_link_local)


def _linux() -> NetworkIdentity:
    interface, gateway = _linux_default_route(Path("/proc/net/route").read_text("ascii"))
    if not interface:
        return NetworkIdentity()
    addresses: list[str] = []
    try:
        links = json.loads(_run("ip", "-j", "addr", "show", "dev", interface) or "[]")
    except ValueError:
        links = []
    for link in links:
        for info in link.get("addr_info", []):
            local = str(info.get("local", ""))
            if _usable(local):
                addresses.append(f"{local}/{info.get('prefixlen', '')}".rstrip("/"))
    return NetworkIdentity(interface, tuple(addresses), gateway, _linux_ssid(interface))


def _linux_default_route(table: str) -> tuple[str, str]:
    """The interface and gateway of the lowest-metric IPv4 default route in /proc/net/route."""
    best: tuple[int, str, str] | None = None
    for line in table.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 7 or fields[1] != "00000000":
            continue
        gateway = socket.inet_ntoa(struct.pack("<I", int(fields[2], 16)))
        metric = int(fields[6])
        if best is None or metric < best[0]:
            best = (metric, fields[0], "" if gateway == "0.0.0.0" else gateway)
    return (best[1], best[2]) if best else ("", "")


def _linux_ssid(interface: str) -> str:
    found = re.search(r"^\s*SSID:\s*(.+)$", _run("iw", "dev", interface, "link"), re.MULTILINE)
    if found:
        return found.group(1).strip()
    for line in _run("nmcli", "-t", "-f", "active,ssid", "dev", "wifi").splitlines():
        if line.startswith("yes:"):
            return line[4:].replace("\\:", ":").strip()
    return ""


def _macos() -> NetworkIdentity:
    route = _run("route", "-n", "get", "default")
    interface = _field(route, "interface")
    if not interface:
        return NetworkIdentity()
    address = _run("ipconfig", "getifaddr", interface).strip()
    ssid = _run("networksetup", "-getairportnetwork", interface).partition(":")[2].strip()
    return NetworkIdentity(interface, (address,) if address else (), _field(route, "gateway"), ssid)


def _windows() -> NetworkIdentity:
    gateway, address = "", ""
    for line in _run("route", "print", "-4", "0.0.0.0").splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == "0.0.0.0" and fields[1] == "0.0.0.0":
            gateway, address = fields[2], fields[3]
            break
    wlan = _run("netsh", "wlan", "show", "interfaces")
    ssid = next(
        (m.group(1).strip() for m in re.finditer(r"^\s*SSID\s*:\s*(.*)$", wlan, re.MULTILINE)),
        "",
    )
    interface = _field(wlan, "Name") if ssid else ""
    return NetworkIdentity(interface, (address,) if _usable(address) else (), gateway, ssid)


def _field(text: str, name: str) -> str:
    found = re.search(rf"^\s*{re.escape(name)}\s*:\s*(.+)$", text, re.MULTILINE)
    return found.group(1).strip() if found else ""


def network_sentence(identity: NetworkIdentity | None) -> Text | None:
    """Which network was tested, in one sentence for people (None when the OS said nothing)."""
    details = network_details(identity)
    return None if details is None else tr("Network tested: {details}.", details=details)


def network_details(identity: NetworkIdentity | None) -> Text | None:
    """The Wi-Fi name, interface, addresses, gateway and public address, listed (None when none is known)."""
    if identity is None or not (identity.interface or identity.public_address):
        return None
    parts: list[Text] = []
    if identity.ssid:
        parts.append(tr("Wi-Fi {ssid}", ssid=identity.ssid))
    if identity.interface:
        parts.append(tr("interface {interface}", interface=identity.interface))
    if identity.addresses:
        parts.append(tr("address {addresses}", addresses=", ".join(identity.addresses)))
    if identity.gateway:
        parts.append(tr("gateway {gateway}", gateway=identity.gateway))
    if identity.public_address:
        parts.append(tr("public address {address} (as the platform sees it)", address=identity.public_address))
    listed: Text = parts[0]
    for part in parts[1:]:
        listed = tr("{list}, {item}", list=listed, item=part)
    return listed
