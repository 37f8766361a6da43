"""The PDF's fixed words: what each row of "All checks" is called, and what the test cannot see.

Tables of text only, kept apart from the sections that lay them out (content.py).
"""

from __future__ import annotations

from sparkgui.core.i18n import tr

KIND_LABELS = {
    "dns": tr("DNS"),
    "tcp": tr("TCP connection"),
    "ipv6": tr("IPv6"),
    "tls": tr("Secure connection (TLS)"),
    "https": tr("HTTPS request"),
    "ws": tr("WebSocket"),
    "ws-hold": tr("WebSocket hold"),
    "proxy": tr("Proxy"),
    "quality": tr("Connection quality"),
}
# Checks whose target is a name of ours rather than a host: the label says which one, in the reader's language.
SUBJECT_LABELS = {
    ("quality", "latency"): tr("Latency"),
    ("quality", "download"): tr("Download speed"),
    ("quality", "upload"): tr("Upload speed"),
    ("quality", "photo_upload"): tr("A photo's upload"),
    ("quality", "capacity"): tr("Attendees this link carries"),
    ("proxy", "discovery"): tr("Proxy settings"),
    ("proxy", "direct"): tr("Direct access without the proxy"),
}
CANNOT_SEE = (
    tr(
        "Attendees' phones on the guest Wi-Fi are on another network, often with other rules: run this test "
        "from the guest Wi-Fi too, or apply the same rules there."
    ),
    tr(
        "Peak load: hundreds of attendees connecting at once can fill the Internet link, the Wi-Fi access "
        "points or the DHCP address pool; this test uses one computer."
    ),
    tr(
        "The speed figures are this laptop's path to the platform: they show what the venue's route to the "
        "Internet carries, not what the Wi-Fi can give hundreds of phones at once."
    ),
    tr(
        "Rules that differ by time of day, by user group or after a sign-in (captive-portal sessions that "
        "expire) may be different on the day of the event."
    ),
    tr("Attendees on mobile data (4G/5G) do not use the venue's network at all."),
    tr("Changes made to the network after this test ran."),
)
