"""The Linux build's trimmed ICU data (build/trim_icu.py): what goes, and that Qt still works on what stays."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "build"))
import trim_icu  # noqa: E402

QT_ON_TRIMMED_ICU = """
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTextBoundaryFinder
collator = QCollator(QLocale("fr_FR"))
print(sorted(["Zoé", "éclair", "eclat", "abc", "Ève"], key=collator.sortKey))
finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Line, "Palais des Congrès, salle Bleue")
breaks = 0
while finder.toNextBoundary() != -1:
    breaks += 1
print(breaks, QStringDecoder("Shift_JIS").isValid())
"""


@pytest.mark.parametrize(
    ("item", "goes"),
    [
        ("coll/de.res", True),
        ("coll/de__PHONEBOOK.res", True),
        ("de_AT.res", True),
        ("zone/ja.res", True),
        ("ibm-943_P15A-2003.cnv", True),
        ("translit/root.res", True),
        ("fr_CA.res", False),
        ("coll/fr.res", False),
        ("en_GB.res", False),
        ("coll/root.res", False),
        ("coll/ucadata.icu", False),
        ("res_index.res", False),
        ("curr/pool.res", False),
        ("brkitr/thaidict.dict", False),
        ("zoneinfo64.res", False),
        ("uts46.nrm", False),
    ],
)
def test_other_locales_converters_and_transliterators_go(item: str, goes: bool) -> None:
    assert trim_icu.dropped(item) is goes


def _qt_icu_data() -> Path:
    from PySide6 import __file__ as pyside

    found = sorted((Path(pyside).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found:
        pytest.skip("this PySide6 brings no ICU of its own (only Linux wheels do)")
    return next(path for path in found if path.name.count(".") == 2)


@pytest.mark.skipif(sys.platform != "linux", reason="only Linux's Qt wheels carry ICU")
def test_qt_sorts_french_and_breaks_lines_on_the_trimmed_data(tmp_path: Path) -> None:
    if trim_icu.missing_tools():
        pytest.skip(f"needs {', '.join(trim_icu.missing_tools())} (build/setup-dev.sh installs them)")
    original = _qt_icu_data()
    trimmed = trim_icu.trim(original, tmp_path)
    assert trimmed.stat().st_size < original.stat().st_size / 3

    def run_qt(library_path: str) -> list[str]:
        env = {**os.environ, "LD_LIBRARY_PATH": library_path, "LD_DEBUG": "libs"}
        done = subprocess.run(
            [sys.executable, "-c", QT_ON_TRIMMED_ICU], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert f"trying file={library_path}/{original.name}" in done.stderr or library_path == ""
        assert "Could not create collator" not in done.stderr
        return done.stdout.splitlines()

    whole, cut = run_qt(""), run_qt(str(tmp_path))
    assert cut[0] == whole[0] == "['abc', 'éclair', 'eclat', 'Ève', 'Zoé']"  # French collation, as before
    assert cut[1].split()[0] == whole[1].split()[0]  # the same line breaks
    assert cut[1].split()[1] == "False"  # legacy converters are gone, and only they
