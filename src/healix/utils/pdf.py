"""A PDF page that prints every script: embedded fonts with per-character fallback, shaped
and bidirectional text (fpdf2 with HarfBuzz), and tables whose rows split across pages.

Fonts (src/healix/fonts/, licences and sizes in its README): Noto Sans for Latin, Greek and
Cyrillic, then per character Noto Sans Arabic, Noto Sans Hebrew, Droid Sans Fallback (Chinese,
Japanese) and Noto Sans CJK KR (Hangul). Every font is embedded as a subset.

Text is never markup: cells and paragraphs are plain strings (no markdown, no links), so
nothing a user typed can change the layout, load an image or become a link. Words wrap at
spaces; a word wider than its column breaks between characters; a table row taller than
the rest of the page continues on the next one, so any accepted text fits.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, TextEmphasis, WrapMode, XPos, YPos
from fpdf.fonts import TTFFont
from fpdf.util import Padding

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
FAMILY = "NotoSans"
MAIN_FONT = {"": "NotoSans-Regular.ttf", "B": "NotoSans-Bold.ttf"}
CodeRanges = tuple[tuple[int, int], ...]
CJK_RANGES: CodeRanges = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x30FF),  # CJK punctuation, hiragana, katakana
    (0x31F0, 0x31FF),  # katakana phonetic extensions
    (0x3200, 0x33FF),  # enclosed letters, compatibility
    (0x3400, 0x4DBF),  # Han extension A
    (0x4E00, 0x9FFF),  # Han
    (0xF900, 0xFAFF),  # compatibility ideographs
    (0xFF00, 0xFFEF),  # half- and full-width forms
)
HANGUL_RANGES: CodeRanges = (
    (0x1100, 0x11FF),  # jamo
    (0x3130, 0x318F),  # compatibility jamo
    (0xA960, 0xA97F),  # jamo extended-A
    (0xAC00, 0xD7A3),  # syllables
    (0xD7B0, 0xD7FF),  # jamo extended-B
)
ARABIC_RANGES: CodeRanges = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
HEBREW_RANGES: CodeRanges = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F))


@dataclass(frozen=True)
class FallbackFont:
    """A font used, per character, for what the main font lacks; loaded only for a
    document whose text has characters in `ranges` (loading the CJK font costs ~0.2 s)."""

    family: str
    files: dict[str, str]  # style -> file
    ranges: CodeRanges

    def covers_any(self, text: str) -> bool:
        return any(low <= ord(char) <= high for char in text for low, high in self.ranges)


#: tried in this order for a character the main font lacks
FALLBACK_FONTS: tuple[FallbackFont, ...] = (
    FallbackFont(
        "NotoSansArabic",
        {"": "NotoSansArabic-Regular.ttf", "B": "NotoSansArabic-Bold.ttf"},
        ARABIC_RANGES,
    ),
    FallbackFont(
        "NotoSansHebrew",
        {"": "NotoSansHebrew-Regular.ttf", "B": "NotoSansHebrew-Bold.ttf"},
        HEBREW_RANGES,
    ),
    FallbackFont("DroidSansFallback", {"": "DroidSansFallback-CJK.ttf"}, CJK_RANGES),
    FallbackFont("NotoSansKR", {"": "NotoSansKR-Hangul.ttf"}, HANGUL_RANGES),
)
PT = 25.4 / 72  # millimetres per point
LINE_SPACING = 1.25
CELL_PADDING = 1.2  # mm around the text of a table cell
CELL_SIDES = Padding(top=0, right=CELL_PADDING, bottom=0, left=CELL_PADDING)
Colour = tuple[int, int, int]
BLACK: Colour = (0, 0, 0)
MUTED: Colour = (85, 85, 85)
GRID: Colour = (154, 165, 177)
HEADER_FILL: Colour = (232, 238, 245)
RIGHT_TO_LEFT = frozenset({"R", "AL"})


def line_height(size: float) -> float:
    """The distance between two lines of text of `size` points, in millimetres."""
    return size * LINE_SPACING * PT


def needs_shaping(text: str) -> bool:
    """Whether `text` holds right-to-left letters or combining marks, which only HarfBuzz
    sets correctly (Arabic joining, bidi order, mark placement). Shaping measures every
    candidate line anew, so text without such characters is set without it: a 2,000-letter
    Latin word then takes milliseconds instead of a second."""
    return any(
        unicodedata.bidirectional(char) in RIGHT_TO_LEFT or unicodedata.combining(char)
        for char in text
    )


def is_right_to_left(text: str) -> bool:
    """Whether the first strongly directional character is Arabic or Hebrew (bidi P2)."""
    for char in text:
        direction = unicodedata.bidirectional(char)
        if direction == "L":
            return False
        if direction in RIGHT_TO_LEFT:
            return True
    return False


@dataclass(frozen=True)
class Cell:
    """One table cell: plain text, optionally bold or coloured."""

    text: str
    bold: bool = False
    colour: Colour = BLACK


@dataclass(frozen=True)
class Column:
    title: str
    width: float  # mm


@dataclass(frozen=True)
class _Row:
    """A row's cells, each already broken into lines that fit its column."""

    cells: Sequence[Cell]
    lines: list[list[str]]
    header: bool = False

    @property
    def tallest(self) -> int:
        return max(1, *map(len, self.lines))


class Document(FPDF):
    """An A4 page set in the embedded fonts; `page_header` draws the top of every page and
    `footer_text` is printed left of the page number at the bottom."""

    def __init__(
        self,
        *,
        title: str,
        generated_at: datetime,
        footer_text: str,
        page_header: Callable[[Document], None] | None = None,
        text: Iterable[str] = (),
    ) -> None:
        """`text`: every string the document will print, so that exactly the fallback fonts
        its characters need are loaded."""
        super().__init__(orientation="P", unit="mm", format="A4")
        for style, filename in MAIN_FONT.items():
            self.add_font(FAMILY, style, str(FONT_DIR / filename))
        sample = "".join({char for piece in (title, footer_text, *text) for char in piece})
        fallbacks = [font for font in FALLBACK_FONTS if font.covers_any(sample)]
        for font in fallbacks:
            for style, filename in font.files.items():
                self.add_font(font.family, style, str(FONT_DIR / filename))
        if fallbacks:
            self.set_fallback_fonts([font.family for font in fallbacks], exact_match=False)
        self.set_margins(18, 14, 18)
        self.set_auto_page_break(True, margin=18)
        self.set_title(title)
        self.set_author("Healix")
        self.set_creator("Healix")
        self.set_creation_date(generated_at)
        self.footer_text = footer_text
        self.page_header = page_header
        self.body_top = self.t_margin
        self.set_font(FAMILY, size=9)

    def set_font(
        self, family: str | None = None, style: str | TextEmphasis = "", size: float = 0
    ) -> None:
        # fpdf2 skips a set_font() naming the font it believes is current, even when the
        # page's last text was set in a fallback font; the next text then shows wrong
        # glyphs (py-pdf/fpdf2#1488). Forgetting the current family makes every call count.
        self.font_family = ""
        super().set_font(family, style, size)

    def shape_for(self, text: str) -> None:
        """Turn HarfBuzz shaping on for the text about to be set if it needs it, else off."""
        self.set_text_shaping(needs_shaping(text))

    # -- page furniture ------------------------------------------------------------------

    def header(self) -> None:
        # fpdf2 loses the page's font when a page's first text is set in a fallback font
        # (py-pdf/fpdf2#1772), so every page starts with a text in the main font
        self.set_font(FAMILY, size=7)
        self.set_text_color(*MUTED)
        self.cell(0, 0, " ", new_x=XPos.LMARGIN, new_y=YPos.TOP)
        self.set_text_color(*BLACK)
        if self.page_header is not None:
            self.page_header(self)
        self.body_top = self.get_y()
        self.set_font(FAMILY, size=9)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=7)
        self.set_text_color(*MUTED)
        width = self.w - self.l_margin - self.r_margin
        self.cell(width - 20, 4, self.footer_text, align=Align.L)
        self.cell(20, 4, f"Page {self.page_no()}", align=Align.R)
        self.set_text_color(*BLACK)

    def render(self) -> bytes:
        """The finished PDF; the font files are closed afterwards."""
        try:
            return bytes(self.output())
        finally:
            self.close_fonts()

    def close_fonts(self) -> None:
        for font in self.fonts.values():
            if isinstance(font, TTFFont):
                font.close()

    # -- text ----------------------------------------------------------------------------

    def text_block(
        self,
        text: str,
        *,
        size: float = 9,
        bold: bool = False,
        colour: Colour = BLACK,
        width: float = 0,
        space_after: float = 1.0,
    ) -> None:
        """A paragraph across the page (or `width` mm), wrapped and paginated."""
        self.set_font(FAMILY, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.shape_for(text)
        self.multi_cell(
            width,
            line_height(size),
            text,
            align=Align.R if is_right_to_left(text) else Align.L,
            wrapmode=WrapMode.WORD,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_text_color(*BLACK)
        self.ln(space_after)

    def heading(self, text: str, *, size: float = 12) -> None:
        self.ln(2)
        if self.get_y() + 4 * line_height(size) > self.page_break_trigger:
            self.add_page()  # a heading never ends a page
        self.text_block(text, size=size, bold=True, space_after=1.5)

    def _lines(self, cell: Cell, width: float, size: float) -> list[str]:
        """The lines `cell` breaks into in a column of `width` mm (measured, not drawn)."""
        self.set_font(FAMILY, "B" if cell.bold else "", size)
        self.shape_for(cell.text)
        lines = self.multi_cell(
            width,
            line_height(size),
            cell.text,
            wrapmode=WrapMode.WORD,
            dry_run=True,
            output=MethodReturnValue.LINES,
            padding=CELL_SIDES,
        )
        assert isinstance(lines, list)  # output=LINES answers the list of lines
        return [str(line) for line in lines] or [""]

    # -- tables --------------------------------------------------------------------------

    def table_of(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[Cell]],
        *,
        size: float = 8,
        header: bool = True,
    ) -> None:
        """A table with a header row repeated on every page; tall rows split across pages."""
        widths = [column.width for column in columns]
        head_cells = [Cell(column.title, bold=True) for column in columns]
        head = _Row(head_cells, self._cell_lines(head_cells, widths, size), header=True)
        body = [_Row(row, self._cell_lines(row, widths, size)) for row in rows]
        margin = self.b_margin
        self.set_auto_page_break(False, margin)
        try:
            if header:
                first = min(body[0].tallest, 2) if body else 0
                if (
                    self.get_y() + self._height(head.tallest + first, size)
                    > self.page_break_trigger
                ):
                    self.add_page()  # never a header alone at the bottom of a page
                self._draw_row(head, widths, size, head.lines)
            for row in body:
                self._draw_split_row(row, widths, size, head if header else None)
        finally:
            self.set_auto_page_break(True, margin)
        self.ln(2)

    def _cell_lines(
        self, cells: Sequence[Cell], widths: Sequence[float], size: float
    ) -> list[list[str]]:
        return [self._lines(cell, width, size) for cell, width in zip(cells, widths, strict=True)]

    @staticmethod
    def _height(lines: int, size: float) -> float:
        return lines * line_height(size) + 2 * CELL_PADDING

    def _draw_split_row(
        self, row: _Row, widths: Sequence[float], size: float, head: _Row | None
    ) -> None:
        """Draw `row`; what does not fit on this page continues on the next one, below the
        repeated header. A row that would fit on a fresh page moves there whole."""
        head_height = self._height(head.tallest, size) if head is not None else 0.0
        per_page = int(
            (self.page_break_trigger - self.body_top - head_height - 2 * CELL_PADDING)
            // line_height(size)
        )
        remaining = row
        while True:
            room = self.page_break_trigger - self.get_y() - 2 * CELL_PADDING
            fits = max(0, int(room // line_height(size)))
            if remaining.tallest <= fits:
                self._draw_row(remaining, widths, size, remaining.lines)
                return
            at_top = self.get_y() <= self.body_top + head_height + 0.01
            if fits >= 1 and (at_top or remaining.tallest > per_page):
                self._draw_row(remaining, widths, size, [part[:fits] for part in remaining.lines])
                remaining = _Row(remaining.cells, [part[fits:] for part in remaining.lines])
            self.add_page()
            if head is not None:
                self._draw_row(head, widths, size, head.lines)

    def _draw_row(
        self, row: _Row, widths: Sequence[float], size: float, lines: list[list[str]]
    ) -> None:
        height = self._height(max(1, *map(len, lines)), size)
        x, y = self.l_margin, self.get_y()
        self.set_draw_color(*GRID)
        self.set_line_width(0.2)
        for cell, width, cell_lines in zip(row.cells, widths, lines, strict=True):
            if row.header:
                self.set_fill_color(*HEADER_FILL)
                self.rect(x, y, width, height, style="DF")
            else:
                self.rect(x, y, width, height)
            text = "\n".join(cell_lines)
            if text:
                self.set_font(FAMILY, "B" if cell.bold else "", size)
                self.set_text_color(*cell.colour)
                self.shape_for(cell.text)
                self.set_xy(x, y + CELL_PADDING)
                self.multi_cell(
                    width,
                    line_height(size),
                    text,
                    align=Align.R if is_right_to_left(cell.text) else Align.L,
                    wrapmode=WrapMode.WORD,
                    padding=CELL_SIDES,
                    new_x=XPos.RIGHT,
                    new_y=YPos.TOP,
                )
            x += width
        self.set_text_color(*BLACK)
        self.set_xy(self.l_margin, y + height)

    def fields_table(self, fields: Sequence[tuple[str, str]], *, key_width: float) -> None:
        """Label / value pairs as a two-column table without a header."""
        width = self.w - self.l_margin - self.r_margin
        self.table_of(
            [Column("", key_width), Column("", width - key_width)],
            [[Cell(name, bold=True), Cell(value)] for name, value in fields],
            size=9,
            header=False,
        )
