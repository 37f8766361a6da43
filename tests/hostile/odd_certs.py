"""Certificates that OpenSSL accepts but that strict parsers refuse, made by editing DER and signing again;
and one without names, as old captive portals present."""

from __future__ import annotations

import base64
import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

EXTRA_OID = x509.ObjectIdentifier("1.3.6.1.4.1.55555.1")


def _tlv(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of content, end of content) of the DER element at `at`."""
    tag, length = data[at], data[at + 1]
    start = at + 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    return tag, start, start + length


def _encode(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    raw = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(raw)]) + raw + content


def _children(data: bytes, start: int, end: int) -> list[bytes]:
    items, at = [], start
    while at < end:
        _, _, content_end = _tlv(data, at)
        items.append(data[at:content_end])
        at = content_end
    return items


def _builder(key: ec.EllipticCurvePrivateKey, name: x509.Name) -> x509.CertificateBuilder:
    """A self-signed CA certificate's builder, valid from yesterday for a week: it is its own trusted root."""
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=7))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _pems(key: ec.EllipticCurvePrivateKey, der: bytes) -> tuple[bytes, bytes]:
    pem = ("-----BEGIN CERTIFICATE-----\n" + _base64_lines(der) + "-----END CERTIFICATE-----\n").encode()
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return pem, key_pem


def _base64_lines(der: bytes) -> str:
    text = base64.b64encode(der).decode()
    return "".join(text[at : at + 64] + "\n" for at in range(0, len(text), 64))


def _signed(key: ec.EllipticCurvePrivateKey, tbs: bytes, algorithm: bytes) -> bytes:
    signature = key.sign(tbs, ec.ECDSA(hashes.SHA256()))
    return _encode(0x30, tbs + algorithm + _encode(0x03, b"\x00" + signature))


def _parts(der: bytes) -> tuple[bytes, bytes]:
    """(to-be-signed part, signature algorithm) of a DER certificate."""
    _, cert_start, cert_end = _tlv(der, 0)
    tbs, algorithm, _signature = _children(der, cert_start, cert_end)
    return tbs, algorithm


def certificate_with_a_duplicated_extension(host: str) -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM): self-signed for `host`, one private extension present twice."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    cert = (
        _builder(key, name)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.UnrecognizedExtension(EXTRA_OID, b"\x0c\x03one"), critical=False)
        .sign(key, hashes.SHA256())
    )
    tbs, algorithm = _parts(cert.public_bytes(serialization.Encoding.DER))
    _, tbs_start, tbs_end = _tlv(tbs, 0)
    fields = _children(tbs, tbs_start, tbs_end)
    wrapper = fields[-1]  # [3] EXPLICIT Extensions
    _, wrapper_start, _ = _tlv(wrapper, 0)
    _, seq_start, seq_end = _tlv(wrapper, wrapper_start)
    extensions = _children(wrapper, seq_start, seq_end)
    doubled = _encode(0xA3, _encode(0x30, b"".join([*extensions, extensions[-1]])))
    new_tbs = _encode(0x30, b"".join([*fields[:-1], doubled]))
    return _pems(key, _signed(key, new_tbs, algorithm))


def certificate_with_an_invalid_string(host: str) -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM): self-signed for `host`, its subject's name a PrintableString holding `_`.

    PrintableString has no underscore: OpenSSL accepts the certificate all the same, cryptography refuses it.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    printable = x509.NameAttribute(NameOID.COMMON_NAME, "oddXname", _type=x509.name._ASN1Type.PrintableString)
    cert = (
        _builder(key, x509.Name([printable]))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    tbs, algorithm = _parts(cert.public_bytes(serialization.Encoding.DER))
    return _pems(key, _signed(key, tbs.replace(b"oddXname", b"odd_name"), algorithm))


def certificate_without_names(common_name: str) -> tuple[bytes, bytes]:
    """(certificate PEM, key PEM): self-signed, a common name and no SubjectAlternativeName, as old portals send."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _builder(key, x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])).sign(key, hashes.SHA256())
    return _pems(key, cert.public_bytes(serialization.Encoding.DER))
