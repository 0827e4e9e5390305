"""Paper kinds the hall prints on, and the type sizes that go with them (no Qt here)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Paper(StrEnum):
    A4 = "a4"
    ROLL_80MM = "80mm"

    @property
    def spec(self) -> PaperSpec:
        return _SPECS[self]


@dataclass(frozen=True)
class PaperSpec:
    """Sizes in millimetres and points. ``height_mm`` 0: a roll, cut after the content."""

    width_mm: float
    height_mm: float
    margin_mm: tuple[float, float, float, float]  # left, top, right, bottom
    body_pt: float
    title_pt: float
    small_pt: float
    qr_mm: float
    wide: bool  # A4: two label/value pairs a row; roll: one

    @property
    def printable_width_mm(self) -> float:
        return self.width_mm - self.margin_mm[0] - self.margin_mm[2]

    @property
    def is_roll(self) -> bool:
        return self.height_mm == 0


_SPECS = {
    Paper.A4: PaperSpec(210, 297, (20, 16, 20, 16), body_pt=11, title_pt=20, small_pt=9, qr_mm=26, wide=True),
    # 80 mm roll: the print head covers about 72 mm; the page is as tall as the content.
    Paper.ROLL_80MM: PaperSpec(
        80, 0, (4, 4, 4, 6), body_pt=9, title_pt=13, small_pt=7.5, qr_mm=28, wide=False
    ),
}
