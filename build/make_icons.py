"""Make the program's icons from resources/icons/app.svg: app.ico (Windows), app.icns (macOS), app.png (Linux).

Run by build/build-installer.sh before PyInstaller; writes into build/out/icons/ (never committed: the SVG is
the one source). Qt renders the SVG at each size, so the small sizes are drawn, not scaled down; Pillow
writes the multi-size ICO and ICNS containers.
Run: .venv/bin/python build/make_icons.py [OUT_FOLDER]
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "app.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    """The SVG drawn at `size` × `size`, as a Pillow image with alpha."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data.data()))).convert("RGBA")


def main(out: Path) -> None:
    """Write app.ico, app.icns and app.png into `out`."""
    QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"make_icons: {SVG} is not a valid SVG")
    out.mkdir(parents=True, exist_ok=True)
    largest = render(renderer, 1024)
    drawn = {size: render(renderer, size) for size in sorted(set(ICO_SIZES))}
    # Pillow's ICO writer takes the largest image and the sizes; giving it drawn sizes keeps small ones crisp.
    drawn[256].save(out / "app.ico", sizes=[(s, s) for s in ICO_SIZES], append_images=list(drawn.values()))
    largest.save(out / "app.icns", sizes=[(s, s) for s in ICNS_SIZES])
    render(renderer, 512).save(out / "app.png")
    for name in ("app.ico", "app.icns", "app.png"):
        print(f"make_icons: {out / name} ({(out / name).stat().st_size} bytes)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "out" / "icons")
