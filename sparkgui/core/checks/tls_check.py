"""TLS check: does a secure connection to the platform verify, as the browser on this machine sees it?

Verifies against the OS trust store. Tells apart an untrusted chain, a certificate for another name, an
expired one, a handshake cut off (SNI filtering) and TLS inspection (the issuer is not the platform's).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, failed, passed, warned
from sparkgui.core.checks.portal import platform_domains, portal_result, portal_sign, probe_plain_http
from sparkgui.core.checks.proxy_diagnosis import diagnose_tunnel
from sparkgui.core.checks.tcp_check import deciding_outcome
from sparkgui.core.context import CheckScope
from sparkgui.core.i18n import tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult
from sparkgui.core.net.connector import Outcome
from sparkgui.core.net.server_clock import server_date
from sparkgui.core.net.tls import CertificateInfo, Handshake, HandshakeFault, handshake
from sparkgui.core.transport import Stream, open_stream, route_to

SMALL_MSS = 1200  # segments that fit any path down to IPv6's minimum MTU (1280), headers included
X509_CERT_NOT_YET_VALID, X509_CERT_HAS_EXPIRED = 9, 10  # OpenSSL's verify codes for a chain's dates
CLOCK_SKEW_S = 300  # a laptop clock further than this from the server's is wrong (Chrome warns at about a day)


def tls_info(host: str, port: int) -> CheckInfo:
    """Describe the TLS check of `host:port`: it needs TCP, but starts once DNS is done to overlap it."""
    return CheckInfo(
        CheckId.tls(host, port),
        (CheckId.tcp(host, port),),
        tr("Secure connection (TLS) to {host}", host=host),
        starts_after=(CheckId.dns(host),),  # overlaps the TCP check; reported only if TCP passed
    )


class TlsCheck(Check):
    """The TLS check: a handshake verified as the browser would, and the cause when it does not verify."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(tls_info(host, port))
        self.host, self.port = host, port

    async def _handshake(self, scope: CheckScope, context_name: str, mss: int | None = None) -> Handshake | Stream:
        """The handshake on a new connection, or the stream whose connection failed (to say why)."""
        stream = await open_stream(scope, self.host, self.port, mss)
        sock = stream.take()
        if sock is None:
            return stream
        context = getattr(scope.run.trust, context_name)
        return await handshake(sock, self.host, context, scope.run.profile.timeouts.tls)

    async def run(self, scope: CheckScope) -> CheckResult:
        """Handshake against the OS trust store (and the public roots, unless issuers are expected), then judge."""
        scope.progress(0.1, tr("Secure handshake with {host}", host=self.host))
        expected = scope.run.profile.expected_issuers
        # Without a list of the platform's issuers, compare with the public roots, in parallel (no extra time).
        jobs = [self._handshake(scope, "os_store")] + ([] if expected else [self._handshake(scope, "public_roots")])
        results = await asyncio.gather(*jobs)
        main = results[0]
        public = results[1] if len(results) > 1 and isinstance(results[1], Handshake) else None
        if isinstance(main, Stream):
            return self._no_second_connection(main)
        evidence: dict[str, Any] = {"sni": self.host, "elapsed_ms": main.elapsed_ms}
        if main.ok:
            return self._verified(main, public, evidence, expected)
        if main.detail:
            evidence["error"] = main.detail
        if main.fault is HandshakeFault.VERIFY:
            return await self._unverified(scope, main, evidence)
        if main.fault is HandshakeFault.TIMEOUT:
            black_hole = await self._mtu_black_hole(scope, evidence)
            if black_hole is not None:
                return black_hole
        if main.fault in (HandshakeFault.RESET, HandshakeFault.REFUSED):
            route = await route_to(scope, self.host, self.port)
            if route.proxy is not None:
                return self._cut_through_proxy(route.proxy.address, evidence)
        return self._broken(main, evidence)

    def _cut_through_proxy(self, proxy: str, evidence: dict[str, Any]) -> CheckResult:
        """The proxy opened the tunnel, then the handshake was cut: the proxy, or what is behind it, did it."""
        evidence["proxy"] = proxy
        return failed(
            Cause.TLS_BLOCKED,
            tr(
                "The proxy {proxy} accepted the connection to {host}, then the secure handshake was cut off: the "
                "proxy, or the network behind it, blocks it (often SNI or URL-category filtering).",
                proxy=proxy,
                host=self.host,
            ),
            tr(
                "Ask the venue's IT to let the proxy {proxy} carry TLS to {host} on TCP {port}: check its SNI, "
                "URL-category and application-control rules.",
                proxy=proxy,
                host=self.host,
                port=self.port,
            ),
            evidence,
        )

    async def _mtu_black_hole(self, scope: CheckScope, evidence: dict[str, Any]) -> CheckResult | None:
        """`net.mtu_blackhole` when the stalled handshake completes on a connection with small segments.

        A path whose MTU is small, with the "fragmentation needed" / "packet too big" messages filtered,
        loses the server's first large flight: the handshake stalls after the ClientHello. Only tried on a
        stall, on a direct route (a proxy's own path is out of reach), so a healthy network pays nothing.
        """
        route = await route_to(scope, self.host, self.port)
        if route.via_proxy:
            return None
        # Both again at once: small segments must complete while full-size ones stall again, or the first
        # stall was something else (a server that was busy for a moment).
        retry, again = await asyncio.gather(
            self._handshake(scope, "no_verify", mss=SMALL_MSS), self._handshake(scope, "no_verify")
        )
        if not isinstance(retry, Handshake) or retry.fault is not HandshakeFault.NONE:
            return None
        if not isinstance(again, Handshake) or again.fault is not HandshakeFault.TIMEOUT:
            return None
        evidence.update(retry_mss=SMALL_MSS, retry_ms=retry.elapsed_ms, retry="the handshake completed")
        return failed(
            Cause.NET_MTU_BLACKHOLE,
            tr(
                "The secure handshake with {host} stalls on full-size packets but completes with small ones: "
                "the path's MTU is small and the messages that would say so are filtered (a path-MTU black hole).",
                host=self.host,
            ),
            tr(
                'Ask the venue\'s IT to let ICMP "fragmentation needed" (type 3, code 4) and ICMPv6 "packet too '
                "big\" (type 2) through, or to clamp the TCP MSS on the venue's router (for example to 1360)."
            ),
            evidence,
        )

    def _no_second_connection(self, stream: Stream) -> CheckResult:
        """The TCP check connected, but the handshake's own connection did not: say how it failed."""
        if stream.tunnel is not None:
            return diagnose_tunnel(stream.tunnel, self.host, self.port, stream.route)
        attempts = stream.connection.attempts if stream.connection is not None else []
        evidence = {"attempts": [a.as_evidence() for a in attempts]}
        if deciding_outcome(attempts) is Outcome.REFUSED:  # taken, then reset at once: a filter, not a blackhole
            return failed(
                Cause.TLS_BLOCKED,
                tr(
                    "The connection to {host} was reset as soon as it opened, before the secure handshake: "
                    "something on the network cuts it.",
                    host=self.host,
                ),
                tr(
                    "Ask the venue's IT to allow TLS to {host} on TCP {port}: check SNI, URL-category and "
                    "application-control rules.",
                    host=self.host,
                    port=self.port,
                ),
                evidence,
            )
        return failed(
            Cause.TCP_TIMEOUT,
            tr("The connection to {host} could not be opened again for the secure handshake.", host=self.host),
            tr("Ask the venue's IT to allow outgoing TCP port {port} to {host}.", host=self.host, port=self.port),
            evidence,
        )

    def _verified(
        self, main: Handshake, public: Handshake | None, evidence: dict[str, Any], expected: tuple[str, ...]
    ) -> CheckResult:
        cert = main.certificate
        evidence.update(protocol=main.protocol, cipher=main.cipher, verified_by="os_trust_store")
        if cert is not None:
            evidence.update(cert.as_evidence())
        issuer = cert.issuer if cert else "?"
        intercepted_reason = ""
        readable = cert is not None and bool(cert.issuer_org or cert.issuer_cn)  # else the issuer is not known
        if expected and cert is not None and readable and not cert.issued_by_any(expected):
            intercepted_reason = "issuer_not_expected"
            evidence["expected_issuers"] = list(expected)
        elif public is not None:
            evidence["public_roots"] = "trusted" if public.ok else (public.fault.value + ": " + public.verify_message)
            if public.fault is HandshakeFault.VERIFY:
                intercepted_reason = "trusted_by_os_only"
        if intercepted_reason:
            evidence["interception"] = intercepted_reason
            return warned(
                Cause.TLS_INTERCEPTED,
                tr(
                    "The secure connection to {host} is inspected: its certificate comes from {issuer}, "
                    "not from the platform.",
                    host=self.host,
                    issuer=issuer,
                ),
                tr(
                    "Ask the venue's IT to exempt {host} from TLS inspection (SSL decryption); inspection "
                    "often breaks WebSockets.",
                    host=self.host,
                ),
                evidence,
            )
        return passed(
            tr(
                "The secure connection to {host} is trusted ({protocol}, issued by {issuer}).",
                host=self.host,
                protocol=main.protocol,
                issuer=issuer,
            ),
            evidence,
        )

    async def _unverified(self, scope: CheckScope, main: Handshake, evidence: dict[str, Any]) -> CheckResult:
        """Read the certificate that failed (without trusting it) to say why it failed.

        Meanwhile ask plain HTTP, as browsers do to spot a captive portal: a portal is the likeliest stranger
        on the path.
        """
        peek, answer = await asyncio.gather(self._handshake(scope, "no_verify"), self._portal_probe(scope))
        cert: CertificateInfo | None = peek.certificate if peek is not None and peek.ok else None
        if main.verify_message:
            evidence["verify_message"] = main.verify_message
        host = self.host
        issuer = "?"
        if cert is not None:
            evidence.update(cert.as_evidence())
            issuer = cert.issuer
        # A stranger first (a portal, a certificate for another name), whatever its dates: then the dates.
        own = platform_domains(scope.run.profile)
        sign = portal_sign(answer.get("status", 0), answer.get("location", ""), host, own) if answer else ""
        if sign:
            return portal_result(host, {**evidence, "portal": sign, "plain_http": answer})
        if cert is not None and (cert.sans or cert.subject_cn) and not cert.covers(host):  # unreadable: no claim
            return failed(
                Cause.TLS_HOSTNAME_MISMATCH,
                tr(
                    "Something other than the platform answered for {host}: the certificate is for {subject}.",
                    host=host,
                    subject=", ".join(cert.sans[:3]) or cert.subject_cn or "?",
                ),
                tr(
                    "Ask the venue's IT to let {host} through on TCP 443 without redirection "
                    "(captive portal, filter or proxy).",
                    host=host,
                ),
                evidence,
            )
        if cert is not None and not cert.is_current():
            return await self._out_of_date(scope, cert, evidence)
        if main.verify_code in (X509_CERT_HAS_EXPIRED, X509_CERT_NOT_YET_VALID):  # the leaf is current: its chain
            return failed(
                Cause.TLS_EXPIRED,
                tr(
                    "A certificate in the chain presented for {host} (the authority that issued it, {issuer}) is "
                    "outside its validity dates.",
                    host=host,
                    issuer=issuer,
                ),
                tr(
                    "Check this computer's date and time. If they are right, the server or a device on the venue's "
                    "network sends an out-of-date chain: send this report to the platform's support, and ask the "
                    "venue's IT whether it inspects {host}.",
                    host=host,
                ),
                evidence,
            )
        return failed(
            Cause.TLS_UNTRUSTED,
            tr(
                "This computer does not trust the certificate presented for {host} (issued by {issuer}).",
                host=host,
                issuer=issuer,
            ),
            tr(
                "If the venue inspects TLS, ask its IT to exempt {host} from inspection, or to install its "
                "inspection CA on this computer; otherwise ask them what intercepts the connection.",
                host=host,
            ),
            evidence,
        )

    async def _clock_is_wrong(
        self, scope: CheckScope, cert: CertificateInfo, evidence: dict[str, Any]
    ) -> CheckResult | None:
        """`host.clock_wrong` when this computer's clock is far from the server's `Date`, else None.

        Then the dates are the laptop's fault, not the certificate's, and the fix is here. None too when the
        server gives no time, and when the certificate is out of date at the server's time as well.
        """
        stream = await open_stream(scope, self.host, self.port)
        sock = stream.take()
        if sock is None:
            return None
        told = await server_date(sock, self.host, scope.run.trust.no_verify, scope.run.profile.timeouts.http)
        if told is None:
            return None
        now = dt.datetime.now(dt.UTC)
        offset = (now - told).total_seconds()
        if abs(offset) <= CLOCK_SKEW_S:
            return None
        evidence.update(
            local_time=now.isoformat(timespec="seconds"),
            server_time=told.isoformat(timespec="seconds"),
            clock_offset_s=round(offset),
            certificate_valid_at_server_time=cert.is_current(told),
        )
        if not cert.is_current(told):
            return None  # out of date by the server's own time too: setting this clock would not help
        return failed(
            Cause.HOST_CLOCK_WRONG,
            tr(
                "This computer's clock is wrong ({local}, while {host} says {server}), so every certificate looks "
                "out of date. The platform and the network are not at fault.",
                local=now.strftime("%Y-%m-%d %H:%M UTC"),
                host=self.host,
                server=told.strftime("%Y-%m-%d %H:%M UTC"),
            ),
            tr("Set this computer's date and time (turn on automatic time), then check again."),
            evidence,
        )

    async def _portal_probe(self, scope: CheckScope) -> dict[str, Any]:
        route = await route_to(scope, self.host, self.port)
        addresses = scope.run.dns_facts(self.host).addresses
        if route.via_proxy or not addresses:
            return {}
        timeout = min(scope.run.profile.timeouts.http, 3.0)
        return await probe_plain_http(self.host, addresses, scope.run.network.dial_port(self.host, 80), timeout)

    async def _out_of_date(self, scope: CheckScope, cert: CertificateInfo, evidence: dict[str, Any]) -> CheckResult:
        """The platform's certificate outside its dates: this computer's clock when it is wrong, else expired."""
        wrong_clock = await self._clock_is_wrong(scope, cert, evidence)
        if wrong_clock is not None:
            return wrong_clock
        host = self.host
        not_yet = cert.not_before is not None and dt.datetime.now(dt.UTC) < cert.not_before
        summary = (
            tr(
                "The certificate presented for {host} is not valid yet (valid from {date}, by this computer's clock).",
                host=host,
                date=cert.not_before.isoformat(timespec="minutes"),
            )
            if not_yet and cert.not_before is not None
            else tr(
                "The certificate presented for {host} is outside its validity dates (valid until {date}).",
                host=host,
                date=cert.not_after.date().isoformat() if cert.not_after else "?",
            )
        )
        expected = scope.run.profile.expected_issuers
        platforms_own = bool(expected) and cert.issued_by_any(expected)  # not a device's at the venue
        return failed(
            Cause.TLS_EXPIRED,
            summary,
            tr(
                "The certificate is the platform's own (from {issuer}): no change at the venue fixes it. Send this "
                "report to the platform's support; check this computer's date and time too.",
                issuer=cert.issuer,
            )
            if platforms_own
            else tr(
                "Check this computer's date and time. If they are right, the certificate comes from a "
                "device on the venue's network: ask the venue's IT to exempt {host} from it.",
                host=host,
            ),
            evidence,
        )

    def _broken(self, main: Handshake, evidence: dict[str, Any]) -> CheckResult:
        host = self.host
        exempt = tr(
            "Ask the venue's IT to allow TLS to {host} on TCP {port} (check SNI / URL filtering and "
            "application-control rules).",
            host=host,
            port=self.port,
        )
        if main.fault is HandshakeFault.RESET:
            return failed(
                Cause.TLS_BLOCKED,
                tr(
                    "The secure handshake with {host} was cut off: something on the network blocks it "
                    "(often SNI filtering).",
                    host=host,
                ),
                exempt,
                evidence,
            )
        if main.fault is HandshakeFault.REFUSED:
            return failed(
                Cause.TLS_BLOCKED,
                tr(
                    "The secure handshake with {host} was refused as soon as the name was sent: something on the "
                    "network blocks this name (SNI filtering).",
                    host=host,
                ),
                exempt,
                evidence,
            )
        if main.fault is HandshakeFault.NO_COMMON:
            return failed(
                Cause.TLS_HANDSHAKE_FAILED,
                tr(
                    "The server answering for {host} on port {port} refused the secure connection: it offers no TLS "
                    "version or cipher this computer accepts (an old server, or a device on the venue's network "
                    "answering in its place).",
                    host=host,
                    port=self.port,
                ),
                exempt,
                evidence,
            )
        if main.fault is HandshakeFault.TIMEOUT:
            return failed(
                Cause.TLS_TIMEOUT,
                tr("The secure handshake with {host} got no answer in time.", host=host),
                exempt,
                evidence,
            )
        return failed(
            Cause.TLS_HANDSHAKE_FAILED,
            tr(
                "The server answering for {host} on port {port} does not speak TLS as expected.",
                host=host,
                port=self.port,
            ),
            exempt,
            evidence,
        )
