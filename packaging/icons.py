"""Render the app icon's SVG into PNGs, a Windows .ico and a macOS .icns, with Qt alone."""

from __future__ import annotations

import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

NAME = "halo-wizard"
DEFAULT_SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / f"{NAME}.svg"

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
# What Explorer asks for, from the small list view up to the large tiles; it scales the rest.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# Only the .icns types whose payload may be a PNG file as it is and that Finder draws properly.
# Not icp4/icp5/icp6 (16/32/64 px PNG): Finder's list view shows them scrambled, and Apple's own
# iconutil never writes them. macOS scales ic11 (32 px) down where a 16 px image is wanted.
ICNS_TYPES: tuple[tuple[bytes, int], ...] = (
    (b"ic11", 32),  # 16 pt @2x
    (b"ic12", 64),  # 32 pt @2x
    (b"ic07", 128),  # 128 pt
    (b"ic13", 256),  # 128 pt @2x
    (b"ic08", 256),  # 256 pt
    (b"ic14", 512),  # 256 pt @2x
    (b"ic09", 512),  # 512 pt
    (b"ic10", 1024),  # 512 pt @2x
)

# The application object made here, kept so that Qt does not lose it while icons are drawn.
_app: Any = None


@dataclass(frozen=True)
class Icons:
    """The files written by make_icons: one PNG per size, and the two icon containers."""

    pngs: dict[int, Path]
    ico: Path
    icns: Path


def make_icons(svg: Path, out_dir: Path) -> Icons:
    """Render `svg` at every size into `out_dir` as halo-wizard-N.png, .ico and .icns."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pngs: dict[int, Path] = {}
    for size in PNG_SIZES:
        path = out_dir / f"{NAME}-{size}.png"
        path.write_bytes(render_png(svg, size))
        pngs[size] = path
    ico = out_dir / f"{NAME}.ico"
    ico.write_bytes(ico_bytes((size, pngs[size].read_bytes()) for size in ICO_SIZES))
    icns = out_dir / f"{NAME}.icns"
    icns.write_bytes(icns_bytes((kind, pngs[size].read_bytes()) for kind, size in ICNS_TYPES))
    return Icons(pngs=pngs, ico=ico, icns=icns)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn antialiased on a transparent square of `size` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _ensure_application()
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG image Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, size, size))
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"Qt could not encode the {size} px icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: Iterable[tuple[int, bytes]]) -> bytes:
    """A Windows .ico holding each (size, PNG bytes) pair as a PNG-compressed entry."""
    entries = list(images)
    header = struct.pack("<HHH", 0, 1, len(entries))  # reserved, type 1 = icon, count
    offset = len(header) + 16 * len(entries)
    directory = b""
    for size, png in entries:
        if not 1 <= size <= 256:
            raise ValueError(f"an .ico entry is 1 to 256 pixels wide, not {size}")
        side = 0 if size == 256 else size  # the width and height bytes say 256 as 0
        # width, height, palette colours (0: none), reserved, colour planes, bits per pixel,
        # bytes in the image, offset of the image from the start of the file
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset)
        offset += len(png)
    return header + directory + b"".join(png for _, png in entries)


def icns_bytes(images: Iterable[tuple[bytes, bytes]]) -> bytes:
    """A macOS .icns holding each (type, PNG bytes) pair; every length in it is big-endian."""
    body = b"".join(kind + struct.pack(">I", 8 + len(png)) + png for kind, png in images)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def _ensure_application() -> None:
    from PySide6.QtGui import QGuiApplication

    global _app
    if QGuiApplication.instance() is None:
        # The offscreen platform is asked for by argument, not by setting QT_QPA_PLATFORM, so
        # that programs a build starts after this (the smoke test) still get a real display.
        _app = QGuiApplication([NAME, "-platform", "offscreen"])


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python packaging/icons.py OUT_DIR", file=sys.stderr)
        return 2
    icons = make_icons(DEFAULT_SVG, Path(argv[0]))
    for path in (*icons.pngs.values(), icons.ico, icons.icns):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
