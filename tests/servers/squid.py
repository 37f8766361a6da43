"""A real squid forward proxy on loopback, configured per test: open, Basic auth, fake NTLM, CONNECT deny
lists, TLS interception (ssl-bump). Squid resolves names only from its own hosts file and a loopback DNS,
so it never sends traffic off this machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

SQUID = shutil.which("squid") or "/usr/sbin/squid"
HELPERS = Path("/usr/lib/squid")


def squid_available() -> bool:
    return Path(SQUID).exists() and (HELPERS / "basic_ncsa_auth").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Squid:
    hosts: Mapping[str, str] = field(default_factory=dict)  # name -> address squid connects to
    auth: str | None = None  # None, "basic" or "ntlm"
    users: Mapping[str, str] = field(default_factory=dict)  # basic auth: user -> password
    deny_connect_to: Sequence[str] = ()
    bump_ca: tuple[str, str] | None = None  # (cert+key PEM path, upstream CA file): intercept TLS
    port: int = 0
    folder: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="sparkgui-squid-")))
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> Squid:
        os.chmod(self.folder, 0o777)  # squid drops to the 'proxy' user
        self.port = self.port or _free_port()
        (self.folder / "hosts").write_text("".join(f"{ip} {name}\n" for name, ip in self.hosts.items()))
        conf = self.folder / "squid.conf"
        conf.write_text(self._config())
        self.process = subprocess.Popen(
            [SQUID, "-N", "-f", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"squid exited: {(self.folder / 'cache.log').read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("squid did not start listening within 15 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None
        shutil.rmtree(self.folder, ignore_errors=True)

    def access_log(self) -> str:
        path = self.folder / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __enter__(self) -> Squid:
        return self.start()

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    def _config(self) -> str:
        f = self.folder
        lines = []
        if self.bump_ca is not None:
            ca_pem, upstream_ca = self.bump_ca
            db = f / "ssl_db"
            subprocess.run(
                [str(HELPERS / "security_file_certgen"), "-c", "-s", str(db), "-M", "4MB"],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            subprocess.run(["chown", "-R", "proxy:proxy", str(db)], check=True)
            lines += [
                f"http_port 127.0.0.1:{self.port} ssl-bump generate-host-certificates=on "
                f"dynamic_cert_mem_cache_size=4MB tls-cert={ca_pem}",
                f"sslcrtd_program {HELPERS / 'security_file_certgen'} -s {db} -M 4MB",
                "sslcrtd_children 2 startup=1 idle=1",
                f"tls_outgoing_options cafile={upstream_ca}",
                "acl step1 at_step SslBump1",
                "ssl_bump peek step1",
                "ssl_bump bump all",
            ]
        else:
            lines.append(f"http_port 127.0.0.1:{self.port}")
        lines += [
            f"pid_filename {f / 'squid.pid'}",
            f"cache_log {f / 'cache.log'}",
            f"access_log {f / 'access.log'}",
            "cache deny all",
            "cache_mem 8 MB",
            f"hosts_file {f / 'hosts'}",
            "dns_nameservers 127.0.0.1",
            "pinger_enable off",
            "shutdown_lifetime 0 seconds",
            "visible_hostname sparkgui-test-proxy",
        ]
        if self.deny_connect_to:
            lines.append(f"acl denied_sites dstdomain {' '.join(self.deny_connect_to)}")
            lines.append("http_access deny CONNECT denied_sites")
        if self.auth == "basic":
            passwd = f / "passwd"
            entries = []
            for user, password in self.users.items():
                hashed = subprocess.run(
                    ["openssl", "passwd", "-apr1", password], check=True, capture_output=True, text=True
                ).stdout.strip()
                entries.append(f"{user}:{hashed}\n")
            passwd.write_text("".join(entries))
            lines += [
                f"auth_param basic program {HELPERS / 'basic_ncsa_auth'} {passwd}",
                "auth_param basic realm sparkgui-test",
                "auth_param basic children 2",
                "acl authed proxy_auth REQUIRED",
                "http_access allow authed",
                "http_access deny all",
            ]
        elif self.auth == "ntlm":
            lines += [
                f"auth_param ntlm program {HELPERS / 'ntlm_fake_auth'}",
                "auth_param ntlm children 2",
                "acl authed proxy_auth REQUIRED",
                "http_access allow authed",
                "http_access deny all",
            ]
        else:
            lines.append("http_access allow all")
        return "\n".join(lines) + "\n"
