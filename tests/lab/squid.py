"""squid on the lab's proxy host, as the venue's proxy.

`SquidSetup` says what the venue's proxy does (Basic auth, CONNECT denied to some names, TLS inspection by
ssl-bump, a short idle timeout on tunnels); `squid_conf` writes the configuration; `Lab.start_squid` runs it
in the proxy namespace. squid drops root for the `proxy` user, so its folder (and every file it reads there)
belongs to that user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.lab import topology as topo
from tests.lab.netns import sh

SQUID_PORT = 3128
SQUID_USER = "proxy"
HELPERS = Path("/usr/lib/squid")
BASIC_AUTH_HELPER = str(HELPERS / "basic_ncsa_auth")
CERTGEN = str(HELPERS / "security_file_certgen")


@dataclass(frozen=True)
class Bump:
    """TLS inspection (ssl-bump): squid signs a certificate per site with `ca_pem` (certificate and key) and
    checks the real server against `upstream_ca`. Squid 5 also strips `Upgrade` from the requests it sees,
    unless `http_upgrade_request_protocols` allows it, which the venue's inspecting proxy does not."""

    ca_pem: Path
    upstream_ca: Path


@dataclass(frozen=True)
class SquidSetup:
    users: Mapping[str, str] = field(default_factory=dict)  # Basic auth user -> password; empty: no auth
    deny_connect: tuple[str, ...] = ()  # host names the proxy refuses to CONNECT to (an ACL)
    bump: Bump | None = None  # TLS inspection
    idle_timeout_s: int | None = None  # close a tunnel after this many seconds without a byte from the server

    @property
    def url(self) -> str:
        return f"http://{topo.PROXY.v4_host}:{SQUID_PORT}"


def squid_folder_path(prefix: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{prefix}-squid"


def squid_folder(prefix: str) -> Path:
    """A fresh folder the `proxy` user can reach and write (logs, pid file): pytest's folders are root-only.
    The lab removes it at teardown (`/tmp/<prefix>-squid`)."""
    folder = squid_folder_path(prefix)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o755)
    user = pwd.getpwnam(SQUID_USER)
    os.chown(folder, user.pw_uid, user.pw_gid)
    return folder


def squid_conf(setup: SquidSetup, folder: Path) -> str:
    lines = [
        *_port_lines(setup, folder),
        "visible_hostname proxy.lab.test",
        f"cache_effective_user {SQUID_USER}",
        f"pid_filename {folder / 'squid-own.pid'}",
        f"cache_log {folder / 'cache.log'}",
        f"access_log stdio:{folder / 'access.log'}",
        f"coredump_dir {folder}",
        "cache deny all",
        f"dns_nameservers {topo.DNS.v4_host}",
        "shutdown_lifetime 0 seconds",
        "pinger_enable off",  # its ICMP helper outlives a TERM by seconds; the lab needs no ICMP probing
        "acl CONNECT method CONNECT",
        "acl SSL_ports port 443",
        "http_access deny CONNECT !SSL_ports",
    ]
    if setup.idle_timeout_s is not None:
        # squid's tunnel (CONNECT) times out the server side after read_timeout without data, then closes both.
        lines.append(f"read_timeout {setup.idle_timeout_s} seconds")
    if setup.deny_connect:
        lines += [f"acl denied_hosts dstdomain {' '.join(setup.deny_connect)}", "http_access deny CONNECT denied_hosts"]
    if setup.users:
        passwords = folder / "passwords"
        passwords.write_text("".join(f"{u}:{_apr1(p)}\n" for u, p in setup.users.items()))
        lines += [
            f"auth_param basic program {BASIC_AUTH_HELPER} {passwords}",
            'auth_param basic realm "Venue proxy"',
            "acl authenticated proxy_auth REQUIRED",
            "http_access allow authenticated",
            "http_access deny all",
        ]
    else:
        lines.append("http_access allow all")
    return "\n".join(lines) + "\n"


def _port_lines(setup: SquidSetup, folder: Path) -> list[str]:
    if setup.bump is None:
        return [f"http_port {SQUID_PORT}"]
    user = pwd.getpwnam(SQUID_USER)
    for source, name in ((setup.bump.ca_pem, "bump-ca.pem"), (setup.bump.upstream_ca, "upstream-ca.pem")):
        copy = folder / name
        shutil.copyfile(source, copy)
        os.chown(copy, user.pw_uid, user.pw_gid)
        copy.chmod(0o600)
    db = folder / "ssl_db"
    sh(CERTGEN, "-c", "-s", str(db), "-M", "4MB")
    sh("chown", "-R", f"{SQUID_USER}:{SQUID_USER}", str(db))
    return [
        f"http_port {SQUID_PORT} ssl-bump generate-host-certificates=on dynamic_cert_mem_cache_size=4MB "
        f"tls-cert={folder / 'bump-ca.pem'}",
        f"sslcrtd_program {CERTGEN} -s {db} -M 4MB",
        "sslcrtd_children 2 startup=1 idle=1",
        f"tls_outgoing_options cafile={folder / 'upstream-ca.pem'}",
        "acl step1 at_step SslBump1",
        "ssl_bump peek step1",
        "ssl_bump bump all",
    ]


def _apr1(password: str) -> str:
    """An htpasswd hash basic_ncsa_auth accepts (the crypt module is deprecated, openssl is installed)."""
    return sh("openssl", "passwd", "-apr1", "-stdin", stdin=password).stdout.strip()
