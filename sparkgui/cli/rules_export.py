"""`sparkgui --rules FILE`: the profile's allow-list rules, as CSV or JSON for a firewall console."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sparkgui.cli.args import EXIT_INTERNAL, EXIT_USAGE, UsageError
from sparkgui.core.allowlist import rules_csv, rules_document
from sparkgui.core.atomic import WriteError, write_atomically
from sparkgui.core.i18n import system_language, tr, trn
from sparkgui.core.profile import ProfileError

FORMATS = (".csv", ".json")


def export_rules(args: argparse.Namespace) -> int:
    """Write the rules in the format the file name asks for; 0 when written, 3 with a message otherwise."""
    from sparkgui.cli.headless import check_output_path, load_profile_option, same_file

    target = str(args.rules)
    lang = args.lang or system_language()
    try:
        profile = load_profile_option(args.profile)
        check_output_path(target, "--rules")
        if args.profile and same_file(target, args.profile):
            raise UsageError(
                tr(
                    "{option} {path} is the profile being read: give the report another name.",
                    option="--rules",
                    path=target,
                )
            )
        suffix = Path(target).suffix.lower()
        if suffix not in FORMATS:
            raise UsageError(
                tr("--rules {path}: name the file .csv or .json, the formats firewall consoles import.", path=target)
            )
    except (UsageError, ProfileError) as exc:
        print(f"sparkgui: {exc.render(lang)}", file=sys.stderr)
        return EXIT_USAGE
    text = rules_csv(profile) if suffix == ".csv" else rules_document(profile, lang)
    try:
        write_atomically(Path(target), text.encode("utf-8"))
    except WriteError as exc:
        print(f"sparkgui: {exc.render(lang)}", file=sys.stderr)
        return EXIT_INTERNAL
    count = len(profile.allow)
    written = trn(
        "{count} allow-list rule written to {path}.", "{count} allow-list rules written to {path}.", count, path=target
    )
    print(written.render(lang), file=sys.stderr)
    return 0
