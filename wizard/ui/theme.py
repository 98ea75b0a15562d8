"""Colours and icons for statuses, derived from the palette so light and dark mode both read well.

Nothing here hard-codes a background: text keeps the palette's own colours, and only the
small status marks get a colour, chosen for the palette in use (a darker shade on a light
window, a lighter one on a dark window) and checked for contrast by the tests.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QWidget,
    QWizard,
)

# (on a light window, on a dark window): shades with at least 3:1 contrast against either.
_STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "ok": ("#1a7f37", "#3fb950"),
    "warning": ("#9a6700", "#e3b341"),
    "error": ("#cf222e", "#ff7b72"),
    "info": ("#0969da", "#58a6ff"),
    "running": ("#57606a", "#9ea7b3"),
    "skipped": ("#57606a", "#9ea7b3"),
    "todo": ("#6e7781", "#8b949e"),
    # A step the admin went through that nothing verified: neutral, neither tick nor cross.
    "visited": ("#57606a", "#9ea7b3"),
}
STATUS_KINDS = tuple(_STATUS_COLOURS)


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return window.lightnessF() < text.lightnessF()


def status_colour(kind: str, palette: QPalette | None = None) -> QColor:
    if kind == "current":
        return (palette or QApplication.palette()).color(QPalette.ColorRole.Highlight)
    light, dark = _STATUS_COLOURS[kind]
    return QColor(dark if is_dark(palette) else light)


def relative_luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def status_icon(kind: str, size: int = 16, palette: QPalette | None = None) -> QIcon:
    """A round (or, for warnings, triangular) mark with a glyph, sharp at 1x and 2x."""
    icon = QIcon()
    for ratio in (1.0, 2.0):
        icon.addPixmap(_status_pixmap(kind, size, ratio, palette))
    return icon


def status_pixmap(kind: str, size: int = 16, palette: QPalette | None = None) -> QPixmap:
    """The mark for a QLabel, drawn at the screen's pixel ratio."""
    app = QApplication.instance()
    ratio = app.devicePixelRatio() if isinstance(app, QApplication) else 1.0
    return _status_pixmap(kind, size, max(ratio, 1.0), palette)


def _status_pixmap(kind: str, size: int, ratio: float, palette: QPalette | None) -> QPixmap:
    palette = palette or QApplication.palette()
    fill = status_colour(kind, palette)
    glyph = palette.color(QPalette.ColorRole.Window)
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    box = QRectF(0.5, 0.5, s - 1, s - 1)
    pen = QPen(glyph, max(1.6, s / 8), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    if kind == "warning":
        triangle = QPolygonF(
            [QPointF(s / 2, 0.8), QPointF(s - 0.6, s - 1.2), QPointF(0.6, s - 1.2)]
        )
        path = QPainterPath()
        path.addPolygon(triangle)
        path.closeSubpath()
        painter.fillPath(path, fill)
        painter.setPen(pen)
        painter.drawLine(QPointF(s / 2, s * 0.38), QPointF(s / 2, s * 0.62))
        painter.drawPoint(QPointF(s / 2, s * 0.79))
    elif kind == "visited":
        # A ring with a dot: "been here", unlike the empty ring of a step still to do.
        painter.setPen(QPen(fill, max(1.3, s / 10)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(box.adjusted(s * 0.12, s * 0.12, -s * 0.12, -s * 0.12))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawEllipse(QPointF(s / 2, s / 2), s * 0.16, s * 0.16)
    elif kind in ("todo", "current"):
        inner = box.adjusted(s * 0.18, s * 0.18, -s * 0.18, -s * 0.18)
        if kind == "current":
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
        else:
            painter.setPen(QPen(fill, max(1.3, s / 10)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(inner)
    elif kind in ("running", "skipped"):
        painter.setPen(QPen(fill, max(1.5, s / 9)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        inner = box.adjusted(s * 0.1, s * 0.1, -s * 0.1, -s * 0.1)
        painter.drawEllipse(inner)
        if kind == "running":
            painter.setBrush(fill)
            painter.setPen(Qt.PenStyle.NoPen)
            dot = s * 0.09
            for x in (0.32, 0.5, 0.68):
                painter.drawEllipse(QPointF(s * x, s / 2), dot, dot)
        else:
            painter.drawLine(QPointF(s * 0.32, s / 2), QPointF(s * 0.68, s / 2))
    else:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawEllipse(box)
        painter.setPen(pen)
        if kind == "ok":
            painter.drawPolyline(
                QPolygonF(
                    [
                        QPointF(s * 0.28, s * 0.52),
                        QPointF(s * 0.44, s * 0.68),
                        QPointF(s * 0.72, s * 0.34),
                    ]
                )
            )
        elif kind == "error":
            painter.drawLine(QPointF(s * 0.33, s * 0.33), QPointF(s * 0.67, s * 0.67))
            painter.drawLine(QPointF(s * 0.67, s * 0.33), QPointF(s * 0.33, s * 0.67))
        else:  # info
            painter.drawLine(QPointF(s / 2, s * 0.45), QPointF(s / 2, s * 0.72))
            painter.drawPoint(QPointF(s / 2, s * 0.28))
    painter.end()
    return pixmap


def wizard_style() -> QWizard.WizardStyle | None:
    """The platform's wizard look, or None to keep Qt's default for the platform.

    Windows gets ModernStyle: Qt's default there, AeroStyle, draws a light title area and
    unreadable text in dark mode.
    """
    if sys.platform == "win32":
        return QWizard.WizardStyle.ModernStyle
    if sys.platform == "darwin":
        return QWizard.WizardStyle.MacStyle
    return None


def bold(font: QFont, scale: float = 1.0) -> QFont:
    result = QFont(font)
    result.setBold(True)
    if scale != 1.0 and result.pointSizeF() > 0:
        result.setPointSizeF(result.pointSizeF() * scale)
    return result


def dark_palette() -> QPalette:
    """A dark palette like the desktops' dark modes, for renders on systems without one."""
    palette = QPalette()
    role = QPalette.ColorRole
    group = QPalette.ColorGroup
    colours = {
        role.Window: "#2b2b2b",
        role.WindowText: "#e6e6e6",
        role.Base: "#1e1e1e",
        role.AlternateBase: "#353535",
        role.ToolTipBase: "#3c3c3c",
        role.ToolTipText: "#e6e6e6",
        role.PlaceholderText: "#9a9a9a",
        role.Text: "#e6e6e6",
        role.Button: "#3a3a3a",
        role.ButtonText: "#e6e6e6",
        role.BrightText: "#ffffff",
        role.Light: "#505050",
        role.Midlight: "#444444",
        role.Mid: "#303030",
        role.Dark: "#202020",
        role.Shadow: "#101010",
        role.Highlight: "#2f65ca",
        role.HighlightedText: "#ffffff",
        role.Link: "#6cb6ff",
        role.LinkVisited: "#b49cff",
    }
    for colour_role, value in colours.items():
        palette.setColor(colour_role, QColor(value))
    for colour_role in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(group.Disabled, colour_role, QColor("#7d7d7d"))
    palette.setColor(group.Disabled, role.Base, QColor("#262626"))
    palette.setColor(group.Disabled, role.Button, QColor("#333333"))
    return palette


def outline_colour(palette: QPalette) -> QColor:
    """The outline of a radio button, check box or field: halfway from the window to its text.

    Fusion derives its outlines from the window colour alone (a shade darker), which on a
    dark window is almost black on dark grey; halfway to the text colour reads in both modes.
    """
    window = palette.color(QPalette.ColorRole.Window)
    text = palette.color(QPalette.ColorRole.WindowText)
    return QColor(
        (window.red() + text.red()) // 2,
        (window.green() + text.green()) // 2,
        (window.blue() + text.blue()) // 2,
    )


_PE = QStyle.PrimitiveElement
_OUTLINED = (_PE.PE_IndicatorRadioButton, _PE.PE_IndicatorCheckBox, _PE.PE_FrameLineEdit)


class VisibleOutlines(QProxyStyle):
    """Fusion, with outlines for radio buttons, check boxes and fields that show when dark.

    Fusion's own drawing is kept; on a dark palette a clearer outline is drawn over its
    faint one, except where keyboard focus draws its own highlighted outline.
    """

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if not is_dark(option.palette):
            return
        if element is _PE.PE_FrameFocusRect:
            self._draw_focus(option, painter)
            return
        if element not in _OUTLINED:
            return
        state = option.state
        focus_drawn = bool(state & QStyle.StateFlag.State_HasFocus) and (
            element is _PE.PE_FrameLineEdit
            or bool(state & QStyle.StateFlag.State_KeyboardFocusChange)
        )
        if focus_drawn:
            return
        rect = QRectF(option.rect)
        colour = outline_colour(option.palette)
        if not state & QStyle.StateFlag.State_Enabled:
            colour.setAlphaF(0.55)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(colour, 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if element is _PE.PE_IndicatorRadioButton:
            width = rect.width()
            radius = (width + (int(width) + 1) % 2) / 2.0 - 1
            painter.drawEllipse(rect.center() + QPointF(0.5, 0.5), radius, radius)
        elif element is _PE.PE_IndicatorCheckBox:
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        else:
            painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
        painter.restore()

    def _draw_focus(self, option: QStyleOption, painter: QPainter) -> None:
        # Fusion only draws its focus frame after a key moved the focus; when it does, its
        # dark blue on dark grey is hard to see: go over it in a lighter shade.
        if not option.state & QStyle.StateFlag.State_KeyboardFocusChange:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(focus_colour(option.palette), 1.0))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
        painter.restore()


def focus_colour(palette: QPalette) -> QColor:
    """The keyboard focus frame: the highlight, lightened on a dark window until it shows."""
    colour = palette.color(QPalette.ColorRole.Highlight)
    window = palette.color(QPalette.ColorRole.Window)
    while is_dark(palette) and contrast(colour, window) < 3.0 and colour.lightness() < 240:
        colour = colour.lighter(115)
    return colour


_installed: list[VisibleOutlines] = []


def use_visible_outlines() -> None:
    """Wrap the application's Fusion style in VisibleOutlines, once; other styles are left be.

    The native styles of Windows and macOS draw their own dark-mode outlines.
    """
    app = QApplication.instance()
    if not isinstance(app, QApplication) or isinstance(app.style(), VisibleOutlines):
        return
    if app.style().name().lower() != "fusion":
        return
    style = VisibleOutlines(QStyleFactory.create("Fusion"))
    _installed.append(style)  # kept alive beside the application, which uses it
    app.setStyle(style)
