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
    """A command's output, or "" when it is missing, fails or overruns its deadline.

    On Windows the command gets no console window (the windowed app would flash one per command) and its
    output is read in the console's code page, where netsh and route write; bytes that do not decode are
    replaced, so an odd Wi-Fi name costs only itself.
    """
    windows = sys.platform == "win32"
    try:
        done = subprocess.run(
            argv,
            capture_output=True,
            timeout=COMMAND_DEADLINE_S,
            check=False,
            stdin=subprocess.DEVNULL,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0) if windows else 0,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    if done.returncode != 0:
        return ""
    return done.stdout.decode("oem" if windows else "utf-8", "replace")


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
    ssid = macos_ssid(_run("networksetup", "-getairportnetwork", interface)) or macos_ssid(
        _run("ipconfig", "getsummary", interface)
    )
    return NetworkIdentity(interface, (address,) if address else (), _field(route, "gateway"), ssid)


def macos_ssid(output: str) -> str:
    """The Wi-Fi name in `networksetup -getairportnetwork` or `ipconfig getsummary` output, or "".

    Only the lines that name the network count: networksetup also answers "You are not associated…" or
    "** Error: …" for a wired interface, and recent macOS shows "<redacted>" to a program without the
    location permission, which is no name either.
    """
    found = re.search(r"^\s*(?:Current (?:Wi-Fi|AirPort) Network|SSID)\s*:\s*(.+?)\s*$", output, re.MULTILINE)
    name = found.group(1) if found else ""
    return "" if name.lower() == "<redacted>" else name


def _windows() -> NetworkIdentity:
    gateway, address = windows_default_route(_run("route", "print", "-4", "0.0.0.0"))
    interface, ssid = windows_wifi(_run("netsh", "wlan", "show", "interfaces"))
    return NetworkIdentity(interface, (address,) if _usable(address) else (), gateway, ssid)


def windows_default_route(output: str) -> tuple[str, str]:
    """The gateway and local address of the first IPv4 default route in `route print -4` output."""
    for line in output.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[0] == "0.0.0.0" and fields[1] == "0.0.0.0":
            return fields[2], fields[3]
    return "", ""


def windows_wifi(output: str) -> tuple[str, str]:
    """The interface name and Wi-Fi name of the connected interface in `netsh wlan show interfaces` output.

    netsh translates its labels ("Name", "Nom", "Nombre"…) but not "SSID", and each interface's block opens
    with its name: so the name is the first field of the block that holds an SSID, in any language. The
    block's "BSSID" and physical address are never read.
    """
    for block in re.split(r"\n\s*\n", output.replace("\r\n", "\n")):
        fields = re.findall(r"^\s*([^:\n]+?)\s+:\s*(.*?)\s*$", block, re.MULTILINE)
        ssid = next((value for label, value in fields if label == "SSID" and value), "")
        if ssid:
            return next(value for _, value in fields if value), ssid
    return "", ""


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
