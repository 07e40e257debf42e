#!/usr/bin/env bash
# The HTML report against its budget: size of the page, time for `ploeg
# report` to write it, and time for headless Chromium to load it and build
# the DOM (median of 3; Chromium's start-up on a blank page is shown apart).
#
#   bash benches/report.sh                          # demo and 1,000 people
#   SCREENSHOT=docs/report.png bash benches/report.sh   # also the docs image
#
# Budget: the demo report ≤ 1 MB and rendered by Chromium in ≤ 2 s (net_s:
# the load minus Chromium's start-up on a blank page; chromium_s is the whole
# run); 1,000 people ≤ 5 MB. Exits 1 when a figure is over budget. Needs chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
CHROMIUM=${PLOEG_CHROMIUM:-$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)}
if [ -z "$CHROMIUM" ]; then
  echo "chromium not found: apt-get install -y chromium, or set PLOEG_CHROMIUM" >&2
  exit 1
fi
cargo build --release --quiet
BIN=target/release/ploeg
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BIN" solve data/demo --heuristic-only --out "$WORK/demo" >/dev/null
"$BIN" generate --people 1000 --municipalities 17 --seed 1 --out "$WORK/g1000" >/dev/null
"$BIN" solve "$WORK/g1000" --heuristic-only --out "$WORK/out1000" >/dev/null
printf '<!DOCTYPE html><html><body>blank</body></html>' >"$WORK/blank.html"

python3 - "$BIN" "$CHROMIUM" "$WORK" "${SCREENSHOT:-}" <<'PY'
import os, shutil, statistics, subprocess, sys, tempfile, time
bin_, chromium, work, screenshot = sys.argv[1:]
flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

def chrome(args):
    with tempfile.TemporaryDirectory() as profile:
        t = time.time()
        r = subprocess.run([chromium, *flags, f"--user-data-dir={profile}", *args],
                           capture_output=True, text=True, timeout=120)
        if r.returncode != 0:
            sys.exit(r.stderr)
        return time.time() - t, r.stdout

def load(path):
    runs = [chrome(["--dump-dom", f"file://{path}"]) for _ in range(3)]
    return statistics.median(t for t, _ in runs), runs[0][1]

blank, _ = load(f"{work}/blank.html")
print(f"chromium start-up (blank page): {blank:.2f} s")
print(f"{'report':<28} {'bytes':>10} {'write_s':>8} {'chromium_s':>11} {'net_s':>6} {'svg':>5}  budget")
over = False
for name, out, max_bytes, max_s in [("demo (60 people)", "demo", 1_000_000, 2.0),
                                    ("generated 1,000 people", "out1000", 5_000_000, None)]:
    page = f"{work}/{out}/report.html"
    t = time.time()
    r = subprocess.run([bin_, "report", f"{work}/{out}", "--output", page, "--json"],
                       capture_output=True, text=True)
    write_s = time.time() - t
    if r.returncode != 0:
        sys.exit(r.stderr)
    size = os.path.getsize(page)
    secs, dom = load(page)
    ok = size <= max_bytes and (max_s is None or secs - blank <= max_s)
    over |= not ok
    budget = f"≤ {max_bytes / 1e6:.0f} MB" + (f", ≤ {max_s:.0f} s" if max_s else "")
    print(f"{name:<28} {size:>10} {write_s:>8.2f} {secs:>11.2f} {secs - blank:>6.2f} "
          f"{dom.count('<svg'):>5}  {budget} {'ok' if ok else 'OVER'}")
    if screenshot and out == "demo":
        chrome(["--hide-scrollbars", "--window-size=1000,1250", f"--screenshot={screenshot}",
                f"file://{page}"])
        if shutil.which("pngquant"):  # a quarter of the size, same look
            subprocess.run(["pngquant", "--quality", "60-85", "--speed", "1", "--force",
                            "--output", screenshot, screenshot], check=True)
        print(f"screenshot: {screenshot} ({os.path.getsize(screenshot)} bytes)")
sys.exit(1 if over else 0)
PY
