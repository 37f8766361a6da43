"""The child process that evaluates a PAC file: JSON on stdin, JSON on stdout.

Its parent kills it at the deadline. Kept tiny so that a hostile PAC file can only waste this process's time.
"""

from __future__ import annotations

import json
import sys
from urllib.parse import urlsplit


def main() -> int:
    """Evaluate the PAC script for each requested URL and write the answers, or the error, as JSON."""
    try:
        request = json.loads(sys.stdin.buffer.read())
        from pypac.parser import PACFile

        pac = PACFile(request["pac"])
        results = {}
        for url in request["urls"]:
            results[url] = str(pac.find_proxy_for_url(url, urlsplit(url).hostname or ""))
        sys.stdout.write(json.dumps({"results": results}))
    except Exception as exc:  # any failure of the script is the PAC file's, reported to the parent
        sys.stdout.write(json.dumps({"error": f"{type(exc).__name__}: {str(exc)[:300]}"}))
    sys.stdout.flush()
    return 0
