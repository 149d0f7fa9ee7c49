#!/usr/bin/env bash
# The BAST receipt PDF against its peers in the same run (SPEC §3: one receipt under 5 ms and
# 35 KB, an event's 500 receipts in one PDF under 1 s; issue 15): Bansos (in-process, release
# build), ReportLab 3.6 (platypus, in-process) and wkhtmltopdf 0.12.6 (a process per PDF), all
# drawing the same words — those of receipts from a throw-away demo facility — on one A4 page each.
# Not part of the test run.
#
#   scripts/bench-receipt.sh [OUTDIR]      # default OUTDIR: target/bench-receipt
#
# Environment: RUNS (one receipt, Bansos and ReportLab; 100), WK_RUNS (one receipt, wkhtmltopdf;
# 20), PAGES (the big document; 500), FAMILIES (demo size; 850 gives one event of ~530 hand-overs),
# PROFILE (release or dev; release). Needs: apt-get install python3-reportlab wkhtmltopdf
# poppler-utils (Debian 12; run with Debian's /usr/bin/python3, whatever python3 is on PATH).
# OUTDIR keeps each tool's PDFs (-one, -500), their first pages as PNG (pdftoppm -r 60), the
# words they were given (receipt.json, papers.json) and the raw results (results.jsonl).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$HOME/.cargo/bin:$PATH
RUNS=${RUNS:-100} WK_RUNS=${WK_RUNS:-20} PAGES=${PAGES:-500} FAMILIES=${FAMILIES:-850}
PROFILE=${PROFILE:-release}
PY=/usr/bin/python3
out=$(realpath -m "${1:-target/bench-receipt}")
for t in wkhtmltopdf pdftoppm pdfinfo; do
  command -v $t >/dev/null || { echo "missing $t: apt-get install wkhtmltopdf poppler-utils" >&2; exit 1; }
done
$PY -c 'import reportlab' 2>/dev/null || { echo "missing ReportLab: apt-get install python3-reportlab" >&2; exit 1; }

dir=$([ "$PROFILE" = dev ] && echo debug || echo "$PROFILE")
cargo build --profile "$PROFILE" --bin bansos --example bench_receipt
bin=target/$dir
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
rm -f "$out"/*.pdf "$out"/*.png "$out"/results.jsonl

load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "demo facility: $FAMILIES families, one month…" >&2
"$bin/bansos" --db "$tmp/bansos.db" demo --families "$FAMILIES" --months 1 >/dev/null
echo "Bansos…" >&2
"$bin/examples/bench_receipt" "$tmp/bansos.db" "$out" "$RUNS" "$PAGES" >/dev/null
echo "ReportLab…" >&2
$PY scripts/bench-receipt/reportlab_bast.py "$out" "$RUNS" "$PAGES" >>"$out/results.jsonl"
echo "wkhtmltopdf…" >&2
$PY scripts/bench-receipt/html_bast.py "$out" "$WK_RUNS" "$PAGES" >>"$out/results.jsonl"

for t in bansos reportlab wkhtmltopdf; do
  pdftoppm -png -r 60 -f 1 -l 1 "$out/$t-one.pdf" "$out/$t-one"
  pdftoppm -png -r 60 -f 1 -l 1 "$out/$t-500.pdf" "$out/$t-500-p1"
  echo "$t-500.pdf: $(pdfinfo "$out/$t-500.pdf" | awk '/^Pages:/{print $2}') pages" >>"$out/pages.txt"
done

$PY - "$out" "$bin/bansos" "$PROFILE" "$load" <<'PY'
import json, os, platform, subprocess, sys
out, bansos, profile, load = sys.argv[1:5]
r = {}
for line in open(os.path.join(out, "results.jsonl")):
    v = json.loads(line)
    r[(v["tool"], v["what"])] = v
pages = dict(l.split(": ") for l in open(os.path.join(out, "pages.txt")).read().split("\n") if l)
os.remove(os.path.join(out, "pages.txt"))

def cmd(*a):
    return subprocess.run(a, capture_output=True, text=True).stdout.strip().splitlines()[0]

cpu = next(l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name"))
mem = next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))
import reportlab
print(f"machine: {os.cpu_count()} CPUs, {cpu}, {int(mem) / 1048576:.1f} GiB memory, "
      f"{platform.system()} {platform.release()}")
print(f"versions: {cmd(bansos, '--version')} ({cmd('rustc', '--version')}), "
      f"ReportLab {reportlab.Version} (Python {platform.python_version()}, C accelerator), "
      f"{cmd('wkhtmltopdf', '--version')} (Debian, unpatched Qt 5.15 / QtWebKit 5.212)")
print(f"Bansos build profile: {profile}; load average before the run: {load}")
print()
head = f"{'tool':<40} {'runs':>4} {'1 p50 ms':>9} {'1 p95 ms':>9} {'1 max ms':>9} {'1 KB':>6}   " \
       f"{'N':>4} {'N-page ms':>10} {'N-page MB':>10}"
print(head)
print("-" * len(head))
rows = [("Bansos pdf::bast::render (in-process)", ("bansos", "one"), ("bansos", "big")),
        ("ReportLab platypus (in-process)", ("reportlab", "one"), ("reportlab", "big")),
        ("wkhtmltopdf (a process per PDF)", ("wkhtmltopdf", "one"), ("wkhtmltopdf", "big")),
        ("Bansos App::receipt_pdf / event (DB)", ("bansos", "use-case"), ("bansos", "event"))]
for name, o, b in rows:
    o, b = r[o], r[b]
    print(f"{name:<40} {o['runs']:>4} {o['p50']:>9.2f} {o['p95']:>9.2f} {o['max']:>9.2f} "
          f"{o['bytes'] / 1024:>6.1f}   {b['receipts']:>4} {b['ms']:>10.0f} {b['bytes'] / 1048576:>10.2f}")
print()
big = r[("bansos", "big")]
print("pages in each N-page PDF:", ", ".join(f"{k} {v}" for k, v in pages.items()),
      f"({big['distinct']} distinct receipts of the demo"
      + (", cycled)" if big["distinct"] < big["receipts"] else ")"))
print(f"""
What the numbers include:
- 1 = one receipt to PDF bytes, N = {r[('bansos', 'big')]['receipts']} receipts, one a page, in one PDF (timed once, after the
  one-receipt runs warmed the tool up). KB/MB: 1024-based sizes of the files written.
- Bansos render: layout + fitting + printpdf serialisation from a composed BastPaper (QR modules
  already encoded, the pre-subset Noto Sans embedded whole, bold = stroked regular).
- ReportLab: platypus story + doc.build into memory, from the same words; the QR is encoded
  by ReportLab's pure-Python encoder during each build ({r[('reportlab', 'one')]['qr_p50']:.1f} ms
  p50 of the one receipt's time) and drawn as vector rectangles; Noto Sans Regular and Bold
  (Debian's full TTFs, registered once) subset per document.
- wkhtmltopdf: wall time of `wkhtmltopdf page.html out.pdf`, process start (Qt, WebKit,
  fontconfig) and file write included; the HTML (with the QR SVG Bansos made) written before,
  untimed; Noto Sans Regular and Bold picked by fontconfig.
- Bansos App row: the use case as the window calls it — hand-over read from the encrypted store,
  the print recorded with an audit entry (one committed transaction), paper composed with its
  QR code, rendered. N there = the demo's largest event, all of its receipts
  (App::event_receipts_pdf), however many that is.""")
PY
echo "PDFs and page images in $out" >&2
