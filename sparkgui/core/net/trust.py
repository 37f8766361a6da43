"""TLS contexts: the OS trust store (as the browser trusts), the public roots, and a no-verify probe.

The OS store comes through truststore, so a corporate CA installed by IT is honoured exactly as the
browser honours it. The public roots (certifi) tell a corporate CA from a public one.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from functools import cached_property

import certifi
import truststore


@dataclass
class TrustStores:
    """The contexts one run uses, built once (loading a trust store is not free)."""

    public_roots_file: str = field(default_factory=certifi.where)

    @cached_property
    def os_store(self) -> ssl.SSLContext:
        """A client context that verifies against the OS trust store, as the browser does."""
        return truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)

    @cached_property
    def public_roots(self) -> ssl.SSLContext:
        """A client context that verifies against the public roots only (certifi)."""
        return ssl.create_default_context(cafile=self.public_roots_file)

    @cached_property
    def no_verify(self) -> ssl.SSLContext:
        """Only to read a certificate that failed verification, for the evidence. Never for data."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
