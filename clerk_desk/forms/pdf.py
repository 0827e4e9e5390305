"""General HTML -> QTextDocument -> PDF or printer, A4 with a page-number footer.

For documents that are long tables (the public lists, daily hand-over lists): the HTML is laid out on
A4 (portrait or landscape), a ``<thead>`` row repeats on every page, and each page gets a footer
"第 n 页 共 m 页" plus an optional left-hand footer text. The text stays real text in the PDF.
Fonts come from clerk_desk.forms.render (a Latin face, then WenQuanYi Micro Hei / YaHei for Chinese).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog

from clerk_desk.forms.render import Paint, PreviewFactory, PrintError, find_printer, font_families, layout_dpi

FOOTER_MM = 8.0


def _dialog_preview(printer: QPrinter, paint_on: Paint) -> bool:
    dialog = QPrintPreviewDialog(printer)
    dialog.setObjectName("printPreviewDialog")
    dialog.paintRequested.connect(paint_on)
    return dialog.exec() == QDialog.DialogCode.Accepted


@dataclass(frozen=True)
class PageSetup:
    landscape: bool = False
    margins_mm: tuple[float, float, float, float] = (15, 14, 15, 12)  # left, top, right, bottom
    body_pt: float = 10.5
    footer_left: str = ""

    def layout(self) -> QPageLayout:
        orientation = (
            QPageLayout.Orientation.Landscape if self.landscape else QPageLayout.Orientation.Portrait
        )
        return QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            orientation,
            QMarginsF(*self.margins_mm),
            QPageLayout.Unit.Millimeter,
        )


def build_document(html: str, setup: PageSetup, title: str = "") -> QTextDocument:
    """Lay ``html`` out on the printable A4 area minus the footer band."""
    text = QTextDocument()
    text.setUseDesignMetrics(True)
    text.setDocumentMargin(0)
    font = QFont()
    font.setFamilies(list(font_families()))
    font.setPointSizeF(setup.body_pt)
    text.setDefaultFont(font)
    text.setHtml(html)
    if title:
        text.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    rect = setup.layout().paintRect(QPageLayout.Unit.Millimeter)
    px = layout_dpi() / 25.4
    text.setPageSize(QSizeF(rect.width() * px, (rect.height() - FOOTER_MM) * px))
    return text


def paint_pages(text: QTextDocument, device: QPagedPaintDevice, setup: PageSetup) -> int:
    """Paint every page with its footer; returns the page count."""
    painter = QPainter()
    if not painter.begin(device):
        raise PrintError("无法开始打印或写入PDF，请检查打印机或文件位置")
    try:
        scale = device.logicalDpiY() / layout_dpi()
        page = text.pageSize()
        total = text.pageCount()
        footer_font = QFont(list(font_families())[-1])
        footer_font.setPixelSize(round(8.5 * layout_dpi() / 72))  # layout units: the painter is scaled
        for index in range(total):
            if index and not device.newPage():
                raise PrintError("打印时无法换页，请重试")
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -index * page.height())
            text.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height()))
            painter.restore()
            painter.save()
            painter.scale(scale, scale)
            painter.setFont(footer_font)
            band = QRectF(0, page.height(), page.width(), FOOTER_MM * layout_dpi() / 25.4)
            painter.drawText(
                band,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
                f"第 {index + 1} 页  共 {total} 页",
            )
            if setup.footer_left:
                painter.drawText(
                    band, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom), setup.footer_left
                )
            painter.restore()
        return total
    finally:
        painter.end()


def save_html_pdf(html: str, path: str | Path, *, title: str = "", setup: PageSetup | None = None) -> Path:
    """Write ``html`` to a PDF on A4; returns the path. PrintError when the file cannot be written."""
    setup = setup or PageSetup()
    target = Path(path)
    text = build_document(html, setup, title)
    writer = QPdfWriter(str(target))
    writer.setResolution(600)
    writer.setTitle(title)
    writer.setCreator("Clerk Desk")
    writer.setPageLayout(setup.layout())
    paint_pages(text, writer, setup)
    del writer
    if not target.is_file() or target.stat().st_size == 0:
        raise PrintError(f"无法写入PDF文件：{target}")
    return target


def print_html(
    html: str,
    *,
    title: str = "",
    setup: PageSetup | None = None,
    printer_name: str | None = None,
    preview: bool = True,
    preview_factory: PreviewFactory | None = None,
    printer: QPrinter | None = None,
) -> bool:
    """Print ``html`` on a queue (default printer unless named, or the given QPrinter), through a
    preview unless told not to."""
    setup = setup or PageSetup()
    if printer is None:
        printer = QPrinter(find_printer(printer_name), QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title or "clerkdesk-list")
    if not printer.setPageLayout(setup.layout()):
        raise PrintError(f"打印机“{printer.printerName()}”不支持A4纸张")
    text = build_document(html, setup, title)

    def paint_on(target: QPrinter) -> None:
        paint_pages(text, target, setup)

    if preview:
        return (preview_factory or _dialog_preview)(printer, paint_on)
    paint_on(printer)
    return printer.printerState() != QPrinter.PrinterState.Error
