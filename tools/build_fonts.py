"""Rebuild the fonts in src/healix/fonts/ from Debian's font packages (maintainers only).

    apt-get install fonts-noto-core fonts-noto-cjk fonts-droid-fallback
    .venv/bin/python tools/build_fonts.py

What it does, per font (see src/healix/fonts/README.md for the result and the licences):
- Noto Sans, Noto Sans Arabic, Noto Sans Hebrew (regular and bold): every character kept,
  TrueType hinting dropped (PDF viewers scale outlines; hinting only adds bytes);
- Droid Sans Fallback Full: only its CJK ranges (Han incl. extension A, kana, CJK
  punctuation and full-width forms), hinting dropped;
- Noto Sans CJK KR: only Hangul (syllables and jamo), converted from CFF to TrueType
  outlines, because pypdf cannot read back text set in a CID-keyed CFF font.

Layout tables (GSUB/GPOS/GDEF) are kept whole: HarfBuzz needs them to join Arabic letters
and to place marks.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

from healix.utils.pdf import CJK_RANGES, HANGUL_RANGES

NOTO = Path("/usr/share/fonts/truetype/noto")
DROID = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_CJK_KR_INDEX = 1  # the faces of the collection: JP, KR, SC, TC, HK, then the Mono ones
OUT = Path(__file__).resolve().parent.parent / "src" / "healix" / "fonts"


def _options() -> subset.Options:
    options = subset.Options()
    options.hinting = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    return options


def _subset(font: TTFont, unicodes: list[int] | None) -> None:
    subsetter = subset.Subsetter(_options())
    if unicodes is None:
        subsetter.populate(unicodes=font.getBestCmap().keys())
    else:
        subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)


def _code_points(ranges: tuple[tuple[int, int], ...]) -> list[int]:
    return [point for low, high in ranges for point in range(low, high + 1)]


def _cff_to_truetype(font: TTFont) -> None:
    """Replace the CFF outlines by quadratic TrueType ones (max error: 1 font unit)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    glyf = font["glyf"] = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    glyf.compile(font)
    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    for field in (
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["post"].formatType = 3.0
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def build() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name in (
        "NotoSans-Regular",
        "NotoSans-Bold",
        "NotoSansArabic-Regular",
        "NotoSansArabic-Bold",
        "NotoSansHebrew-Regular",
        "NotoSansHebrew-Bold",
    ):
        font = TTFont(NOTO / f"{name}.ttf")
        _subset(font, None)
        font.save(OUT / f"{name}.ttf")
    droid = TTFont(DROID)
    _subset(droid, _code_points(CJK_RANGES))
    droid.save(OUT / "DroidSansFallback-CJK.ttf")
    hangul = TTFont(NOTO_CJK, fontNumber=NOTO_CJK_KR_INDEX)
    _subset(hangul, _code_points(HANGUL_RANGES))
    _cff_to_truetype(hangul)
    hangul.save(OUT / "NotoSansKR-Hangul.ttf")
    for path in sorted(OUT.glob("*.ttf")):
        print(f"{path.name:32} {path.stat().st_size:>10,} bytes")


if __name__ == "__main__":
    sys.exit(build())
