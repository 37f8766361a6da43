"""Start the window. Kept apart so that the headless path never imports Qt."""

from __future__ import annotations

import argparse
import sys

from sparkgui.cli.args import EXIT_USAGE


def launch_gui(args: argparse.Namespace) -> int:
    """Open the window and return its exit status; without Qt, say so and point to --headless."""
    try:
        from sparkgui.ui.app import run_app
    except ImportError as exc:
        print(
            f"sparkgui: the window cannot start ({exc}). Use 'sparkgui --headless' to run in a terminal.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return int(run_app(args))
