"""Render a document (clerk_desk.forms.documents) to a QTextDocument, then to PDF or a print queue.

Needs a QGuiApplication (fonts); preview needs a QApplication. The QTextDocument is laid out in the
units Qt uses for a document without a paint device (pixels at the default logical DPI), paginated
to the paper's printable area, and painted page by page, scaled to the device's resolution. On a
reprint every page also carries a light diagonal 补打 watermark (the label under the title is text).

A4 pages are fixed-size; the 80 mm roll is one page exactly as tall as the content (the printer cuts
after it).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import segno
from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog

from clerk_desk.domain.errors import ClerkDeskError
from clerk_desk.forms.documents import Document
from clerk_desk.forms.html_parts import QR_URL, Style
from clerk_desk.forms.paper import Paper
from clerk_desk.forms.templates import to_html

CJK_FAMILIES = (
    "WenQuanYi Micro Hei",  # Linux (fonts-wqy-microhei)
    "Microsoft YaHei",  # Windows
    "SimSun",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Droid Sans Fallback",
)
# Digits and Latin letters come from a Latin face with a real bold, CJK falls back to the CJK face.
# Besides looking better than synthesized bold, it keeps the text extractable after a CUPS round
# trip (pdftocairo -> PostScript -> Ghostscript mixes up digits shared with a CJK font's subsets).
LATIN_FAMILIES = ("DejaVu Sans", "Arial", "Liberation Sans", "Noto Sans")
_PAPER_PROP = "clerkDeskPaper"
_WATERMARK_PROP = "clerkDeskWatermark"

Paint = Callable[[QPrinter], None]
PreviewFactory = Callable[[QPrinter, Paint], bool]
"""Shows a preview of ``printer`` painted by ``paint``; returns True when it was printed."""


class PrintError(ClerkDeskError):
    code = "print"


def _require_gui() -> None:
    if QGuiApplication.instance() is None:
        raise RuntimeError("rendering documents needs a QGuiApplication (fonts)")


@lru_cache(maxsize=1)
def cjk_font_family() -> str:
    """The first installed CJK family of CJK_FAMILIES, else the application's default family."""
    _require_gui()
    installed = set(QFontDatabase.families())
    return next((f for f in CJK_FAMILIES if f in installed), QFont().family())


@lru_cache(maxsize=1)
def font_families() -> tuple[str, ...]:
    """Font fallback list for documents: an installed Latin face (if any), then the CJK face."""
    _require_gui()
    installed = set(QFontDatabase.families())
    latin = next((f for f in LATIN_FAMILIES if f in installed), None)
    return (latin, cjk_font_family()) if latin else (cjk_font_family(),)


def layout_dpi() -> float:
    """The DPI a QTextDocument without a paint device lays out at (Qt's qt_defaultDpiY)."""
    screen = QGuiApplication.primaryScreen()
    return float(round(screen.logicalDotsPerInchY())) if screen is not None else 100.0


def qr_image(text: str, scale: int = 8) -> QImage:
    """A QR code of ``text`` (segno, error level M) as a QImage decoded from PNG bytes."""
    buf = BytesIO()
    segno.make(text, error="m", micro=False).save(buf, kind="png", scale=scale, border=2)
    image = QImage.fromData(buf.getvalue(), "PNG")
    if image.isNull():
        raise RuntimeError("the QR code image could not be decoded")
    return image


def render_document(doc: Document, paper: Paper) -> QTextDocument:
    """Lay ``doc`` out for ``paper``: page size set, QR added as an image resource."""
    _require_gui()
    spec = paper.spec
    dpi = layout_dpi()
    px_per_mm = dpi / 25.4
    style = Style(spec, qr_px=round(spec.qr_mm * px_per_mm), px_per_pt=dpi / 72)
    text = QTextDocument()
    text.setUseDesignMetrics(True)
    text.setDocumentMargin(0)
    font = QFont()
    font.setFamilies(list(font_families()))
    font.setPointSizeF(spec.body_pt)
    text.setDefaultFont(font)
    header = doc.header
    if header.case_number:
        text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(QR_URL), qr_image(header.case_number))
    text.setHtml(to_html(doc, style))
    text.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, doc.title)
    width = spec.printable_width_mm * px_per_mm
    if spec.is_roll:
        text.setTextWidth(width)
        text.setPageSize(QSizeF(width, text.size().height() + 1))
    else:
        left, top, right, bottom = spec.margin_mm
        text.setPageSize(QSizeF(width, (spec.height_mm - top - bottom) * px_per_mm))
    text.setProperty(_PAPER_PROP, paper.value)
    text.setProperty(_WATERMARK_PROP, "补打" if header.is_reprint else "")
    return text


def page_layout(text: QTextDocument, paper: Paper) -> QPageLayout:
    """The page for a rendered document: A4, or 80 mm wide and as tall as the content."""
    spec = paper.spec
    left, top, right, bottom = spec.margin_mm
    if spec.is_roll:
        height = text.pageSize().height() / (layout_dpi() / 25.4) + top + bottom
        size = QPageSize(QSizeF(spec.width_mm, height), QPageSize.Unit.Millimeter, "80mm roll")
    else:
        size = QPageSize(QPageSize.PageSizeId.A4)
    return QPageLayout(
        size,
        QPageLayout.Orientation.Portrait,
        QMarginsF(left, top, right, bottom),
        QPageLayout.Unit.Millimeter,
    )


def paint(text: QTextDocument, device: QPagedPaintDevice) -> None:
    """Paint every page of a rendered document on a QPrinter / QPdfWriter whose layout is set."""
    painter = QPainter()
    if not painter.begin(device):
        raise PrintError("打印机无法开始打印，请检查打印机是否连接、是否有纸，或文件能否写入")
    try:
        scale = device.logicalDpiY() / layout_dpi()
        page = text.pageSize()
        watermark = str(text.property(_WATERMARK_PROP) or "")
        for index in range(text.pageCount()):
            if index and not device.newPage():
                raise PrintError("打印时无法换页，请重试")
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -index * page.height())
            text.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height()))
            painter.restore()
            if watermark:
                _draw_watermark(painter, watermark, page.width() * scale, page.height() * scale)
    finally:
        painter.end()


def _draw_watermark(painter: QPainter, label: str, width: float, height: float) -> None:
    painter.save()
    font = QFont(cjk_font_family())
    font.setPixelSize(max(1, int(min(width, height) * 0.22)))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(200, 0, 0, 38))
    painter.translate(width / 2, height / 2)
    painter.rotate(-30)
    box = QRectF(-width, -height / 4, 2 * width, height / 2)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()


def save_pdf(doc: Document, paper: Paper, path: str | Path) -> Path:
    """Write ``doc`` as a PDF with real (extractable) text; returns the path."""
    target = Path(path)
    text = render_document(doc, paper)
    writer = QPdfWriter(str(target))
    writer.setResolution(1200)
    writer.setTitle(f"{doc.title} {doc.header.case_number}".strip())
    writer.setCreator("Clerk Desk")
    writer.setPageLayout(page_layout(text, paper))
    paint(text, writer)
    del writer  # flushes and closes the file
    if not target.is_file() or target.stat().st_size == 0:
        raise PrintError(f"无法写入PDF文件：{target}")
    return target


def find_printer(printer_name: str | None = None) -> QPrinterInfo:
    """The named print queue, or the system default; PrintError when there is none."""
    info = QPrinterInfo.printerInfo(printer_name) if printer_name else QPrinterInfo.defaultPrinter()
    if info.isNull():
        names = "、".join(QPrinterInfo.availablePrinterNames()) or "无"
        wanted = f"“{printer_name}”" if printer_name else "默认打印机"
        raise PrintError(f"找不到{wanted}。本机可用的打印机：{names}")
    return info


def _dialog_preview(printer: QPrinter, paint_on: Paint) -> bool:
    dialog = QPrintPreviewDialog(printer)
    dialog.setObjectName("printPreviewDialog")
    dialog.paintRequested.connect(paint_on)
    return dialog.exec() == QDialog.DialogCode.Accepted


def print_document(
    doc: Document,
    paper: Paper,
    printer_name: str | None = None,
    preview: bool = False,
    preview_factory: PreviewFactory | None = None,
) -> bool:
    """Print on a real queue (QPrinterInfo by name, else the default). With ``preview`` the preview
    (QPrintPreviewDialog unless ``preview_factory`` is given) prints; returns False when cancelled."""
    info = find_printer(printer_name)
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    text = render_document(doc, paper)
    printer.setDocName(job_name(doc))
    if not printer.setPageLayout(page_layout(text, paper)):
        raise PrintError(f"打印机“{info.printerName()}”不支持{paper.value}纸张")

    def paint_on(target: QPrinter) -> None:
        paint(text, target)

    if preview:
        return (preview_factory or _dialog_preview)(printer, paint_on)
    paint_on(printer)
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise PrintError(f"打印机“{info.printerName()}”报告错误，请检查打印机")
    return True


def job_name(doc: Document) -> str:
    """The print job's title (ASCII, so every queue and spool folder keeps it)."""
    kind = type(doc).__name__.lower()
    ref = doc.header.case_number or getattr(doc, "notice_number", "") or "draft"
    suffix = f"-reprint{doc.header.reprint_count}" if doc.header.is_reprint else ""
    return f"clerkdesk-{kind}-{ref}{suffix}"
