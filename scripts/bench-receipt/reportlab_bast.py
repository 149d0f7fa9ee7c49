"""The BAST receipt drawn with ReportLab (platypus) from Bansos's own words (receipt.json,
papers.json written by examples/bench_receipt.rs), timed in-process, for scripts/bench-receipt.sh.

    python3 reportlab_bast.py OUTDIR RUNS PAGES

Times building one receipt RUNS times and the PAGES receipts of papers.json (cycled) once, each
into bytes in memory (fonts registered once beforehand, as Bansos parses its font once a process).
Each build encodes the QR code (ReportLab's own encoder, level M, same payload): Bansos's render
gets the modules already encoded, so that part is timed separately too. Prints JSON lines; writes
reportlab-one.pdf and reportlab-500.pdf.
"""

import io
import json
import os
import sys
import time

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (Flowable, HRFlowable, PageBreak, Paragraph, SimpleDocTemplate,
                                Spacer, Table, TableStyle, TopPadder)
from reportlab.lib.fonts import addMapping
from xml.sax.saxutils import escape

NOTO = "/usr/share/fonts/truetype/noto"
# The same family Bansos embeds (Noto Sans, from the same Debian package), whole files: ReportLab
# subsets what a document uses. Bansos fakes bold by stroking the regular outline; here the real
# Bold is embedded as a second subset.
pdfmetrics.registerFont(TTFont("Noto", f"{NOTO}/NotoSans-Regular.ttf"))
pdfmetrics.registerFont(TTFont("Noto-Bold", f"{NOTO}/NotoSans-Bold.ttf"))
addMapping("Noto", 0, 0, "Noto")
addMapping("Noto", 1, 0, "Noto-Bold")


def style(size, bold=False, align=0, leading=None):
    return ParagraphStyle(
        f"s{size}{bold}{align}", fontName="Noto-Bold" if bold else "Noto", fontSize=size,
        leading=leading or size * 1.25, alignment=align)


BODY = style(10, leading=5 * mm)
CELL = style(9)
CELL_B = style(9, bold=True)
CELL_R = style(9, align=TA_RIGHT)
SRC = style(8.5)
FOOT = style(7.5, leading=4 * mm)
LETTER = [style(9, True, TA_CENTER), style(10, True, TA_CENTER), style(13, True, TA_CENTER),
          style(8.5, False, TA_CENTER)]
TITLE = style(12, True, TA_CENTER)
CENTER = style(10, align=TA_CENTER)
CENTER_B = style(10, True, TA_CENTER)
NIP = style(9, align=TA_CENTER)
PLAIN = TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2), ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1)])


def p(text, st=BODY):
    return Paragraph(escape(text), st)


class Mark(Flowable):
    """SALINAN / BATAL framed at the right of the title, taking no room of its own."""

    def __init__(self, text):
        super().__init__()
        self.text = text

    def wrap(self, aw, ah):
        self.aw = aw
        return 0, 0

    def draw(self):
        c = self.canv
        w = pdfmetrics.stringWidth(self.text, "Noto-Bold", 15) + 8 * mm
        c.setLineWidth(1.4)
        # As Bansos places it: 41.5 to 51.5 mm from the top of the page, ending 3 mm past the
        # right margin; this flowable stands 44.6 mm from the top.
        c.rect(self.aw + 3 * mm - w, -6.9 * mm, w, 10 * mm)
        c.setFont("Noto-Bold", 15)
        c.drawCentredString(self.aw + 3 * mm - w / 2, -4.4 * mm, self.text)


def qr(payload, side=40 * mm):
    w = QrCodeWidget(payload, barLevel="M", barBorder=0)
    w.barWidth = w.barHeight = side
    d = Drawing(side, side)
    d.add(w)
    return d


def rows(rs):
    data = [["", p(r["label"]), ":", p(r["value"])] for r in rs]
    return Table(data, colWidths=[4 * mm, 40 * mm, 3 * mm, 127 * mm], style=PLAIN)


def signatures(paper):
    people = [paper["receiver"], paper["head"], paper["giver"]]
    data = [["", "", p(paper["place_date"], CENTER)],
            [p(s["caption"], CENTER) for s in people],
            [p(s["role"], CENTER_B) for s in people],
            ["", "", ""],
            [Paragraph("<u>" + escape(s["name"]) + "</u>", CENTER_B) for s in people],
            [p(s["nip"], NIP) for s in people]]
    t = Table(data, colWidths=[44 * mm, 86 * mm, 44 * mm],
              rowHeights=[None, None, None, 16 * mm, None, None])
    t.setStyle(PLAIN)
    return t


def items(paper):
    head = [p(h, CELL_B) for h in ["No", "Nama barang", "Jumlah", "Satuan", "Sumber dana"]]
    body = [[p(str(i + 1), CELL), p(it["name"], CELL), p(it["quantity"], CELL_R),
             p(it["unit"], CELL), p(it["source"], SRC)] for i, it in enumerate(paper["items"])]
    t = Table([head] + body, colWidths=[10 * mm, 68 * mm, 26 * mm, 20 * mm, 50 * mm])
    t.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEABOVE", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.black),
        ("LINEBEFORE", (0, 0), (-1, -1), 0.4, colors.black),
        ("LINEAFTER", (-1, 0), (-1, -1), 0.4, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return t


def story(paper):
    s = [p(line, st) for line, st in zip(paper["letterhead"], LETTER)]
    s += [Spacer(0, 1.5 * mm),
          HRFlowable(width="104%", thickness=1.6, color=colors.black, spaceAfter=0.5 * mm),
          HRFlowable(width="104%", thickness=0.4, color=colors.black, spaceAfter=6 * mm)]
    if paper["mark"]:
        s.append(Mark(paper["mark"]))
    s += [Paragraph("<u>" + escape(paper["title"]) + "</u>", TITLE), p(paper["number"], CENTER),
          Spacer(0, 5 * mm), p(paper["opening"]), Spacer(0, 2 * mm), rows(paper["first_party"]),
          p(paper["first_party_note"]), Spacer(0, 2 * mm), rows(paper["second_party"]),
          p(paper["second_party_note"]), Spacer(0, 2 * mm), p(paper["handover_sentence"]),
          Spacer(0, 1.5 * mm), items(paper), Spacer(0, 3 * mm), p(paper["statement"]),
          Spacer(0, 4 * mm), signatures(paper)]
    foot = [p(line, FOOT) for line in paper["footer"]]
    if paper["mark_note"]:
        foot.append(Paragraph("<b>" + escape(paper["mark_note"]) + "</b>", style(8.5, True)))
    t = Table([[qr(paper["qr_payload"]), foot]], colWidths=[43 * mm, 131 * mm], style=PLAIN)
    s.append(TopPadder(t))
    return s


def build(papers, title):
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=12.5 * mm, bottomMargin=10 * mm, title=title)
    s = []
    for i, paper in enumerate(papers):
        if i:
            s.append(PageBreak())
        s += story(paper)
    doc.build(s)
    return buf.getvalue()


def pct(v, q):
    v = sorted(v)
    import math
    return v[max(1, min(len(v), math.ceil(q * len(v)))) - 1]


def main():
    out, runs, pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    one = json.load(open(os.path.join(out, "receipt.json")))
    papers = json.load(open(os.path.join(out, "papers.json")))
    papers = [papers[i % len(papers)] for i in range(pages)]
    build([one], "BAST")  # warm-up: glyph tables, imports
    ms = []
    for _ in range(runs):
        t = time.perf_counter()
        pdf = build([one], "BAST " + one["number"])
        ms.append((time.perf_counter() - t) * 1e3)
    open(os.path.join(out, "reportlab-one.pdf"), "wb").write(pdf)
    qms = []
    for _ in range(runs):
        t = time.perf_counter()
        QrCodeWidget(one["qr_payload"], barLevel="M").draw()
        qms.append((time.perf_counter() - t) * 1e3)
    print(json.dumps({"tool": "reportlab", "what": "one", "runs": runs, "p50": pct(ms, .5),
                      "p95": pct(ms, .95), "max": max(ms), "bytes": len(pdf),
                      "qr_p50": pct(qms, .5)}), flush=True)
    t = time.perf_counter()
    pdf = build(papers, "BAST kegiatan")
    ms = (time.perf_counter() - t) * 1e3
    open(os.path.join(out, "reportlab-500.pdf"), "wb").write(pdf)
    print(json.dumps({"tool": "reportlab", "what": "big", "receipts": len(papers), "ms": ms,
                      "bytes": len(pdf)}), flush=True)


if __name__ == "__main__":
    main()
