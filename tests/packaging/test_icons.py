"""The app icon: PNGs at every size, and .ico/.icns files that Windows, macOS and Qt can read."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtGui import QColor, QImage, QImageReader

PACKAGING = Path(__file__).resolve().parents[2] / "packaging"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def made(icons: ModuleType, qapp: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    # qapp: a QApplication made first, as the rest of the suite's widget tests need one (a
    # QGuiApplication left by make_icons would not do for them).
    return icons.make_icons(icons.DEFAULT_SVG, tmp_path_factory.mktemp("icons"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE, "not a PNG file"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def read_ico(data: bytes) -> list[tuple[int, bytes]]:
    """(size, payload) of each entry, checking the directory on the way."""
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind) == (0, 1), "not an icon file"
    entries = []
    expected_offset = 6 + 16 * count
    for index in range(count):
        width, height, colours, zero, planes, bits, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        assert (colours, zero, planes, bits) == (0, 0, 1, 32)
        assert width == height
        assert offset == expected_offset, "entries are laid out one after the other"
        expected_offset += size
        entries.append((width or 256, data[offset : offset + size]))
    assert expected_offset == len(data)
    return entries


def read_icns(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:4] == b"icns"
    assert struct.unpack(">I", data[4:8])[0] == len(data)
    entries = []
    offset = 8
    while offset < len(data):
        kind = data[offset : offset + 4]
        (length,) = struct.unpack(">I", data[offset + 4 : offset + 8])
        assert length > 8 and offset + length <= len(data)
        entries.append((kind, data[offset + 8 : offset + length]))
        offset += length
    return entries


def qt_image_sizes(path: Path, image_format: bytes) -> list[int]:
    reader = QImageReader(str(path), image_format)
    sizes = []
    for index in range(reader.imageCount()):
        assert reader.jumpToImage(index)
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        assert image.width() == image.height()
        sizes.append(image.width())
    return sizes


def test_a_png_is_written_at_every_size(icons: ModuleType, made: Any) -> None:
    assert sorted(made.pngs) == list(icons.PNG_SIZES)
    for size, path in made.pngs.items():
        assert path.name == f"halo-wizard-{size}.png"
        assert png_size(path.read_bytes()) == (size, size)


def test_the_png_shows_the_blue_tile_on_a_transparent_background(made: Any) -> None:
    image = QImage(str(made.pngs[256]))
    # Left of the centre, between the tile's edge and the ring (the centre is the white tick).
    tile = QColor(image.pixelColor(40, 128))
    assert tile.alpha() == 255
    assert tile.blue() > 150 and tile.blue() > tile.red() + 100 and tile.blue() > tile.green() + 50
    # Outside the tile's rounded corner.
    assert QColor(image.pixelColor(2, 2)).alpha() == 0
    assert QColor(image.pixelColor(253, 253)).alpha() == 0


def test_the_ico_holds_every_windows_size_as_png(icons: ModuleType, made: Any) -> None:
    entries = read_ico(made.ico.read_bytes())
    assert [size for size, _ in entries] == list(icons.ICO_SIZES)
    for size, payload in entries:
        assert png_size(payload) == (size, size)
        assert payload == made.pngs[size].read_bytes()


def test_qt_reads_every_size_of_the_ico(icons: ModuleType, made: Any) -> None:
    assert qt_image_sizes(made.ico, b"ico") == list(icons.ICO_SIZES)


def test_the_icns_holds_png_types_only_at_their_sizes(icons: ModuleType, made: Any) -> None:
    entries = read_icns(made.icns.read_bytes())
    wanted = dict(icons.ICNS_TYPES)
    assert [kind for kind, _ in entries] == [kind for kind, _ in icons.ICNS_TYPES]
    # The 16, 32 and 64 px PNG types that Finder draws scrambled are not used.
    assert not {kind for kind, _ in entries} & {b"icp4", b"icp5", b"icp6"}
    for kind, payload in entries:
        assert png_size(payload) == (wanted[kind], wanted[kind]), kind
    # Every size from 16 pt to 512 pt, at 1x and 2x where the type exists.
    assert {size for _, size in icons.ICNS_TYPES} == {32, 64, 128, 256, 512, 1024}


def test_qt_reads_every_image_of_the_icns(icons: ModuleType, made: Any) -> None:
    assert sorted(qt_image_sizes(made.icns, b"icns")) == sorted(
        size for _, size in icons.ICNS_TYPES
    )


def test_a_file_that_is_not_svg_is_refused(icons: ModuleType, qapp: Any, tmp_path: Path) -> None:
    bad = tmp_path / "icon.svg"
    bad.write_text("not an image")
    with pytest.raises(ValueError, match="not an SVG image"):
        icons.render_png(bad, 16)


def test_the_script_makes_the_icons_without_a_display(tmp_path: Path) -> None:
    # No QT_QPA_PLATFORM: the script asks Qt for its offscreen platform by itself, as build.py
    # runs it on machines with no screen.
    env = {key: value for key, value in os.environ.items() if key != "QT_QPA_PLATFORM"}
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "icons.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "halo-wizard.ico").is_file()
    assert (tmp_path / "halo-wizard.icns").is_file()
    assert (tmp_path / "halo-wizard-1024.png").is_file()
