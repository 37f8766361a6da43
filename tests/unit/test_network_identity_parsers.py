"""The Wi-Fi name, interface and gateway read from macOS and Windows command output, in their real shapes.

These OSes are not on the CI machine, so their commands' output is kept here as the OS prints it (English and
a translated Windows); the Linux reading is proven for real in tests/lab/test_lab_network_identity.py.
"""

from __future__ import annotations

from sparkgui.core.tested_network import macos_ssid, windows_default_route, windows_wifi

NETSH_ENGLISH = """\r
There is 1 interface on the system: \r
\r
    Name                   : Wi-Fi\r
    Description            : Intel(R) Wi-Fi 6 AX201 160MHz\r
    GUID                   : 0a1b2c3d-0000-1111-2222-333344445555\r
    Physical address       : 12:34:56:78:9a:bc\r
    State                  : connected\r
    SSID                   : Palais Guest\r
    BSSID                  : 12:34:56:78:9a:bd\r
    Network type           : Infrastructure\r
    Signal                 : 92%\r
\r
    Hosted network status  : Not available\r
"""

NETSH_FRENCH = """
Il existe 2 interfaces sur le système :

    Nom                    : Ethernet sans fil 2
    Description            : Realtek USB
    État                   : déconnecté

    Nom                    : Wi-Fi
    Description            : Intel(R) Wi-Fi 6 AX201 160MHz
    Adresse physique       : 12:34:56:78:9a:bc
    État                   : connecté
    SSID                   : Congrès: invités
    BSSID                  : 12:34:56:78:9a:bd
"""

NETSH_NO_WIFI = """
The Wireless AutoConfig Service (wlansvc) is not running.
"""

ROUTE_PRINT = """===========================================================================
Interface List
 12...12 34 56 78 9a bc ......Intel(R) Wi-Fi 6 AX201 160MHz
===========================================================================

IPv4 Route Table
===========================================================================
Active Routes:
Network Destination        Netmask          Gateway       Interface  Metric
          0.0.0.0          0.0.0.0      192.168.1.1    192.168.1.23     35
===========================================================================
"""


def test_windows_wifi_reads_the_connected_interface_in_english() -> None:
    assert windows_wifi(NETSH_ENGLISH) == ("Wi-Fi", "Palais Guest")


def test_windows_wifi_reads_translated_labels_and_skips_interfaces_without_a_network() -> None:
    assert windows_wifi(NETSH_FRENCH) == ("Wi-Fi", "Congrès: invités")


def test_windows_wifi_is_empty_without_a_wireless_service() -> None:
    assert windows_wifi(NETSH_NO_WIFI) == ("", "")
    assert windows_wifi("") == ("", "")


def test_windows_default_route_gives_gateway_and_local_address() -> None:
    assert windows_default_route(ROUTE_PRINT) == ("192.168.1.1", "192.168.1.23")
    assert windows_default_route("") == ("", "")


def test_macos_ssid_reads_networksetup_and_ipconfig_summary() -> None:
    assert macos_ssid("Current Wi-Fi Network: Palais Guest\n") == "Palais Guest"
    assert macos_ssid("Current AirPort Network: Old Mac\n") == "Old Mac"
    summary = "<dictionary> {\n  BSSID : 12:34:56:78:9a:bd\n  SSID : Venue 5G\n  Security : WPA2\n}\n"
    assert macos_ssid(summary) == "Venue 5G"


def test_macos_ssid_refuses_what_is_no_network_name() -> None:
    assert macos_ssid("You are not associated with an AirPort network.\n") == ""
    assert macos_ssid("en0 is not a Wi-Fi interface.\n** Error: Error obtaining wireless information.\n") == ""
    assert macos_ssid("  SSID : <redacted>\n") == ""
