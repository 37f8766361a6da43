"""The Qt binding must keep Python's reference counts right: PySide6 6.12.0 under Python 3.11 returned None
without a reference from every void method, so a long run (a few thousand label updates) aborted the app
with "Fatal Python error: none_dealloc". pyproject.toml excludes that release; this test catches a return.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel


def test_void_qt_calls_do_not_drop_references_to_none(qapp: QApplication) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
        label.setVisible(False)
    lost = before - sys.getrefcount(None)
    assert lost < 100, f"{lost} references to None lost in 4000 calls: this PySide6 build corrupts refcounts"
