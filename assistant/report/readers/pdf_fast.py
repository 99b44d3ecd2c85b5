"""pdfplumber's page objects built by pdfium (pypdfium2) instead of pdfminer's interpreter.

Why: reading a PDF with pdfplumber spent ~80% of its time in pdfminer's pure-Python content
stream interpreter and in turning each ``LTChar`` into a dict. pdfium (C, already installed as a
pdfplumber dependency) parses the page and lays out its text several times faster.
pdfplumber's ``Page.objects`` returns ``page._objects`` when it is set (pdfplumber does this
itself in ``Page.dedupe_chars``), so filling it with the dicts pdfminer would have produced lets
``find_tables``, ``extract_text_lines``, ``filter`` and ``dedupe_chars`` run unchanged, without
pdfminer interpreting the page. ``tests/test_readers_pdf.py`` fails if a pdfplumber upgrade
breaks this.

The dicts reproduce pdfminer + pdfplumber, not pdfium: a character's box is pdfminer's (its
advance × the font size, from the font's descent below the baseline; not pdfium's glyph boxes),
its font name and descent are read from the font dictionary the way pdfminer reads them, the
characters keep content stream order, and paths are split and classified as pdfminer's
``paint_path`` does. Coordinates agree with pdfminer's to ~2e-4 pt (pdfium computes in 32-bit
floats). The advance of a glyph is only known to pdfium: it is read off pdfium's loose box, and
every copy of a glyph is checked against the first.

Where pdfium's reading may differ from pdfminer's, :meth:`PdfiumDocument.page_objects` returns
``None`` and the caller lets pdfminer read the page as before — never a different document,
only a slower one:

- pdfium leaves out a text object (it drops duplicates drawn on top of each other, and text
  replaced by ``/ActualText``; objects without width are widened so that it keeps them, see
  :func:`_widen_empty`);
- a character without Unicode (pdfminer's ``(cid:N)``), a hyphen pdfium rewrote, right-to-left
  text (pdfium reorders and mirrors it), a glyph of several code points (a ligature);
- a font pdfminer reads differently (Type 3, vertical writing, a name not found in the page's
  resources, no ToUnicode where the two decode differently, fractional widths, a symbolic
  font), a rotated page, a page whose size pdfium sees differently;
- damage: a rebuilt cross-reference table, a stream that fails to decode, or page content
  without Flate's checksum (uncompressed), where the two libraries recover differently;
- character spacing (``Tc``) carried from one text operator to the next, which pdfminer leaves
  out (seen where the operators show several glyphs; with one glyph each it cannot be seen);
- fewer than ``min_chars`` visible characters: the scanned / undecodable page is judged by the
  old code, with its messages.

Not reproduced (no reader of this project uses them): colours, dash patterns, marked-content ids,
images, and ``adv`` / ``matrix`` under horizontal scaling (``Tz``); a path that only fills has
pdfium's line width where pdfminer has its unset 0.

pdfium is not thread-safe (process-wide state): every call into it holds :data:`_PDFIUM_LOCK`.
"""

from __future__ import annotations

import ctypes
import itertools
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

Obj = dict[str, Any]
Matrix = tuple[float, float, float, float, float, float]
Fact = tuple[Any, float, str]  # a font as pdfminer reads it: (fontname, descent, why pdfium cannot stand in)

_PDFIUM_LOCK = threading.Lock()  # pdfium keeps process-wide state and must not run in two threads
_SUBPATH = re.compile(r"m[^m]+")
_SUBSET = re.compile(rb"^[A-Z]{6}\+")
_GENERATED_CANDIDATES = frozenset((0x20, 0x0D, 0x0A))  # what pdfium inserts between objects
_NO_TEXT = frozenset((0, 2, 0xFFFD, 0xFFFE))  # no Unicode, pdfium's hyphen mark, replacement chars
_EPS = 1e-3


class Untrusted(Exception):
    """pdfium's reading of this page may differ from pdfminer's: let pdfminer read it."""


class PdfiumDocument:
    """The same PDF opened by pdfium, page for page with pdfplumber's ``pdf.pages``."""

    def __init__(self, doc: Any) -> None:
        self._doc = doc
        self._fonts: dict[int, list[tuple[bytes, Fact]]] = {}
        self._api = _Api()

    def close(self) -> None:
        with _PDFIUM_LOCK:
            self._doc.close()

    def page_objects(self, page: Any, min_chars: int) -> dict[str, list[Obj]] | None:
        """pdfplumber's ``page.objects`` for this page, or ``None`` when pdfminer must read it."""
        try:
            with _PDFIUM_LOCK:
                objects = _page_objects(self._doc, page, self._fonts, self._api)
        except Exception:  # noqa: BLE001 - anything odd: the old, slower reading decides
            return None
        visible = sum(1 for c in objects["char"] if c["text"].strip())
        return objects if visible >= min_chars else None


def open_pdfium(data: bytes, pdf: Any) -> PdfiumDocument | None:
    """pdfium's view of ``data`` when it agrees with pdfplumber's ``pdf`` on the pages, else None."""
    try:
        import pypdfium2
        import pypdfium2.raw
    except ImportError:  # pragma: no cover - pypdfium2 comes with pdfplumber
        return None
    try:
        with _PDFIUM_LOCK:
            doc = pypdfium2.PdfDocument(data)
            rebuilt = not pypdfium2.raw.FPDF_DocumentHasValidCrossReferenceTable(doc.raw)  # a damaged file
            if rebuilt or len(doc) != len(pdf.pages) or _right_to_left(pdf):
                doc.close()
                return None
    except Exception:  # noqa: BLE001 - pdfium cannot open it: pdfminer reads as before
        return None
    return PdfiumDocument(doc)


@contextmanager
def pdfium_pages(data: bytes, pdf: Any) -> Iterator[PdfiumDocument | None]:
    """:func:`open_pdfium` as a context manager that always closes the document."""
    fast = open_pdfium(data, pdf)
    try:
        yield fast
    finally:
        if fast is not None:
            fast.close()


def _right_to_left(pdf: Any) -> bool:
    """``/ViewerPreferences /Direction /R2L`` makes pdfium mirror every bracket of the text."""
    from pdfminer.pdftypes import resolve1

    prefs = resolve1(pdf.doc.catalog.get("ViewerPreferences"))
    return isinstance(prefs, dict) and "R2L" in str(resolve1(prefs.get("Direction")))


# ---------------------------------------------------------------------- fonts (pdfminer's way)
def _font_facts(
    resources: Any, cache: dict[int, list[tuple[bytes, Fact]]], seen: set[int] | None = None
) -> dict[bytes, set[Fact]]:
    """Base font name (no subset prefix) → {(fontname, descent, problem)} as pdfminer reads them.

    Walks the page's fonts and those of its form XObjects. pdfium names a font by its base font
    only, so a name with two different readings is ambiguous (the caller then refuses the page).
    """
    from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1

    facts: dict[bytes, set[Fact]] = {}
    seen = set() if seen is None else seen
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return facts
    fonts = resolve1(resources.get("Font"))
    for ref in (fonts or {}).values() if isinstance(fonts, dict) else ():
        known = cache.get(ref.objid) if isinstance(ref, PDFObjRef) else None
        if known is None:
            spec = resolve1(ref)
            known = _one_font(spec) if isinstance(spec, dict) else []
            if isinstance(ref, PDFObjRef):
                cache[ref.objid] = known  # pages share their fonts: each is read once
        for name, fact in known:
            facts.setdefault(name, set()).add(fact)
    xobjects = resolve1(resources.get("XObject"))
    for ref in (xobjects or {}).values() if isinstance(xobjects, dict) else ():
        objid = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
        xobj = resolve1(ref)
        if objid in seen or not isinstance(xobj, PDFStream) or _name(xobj.get("Subtype")) != "Form":
            continue
        seen.add(objid)
        if not _checked(xobj):
            raise Untrusted("damaged or unchecked form XObject")
        # a form without /Resources uses its parent's, already walked
        for name, more in _font_facts(xobj.get("Resources"), cache, seen).items():
            facts.setdefault(name, set()).update(more)
    return facts


def _one_font(spec: dict[str, Any]) -> list[tuple[bytes, Fact]]:
    """(base names, (fontname, descent, problem)) for one font dict, following pdfminer 20260107's
    ``PDFResourceManager.get_font`` / ``PDFFont.__init__``."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdftypes import PDFStream, dict_value, list_value, num_value, resolve1

    names = {_raw_name(spec.get("BaseFont"))}
    subtype = _name(spec.get("Subtype")) or "Type1"
    problem = ""
    if subtype == "Type0":
        descendants = list_value(spec.get("DescendantFonts", []))
        sub = dict_value(descendants[0]) if descendants else {}
        names.add(_raw_name(sub.get("BaseFont")))
        cmap = resolve1(spec.get("Encoding"))
        embedded = isinstance(cmap, PDFStream)  # a CMap of the file's own, named in its dict
        cmap_name = _name(cmap.get("CMapName") if embedded else cmap)
        if cmap_name.endswith("V") or (embedded and resolve1(cmap.get("WMode")) == 1):
            problem = "vertical writing"
        descriptor = dict_value(sub.get("FontDescriptor", {}))
        if not problem and spec.get("ToUnicode") is None:
            problem = _cid_unicode_problem(sub)
    elif subtype in ("CIDFontType0", "CIDFontType2"):
        descriptor = dict_value(spec.get("FontDescriptor", {}))
        problem = "cid font without Type0"
    elif subtype == "Type3":
        descriptor, problem = {}, "type3"
    else:  # Type1, MMType1, TrueType and unknown subtypes: pdfminer reads them as Type 1
        base = _name(spec.get("BaseFont")) or "unknown"
        descriptor = FONT_METRICS[base][0] if base in FONT_METRICS else dict_value(spec.get("FontDescriptor", {}))
        problem = _encoding_problem(spec, base)
    problem = problem or _widths_problem(spec, sub if subtype == "Type0" else None)
    streams = [spec.get("ToUnicode"), *(descriptor.get(k) for k in ("FontFile", "FontFile2", "FontFile3"))]
    if not all(_intact(resolve1(x)) for x in streams if x is not None):
        problem = "damaged font stream"
    fontname = resolve1(descriptor.get("FontName", "unknown"))
    fontname = _name(fontname) if hasattr(fontname, "name") else fontname
    if isinstance(fontname, bytes):
        from pdfplumber.page import fix_fontname_bytes

        fontname = fix_fontname_bytes(fontname)
    descent = num_value(descriptor.get("Descent", 0))
    descent = -descent if descent > 0 else descent
    fact = (fontname, descent * 0.001, problem)
    return [(_SUBSET.sub(b"", n), fact) for n in names if n]


def _cid_unicode_problem(cid: dict[str, Any]) -> str:
    """Why a CID font without ``/ToUnicode`` may be decoded otherwise by pdfium ("" if not).

    pdfminer then decodes through its table for the font's character collection (Adobe-GB1 …)
    and pdfium through its own: they agree. An ``Identity`` collection (pdfminer reads the cmap
    of an embedded TrueType font, pdfium gives up) or one pdfminer has no table for is left to
    pdfminer.
    """
    from pdfminer.cmapdb import CMapDB
    from pdfminer.pdftypes import dict_value, resolve1

    info = dict_value(cid.get("CIDSystemInfo", {}))
    parts = (resolve1(info.get(k, b"unknown")) for k in ("Registry", "Ordering"))
    coding = "-".join(p.decode("latin1").strip() if isinstance(p, bytes) else str(p) for p in parts)
    if coding in ("Adobe-Identity", "Adobe-UCS"):
        return "identity font without ToUnicode"
    try:
        CMapDB.get_unicode_map(coding, False)
    except CMapDB.CMapNotFound:
        return "character collection unknown to pdfminer"
    return ""


_STANDARD_ENCODINGS = frozenset(("WinAnsiEncoding", "MacRomanEncoding", "StandardEncoding", "PDFDocEncoding"))
_STANDARD_TEXT_FONTS = frozenset(
    f"{family}{style}"
    for family, styles in (
        ("Helvetica", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Courier", ("", "-Bold", "-Oblique", "-BoldOblique")),
        ("Times", ("-Roman", "-Bold", "-Italic", "-BoldItalic")),
    )
    for style in styles
)


def _encoding_problem(spec: dict[str, Any], base: str) -> str:
    """Why pdfium may decode a simple font's codes to other characters than pdfminer ("" if not).

    With a ``/ToUnicode`` map both read it. Without one, both read a standard encoding (or its
    differences) the same way; but a symbolic font (Symbol, ZapfDingbats, a font flagged
    symbolic), or one left to the encoding built into its font program, is decoded by pdfium
    from the font (``n`` of ZapfDingbats is "■") and by pdfminer from StandardEncoding ("n").
    """
    from pdfminer.pdftypes import dict_value, num_value, resolve1

    if spec.get("ToUnicode") is not None:
        return ""
    flags = int(num_value(dict_value(spec.get("FontDescriptor", {})).get("Flags", 0)) or 0)
    if flags & 4 or base in ("Symbol", "ZapfDingbats"):
        return "symbolic font without ToUnicode"
    encoding = resolve1(spec.get("Encoding"))
    if encoding is None:
        return "" if base in _STANDARD_TEXT_FONTS else "font's own encoding"
    if isinstance(encoding, dict):
        encoding = resolve1(encoding.get("BaseEncoding"))
        if encoding is None:
            return "" if base in _STANDARD_TEXT_FONTS else "font's own encoding"
    return "" if _name(encoding) in _STANDARD_ENCODINGS else "unusual encoding"


def _widths_problem(spec: dict[str, Any], cid: dict[str, Any] | None) -> str:
    """Why pdfium's glyph advances differ from pdfminer's for this font ("" when they do not).

    pdfium keeps widths as integers (``/W [1 [462.5]]`` advances 462), pdfminer as given; and for
    a font named like a standard one (``/BaseFont /Arial``) pdfminer takes the built-in metrics
    over the font's ``/Widths``, pdfium the ``/Widths``.
    """
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdftypes import resolve1

    if cid is not None:
        widths = resolve1(cid.get("W"))
        numbers = [cid.get("DW", 1000)]
        for item in widths if isinstance(widths, list) else ():
            item = resolve1(item)
            numbers.extend(resolve1(item) if isinstance(item, list) else [item])
    else:
        if _name(spec.get("BaseFont")) in FONT_METRICS and spec.get("Widths") is not None:
            return "standard font with its own widths"
        widths = resolve1(spec.get("Widths"))
        numbers = list(widths) if isinstance(widths, list) else []
    for number in numbers:
        number = resolve1(number)
        if isinstance(number, float) and not number.is_integer():
            return "fractional glyph widths"
    return ""


def _checked(stream: Any) -> bool:
    """Content that Flate's checksum shows undamaged.

    Where bytes of a page's content are damaged, pdfium and pdfminer recover differently (or
    pdfminer gives up): uncompressed content has no checksum to tell, so it is left to pdfminer.
    """
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream

    if not isinstance(stream, PDFStream) or stream.rawdata is None:
        return False
    return any(name in LITERALS_FLATE_DECODE for name, _ in stream.get_filters()) and _intact(stream)


def _intact(stream: Any) -> bool:
    """The stream decodes without error (Flate strictly), or it has a filter not checked here.

    pdfminer keeps what it can of a damaged stream, or gives up on the page, and pdfium keeps
    what it can, not always the same: a page that needs a damaged stream is left to pdfminer.
    Called before pdfminer decodes the stream (it then drops the raw bytes).
    """
    import zlib

    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.pdftypes import (
        LITERALS_ASCII85_DECODE,
        LITERALS_ASCIIHEX_DECODE,
        LITERALS_FLATE_DECODE,
        PDFStream,
    )

    if not isinstance(stream, PDFStream) or stream.rawdata is None:
        return True
    data = stream.rawdata
    try:
        if stream.decipher:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        for name, _ in stream.get_filters():
            if name in LITERALS_FLATE_DECODE:
                data = zlib.decompress(data)
            elif name in LITERALS_ASCII85_DECODE:
                data = ascii85decode(data)
            elif name in LITERALS_ASCIIHEX_DECODE:
                data = asciihexdecode(data)
            else:
                return True  # not checked: trusted as before
    except Exception:  # noqa: BLE001 - zlib.error, ValueError from the ASCII decoders
        return False
    return True


def _raw_name(value: Any) -> bytes:
    """A PDF name's bytes, as pdfium gives them (pdfminer decodes the ones that are UTF-8)."""
    from pdfminer.pdftypes import resolve1

    value = resolve1(value)
    value = getattr(value, "name", value)
    if isinstance(value, str):
        return value.encode("utf-8")
    return value if isinstance(value, bytes) else b""


def _name(value: Any) -> str:
    from pdfminer.pdftypes import resolve1

    value = resolve1(value)
    if hasattr(value, "name"):
        value = value.name
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else ""


# ---------------------------------------------------------------------- one page
def _page_objects(
    doc: Any, page: Any, fonts: dict[int, list[tuple[bytes, Fact]]], api: _Api | None = None
) -> dict[str, list[Obj]]:
    import pypdfium2.raw as pdfium
    from pdfminer.pdftypes import resolve1

    if page.rotation:
        raise Untrusted("rotated page")
    fpage = doc[page.page_number - 1]
    try:
        if pdfium.FPDFPage_GetRotation(fpage.raw) or not _same_page(fpage.raw, page.page_obj):
            raise Untrusted("pdfium sees another page")
        if not all(_checked(resolve1(stream)) for stream in page.page_obj.contents):
            raise Untrusted("damaged or unchecked content stream")
        texts, paths = _walk(fpage.raw)
        origin = page.page_obj.mediabox  # pdfminer shifts coordinates by the raw MediaBox origin
        geometry = _Geometry(page, float(origin[0]), float(origin[1]))
        facts = _font_facts(page.page_obj.resources, fonts)
        widened = _widen_empty(texts)
        try:
            chars = _chars(fpage.raw, texts, facts, geometry, api or _Api())
        finally:
            _restore(widened)
        lines: list[Obj] = []
        rects: list[Obj] = []
        curves: list[Obj] = []
        for obj, matrix in paths:
            _path(obj, matrix, geometry, {"line": lines, "rect": rects, "curve": curves})
    finally:
        fpage.close()
    return {"char": chars, "line": lines, "rect": rects, "curve": curves}


def _same_page(fpage: Any, page_obj: Any) -> bool:
    """pdfium's visible box (CropBox ∩ MediaBox) is pdfminer's: the two read the same page."""
    import pypdfium2.raw as pdfium

    box = pdfium.FS_RECTF()
    if not pdfium.FPDF_GetPageBoundingBox(fpage, box):
        return False
    mx0, my0, mx1, my1 = _normalized(page_obj.mediabox)
    cx0, cy0, cx1, cy1 = _normalized(page_obj.cropbox)
    ours = (max(mx0, cx0), max(my0, cy0), min(mx1, cx1), min(my1, cy1))
    if ours[0] >= ours[2] or ours[1] >= ours[3]:
        ours = (mx0, my0, mx1, my1)
    theirs = (box.left, box.bottom, box.right, box.top)
    return all(abs(a - b) < 0.01 for a, b in zip(ours, theirs, strict=True))


def _normalized(rect: Any) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in rect)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _walk(page: Any) -> tuple[list[Any], list[tuple[Any, Matrix]]]:
    """Text objects and (path object, page matrix) pairs in content stream order, forms inlined."""
    import pypdfium2.raw as pdfium

    texts: list[Any] = []
    paths: list[tuple[Any, Matrix]] = []
    m = pdfium.FS_MATRIX()

    def walk(count: int, get: Any, parent: Matrix | None) -> None:
        for i in range(count):
            obj = get(i)
            kind = pdfium.FPDFPageObj_GetType(obj)
            if kind == pdfium.FPDF_PAGEOBJ_TEXT:
                texts.append(obj)
            elif kind in (pdfium.FPDF_PAGEOBJ_PATH, pdfium.FPDF_PAGEOBJ_FORM):
                if not pdfium.FPDFPageObj_GetMatrix(obj, m):
                    raise Untrusted("no matrix")
                own = (m.a, m.b, m.c, m.d, m.e, m.f)
                matrix = own if parent is None else _multiply(own, parent)
                if kind == pdfium.FPDF_PAGEOBJ_PATH:
                    paths.append((obj, matrix))
                else:
                    walk(
                        pdfium.FPDFFormObj_CountObjects(obj),
                        lambda j, o=obj: pdfium.FPDFFormObj_GetObject(o, j),
                        matrix,
                    )

    walk(pdfium.FPDFPage_CountObjects(page), lambda j: pdfium.FPDFPage_GetObject(page, j), None)
    return texts, paths


def _widen_empty(texts: list[Any]) -> list[tuple[Any, int, float]]:
    """Give text objects without width a little, so that pdfium's text page keeps them.

    pdfium's text page skips a text object narrower than 0.01: a lone glyph whose font has no
    outline for it (a non-embedded Chinese font on a machine without one: a character alone on
    its line in a narrow table cell), or a lone space. pdfminer reads them like any other. An
    object's box grows by half the line width when its text is stroked, so its render mode is
    set to fill + stroke while the text page is built (only in memory, and undone after). Returns
    (object, render mode, line width) to restore.
    """
    import pypdfium2.raw as pdfium

    changed: list[tuple[Any, int, float]] = []
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    width = ctypes.c_float()
    for obj in texts:
        if not pdfium.FPDFPageObj_GetBounds(obj, left, bottom, right, top) or right.value - left.value >= 0.02:
            continue
        mode = pdfium.FPDFTextObj_GetTextRenderMode(obj)
        if mode == pdfium.FPDF_TEXTRENDERMODE_UNKNOWN or not pdfium.FPDFPageObj_GetStrokeWidth(obj, width):
            continue  # left out by pdfium: the page falls back to pdfminer
        changed.append((obj, mode, width.value))
        pdfium.FPDFTextObj_SetTextRenderMode(obj, pdfium.FPDF_TEXTRENDERMODE_FILL_STROKE)
        pdfium.FPDFPageObj_SetStrokeWidth(obj, 1.0)
        pdfium.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 0, 0)  # recomputes the box
    return changed


def _restore(changed: list[tuple[Any, int, float]]) -> None:
    import pypdfium2.raw as pdfium

    for obj, mode, width in changed:
        pdfium.FPDFTextObj_SetTextRenderMode(obj, mode)
        pdfium.FPDFPageObj_SetStrokeWidth(obj, width)
        pdfium.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 0, 0)


def _multiply(first: Matrix, then: Matrix) -> Matrix:
    """The matrix applying ``first``, then ``then`` (PDF's row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = then
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _address(pointer: Any) -> int:
    return ctypes.cast(pointer, ctypes.c_void_p).value or 0


class _Geometry:
    """User space → pdfminer's page space (shifted by the media box origin) → pdfplumber's."""

    def __init__(self, page: Any, origin_x: float, origin_y: float) -> None:
        self.page = page
        self.origin_x = origin_x
        self.origin_y = origin_y
        self.height = page.height
        self.left = page.mediabox[0]
        self.top = page.mediabox[1]
        self.doctop = page.initial_doctop
        self.number = page.page_number

    def place(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """(x0, x1, top, bottom) of a pdfminer bbox on pdfplumber's page, as ``Page.process_object``."""
        if self.left != 0:
            x0 += self.left
            x1 += self.left
        return x0, x1, (self.height - y1) + self.top, (self.height - y0) + self.top

    def box(self, x0: float, y0: float, x1: float, y1: float, kind: str) -> Obj:
        """pdfplumber's position keys for a pdfminer bbox, as ``Page.process_object`` adds them."""
        x0, x1, top, bottom = self.place(x0, y0, x1, y1)
        return {
            "x0": x0,
            "y0": y0,
            "x1": x1,
            "y1": y1,
            "width": x1 - x0,
            "height": y1 - y0,
            "object_type": kind,
            "page_number": self.number,
            "top": top,
            "bottom": bottom,
            "doctop": self.doctop + top,
            "mcid": None,
            "tag": None,
        }


class _TextObject:
    """What every character of one pdfium text object shares."""

    __slots__ = (
        "a",
        "b",
        "c",
        "chars",
        "d",
        "descent",
        "font",
        "fontname",
        "known",
        "ltr",
        "order",
        "run",
        "size",
    )

    def __init__(self, a: float, b: float, c: float, d: float, size: float, fact: Fact, font: Any, order: int) -> None:
        self.a, self.b, self.c, self.d = a, b, c, d
        self.size = size
        self.ltr = abs(b) < 1e-9 and abs(c) < 1e-9 and a > 1e-9  # upright, left to right: the usual
        self.run = a * size  # page units per unit of advance along x
        # code point → (advance, how far its loose box reaches per unit of ``run``; None if unknown)
        self.known: dict[int, tuple[float, float | None]] = {}
        self.fontname, self.descent = fact[0], fact[1]
        self.font = font
        self.order = order
        self.chars: list[Obj] = []


class _Api:
    """The pdfium functions called for every character, with handles as plain integers.

    pypdfium2's bindings return typed pointers that take a ``ctypes.cast`` to compare; these
    prototypes of the same C functions (made here, pypdfium2's own stay as they are) return
    integers, a third of the time per character.
    """

    def __init__(self) -> None:
        import pypdfium2.raw as pdfium

        def proto(function: Any, restype: Any, *argtypes: Any) -> Any:
            address = ctypes.cast(function, ctypes.c_void_p).value
            return ctypes.CFUNCTYPE(restype, *argtypes)(address)

        handle, index, double_p = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double)
        self.load = proto(pdfium.FPDFText_LoadPage, handle, handle)
        self.close = proto(pdfium.FPDFText_ClosePage, None, handle)
        self.count = proto(pdfium.FPDFText_CountChars, index, handle)
        self.unicode = proto(pdfium.FPDFText_GetUnicode, ctypes.c_uint, handle, index)
        self.text = proto(pdfium.FPDFText_GetText, index, handle, index, index, ctypes.POINTER(ctypes.c_ushort))
        self.generated = proto(pdfium.FPDFText_IsGenerated, index, handle, index)
        self.unmapped = proto(pdfium.FPDFText_HasUnicodeMapError, index, handle, index)
        self.text_object = proto(pdfium.FPDFText_GetTextObject, handle, handle, index)
        self.origin = proto(pdfium.FPDFText_GetCharOrigin, index, handle, index, double_p, double_p)
        self.loose = proto(pdfium.FPDFText_GetLooseCharBox, index, handle, index, ctypes.POINTER(pdfium.FS_RECTF))
        self.ink = proto(pdfium.FPDFText_GetCharBox, index, handle, index, double_p, double_p, double_p, double_p)
        self.matrix = proto(pdfium.FPDFText_GetMatrix, index, handle, index, ctypes.POINTER(pdfium.FS_MATRIX))
        self.font = proto(pdfium.FPDFTextObj_GetFont, handle, handle)
        self.font_size = proto(pdfium.FPDFTextObj_GetFontSize, index, handle, ctypes.POINTER(ctypes.c_float))
        self.font_name = proto(
            pdfium.FPDFFont_GetBaseFontName, ctypes.c_size_t, handle, ctypes.c_char_p, ctypes.c_size_t
        )
        self.glyph_width = proto(
            pdfium.FPDFFont_GetGlyphWidth, index, handle, ctypes.c_uint, ctypes.c_float, ctypes.POINTER(ctypes.c_float)
        )
        self.marks = proto(pdfium.FPDFPageObj_CountMarks, index, handle)


def _chars(page: Any, texts: list[Any], facts: dict[bytes, set[Fact]], geo: _Geometry, api: _Api) -> list[Obj]:
    """The page's characters as pdfplumber's dicts, in content stream order."""
    import pypdfium2.raw as pdfium

    handles = {_address(obj): obj for obj in texts}
    order = {key: i for i, key in enumerate(handles)}
    objects: dict[int, _TextObject] = {}
    fonts: dict[int, Fact] = {}
    widths: dict[int, dict[int, tuple[float, float | None]]] = {}  # font → code point → (advance, reach)
    x, y = ctypes.c_double(), ctypes.c_double()
    px, py = ctypes.byref(x), ctypes.byref(y)
    loose = pdfium.FS_RECTF()
    loose_p = ctypes.byref(loose)
    textpage = api.load(_address(page))
    if not textpage:
        raise Untrusted("no text page")
    unicode_of, generated, unmapped, text_object = api.unicode, api.generated, api.unmapped, api.text_object
    origin_of, loose_of = api.origin, api.loose
    gx, gy, height, shift, top0, doctop, number = (
        geo.origin_x,
        geo.origin_y,
        geo.height,
        geo.left,
        geo.top,
        geo.doctop,
        geo.number,
    )
    try:
        count = api.count(textpage)
        codes = _all_unicode(api, textpage, count)
        obj: _TextObject | None = None
        last_key, last_x, last_y = 0, 0.0, 0.0
        # a character whose advance came from the font's cache, not yet checked against pdfium:
        # (index, where its advance ends, where its loose box should end); the next character's
        # origin usually confirms it, else its loose box must reach as far as the first copy's
        pending: tuple[int, float, float] | None = None
        for i in range(count):
            u = codes[i] if codes is not None else unicode_of(textpage, i)
            if u in _GENERATED_CANDIDATES and generated(textpage, i):
                continue
            if u in _NO_TEXT or 0xD800 <= u <= 0xDFFF or unmapped(textpage, i):
                raise Untrusted("character without Unicode")
            if 0x0590 <= u and (u <= 0x08FF or 0xFB1D <= u <= 0xFDFF or 0xFE70 <= u <= 0xFEFF):
                raise Untrusted("right-to-left text")
            key = text_object(textpage, i)
            if not origin_of(textpage, i, px, py):
                raise Untrusted("no origin")
            ox, oy = x.value, y.value
            same = key == last_key
            if pending is not None:
                if not (same and abs(ox - pending[1]) < _EPS):  # the next glyph is not where it ends
                    _confirm(api, textpage, pending, loose)
                pending = None
            if obj is None or not same:
                obj = objects.get(key)
                if obj is None:
                    obj = objects[key] = _new_object(api, textpage, i, key, handles, order, fonts, facts, widths)
                known_of, run, size = obj.known.get, obj.run, obj.size
                fast = obj.ltr and obj.d > 0
                a, d, low = obj.a, obj.d, obj.descent * obj.size
                fontname, add = obj.fontname, obj.chars.append
            elif ox == last_x and oy == last_y:
                # one glyph, several code points ("ﬁ" split by pdfium, or a ToUnicode entry of
                # two characters): pdfminer keeps one char whose width pdfium cannot look up
                raise Untrusted("glyph of several code points")
            last_key, last_x, last_y = key, ox, oy
            known = known_of(u)
            if known is not None and fast and known[1] is not None and known[0] >= 0:
                width = known[0]
                pending = (i, ox + run * width, ox + run * known[1])
            elif known is not None and loose_of(textpage, i, loose_p) and _advance_ends(obj, ox, oy, known[0], loose):
                width = known[0]
            else:
                if not loose_of(textpage, i, loose_p):
                    raise Untrusted("no character box")
                width = _slow_width(api, textpage, i, obj, u, ox, oy, loose)
            if fast and width >= 0:  # the usual case, _char's arithmetic unrolled
                adv = width * size
                x0 = ox - gx
                x1 = ox + a * adv - gx
                y0 = oy + d * low - gy
                y1 = oy + d * (low + size) - gy
                top = (height - y1) + top0
                if shift != 0:
                    x0 += shift
                    x1 += shift
                add(_char_obj((a, 0.0, 0.0, d, ox - gx, oy - gy), fontname, adv, True,
                              x0, y0, x1, y1, top, (height - y0) + top0, number, doctop, chr(u)))  # fmt: skip
            else:
                add(_char(obj, chr(u), ox, oy, width, geo))
        if pending is not None:
            _confirm(api, textpage, pending, loose)
    finally:
        api.close(textpage)
    if len(objects) != len(texts):
        raise Untrusted("pdfium left out a text object")
    ordered = sorted(objects.values(), key=lambda o: o.order)
    _check_char_spacing(ordered)
    return [c for o in ordered for c in o.chars]


def _confirm(api: _Api, textpage: int, pending: tuple[int, float, float], loose: Any) -> None:
    """A cached advance holds for this copy of the glyph: its loose box reaches as far."""
    i, _, reach = pending
    if not api.loose(textpage, i, ctypes.byref(loose)) or abs(loose.right - reach) >= _EPS:
        raise Untrusted("glyph differs from an earlier one of the same code point")


def _new_object(
    api: _Api,
    textpage: int,
    i: int,
    key: int,
    handles: dict[int, Any],
    order: dict[int, int],
    fonts: dict[int, Fact],
    facts: dict[bytes, set[Fact]],
    widths: dict[int, dict[int, tuple[float, float | None]]],
) -> _TextObject:
    """The text object of character ``i``, met for the first time."""
    import pypdfium2.raw as pdfium

    m = pdfium.FS_MATRIX()
    if key not in order or not api.matrix(textpage, i, m):
        raise Untrusted("character outside the page's text objects")
    font = api.font(key)
    fact = fonts.get(font)
    if fact is None:
        name = ctypes.create_string_buffer(512)
        size = api.font_name(font, name, len(name))
        base = _SUBSET.sub(b"", name.value) if 0 < size <= len(name) else b""
        readings = facts.get(base, set())
        if len(readings) != 1:
            raise Untrusted(f"font {base!r} not in the page's resources")
        fact = next(iter(readings))
        if fact[2]:
            raise Untrusted(fact[2])
        fonts[font] = fact
    value = ctypes.c_float()
    if not api.font_size(key, value):
        raise Untrusted("no font size")
    if api.marks(key) and _has_actual_text(handles[key]):
        raise Untrusted("/ActualText")
    obj = _TextObject(m.a, m.b, m.c, m.d, value.value, fact, font, order[key])
    obj.known = widths.setdefault(font, {})
    return obj


def _slow_width(api: _Api, textpage: int, i: int, obj: _TextObject, u: int, ox: float, oy: float, loose: Any) -> float:
    """A glyph's advance not known yet for its font (or not where its loose box ends)."""
    left, right, bottom, top = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
    if not api.ink(textpage, i, left, right, bottom, top):
        raise Untrusted("no character box")
    width = _width_from_boxes(obj, ox, oy, loose, (left.value, bottom.value, right.value, top.value))
    if width is None:  # the ink reaches the advance: ask the font, check against the box
        value = ctypes.c_float()
        if not api.glyph_width(obj.font, u, 1000.0, value):
            raise Untrusted("no glyph width")
        width = value.value / 1000.0
        if not _advance_inside(obj, ox, oy, width, loose):
            raise Untrusted("glyph width disagrees with pdfium's box")
    # the next copies of the glyph only check that their loose box reaches as far
    obj.known[u] = (width, (loose.right - ox) / obj.run if obj.ltr else None)
    return width


def _all_unicode(api: _Api, textpage: int, count: int) -> list[int] | None:
    """Every character's code point in one call, where pdfium's page text lines up with its
    characters (one UTF-16 unit each: no control character left out, no surrogate pair)."""
    if count <= 0:
        return []
    buffer = (ctypes.c_ushort * (count + 1))()
    if api.text(textpage, 0, count, buffer) != count + 1:  # + the terminating 0
        return None
    codes = list(buffer[:count])
    return None if any(0xD800 <= c <= 0xDFFF for c in codes) else codes


def _advance_ends(obj: _TextObject, ox: float, oy: float, width: float, loose: Any) -> bool:
    """A known advance ends where pdfium's loose box does (the edge beyond the ink)."""
    if abs(obj.b) < 1e-9 and abs(obj.c) < 1e-9:
        end = ox + obj.a * width * obj.size
        return abs(end - (loose.right if obj.a > 0 else loose.left)) < _EPS
    if abs(obj.a) < 1e-9 and abs(obj.d) < 1e-9:
        end = oy + obj.b * width * obj.size
        return abs(end - (loose.top if obj.b > 0 else loose.bottom)) < _EPS
    return False


def _width_from_boxes(
    obj: _TextObject, ox: float, oy: float, loose: Any, ink: tuple[float, float, float, float]
) -> float | None:
    """The glyph's advance (in text space units per unit of font size) read off pdfium's boxes.

    pdfium's loose box is the union of the glyph's ink (the tight box) and of the advance box
    it computes from the character code's width, which pdfium alone knows: on the side the text
    runs to, an edge beyond the ink is the advance. ``None`` where the ink reaches that far, or
    the text is not axis-aligned.
    """
    a, b, c, d, size = obj.a, obj.b, obj.c, obj.d, obj.size
    ink_left, ink_bottom, ink_right, ink_top = ink
    if abs(b) < 1e-9 and abs(c) < 1e-9 and abs(a) > 1e-9:  # along x
        if a > 0 and ink_right < loose.right - _EPS:
            return (loose.right - ox) / (a * size)
        if a < 0 and ink_left > loose.left + _EPS:
            return (loose.left - ox) / (a * size)
    elif abs(a) < 1e-9 and abs(d) < 1e-9 and abs(b) > 1e-9:  # along y (quarter turn)
        if b > 0 and ink_top < loose.top - _EPS:
            return (loose.top - oy) / (b * size)
        if b < 0 and ink_bottom > loose.bottom + _EPS:
            return (loose.bottom - oy) / (b * size)
    return None


def _advance_inside(obj: _TextObject, ox: float, oy: float, width: float, loose: Any) -> bool:
    """The end of the advance lies in pdfium's loose box (which contains pdfium's own advance)."""
    ex = ox + obj.a * width * obj.size
    ey = oy + obj.b * width * obj.size
    return loose.left - _EPS <= ex <= loose.right + _EPS and loose.bottom - _EPS <= ey <= loose.top + _EPS


def _char(obj: _TextObject, text: str, ox: float, oy: float, width: float, geo: _Geometry) -> Obj:
    """pdfminer's ``LTChar`` box: (0, descent) to (advance, descent + size) through the text matrix,
    with the keys ``Page.process_object`` gives it.

    pdfium's matrix already holds the horizontal scaling that pdfminer applies to the advance.
    """
    a, b, c, d, size = obj.a, obj.b, obj.c, obj.d, obj.size
    adv = width * size
    low = obj.descent * size
    high = low + size
    xs = (ox + c * low, ox + a * adv + c * low, ox + a * adv + c * high, ox + c * high)
    ys = (oy + d * low, oy + b * adv + d * low, oy + b * adv + d * high, oy + d * high)
    x0, x1 = min(xs) - geo.origin_x, max(xs) - geo.origin_x
    y0, y1 = min(ys) - geo.origin_y, max(ys) - geo.origin_y
    x0, x1, top, bottom = geo.place(x0, y0, x1, y1)
    return _char_obj((a, b, c, d, ox - geo.origin_x, oy - geo.origin_y), obj.fontname, adv, a * d > 0 and b * c <= 0,
                     x0, y0, x1, y1, top, bottom, geo.number, geo.doctop, text)  # fmt: skip


def _char_obj(
    matrix: Matrix, fontname: Any, adv: float, upright: bool, x0: float, y0: float, x1: float, y1: float,
    top: float, bottom: float, number: int, doctop: float, text: str,
) -> Obj:
    """The dict pdfplumber makes of a pdfminer ``LTChar`` (``Page.process_object``), same keys."""
    return {
        "matrix": matrix,
        "fontname": fontname,
        "adv": adv,
        "upright": upright,
        "x0": x0,
        "y0": y0,
        "x1": x1,
        "y1": y1,
        "width": x1 - x0,
        "height": y1 - y0,
        "size": y1 - y0,
        "mcid": None,
        "tag": None,
        "object_type": "char",
        "page_number": number,
        "ncs": None,
        "text": text,
        "stroking_color": None,
        "non_stroking_color": None,
        "top": top,
        "bottom": bottom,
        "doctop": doctop + top,
    }


def _has_actual_text(pointer: Any) -> bool:
    import pypdfium2.raw as pdfium

    for i in range(pdfium.FPDFPageObj_CountMarks(pointer)):
        mark = pdfium.FPDFPageObj_GetMark(pointer, i)
        if mark and pdfium.FPDFPageObjMark_GetParamValueType(mark, b"ActualText") != pdfium.FPDF_OBJECT_UNKNOWN:
            return True
    return False


def _check_char_spacing(objects: list[_TextObject]) -> None:
    """Refuse the page where pdfminer's positions drift from pdfium's (correct) ones.

    pdfminer adds the character spacing ``Tc`` between the glyphs of one text operator, not after
    the last one, nor before a TJ's leading number. Where a later operator continues from that
    point (no ``Td``/``Tm`` between), all of its characters sit ``Tc`` further left in pdfminer.
    ``Tc`` is not exposed by pdfium: it shows as every glyph of an object advancing by the same
    amount more than its width.
    """
    for k, obj in enumerate(objects):
        spacing = _spacing(obj)
        if spacing is None or k + 1 == len(objects) or not objects[k + 1].chars:
            continue
        last, first = obj.chars[-1], objects[k + 1].chars[0]
        end = _text_space(obj, last["matrix"], first["matrix"])
        tolerance = _EPS * max(obj.size, 1)
        if end is not None and abs(end[0] - last["adv"] - spacing) < tolerance and abs(end[1]) < tolerance:
            raise Untrusted("character spacing carried across text operators")


def _spacing(obj: _TextObject) -> float | None:
    """The extra advance every glyph of the object has over its width (``Tc``), None if none."""
    chars = obj.chars
    if len(chars) < 2:
        return None
    found: float | None = None
    tolerance = _EPS * max(obj.size, 1)
    for char, after in itertools.pairwise(chars):
        if char["text"] == " ":
            continue  # word spacing may add to it
        step = _text_space(obj, char["matrix"], after["matrix"])
        if step is None:
            return None
        extra = step[0] - char["adv"]
        if abs(extra) < tolerance:
            return None
        if found is None:
            found = extra
        elif abs(extra - found) > tolerance:
            return None  # kerning, not spacing
    return found


def _text_space(obj: _TextObject, start: tuple[float, ...], end: tuple[float, ...]) -> tuple[float, float] | None:
    """The move between two characters' origins (their matrices' last two entries) in the
    object's text space (the inverse of its matrix)."""
    det = obj.a * obj.d - obj.b * obj.c
    if abs(det) < 1e-12:
        return None
    dx, dy = end[4] - start[4], end[5] - start[5]
    return ((obj.d * dx - obj.c * dy) / det, (obj.a * dy - obj.b * dx) / det)


# ---------------------------------------------------------------------- paths
def _path(obj: Any, matrix: Matrix, geo: _Geometry, out: dict[str, list[Obj]]) -> None:
    """One painted path as pdfminer's ``paint_path`` sees it: segments in page space."""
    import pypdfium2.raw as pdfium

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        raise Untrusted("no draw mode")
    stroked, filled = bool(stroke.value), fill_mode.value != pdfium.FPDF_FILLMODE_NONE
    if not (stroked or filled):
        return
    width = ctypes.c_float()
    if not pdfium.FPDFPageObj_GetStrokeWidth(obj, width):
        raise Untrusted("no line width")
    a, b, c, d, e, f = matrix
    ox, oy = geo.origin_x, geo.origin_y
    px, py = ctypes.c_float(), ctypes.c_float()
    segments: list[tuple[Any, ...]] = []
    bezier: list[tuple[float, float]] = []
    for i in range(pdfium.FPDFPath_CountSegments(obj)):
        segment = pdfium.FPDFPath_GetPathSegment(obj, i)
        if not segment or not pdfium.FPDFPathSegment_GetPoint(segment, px, py):
            raise Untrusted("unreadable path")
        sx, sy = px.value, py.value
        point = (a * sx + c * sy + e - ox, b * sx + d * sy + f - oy)
        kind = pdfium.FPDFPathSegment_GetType(segment)
        if kind == pdfium.FPDF_SEGMENT_MOVETO:
            segments.append(("m", point))
        elif kind == pdfium.FPDF_SEGMENT_LINETO:
            segments.append(("l", point))
        elif kind == pdfium.FPDF_SEGMENT_BEZIERTO:
            bezier.append(point)
            if len(bezier) == 3:
                segments.append(("c", *bezier))
                bezier = []
        else:
            raise Untrusted("unknown path segment")
        if pdfium.FPDFPathSegment_GetClose(segment) and not bezier:
            segments.append(("h",))  # pdfium's "closed" flag is pdfminer's h
    if bezier:
        raise Untrusted("incomplete curve")
    paint = (width.value, stroked, filled, fill_mode.value == pdfium.FPDF_FILLMODE_ALTERNATE)
    _paint(segments, paint, geo, out)


def _paint(
    path: list[tuple[Any, ...]], paint: tuple[float, bool, bool, bool], geo: _Geometry, out: dict[str, list[Obj]]
) -> None:
    """pdfminer 20260107's ``PDFLayoutAnalyzer.paint_path``: subpaths, lines, rects, curves."""
    shape = "".join(p[0] for p in path)
    if shape[:1] != "m":
        return
    if shape.count("m") > 1:
        for sub in _SUBPATH.finditer(shape):
            _paint(path[sub.start(0) : sub.end(0)], paint, geo, out)
        return
    pts = [p[-1] if p[0] != "h" else path[0][-1] for p in path]
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        pts.pop()
    kind = "curve"
    if shape in {"mlh", "ml"}:
        kind, pts = "line", pts[:2]
    elif shape in {"mlllh", "mllll"}:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == pts[4] and square:
            kind = "rect"
            (ax, ay), (bx, by) = pts[0], pts[2]
            pts = [(ax, ay), (bx, ay), (bx, by), (ax, by)]
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    obj = geo.box(min(xs), min(ys), max(xs), max(ys), kind)
    to_page = geo.page.point2coord
    obj.update(
        linewidth=paint[0],
        stroke=paint[1],
        fill=paint[2],
        evenodd=paint[3],
        stroking_color=None,
        non_stroking_color=None,
        pts=[to_page(p) for p in pts],
        path=[(p[0], *map(to_page, p[1:])) for p in path],
        dash=None,
    )
    out[kind].append(obj)
