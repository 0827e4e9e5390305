"""The one way the hall's paper is made: HTML -> QTextDocument -> PDF file or print queue.

Every paper goes through here: the case papers of :mod:`clerk_desk.forms.documents` on A4 or the 80 mm
roll (:func:`render_document`, :func:`save_pdf`, :func:`print_document`) and the long A4 lists with a page
footer — the public lists, the daily archive hand-over list — (:class:`PageSetup`, :func:`save_html_pdf`,
:func:`print_html`). Both build their QTextDocument with :func:`text_document`, paint it with
:func:`paint` and reach the device through one PDF writer (:func:`write_pdf`) and one printer path
(:func:`print_texts`), so fonts, scaling, watermark, footer and error handling exist once.

Needs a QGuiApplication (fonts); preview needs a QApplication. A QTextDocument is laid out in the units
Qt uses for a document without a paint device (pixels at the default logical DPI), paginated to the
page's printable area, and painted page by page, scaled to the device's resolution. On a reprint every
page also carries a light diagonal 补打 watermark (the label under the title is text). A list's pages
carry "第 n 页 共 m 页" (and an optional left-hand text) in a footer band. Several QTextDocuments may go
into one PDF or print job; each is numbered on its own (one department's hand-over list each).

A4 pages are fixed-size; the 80 mm roll is one page exactly as tall as the content (the printer cuts
after it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import segno
from PySide6.QtCore import QMarginsF, QPoint, QRectF, QSizeF, Qt, QUrl
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
FOOTER_MM = 8.0  # the band under a numbered page's text
PDF_DPI = 1200
_WATERMARK_PROP = "clerkDeskWatermark"
_FOOTER_PROP = "clerkDeskFooter"  # None: no footer; a str: page numbers plus that text on the left

Paint = Callable[[QPrinter], None]
PreviewFactory = Callable[[QPrinter, Paint], bool]
"""Shows a preview of ``printer`` painted by ``paint``; returns True when it was printed."""
Texts = QTextDocument | Sequence[QTextDocument]


class PrintError(ClerkDeskError):
    code = "print"


def _require_gui() -> None:
    if QGuiApplication.instance() is None:
        raise RuntimeError("rendering documents needs a QGuiApplication (fonts)")


# -- fonts, units, QR ----------------------------------------------------------------------------------
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


def _px_per_mm() -> float:
    return layout_dpi() / 25.4


def qr_image(text: str, scale: int = 8) -> QImage:
    """A QR code of ``text`` (segno, error level M) as a QImage decoded from PNG bytes."""
    buf = BytesIO()
    segno.make(text, error="m", micro=False).save(buf, kind="png", scale=scale, border=2)
    image = QImage.fromData(buf.getvalue(), "PNG")  # type: ignore[arg-type]  # stubs say bytes; PySide6 wants str
    if image.isNull():
        raise RuntimeError("the QR code image could not be decoded")
    return image


# -- building a QTextDocument ----------------------------------------------------------------------------
def text_document(
    html: str, *, body_pt: float, width_mm: float, page_height_mm: float | None, title: str = "",
    images: Mapping[str, QImage] | None = None,
) -> QTextDocument:
    """The one QTextDocument builder: fonts, body size, image resources, then the HTML, paginated to
    ``width_mm`` x ``page_height_mm`` of text area (None: one page as tall as the content, the roll)."""
    _require_gui()
    text = QTextDocument()
    text.setUseDesignMetrics(True)
    text.setDocumentMargin(0)
    font = QFont()
    font.setFamilies(list(font_families()))
    font.setPointSizeF(body_pt)
    text.setDefaultFont(font)
    for url, image in (images or {}).items():
        text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), image)
    text.setHtml(html)
    if title:
        text.setMetaInformation(QTextDocument.MetaInformation.DocumentTitle, title)
    width = width_mm * _px_per_mm()
    if page_height_mm is None:
        text.setTextWidth(width)
        text.setPageSize(QSizeF(width, text.size().height() + 1))
    else:
        text.setPageSize(QSizeF(width, page_height_mm * _px_per_mm()))
    return text


def render_document(doc: Document, paper: Paper) -> QTextDocument:
    """Lay ``doc`` out for ``paper``: page size set, QR added as an image resource."""
    _require_gui()
    spec = paper.spec
    style = Style(spec, qr_px=round(spec.qr_mm * _px_per_mm()), px_per_pt=layout_dpi() / 72)
    header = doc.header
    _left, top, _right, bottom = spec.margin_mm
    text = text_document(
        to_html(doc, style), body_pt=spec.body_pt, width_mm=spec.printable_width_mm,
        page_height_mm=None if spec.is_roll else spec.height_mm - top - bottom, title=doc.title,
        images={QR_URL: qr_image(header.case_number)} if header.case_number else None,
    )
    text.setProperty(_WATERMARK_PROP, "补打" if header.is_reprint else "")
    return text


@dataclass(frozen=True)
class PageSetup:
    """The page of a list: A4 (portrait or landscape), margins, body size, a numbered footer."""

    landscape: bool = False
    margins_mm: tuple[float, float, float, float] = (15, 14, 15, 12)  # left, top, right, bottom
    body_pt: float = 10.5
    footer_left: str = ""

    def layout(self) -> QPageLayout:
        orientation = QPageLayout.Orientation.Landscape if self.landscape else QPageLayout.Orientation.Portrait
        return QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(*self.margins_mm), QPageLayout.Unit.Millimeter
        )


def build_document(html: str, setup: PageSetup, title: str = "") -> QTextDocument:
    """Lay a list's ``html`` out on the printable A4 area minus the footer band."""
    rect = setup.layout().paintRect(QPageLayout.Unit.Millimeter)
    text = text_document(html, body_pt=setup.body_pt, width_mm=rect.width(),
                         page_height_mm=rect.height() - FOOTER_MM, title=title)
    text.setProperty(_FOOTER_PROP, setup.footer_left)
    return text


def page_layout(text: QTextDocument, paper: Paper) -> QPageLayout:
    """The page for a rendered document: A4, or 80 mm wide and as tall as the content."""
    spec = paper.spec
    left, top, right, bottom = spec.margin_mm
    if spec.is_roll:
        height = text.pageSize().height() / _px_per_mm() + top + bottom
        size = QPageSize(QSizeF(spec.width_mm, height), QPageSize.Unit.Millimeter, "80mm roll")
    else:
        size = QPageSize(QPageSize.PageSizeId.A4)
    return QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(left, top, right, bottom),
                       QPageLayout.Unit.Millimeter)


# -- painting --------------------------------------------------------------------------------------------
def _as_list(texts: Texts) -> list[QTextDocument]:
    return [texts] if isinstance(texts, QTextDocument) else list(texts)


def paint(texts: Texts, device: QPagedPaintDevice) -> int:
    """Paint every page of one or more rendered documents on a QPrinter / QPdfWriter whose layout is
    set (watermark and footer as each document asks); returns the number of pages painted."""
    painter = QPainter()
    if not painter.begin(device):
        raise PrintError("打印机无法开始打印，请检查打印机是否连接、是否有纸，或文件能否写入")
    painted = 0
    try:
        scale = device.logicalDpiY() / layout_dpi()
        for text in _as_list(texts):
            page = text.pageSize()
            watermark = str(text.property(_WATERMARK_PROP) or "")
            footer = text.property(_FOOTER_PROP)
            total = text.pageCount()
            for index in range(total):
                if painted and not device.newPage():
                    raise PrintError("打印时无法换页，请重试")
                painted += 1
                painter.save()
                painter.scale(scale, scale)
                painter.translate(0, -index * page.height())
                text.drawContents(painter, QRectF(0, index * page.height(), page.width(), page.height()))
                painter.restore()
                if footer is not None:
                    _draw_footer(painter, scale, page, str(footer), index + 1, total)
                if watermark:
                    _draw_watermark(painter, watermark, page.width() * scale, page.height() * scale)
        return painted
    finally:
        painter.end()


def _draw_footer(painter: QPainter, scale: float, page: QSizeF, left: str, number: int, total: int) -> None:
    painter.save()
    painter.scale(scale, scale)
    font = QFont(cjk_font_family())
    font.setPixelSize(round(8.5 * layout_dpi() / 72))  # layout units: the painter is scaled
    painter.setFont(font)
    band = QRectF(0, page.height(), page.width(), FOOTER_MM * _px_per_mm())
    bottom = Qt.AlignmentFlag.AlignBottom
    painter.drawText(band, int(Qt.AlignmentFlag.AlignRight | bottom), f"第 {number} 页  共 {total} 页")
    if left:
        painter.drawText(band, int(Qt.AlignmentFlag.AlignLeft | bottom), left)
    painter.restore()


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


# -- to a PDF file or a print queue ------------------------------------------------------------------------
def write_pdf(texts: Texts, layout: QPageLayout, path: str | Path, *, title: str = "") -> Path:
    """The one PDF writer: real (extractable) text, fonts embedded as subsets; returns the path."""
    target = Path(path)
    writer = QPdfWriter(str(target))
    writer.setResolution(PDF_DPI)
    writer.setTitle(title)
    writer.setCreator("Clerk Desk")
    writer.setPageLayout(layout)
    paint(texts, writer)
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


def preview_title(what: str) -> str:
    """The preview window's title: what is printed, in Chinese (Qt's own would show the ASCII job name)."""
    return f"打印预览 — {what}".strip(" —").replace("[*]", "[*][*]")  # a title drops "[*]" otherwise


def _dialog_preview(printer: QPrinter, paint_on: Paint, title: str = "") -> bool:
    """Qt's print preview; True only when it printed (or saved a PDF): Esc or closing it is False."""
    dialog = QPrintPreviewDialog(printer)
    dialog.setObjectName("printPreviewDialog")
    if title:
        dialog.setWindowTitle(preview_title(title))
    dialog.paintRequested.connect(paint_on)
    screen = dialog.screen()
    if screen is not None:  # inside the screen's free area, as every dialog of the desk (ui/screen_fit.py)
        room = screen.availableGeometry()
        dialog.resize(dialog.sizeHint().boundedTo(room.size() * 0.95))
        dialog.move(room.topLeft() + QPoint((room.width() - dialog.width()) // 2, (room.height() - dialog.height()) // 2))
    return dialog.exec() == QDialog.DialogCode.Accepted


def print_texts(
    texts: Texts, layout: QPageLayout, *, job: str, paper_name: str = "A4", printer_name: str | None = None,
    preview: bool = False, preview_factory: PreviewFactory | None = None, printer: QPrinter | None = None,
    title: str = "",
) -> bool:
    """The one printer path: on ``printer``, else the named queue (QPrinterInfo), else the default.
    With ``preview`` the preview (QPrintPreviewDialog titled with ``title`` unless ``preview_factory`` is
    given) prints; returns False when cancelled. ``job`` is the spooler's (ASCII) name. PrintError for a
    missing queue, a paper it lacks, or a printer error."""
    if printer is None:
        printer = QPrinter(find_printer(printer_name), QPrinter.PrinterMode.HighResolution)
    printer.setDocName(job)
    if not printer.setPageLayout(layout):
        raise PrintError(f"打印机“{printer.printerName()}”不支持{paper_name}纸张")

    def paint_on(target: QPrinter) -> None:
        paint(texts, target)

    if preview:
        if preview_factory is not None:
            return preview_factory(printer, paint_on)
        return _dialog_preview(printer, paint_on, title)
    paint_on(printer)
    if printer.printerState() == QPrinter.PrinterState.Error:
        raise PrintError(f"打印机“{printer.printerName()}”报告错误，请检查打印机")
    return True


# -- the case papers ---------------------------------------------------------------------------------------
def job_name(doc: Document) -> str:
    """The print job's title (ASCII, so every queue and spool folder keeps it)."""
    kind = type(doc).__name__.lower()
    ref = doc.header.case_number or getattr(doc, "notice_number", "") or "draft"
    suffix = f"-reprint{doc.header.reprint_count}" if doc.header.is_reprint else ""
    return f"clerkdesk-{kind}-{ref}{suffix}"


def save_pdf(doc: Document, paper: Paper, path: str | Path) -> Path:
    """Write ``doc`` as a PDF with real (extractable) text; returns the path."""
    text = render_document(doc, paper)
    return write_pdf(text, page_layout(text, paper), path, title=f"{doc.title} {doc.header.case_number}".strip())


def print_document(
    doc: Document, paper: Paper, printer_name: str | None = None, preview: bool = False,
    preview_factory: PreviewFactory | None = None,
) -> bool:
    """Print ``doc`` on a real queue (by name, else the default), through a preview if asked."""
    text = render_document(doc, paper)
    return print_texts(text, page_layout(text, paper), job=job_name(doc), paper_name=paper.value,
                       printer_name=printer_name, preview=preview, preview_factory=preview_factory,
                       title=f"{doc.title} {doc.header.case_number_grouped}".strip())


# -- lists (A4, numbered pages) ------------------------------------------------------------------------
def _list_texts(html: str | Sequence[str], setup: PageSetup, title: str, footers: Sequence[str]) -> list[QTextDocument]:
    parts = [html] if isinstance(html, str) else list(html)
    if footers and len(footers) != len(parts):
        raise ValueError("one footer per list")
    setups = [replace(setup, footer_left=f) for f in footers] if footers else [setup] * len(parts)
    return [build_document(h, st, title) for h, st in zip(parts, setups, strict=True)]


def save_html_pdf(
    html: str | Sequence[str], path: str | Path, *, title: str = "", setup: PageSetup | None = None,
    footers: Sequence[str] = (),
) -> Path:
    """Write a list (or several, each numbered on its own, ``footers`` their left-hand footer texts) to
    an A4 PDF; returns the path."""
    setup = setup or PageSetup()
    return write_pdf(_list_texts(html, setup, title, footers), setup.layout(), path, title=title)


def print_html(
    html: str | Sequence[str], *, title: str = "", job: str = "", setup: PageSetup | None = None,
    printer_name: str | None = None, preview: bool = True, preview_factory: PreviewFactory | None = None,
    printer: QPrinter | None = None, footers: Sequence[str] = (),
) -> bool:
    """Print a list (or several) on a queue (default printer unless named, or the given QPrinter),
    through a preview unless told not to."""
    setup = setup or PageSetup()
    return print_texts(_list_texts(html, setup, title, footers), setup.layout(), job=job or title or "clerkdesk-list",
                       printer_name=printer_name, preview=preview, preview_factory=preview_factory, printer=printer,
                       title=title)
