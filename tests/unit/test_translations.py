"""English and French are complete: every `tr("…")` template in sparkgui has a French translation with the
same placeholders, every catalog entry is still used, and the scanner itself catches a missing string.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import pytest

from sparkgui.core.i18n import LANGUAGES, catalog, placeholders, render
from sparkgui.core.profile import bundled_profile_names, load_bundled_profile

SOURCE_ROOT = Path(__file__).resolve().parents[2] / "sparkgui"


def templates_in(source: str, where: str) -> dict[str, str]:
    """Every `tr("literal", …)` and `trn("one", "other", n)` template in a module, with its location.

    A template that is not a literal is an error: it could not be translated.
    """
    found: dict[str, str] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("tr", "trn"):
            literals = node.args[: 1 if node.func.id == "tr" else 2]
            for index, literal in enumerate(literals or [None]):
                if not (isinstance(literal, ast.Constant) and isinstance(literal.value, str)):
                    raise AssertionError(f"{where}:{node.lineno}: tr() needs a literal template to be translated")
                if index == 0:  # a plural sentence is keyed by its singular, as gettext's msgid
                    found.setdefault(literal.value, f"{where}:{node.lineno}")
    return found


def used_templates() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(SOURCE_ROOT.rglob("*.py")):
        for template, where in templates_in(path.read_text("utf-8"), str(path.relative_to(SOURCE_ROOT.parent))).items():
            found.setdefault(template, where)
    for name in bundled_profile_names():  # the bundled profiles' notes are shown in the reader's language too
        for note in load_bundled_profile(name).allowlist:
            found.setdefault(note, f"resources/profiles/{name}.toml")
    return found


def catalog_files(lang: str) -> dict[str, dict[str, str]]:
    folder = resources.files("sparkgui_resources").joinpath("i18n", lang)
    return {
        item.name: json.loads(item.read_text(encoding="utf-8"))
        for item in folder.iterdir()
        if item.name.endswith(".json")
    }


def missing_translations(used: dict[str, str], french: Mapping[str, object]) -> list[str]:
    return [f"{where}: {template!r}" for template, where in used.items() if template not in french]


def test_every_template_has_a_french_translation_with_the_same_placeholders() -> None:
    used = used_templates()
    assert len(used) > 100  # the scan really finds the product's sentences
    french = dict(catalog("fr"))
    assert not missing_translations(used, french), "\n".join(missing_translations(used, french))

    def forms(value: object) -> list[str]:
        return [str(form) for form in value] if isinstance(value, list) else [str(value)]

    wrong = [
        f"{t!r} -> {french[t]!r}"
        for t in used
        if any(placeholders(t) != placeholders(form) or not form.strip() for form in forms(french[t]))
    ]
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_no_stale_catalog_entries() -> None:
    used = used_templates()
    stale = [f"{name}: {key!r}" for name, entries in catalog_files("fr").items() for key in entries if key not in used]
    assert not stale, "entries no code uses any more:\n" + "\n".join(stale)


def test_catalog_files_do_not_repeat_a_template() -> None:
    seen: dict[str, str] = {}
    for name, entries in catalog_files("fr").items():
        for key in entries:
            assert key not in seen, f"{key!r} is in both {seen[key]} and {name}"
            seen[key] = name


def test_the_scanner_catches_a_missing_string_and_a_non_literal_template() -> None:
    source = 'from sparkgui.core.i18n import tr\nx = tr("A sentence nobody translated, {name}", name="n")\n'
    used = templates_in(source, "probe.py")
    assert missing_translations(used, dict(catalog("fr"))) == ["probe.py:2: 'A sentence nobody translated, {name}'"]
    french = dict(catalog("fr"))
    del french["Check this network"]  # one real string dropped from the catalog is reported
    assert [line for line in missing_translations(used_templates(), french) if "Check this network" in line]
    with pytest.raises(AssertionError, match="literal template"):
        templates_in("tr(template)\n", "probe.py")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_renders_in_every_language(lang: str) -> None:
    for template in used_templates():
        values = {name: "x" for name in placeholders(template)}
        assert render(template, values, lang).strip()
