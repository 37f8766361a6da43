"""One TLS handshake with SNI over an already connected socket, with a deadline and a classified outcome."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import ssl
import time
from dataclasses import dataclass
from enum import StrEnum

from cryptography import x509
from cryptography.x509.oid import NameOID


class HandshakeFault(StrEnum):
    """Why a TLS handshake failed, or NONE when it succeeded."""

    NONE = "none"
    VERIFY = "verify"  # the certificate did not verify
    RESET = "reset"  # reset or closed during the handshake (e.g. SNI filtering)
    TIMEOUT = "timeout"
    PROTOCOL = "protocol"  # the peer does not speak TLS as expected
    REFUSED = "refused"  # a TLS alert refusing this name (unrecognized_name, access_denied): a filter
    NO_COMMON = "no_common"  # a TLS alert: no protocol version or cipher in common


# OpenSSL's names for the alerts a peer sends in answer to the ClientHello, by what they mean here.
_REFUSING_ALERTS = frozenset({"TLSV1_UNRECOGNIZED_NAME", "TLSV1_ALERT_ACCESS_DENIED"})
_NO_COMMON_ALERTS = frozenset(
    {
        "SSLV3_ALERT_HANDSHAKE_FAILURE",
        "TLSV1_ALERT_PROTOCOL_VERSION",
        "TLSV1_ALERT_INSUFFICIENT_SECURITY",
        "UNSUPPORTED_PROTOCOL",
        "NO_PROTOCOLS_AVAILABLE",
        "WRONG_SSL_VERSION",
        "NO_SHARED_CIPHER",
        "NO_CIPHERS_AVAILABLE",
    }
)


@dataclass(frozen=True)
class CertificateInfo:
    """The parts of a server certificate that the TLS check reasons about and reports."""

    subject_cn: str
    issuer_cn: str
    issuer_org: str
    sans: tuple[str, ...]
    not_before: dt.datetime | None  # None: the dates could not be read
    not_after: dt.datetime | None
    anomaly: str = ""  # what in the certificate could not be read, though the TLS library accepted it

    @classmethod
    def from_der(cls, der: bytes) -> CertificateInfo:
        """Read the names, issuer and validity dates from a DER certificate.

        OpenSSL accepts certificates that cryptography will not parse (a field in the wrong string type, an
        extension present twice): what cannot be read is left empty and named in `anomaly`, never raised.
        """
        try:
            cert = x509.load_der_x509_certificate(der)
            subject_cn = _name_attr(cert.subject, NameOID.COMMON_NAME)
            issuer_cn = _name_attr(cert.issuer, NameOID.COMMON_NAME)
            issuer_org = _name_attr(cert.issuer, NameOID.ORGANIZATION_NAME)
            not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
        except ValueError as exc:
            return cls("", "", "", (), None, None, anomaly=_unreadable("it cannot be read", exc))
        anomaly = ""
        try:
            san_ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            sans = tuple(san_ext.get_values_for_type(x509.DNSName))
        except x509.ExtensionNotFound:
            sans = ()
        except (x509.DuplicateExtension, ValueError) as exc:  # OpenSSL accepted what cryptography will not parse
            sans, anomaly = (), _unreadable("its extensions cannot be read", exc)
        return cls(subject_cn, issuer_cn, issuer_org, sans, not_before, not_after, anomaly=anomaly)

    @property
    def issuer(self) -> str:
        """The issuer as a person would name it: organisation, then common name."""
        if self.issuer_org and self.issuer_cn.startswith(self.issuer_org):
            return self.issuer_cn  # "Acme Root CA" says "Acme" already
        parts = [p for p in (self.issuer_org, self.issuer_cn) if p]
        return " — ".join(dict.fromkeys(parts)) or "(unnamed issuer)"

    def is_current(self, now: dt.datetime | None = None) -> bool:
        """Return True when `now` (by default the present) is within the validity dates."""
        if self.not_before is None or self.not_after is None:
            return True  # unknown dates are not called expired: the names and the issuer still tell
        now = now or dt.datetime.now(dt.UTC)
        return self.not_before <= now <= self.not_after

    def covers(self, host: str) -> bool:
        """Return True when the certificate's names (its SANs, else its subject CN) match `host`."""
        names = self.sans or ((self.subject_cn,) if self.subject_cn else ())
        return any(_name_matches(name.lower(), host.lower()) for name in names)

    def issued_by_any(self, words: tuple[str, ...]) -> bool:
        """Return True when the issuer's organisation or name contains any of `words`, ignoring case."""
        haystack = f"{self.issuer_org} {self.issuer_cn}".lower()
        return any(word.lower() in haystack for word in words)

    def as_evidence(self) -> dict[str, object]:
        """Return the issuer, subject, names and validity dates as report evidence."""
        return {
            "issuer": self.issuer,
            "subject": self.subject_cn,
            "sans": list(self.sans[:20]),
            **({"not_before": self.not_before.isoformat()} if self.not_before else {}),
            **({"not_after": self.not_after.isoformat()} if self.not_after else {}),
            **({"anomaly": self.anomaly} if self.anomaly else {}),
        }


@dataclass(frozen=True)
class Handshake:
    """One handshake's outcome: the fault, and on success the protocol, cipher and certificate."""

    fault: HandshakeFault
    elapsed_ms: int
    protocol: str = ""
    cipher: str = ""
    certificate: CertificateInfo | None = None
    detail: str = ""
    verify_message: str = ""
    verify_code: int = 0  # OpenSSL's X509_V_ERR_* (10: a certificate in the chain expired, 9: not yet valid)

    @property
    def ok(self) -> bool:
        """True when the handshake succeeded."""
        return self.fault is HandshakeFault.NONE


async def handshake(sock: socket.socket, host: str, context: ssl.SSLContext, timeout: float) -> Handshake:
    """Run a TLS handshake over `sock` (consumed and closed) within `timeout` seconds."""
    began = time.perf_counter()

    def result(fault: HandshakeFault, detail: str = "", **kwargs: object) -> Handshake:
        return Handshake(fault, round((time.perf_counter() - began) * 1000), detail=detail[:300], **kwargs)  # type: ignore[arg-type]

    try:
        async with asyncio.timeout(timeout):
            _, writer = await asyncio.open_connection(
                sock=sock, ssl=context, server_hostname=host, ssl_handshake_timeout=timeout + 5
            )
    except ssl.SSLCertVerificationError as exc:
        return result(
            HandshakeFault.VERIFY, str(exc), verify_message=exc.verify_message or "", verify_code=exc.verify_code or 0
        )
    except TimeoutError:
        sock.close()
        return result(HandshakeFault.TIMEOUT, f"no handshake answer within {timeout:g} s")
    except (
        ConnectionResetError,
        ConnectionAbortedError,
        BrokenPipeError,
        ssl.SSLEOFError,
        ssl.SSLZeroReturnError,
        asyncio.IncompleteReadError,
    ) as exc:
        sock.close()
        return result(HandshakeFault.RESET, f"{type(exc).__name__}: {exc}")
    except ssl.SSLError as exc:
        sock.close()
        reason = str(getattr(exc, "reason", "") or "")
        fault = (
            HandshakeFault.REFUSED
            if reason in _REFUSING_ALERTS
            else HandshakeFault.NO_COMMON
            if reason in _NO_COMMON_ALERTS
            else HandshakeFault.PROTOCOL
        )
        return result(fault, f"{type(exc).__name__}: {exc}")
    except OSError as exc:
        sock.close()
        return result(HandshakeFault.PROTOCOL, f"{type(exc).__name__}: {exc}")
    try:
        ssl_object: ssl.SSLObject = writer.get_extra_info("ssl_object")
        der = ssl_object.getpeercert(binary_form=True)
        cipher = ssl_object.cipher()
        return result(
            HandshakeFault.NONE,
            protocol=ssl_object.version() or "",
            cipher=cipher[0] if cipher else "",
            certificate=CertificateInfo.from_der(der) if der else None,
        )
    finally:
        writer.transport.abort()


def _unreadable(what: str, exc: Exception) -> str:
    return f"{what} ({type(exc).__name__}: {str(exc)[:120]})"


def _name_attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _name_matches(pattern: str, host: str) -> bool:
    """RFC 6125 matching: exact, or a wildcard standing for exactly one left-most label.

    As in browsers, a wildcard over a single label (`*.test`, `*.com`) matches nothing.
    """
    if pattern == host:
        return True
    if pattern.startswith("*.") and "." in pattern[2:]:
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return False
