"""squid on the lab's proxy host: configuration helpers for the proxy scenarios (issue 4 lands the engine side).

`SquidSetup` says what the venue's proxy does (Basic auth, CONNECT denied to some names); `squid_conf` writes
the configuration; `Lab.start_squid` runs it in the proxy namespace. squid drops root for the `proxy` user,
so its folder belongs to that user.
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
BASIC_AUTH_HELPER = "/usr/lib/squid/basic_ncsa_auth"


@dataclass(frozen=True)
class SquidSetup:
    users: Mapping[str, str] = field(default_factory=dict)  # Basic auth user -> password; empty: no auth
    deny_connect: tuple[str, ...] = ()  # host names the proxy refuses to CONNECT to (an ACL)

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
        f"http_port {SQUID_PORT}",
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


def _apr1(password: str) -> str:
    """An htpasswd hash basic_ncsa_auth accepts (the crypt module is deprecated, openssl is installed)."""
    return sh("openssl", "passwd", "-apr1", "-stdin", stdin=password).stdout.strip()
