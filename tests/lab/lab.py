"""The network fault lab: real hosts in network namespaces, real servers, faults injected with real tools.

`Lab.build()` makes the hosts (client, router, platform, dns, proxy), the lab's CA and certificates, and
starts the platform's web server, the router's captive portal and dnsmasq. Fault methods change the network
(nftables on the router, dnsmasq's configuration, the delay relay, the SNI filter); `reset()` undoes them.
`run_sparkgui()` runs the real headless CLI on the client host and returns its JSON report.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import trustme

from tests.lab import topology as topo
from tests.lab.netns import (
    LabError,
    LabProcess,
    in_ns,
    ip,
    kill_pid,
    kill_pid_file,
    namespaces,
    nft,
    pids_in,
    sh,
    sysctl,
)
from tests.lab.squid import SQUID_PORT, Bump, SquidSetup, squid_conf, squid_folder, squid_folder_path
from tests.support import Ep, profile_toml

HOSTS_DIR = Path(__file__).parent / "hosts"
REPO_ROOT = Path(__file__).resolve().parents[2]
NETNS_ETC = Path("/etc/netns")
DELAY_DEV = "dly0"
DELAY_TABLE = "100"
SNI_FILTER_PORT = 9443
SERVFAIL_PORT = 5300
FAULT_TABLE = "lab_fault"
BIND_ALL = ("--bind", "0.0.0.0", "--bind", "::")
PAC_PORT = 8080
IDLE_RESET_PORT = 9444
LINK_MTU = 1500  # every veth link of the lab, as created
CONNTRACK_DEFAULTS = (  # the kernel's defaults, restored after the stateful-firewall scenario
    "net.netfilter.nf_conntrack_tcp_timeout_established=432000",
    "net.netfilter.nf_conntrack_tcp_loose=1",
)


class DnsMode(Enum):
    CLEAN = "clean"  # every platform name answers A and AAAA
    NXDOMAIN = "nxdomain"  # the given names do not exist
    SERVFAIL = "servfail"  # dnsmasq forwards the platform's domain to an upstream that fails
    HIJACK = "hijack"  # every name, even one that cannot exist, points at the router's portal


@dataclass
class LabRun:
    """One run of the headless CLI on the client host."""

    exit_code: int
    report: dict[str, Any]
    elapsed_s: float
    stderr: str

    @property
    def verdict(self) -> str:
        return str(self.report["verdict"])

    @property
    def checks(self) -> dict[str, dict[str, Any]]:
        return {c["id"]: c for c in self.report["checks"]}

    def causes(self) -> dict[str, tuple[str, str]]:
        return {c["id"]: (c["status"], c["cause"]) for c in self.report["checks"]}

    def explain(self) -> str:
        """The whole report, for assertion messages: a failing lab test must show what the engine said."""
        return json.dumps(self.report["checks"], indent=1)[:12000] + "\n--- stderr ---\n" + self.stderr[-3000:]


@dataclass(frozen=True)
class WsSetup:
    """The lab profile's `[websocket]`: the probe's echo, held briefly (the real profile holds 60 s and 600 s).

    The default heartbeat is longer than the hold, so a plain scenario sends no ping; the idle scenarios
    set a heartbeat shorter than the middlebox's idle timeout, as the platform's own client does."""

    host: topo.PlatformHost = topo.PROBE_HOST
    hold_s: float = 2.0
    heartbeat_s: float = 5.0
    long_hold_s: float = 600.0

    @property
    def url(self) -> str:
        return f"wss://{self.host.name}/ws"

    def toml(self) -> str:
        return (
            f'[websocket]\nurl = "{self.url}"\nhold_seconds = {self.hold_s}\n'
            f"long_hold_seconds = {self.long_hold_s}\nheartbeat_seconds = {self.heartbeat_s}\n"
        )


@dataclass
class Lab:
    folder: Path
    prefix: str
    python: str = sys.executable
    processes: dict[str, LabProcess] = field(default_factory=dict)
    _fault_processes: list[str] = field(default_factory=list)
    _dns_mode: tuple[DnsMode, tuple[str, ...]] = (DnsMode.CLEAN, ())
    _delay_on: bool = False
    _delay_rules: list[tuple[str, ...]] = field(default_factory=list)
    _conntrack_changed: bool = False
    _mtu_changed: bool = False

    # ---- names and paths ----

    def ns(self, role: str) -> str:
        return f"{self.prefix}-{role}"

    @property
    def all_namespaces(self) -> list[str]:
        return [self.ns(role) for role in topo.HOST_ROLES]

    @property
    def ca_file(self) -> Path:
        return self.folder / "lab-ca.pem"

    @property
    def platform_cert(self) -> Path:
        return self.folder / "platform-cert.pem"

    @property
    def platform_key(self) -> Path:
        return self.folder / "platform-key.pem"

    @property
    def empty_cert_dir(self) -> Path:
        return self.folder / "no-system-roots"

    # ---- build and teardown ----

    def build(self) -> Lab:
        started = time.monotonic()
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            self._make_hosts()
            self._make_pki()
            self._start_servers()
        except BaseException:
            self.teardown()
            raise
        self.build_seconds = time.monotonic() - started
        return self

    def _make_hosts(self) -> None:
        for name in self.all_namespaces:
            sh("ip", "netns", "add", name)
            ip(name, "link", "set", "lo", "up")
        router = self.ns("router")
        sysctl(
            router,
            "net.ipv4.ip_forward=1",
            "net.ipv6.conf.all.forwarding=1",
            "net.ipv4.conf.all.rp_filter=0",
            "net.ipv4.conf.default.rp_filter=0",
            "net.ipv4.conf.all.send_redirects=0",
            "net.ipv4.conf.default.send_redirects=0",
            # Every reject answered: the kernel's per-destination ICMP rate limit (a burst of 6, then 1 a
            # second) would turn some of a scenario's rejects into silence, and a refusal into a timeout.
            "net.ipv4.icmp_ratelimit=0",
            "net.ipv6.icmp.ratelimit=0",
        )
        for seg in topo.SEGMENTS:
            host = self.ns(seg.host)
            # Both ends are created straight inside the lab's namespaces: nothing touches the root namespace.
            ip(router, "link", "add", seg.router_if, "type", "veth", "peer", "name", "eth0", "netns", host)
            ip(router, "addr", "add", f"{seg.v4_router}/{seg.v4_prefix}", "dev", seg.router_if)
            ip(router, "-6", "addr", "add", f"{seg.v6_router}/64", "dev", seg.router_if, "nodad")
            ip(router, "link", "set", seg.router_if, "up")
            ip(host, "addr", "add", f"{seg.v4_host}/{seg.v4_prefix}", "dev", "eth0")
            ip(host, "-6", "addr", "add", f"{seg.v6_host}/64", "dev", "eth0", "nodad")
            ip(host, "link", "set", "eth0", "up")
            ip(host, "route", "add", "default", "via", seg.v4_router)
            ip(host, "-6", "route", "add", "default", "via", seg.v6_router)
        platform = self.ns("platform")
        for h in topo.PLATFORM_HOSTS:
            ip(platform, "addr", "add", f"{h.v4}/{topo.PLATFORM.v4_prefix}", "dev", "eth0")
            ip(platform, "-6", "addr", "add", f"{h.v6}/64", "dev", "eth0", "nodad")
        resolv = NETNS_ETC / self.ns("client")
        resolv.mkdir(parents=True, exist_ok=True)
        (resolv / "resolv.conf").write_text(f"nameserver {topo.DNS.v4_host}\n")

    def _make_pki(self) -> None:
        ca = trustme.CA(organization_name=topo.LAB_CA_NAME)
        ca.cert_pem.write_to_path(str(self.ca_file))
        # The probe server holds one certificate: every platform name is one of its SANs.
        # As the platform's real chain: RSA, from an issuing CA under the root (the server sends both, over
        # 1400 bytes: the path-MTU scenario needs a first flight larger than a small MTU), dated as real
        # certificates are (90 days, issued a month ago), so a wrong clock shows.
        issuing = trustme.CA(
            parent_cert=ca, organization_name=f"{topo.LAB_CA_NAME} (issuing)", key_type=trustme.KeyType.RSA
        )
        now = dt.datetime.now(dt.UTC)
        platform = issuing.issue_cert(
            *(h.name for h in topo.PLATFORM_HOSTS),
            not_before=now - dt.timedelta(days=30),
            not_after=now + dt.timedelta(days=60),
            key_type=trustme.KeyType.RSA,
        )
        self.platform_cert.write_bytes(b"".join(blob.bytes() for blob in platform.cert_chain_pems))
        platform.private_key_pem.write_to_path(str(self.platform_key))
        ca.issue_cert(topo.PORTAL_NAME).private_key_and_cert_chain_pem.write_to_path(str(self.folder / "portal.pem"))
        self.empty_cert_dir.mkdir(exist_ok=True)

    def _start_servers(self) -> None:
        platform, script = self.ns("platform"), str(HOSTS_DIR / "https_server.py")
        # The platform is the real probe server (`/`, `/healthz`, `/ws` echo) on 443; host "" listens on
        # every address of both families. Port 80 only redirects to HTTPS, as the platform's front does.
        probe = [self.python, "-m", "sparkgui.probe", "--host", "", "--port", "443"]
        probe += ["--cert", str(self.platform_cert), "--key", str(self.platform_key)]
        self._start("probe", platform, probe, ready="listening on")
        self._start("platform-http", platform, [self.python, script, "--role", "platform", "--http-only", *BIND_ALL])
        portal = [self.python, script, "--role", "portal", "--cert", str(self.folder / "portal.pem"), *BIND_ALL]
        self._start("portal", self.ns("router"), portal)
        self._start_dnsmasq(DnsMode.CLEAN, ())

    def _start(self, name: str, ns: str, argv: list[str], ready: str = "ready") -> LabProcess:
        process = LabProcess.start(self.folder, name, ns, argv)
        self.processes[name] = process
        process.wait_ready(ready)
        return process

    def _stop(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is not None:
            process.stop()

    def teardown(self) -> None:
        """Stop every process by its pid file, then delete the namespaces and their /etc/netns folders."""
        for name in list(self.processes):
            self._stop(name)
        for pid_file in self.folder.glob("*.pid"):
            kill_pid_file(pid_file)
        for name in self.all_namespaces:
            for pid in pids_in(name):  # anything still inside a namespace the lab made is the lab's
                kill_pid(pid)
            sh("ip", "netns", "del", name, check=False)
            shutil.rmtree(NETNS_ETC / name, ignore_errors=True)
        shutil.rmtree(squid_folder_path(self.prefix), ignore_errors=True)

    def leftovers(self) -> list[str]:
        """Anything of this lab still present: namespaces, /etc/netns folders, live processes."""
        found = [f"namespace {n}" for n in namespaces() if n.startswith(f"{self.prefix}-")]
        found += [f"{p}" for p in NETNS_ETC.glob(f"{self.prefix}-*")] if NETNS_ETC.exists() else []
        if squid_folder_path(self.prefix).exists():
            found.append(f"folder {squid_folder_path(self.prefix)}")
        for pid_file in self.folder.glob("*.pid"):
            found.append(f"pid file {pid_file}")
        for process in self.processes.values():
            if process.alive():
                found.append(f"process {process.name} ({process.popen.pid})")
        return found

    # ---- faults ----

    def reset(self) -> None:
        """Back to the clean network: no firewall rules, clean DNS, no delay, no filter."""
        for name in self._fault_processes:
            self._stop(name)
        self._fault_processes.clear()
        for pid in pids_in(self.ns("proxy")):  # squid's helpers; only the lab's proxy runs in that namespace
            kill_pid(pid)
        in_ns(self.ns("router"), "nft", "flush", "ruleset")
        if self._conntrack_changed:
            sysctl(self.ns("router"), *CONNTRACK_DEFAULTS)
            self._conntrack_changed = False
        if self._delay_on:
            self._undo_delay()
        (NETNS_ETC / self.ns("client") / "hosts").unlink(missing_ok=True)
        if self._mtu_changed:
            ip(self.ns("router"), "link", "set", topo.CLIENT.router_if, "mtu", str(LINK_MTU))
            self._mtu_changed = False
        if self._dns_mode != (DnsMode.CLEAN, ()):
            self._start_dnsmasq(DnsMode.CLEAN, ())

    def firewall(self, *forward_rules: str, prerouting: Iterable[str] = ()) -> None:
        """Rules on the router's forward path (filter) and prerouting (nat), as nftables statements."""
        forward = "\n".join(f"    {rule}" for rule in forward_rules)
        nat = "\n".join(f"    {rule}" for rule in prerouting)
        nft(
            self.ns("router"),
            f"""table inet {FAULT_TABLE} {{
  chain forward {{
    type filter hook forward priority filter; policy accept;
{forward}
  }}
  chain prerouting {{
    type nat hook prerouting priority dstnat; policy accept;
{nat}
  }}
}}
""",
        )

    def dns(self, mode: DnsMode, *names: str) -> None:
        self._start_dnsmasq(mode, names)

    def _start_dnsmasq(self, mode: DnsMode, names: Iterable[str]) -> None:
        names = tuple(names)
        self._stop("dnsmasq")
        self._stop("servfail-upstream")
        dns_ns = self.ns("dns")
        lines = [
            "no-resolv",
            "no-hosts",
            "bind-interfaces",
            f"listen-address={topo.DNS.v4_host},{topo.DNS.v6_host}",
            "port=53",
            "log-queries",
            f"log-facility={self.folder / 'dnsmasq-queries.log'}",
            "user=root",
        ]
        if mode is DnsMode.HIJACK:
            lines.append(f"address=/#/{topo.CLIENT.v4_router}")  # the gateway's portal, for every name
        elif mode is DnsMode.SERVFAIL:
            lines.append(f"server=/{topo.DOMAIN}/127.0.0.1#{SERVFAIL_PORT}")
            self._start(
                "servfail-upstream",
                dns_ns,
                [self.python, str(HOSTS_DIR / "servfail_upstream.py"), "--port", str(SERVFAIL_PORT)],
            )
        else:
            lines += [f"local=/{topo.DOMAIN}/", "local=/example.com/", "local=/lab.test/"]  # as the real DNS: NXDOMAIN
            lines += [
                f"host-record={h.name},{h.v4},{h.v6}"
                for h in topo.PLATFORM_HOSTS
                if not (mode is DnsMode.NXDOMAIN and h.name in names)
            ]
        conf = self.folder / "dnsmasq.conf"
        conf.write_text("\n".join(lines) + "\n")
        process = LabProcess.start(
            self.folder, "dnsmasq", dns_ns, ["dnsmasq", "--keep-in-foreground", f"--conf-file={conf}"]
        )
        self.processes["dnsmasq"] = process
        self._wait_listening(dns_ns, 53, udp=True, process=process)
        self._dns_mode = (mode, names)

    def _wait_listening(self, ns: str, port: int, *, udp: bool, process: LabProcess, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = in_ns(ns, "ss", "-Hln" + ("u" if udp else "t"), f"sport = :{port}").stdout
            if out.strip():
                return
            if not process.alive():
                break
            time.sleep(0.02)
        raise LabError(f"{process.name} is not listening on port {port}: {process.output()[-2000:]}")

    def delay(
        self,
        rtt_ms: float,
        loss: float = 0.0,
        jitter_ms: float = 0.0,
        seed: int = 5,
        selectors: Iterable[tuple[str, ...]] = ((),),
    ) -> Path:
        """Delay (RTT), jitter and loss on the packets the router forwards, through a TUN device.

        `selectors` narrow which packets (`ip rule` selectors such as ("ipproto", "udp", "dport", "53")); by
        default every packet. Returns the delay relay's stats file (JSON counters: forwarded, dropped).
        """
        router = self.ns("router")
        stats = self.folder / "delay-stats.json"
        stats.unlink(missing_ok=True)
        self._start(
            "delay",
            router,
            [
                *(self.python, str(HOSTS_DIR / "tun_delay.py"), "--dev", DELAY_DEV, "--stats", str(stats)),
                *("--delay-ms", str(rtt_ms / 2), "--jitter-ms", str(jitter_ms / 2)),  # each way: half the RTT
                *("--loss", str(loss), "--seed", str(seed)),
            ],
        )
        self._fault_processes.append("delay")
        self._delay_on = True
        sysctl(router, f"net.ipv4.conf.{DELAY_DEV}.rp_filter=0", f"net.ipv6.conf.{DELAY_DEV}.accept_dad=0")
        ip(router, "link", "set", DELAY_DEV, "up")
        for family in ("-4", "-6"):
            ip(router, family, "route", "add", "default", "dev", DELAY_DEV, "table", DELAY_TABLE)
            # What arrives from a host goes into the relay; what the relay writes back arrives on dly0, so
            # these rules do not match it and the main table forwards it to its destination.
            for seg in topo.SEGMENTS:
                for selector in selectors:
                    rule = (family, "rule", "add", "iif", seg.router_if, *selector, "table", DELAY_TABLE, "pref", "100")
                    ip(router, *rule)
                    self._delay_rules.append(rule)
        return stats

    def small_mtu(self, mtu: int, *, icmp_filtered: bool) -> None:
        """The link to the client carries at most `mtu` bytes (a tunnel, a VPN, a venue router's uplink).

        The router then answers a larger packet with ICMP "fragmentation needed" / ICMPv6 "packet too big";
        `icmp_filtered` drops those (a firewall that blocks all ICMP): a path-MTU black hole.
        """
        router = self.ns("router")
        ip(router, "link", "set", topo.CLIENT.router_if, "mtu", str(mtu))
        self._mtu_changed = True
        if icmp_filtered:
            nft(
                router,
                f"""table inet {FAULT_TABLE}_icmp {{
  chain output {{
    type filter hook output priority filter; policy accept;
    icmp type destination-unreachable icmp code frag-needed drop
    icmpv6 type packet-too-big drop
  }}
}}
""",
            )

    def hosts_file(self, lines: Iterable[str]) -> None:
        """The client's /etc/hosts (`ip netns exec` mounts /etc/netns/<ns>/hosts over it), as a user edits it."""
        entries = ["127.0.0.1 localhost", "::1 localhost", *lines]
        (NETNS_ETC / self.ns("client") / "hosts").write_text("\n".join(entries) + "\n")

    def drop_aaaa(self, names: Iterable[str]) -> None:
        """The resolver's path loses every AAAA question for `names` (an old firewall or DNS filter that does
        not know IPv6): A is answered, AAAA never. nftables matches the question type after the name."""
        lengths = sorted({sum(len(label) + 1 for label in name.split(".")) + 1 for name in names})
        self.firewall(*(f"udp dport 53 @th,{(8 + 12 + length) * 8},16 28 drop" for length in lengths))

    def slow_dns(self, rtt_ms: float) -> None:
        """Only DNS (UDP and TCP port 53, both ways) takes `rtt_ms` longer: a far or overloaded resolver."""
        selectors = [
            ("ipproto", proto, direction, "53") for proto in ("udp", "tcp") for direction in ("dport", "sport")
        ]
        self.delay(rtt_ms, selectors=selectors)

    def _undo_delay(self) -> None:
        router = self.ns("router")
        for rule in self._delay_rules:
            family, _, _, *rest = rule
            ip(router, family, "rule", "del", *rest, check=False)
        self._delay_rules.clear()
        for family in ("-4", "-6"):
            ip(router, family, "route", "flush", "table", DELAY_TABLE, check=False)
        self._delay_on = False

    def sni_filter(self, *blocked: str) -> None:
        """Reset the TLS handshake of the client's HTTPS connections whose SNI is one of `blocked`."""
        argv = [self.python, str(HOSTS_DIR / "sni_filter.py"), "--port", str(SNI_FILTER_PORT)]
        for name in blocked:
            argv += ["--block", name]
        self._start("sni-filter", self.ns("router"), argv)
        self._fault_processes.append("sni-filter")
        self.firewall(prerouting=[f'iifname "{topo.CLIENT.router_if}" tcp dport 443 redirect to :{SNI_FILTER_PORT}'])

    def captive_portal(self) -> None:
        """The router's portal answers every HTTP and HTTPS connection from the client (not signed in)."""
        self.firewall(prerouting=[f'iifname "{topo.CLIENT.router_if}" tcp dport {{ 80, 443 }} redirect'])

    def inspecting_proxy(self, trusted: bool, **setup: Any) -> tuple[str, dict[str, str]]:
        """squid doing TLS inspection (ssl-bump) with its own CA, "Venue Inspection CA"; returns the proxy URL
        and the client environment that uses it, with that CA in the client's trust store when `trusted`
        (as on a managed laptop) or not (a guest's laptop)."""
        ca = trustme.CA(organization_name=topo.INSPECTION_CA_NAME)
        bump_pem = self.folder / "inspection-ca-and-key.pem"
        bump_pem.write_bytes(ca.cert_pem.bytes() + ca.private_key_pem.bytes())
        url = self.start_squid(SquidSetup(bump=Bump(bump_pem, self.ca_file), **setup))
        env = {"https_proxy": url}
        if trusted:
            bundle = self.folder / "trust-with-inspection-ca.pem"
            bundle.write_bytes(self.ca_file.read_bytes() + ca.cert_pem.bytes())
            env["SSL_CERT_FILE"] = str(bundle)
        return url, env

    @property
    def squid_folder(self) -> Path:
        return squid_folder_path(self.prefix)

    def start_squid(self, setup: SquidSetup) -> str:
        """squid on the proxy host, configured as `setup` says; returns the proxy's URL."""
        folder = squid_folder(self.prefix)
        conf = folder / "squid.conf"
        conf.write_text(squid_conf(setup, folder))
        process = LabProcess.start(self.folder, "squid", self.ns("proxy"), ["squid", "-N", "-f", str(conf)])
        process.stop_grace = 5.0  # squid takes 2 s to exit, whatever the signal
        self.processes["squid"] = process
        self._fault_processes.append("squid")
        self._wait_listening(self.ns("proxy"), SQUID_PORT, udp=False, process=process, timeout=15)
        return setup.url

    def block_direct(self, *more_rules: str) -> None:
        """The client reaches the platform only through the proxy: direct traffic to the platform is dropped
        (DNS and the proxy host stay reachable), as at a venue whose firewall lets only its proxy out."""
        self.firewall(
            f'iifname "{topo.CLIENT.router_if}" ip daddr {topo.PLATFORM_V4_NET} drop',
            f'iifname "{topo.CLIENT.router_if}" ip6 daddr {topo.PLATFORM_V6_NET} drop',
            *more_rules,
        )

    def serve_pac(self, script: str) -> str:
        """Serve `script` as a PAC file over HTTP from the proxy host; returns its URL."""
        folder = self.folder / "pac"
        folder.mkdir(exist_ok=True)
        (folder / "proxy.pac").write_text(script)
        argv = [self.python, str(HOSTS_DIR / "pac_server.py"), "--folder", str(folder)]
        argv += ["--bind", topo.PROXY.v4_host, "--port", str(PAC_PORT)]
        self._start("pac", self.ns("proxy"), argv)
        self._fault_processes.append("pac")
        return f"http://{topo.PROXY.v4_host}:{PAC_PORT}/proxy.pac"

    def idle_reset(self, idle_s: float) -> None:
        """A middlebox on the router that resets (RST to both sides) the client's HTTPS connections once they
        have carried no byte for `idle_s` seconds: a userspace relay the client's TCP 443 is redirected to."""
        argv = [self.python, str(HOSTS_DIR / "idle_reset.py"), "--port", str(IDLE_RESET_PORT), "--idle", str(idle_s)]
        self._start("idle-reset", self.ns("router"), argv)
        self._fault_processes.append("idle-reset")
        self.firewall(prerouting=[f'iifname "{topo.CLIENT.router_if}" tcp dport 443 redirect to :{IDLE_RESET_PORT}'])

    def stateful_firewall(self, established_s: int) -> None:
        """A stateful firewall on the router that forgets a TCP connection after `established_s` seconds without
        a packet, and then silently drops the connection's packets (no RST, no ICMP): conntrack's established
        timeout, strict tracking (a mid-stream packet of an unknown connection is invalid), and a drop rule."""
        sysctl(
            self.ns("router"),
            f"net.netfilter.nf_conntrack_tcp_timeout_established={established_s}",
            "net.netfilter.nf_conntrack_tcp_loose=0",
        )
        self._conntrack_changed = True
        self.firewall(
            "ct state established,related accept",
            "ct state invalid drop",
            "ct state new tcp flags & (syn | ack) != syn drop",  # only a SYN may open a connection
        )

    # ---- running sparkgui on the client host ----

    def write_profile(
        self,
        hosts: Iterable[topo.PlatformHost] = topo.PLATFORM_HOSTS[:3],
        timeouts: Mapping[str, float] | None = None,
        name: str = "lab-profile.toml",
        websocket: WsSetup | None = WsSetup(),
    ) -> Path:
        """A lab profile: the platform's names, the lab CA as the expected issuer, short timeouts, and the
        probe's WebSocket with a short hold (None: no WebSocket checks)."""
        path = self.folder / name
        text = profile_toml(
            [Ep(h.name, 443, h.path) for h in hosts],
            expected_issuers=[topo.LAB_CA_NAME],
            timeouts={"dns": 2.0, "connect": 2.0, "tls": 3.0, "http": 4.0, **(timeouts or {})},
            extra=websocket.toml() if websocket else "",
        )
        path.write_text(text.replace('name = "Test platform"', 'name = "Sparkup (network lab)"'))
        return path

    def client_env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The client's environment: only the lab CA is trusted, and no proxy setting leaks in except the
        scenario's own (`extra`: https_proxy, SPARKGUI_PROXY_PASSWORD, a different SSL_CERT_FILE…)."""
        env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        env.update(SSL_CERT_FILE=str(self.ca_file), SSL_CERT_DIR=str(self.empty_cert_dir), PYTHONUNBUFFERED="1")
        env.update(extra or {})
        return env

    def run_sparkgui(
        self, profile: Path, *args: str, env: Mapping[str, str] | None = None, timeout: float = 60.0
    ) -> LabRun:
        argv = ["ip", "netns", "exec", self.ns("client"), self.python, "-m", "sparkgui", "--headless"]
        argv += ["--profile", str(profile), "--json", "-", "--lang", "en", *args]
        began = time.monotonic()
        try:
            done = subprocess.run(
                argv,
                capture_output=True,
                text=True,
                timeout=timeout,
                env=self.client_env(env),
                cwd=REPO_ROOT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise LabError(f"sparkgui did not finish within {timeout:g} s: {exc.stderr!r}") from None
        elapsed = time.monotonic() - began
        try:
            report = json.loads(done.stdout)
        except json.JSONDecodeError:
            raise LabError(f"sparkgui exited {done.returncode} without a JSON report:\n{done.stderr[-3000:]}") from None
        return LabRun(done.returncode, report, elapsed, done.stderr)

    def client(self, *argv: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        """Run a command on the client host (for baselines such as dig and curl)."""
        return subprocess.run(
            ["ip", "netns", "exec", self.ns("client"), *argv],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=self.client_env(),
            check=False,
        )
