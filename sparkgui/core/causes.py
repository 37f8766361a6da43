"""The stable cause codes (design.md). Reports, remedies and tests key on these values."""

from enum import StrEnum


class Cause(StrEnum):
    """Why a check ended as it did, as a stable `area.reason` code; what it means is in the catalogue."""

    OK = "ok"
    DNS_NXDOMAIN = "dns.nxdomain"
    DNS_NO_ADDRESS = "dns.no_address"  # the name exists but has no A or AAAA record
    DNS_SERVFAIL = "dns.servfail"
    DNS_TIMEOUT = "dns.timeout"
    DNS_NO_RESOLVER = "dns.no_resolver"
    DNS_HIJACKED = "dns.hijacked"
    DNS_SYSTEM_SLOW = "dns.system_slow"  # this computer's own lookup is several times slower, for a known reason
    DNS_SYSTEM_DIFFERS = "dns.system_differs"  # this computer's own lookup gives other addresses (VPN, suffix)
    DNS_HOSTS_OVERRIDE = "dns.hosts_override"  # this computer's hosts file sends the name elsewhere
    DNS_SLOW = "dns.slow"  # the answer came, but later than the profile's threshold: every page load waits
    TCP_REFUSED = "tcp.refused"
    TCP_TIMEOUT = "tcp.timeout"
    TCP_UNREACHABLE = "tcp.unreachable"
    TLS_UNTRUSTED = "tls.untrusted"
    TLS_INTERCEPTED = "tls.intercepted"
    TLS_HOSTNAME_MISMATCH = "tls.hostname_mismatch"
    TLS_EXPIRED = "tls.expired"
    HOST_CLOCK_WRONG = "host.clock_wrong"  # this computer's clock is far from the servers': dates look wrong
    TLS_BLOCKED = "tls.blocked"
    TLS_TIMEOUT = "tls.timeout"  # the handshake got no answer in time
    TLS_HANDSHAKE_FAILED = "tls.handshake_failed"  # the peer does not speak TLS as expected
    HTTP_CAPTIVE_PORTAL = "http.captive_portal"
    HTTP_BLOCKED = "http.blocked"
    HTTP_UNEXPECTED_STATUS = "http.unexpected_status"
    HTTP_REDIRECT_LOOP = "http.redirect_loop"  # redirects that come back to a URL already asked, or never end
    HTTP_TIMEOUT = "http.timeout"  # the request got no answer in time
    HTTP_CONNECTION_LOST = "http.connection_lost"  # the connection broke during the request
    HTTP_INVALID_RESPONSE = "http.invalid_response"  # the answer is not valid HTTP (garbage, oversized headers…)
    PROXY_AUTH_REQUIRED = "proxy.auth_required"
    PROXY_AUTH_FAILED = "proxy.auth_failed"
    PROXY_CONNECT_DENIED = "proxy.connect_denied"
    PROXY_UNREACHABLE = "proxy.unreachable"
    PROXY_UPSTREAM_FAILED = "proxy.upstream_failed"  # CONNECT answered 502/503/504: the proxy's own way out failed
    PROXY_NO_ANSWER = "proxy.no_answer"  # the proxy accepted the connection but never answered CONNECT
    PROXY_PAC_ERROR = "proxy.pac_error"
    PROXY_INVALID_RESPONSE = "proxy.invalid_response"  # the proxy does not answer in HTTP
    PROXY_BAD_SETTING = "proxy.bad_setting"  # a proxy setting (environment, system) cannot be understood
    WS_UPGRADE_REJECTED = "ws.upgrade_rejected"
    WS_HANDSHAKE_TIMEOUT = "ws.handshake_timeout"
    WS_ECHO_FAILED = "ws.echo_failed"
    WS_DROPPED = "ws.dropped"
    WS_IDLE_TIMEOUT = "ws.idle_timeout"
    WS_FLOOD = "ws.flood"  # the connection received far more data than was asked for
    NET_HIGH_LATENCY = "net.high_latency"
    NET_JITTER = "net.jitter"
    NET_PACKET_LOSS = "net.packet_loss"
    NET_LOW_BANDWIDTH = "net.low_bandwidth"
    NET_TRANSFER_INTERRUPTED = "net.transfer_interrupted"  # a speed test stalled, was cut, or was refused
    NET_MTU_BLACKHOLE = "net.mtu_blackhole"  # full-size packets vanish on the path, and no ICMP says why
    IPV6_BROKEN = "ipv6.broken"
    SKIPPED_PREREQUISITE = "skipped.prerequisite"  # a check this one needs did not pass
    SKIPPED_CANCELLED = "skipped.cancelled"  # the run was cancelled before this check finished
    SKIPPED_NOT_APPLICABLE = "skipped.not_applicable"  # nothing to test (e.g. no IPv6 address)
    INTERNAL_ERROR = "internal.error"
