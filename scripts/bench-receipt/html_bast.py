"""The BAST receipt as HTML, printed by wkhtmltopdf, from Bansos's own words (receipt.json,
papers.json written by examples/bench_receipt.rs), for scripts/bench-receipt.sh.

    python3 html_bast.py OUTDIR RUNS PAGES

Writes one.html and big.html once (untimed; the QR code is the SVG Bansos made for its window,
the same modules its PDF draws, inlined), then times `wkhtmltopdf one.html` RUNS times and
`wkhtmltopdf big.html` (PAGES receipts, one per page) once: wall time of the whole process, its
start (Qt, WebKit, fontconfig) included, as a program that shells out to it would see.
Prints JSON lines; writes wkhtmltopdf-one.pdf and wkhtmltopdf-500.pdf.

Debian's wkhtmltopdf (built against unpatched Qt) prints CSS lengths at 0.771 of their size
whatever --zoom or --dpi say, so the body is zoomed back (CSS zoom 1.2975): a mm here is a mm
on paper, a pt a pt (checked: a 174 mm box at 18 mm prints from 17.9 to 191.8 mm).
"""

import json
import math
import os
import re
import subprocess
import sys
import time
from html import escape as e

CSS = """
@page { size: A4; margin: 0; }
* { box-sizing: border-box; }
body { margin: 0; zoom: 1.2975; font-family: 'Noto Sans'; font-size: 10pt; line-height: 5mm; }
.page { position: relative; width: 210mm; height: 295mm; padding: 13mm 18mm 0 18mm;
        page-break-after: always; overflow: hidden; }
.page:last-child { page-break-after: auto; }
.lh { text-align: center; line-height: 1.25; }
.lh div:nth-child(1) { font-size: 9pt; font-weight: bold; }
.lh div:nth-child(2) { font-size: 10pt; font-weight: bold; }
.lh div:nth-child(3) { font-size: 13pt; font-weight: bold; }
.lh div:nth-child(4) { font-size: 8.5pt; }
.rule { margin: 1.5mm -3mm 0 -3mm; border-top: 1.6pt solid #000; border-bottom: 0.4pt solid #000;
        height: 1.1mm; }
.title { position: relative; text-align: center; margin-top: 6mm; }
.title h1 { font-size: 12pt; font-weight: bold; text-decoration: underline; margin: 0;
            line-height: 1.3; }
.mark { position: absolute; right: -3mm; top: -3.5mm; border: 1.4pt solid #000; padding: 0 4mm;
        font-size: 15pt; font-weight: bold; line-height: 10mm; }
p { margin: 0; }
.gap { margin-top: 4mm; }
table.rows { border-collapse: collapse; margin: 2mm 0 1mm 0; }
table.rows td { vertical-align: top; padding: 0 0 0.3mm 0; }
table.items { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm 0; font-size: 9pt;
              line-height: 1.3; }
table.items th { text-align: left; border-top: 0.6pt solid #000; border-bottom: 0.6pt solid #000; }
table.items th, table.items td { border-left: 0.4pt solid #000; border-right: 0.4pt solid #000;
                                 padding: 0.8mm 1.5mm; }
table.items td { border-bottom: 0.3pt solid #000; }
table.items td.q { text-align: right; }
table.items td.s { font-size: 8.5pt; }
table.sig { width: 100%; border-collapse: collapse; margin-top: 4mm; text-align: center; }
table.sig td { vertical-align: top; padding: 0; }
.sig .name { font-weight: bold; text-decoration: underline; padding-top: 16mm; }
.sig .nip { font-size: 9pt; }
.foot { position: absolute; left: 16mm; right: 18mm; top: 245mm; height: 40mm; }
.foot .qr { position: absolute; left: 0; top: 0; width: 40mm; height: 40mm; }
.foot .qr svg { width: 40mm; height: 40mm; }
.foot .text { position: absolute; left: 43mm; top: 2mm; font-size: 7.5pt; line-height: 4mm; }
.foot .note { font-size: 8.5pt; font-weight: bold; margin-top: 2mm; }
"""


def svg(s):
    """fast_qr's SVG with its 2-module margin cut off (Bansos's page draws no margin)."""
    s = re.sub(r"<\?xml[^>]*>", "", s)
    m = re.search(r'viewBox="0 0 (\d+) (\d+)"', s)
    if m:
        n = int(m.group(1))
        s = s.replace(m.group(0), f'viewBox="2 2 {n - 4} {n - 4}"')
    return s


def rows(rs):
    return '<table class="rows">' + "".join(
        f'<tr><td style="width:4mm"></td><td style="width:40mm">{e(r["label"])}</td>'
        f'<td style="width:3mm">:</td><td style="width:127mm">{e(r["value"])}</td></tr>'
        for r in rs) + "</table>"


def page(p):
    people = [p["receiver"], p["head"], p["giver"]]
    mark = f'<div class="mark">{e(p["mark"])}</div>' if p["mark"] else ""
    items = "".join(
        f'<tr><td>{i + 1}</td><td>{e(it["name"])}</td><td class="q">{e(it["quantity"])}</td>'
        f'<td>{e(it["unit"])}</td><td class="s">{e(it["source"])}</td></tr>'
        for i, it in enumerate(p["items"]))
    note = f'<div class="note">{e(p["mark_note"])}</div>' if p["mark_note"] else ""
    return f"""<div class="page">
<div class="lh">{"".join(f"<div>{e(l)}</div>" for l in p["letterhead"])}</div>
<div class="rule"></div>
<div class="title"><h1>{e(p["title"])}</h1><div>{e(p["number"])}</div>{mark}</div>
<p class="gap">{e(p["opening"])}</p>
{rows(p["first_party"])}<p>{e(p["first_party_note"])}</p>
{rows(p["second_party"])}<p>{e(p["second_party_note"])}</p>
<p class="gap">{e(p["handover_sentence"])}</p>
<table class="items"><tr><th style="width:10mm">No</th><th style="width:68mm">Nama barang</th>
<th style="width:26mm">Jumlah</th><th style="width:20mm">Satuan</th><th>Sumber dana</th></tr>
{items}</table>
<p>{e(p["statement"])}</p>
<table class="sig"><col style="width:44mm"><col style="width:86mm"><col style="width:44mm">
<tr><td></td><td></td><td>{e(p["place_date"])}</td></tr>
<tr>{"".join(f'<td>{e(s["caption"])}</td>' for s in people)}</tr>
<tr>{"".join(f'<td><b>{e(s["role"])}</b></td>' for s in people)}</tr>
<tr>{"".join(f'<td class="name">{e(s["name"])}</td>' for s in people)}</tr>
<tr>{"".join(f'<td class="nip">{e(s["nip"])}</td>' for s in people)}</tr></table>
<div class="foot"><div class="qr">{svg(p["qr_svg"])}</div>
<div class="text">{"<br>".join(e(l) for l in p["footer"])}{note}</div></div>
</div>"""


def html(papers, title):
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{e(title)}</title>'
            f"<style>{CSS}</style></head><body>" + "".join(page(p) for p in papers)
            + "</body></html>")


ARGS = ["wkhtmltopdf", "-q", "--page-size", "A4", "-T", "0", "-B", "0", "-L", "0", "-R", "0",
        "--disable-smart-shrinking", "--encoding", "utf-8"]


def run(src, dst):
    t = time.perf_counter()
    subprocess.run(ARGS + [src, dst], check=True, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1e3


def pct(v, q):
    v = sorted(v)
    return v[max(1, min(len(v), math.ceil(q * len(v)))) - 1]


def main():
    out, runs, pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    one = json.load(open(os.path.join(out, "receipt.json")))
    papers = json.load(open(os.path.join(out, "papers.json")))
    papers = [papers[i % len(papers)] for i in range(pages)]
    one_html, big_html = os.path.join(out, "one.html"), os.path.join(out, "big.html")
    open(one_html, "w").write(html([one], "BAST " + one["number"]))
    open(big_html, "w").write(html(papers, "BAST kegiatan"))
    dst = os.path.join(out, "wkhtmltopdf-one.pdf")
    run(one_html, dst)  # warm-up: page cache, fontconfig cache
    ms = [run(one_html, dst) for _ in range(runs)]
    print(json.dumps({"tool": "wkhtmltopdf", "what": "one", "runs": runs, "p50": pct(ms, .5),
                      "p95": pct(ms, .95), "max": max(ms), "bytes": os.path.getsize(dst)}),
          flush=True)
    dst = os.path.join(out, "wkhtmltopdf-500.pdf")
    ms = run(big_html, dst)
    print(json.dumps({"tool": "wkhtmltopdf", "what": "big", "receipts": len(papers), "ms": ms,
                      "bytes": os.path.getsize(dst)}), flush=True)


if __name__ == "__main__":
    main()
