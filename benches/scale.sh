#!/usr/bin/env bash
# Runs `ploeg solve` once per generated scenario size and prints wall time,
# peak memory (max RSS), status, gap and the main objective components.
#
#   bash benches/scale.sh                 # default build (pure Rust)
#   FEATURES=highs bash benches/scale.sh  # with HiGHS
#   SIZES="60:3 200:5 1000:17" TIME_LIMIT=60 bash benches/scale.sh
#   PLOEG=path/to/ploeg bash benches/scale.sh  # a binary already built
#
# Sizes are PEOPLE:MUNICIPALITIES; the seed is 1 unless SEED is set.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"60:3 200:5 1000:17"}
TIME_LIMIT=${TIME_LIMIT:-60}
SEED=${SEED:-1}
FEATURES=${FEATURES:-}
if [ -n "${PLOEG:-}" ]; then
  BIN=$PLOEG
else
  if [ -n "$FEATURES" ]; then
    cargo build --release --quiet --features "$FEATURES"
  else
    cargo build --release --quiet
  fi
  BIN=target/release/ploeg
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
printf '%-8s %-5s %-9s %-10s %8s %10s %9s %10s %8s %9s\n' people munic binaries status seconds peak_MiB gap unfilled_h slots balance
for size in $SIZES; do
  people=${size%%:*}
  munic=${size##*:}
  dir="$WORK/s-$people"
  "$BIN" generate --people "$people" --municipalities "$munic" --seed "$SEED" --out "$dir" >/dev/null
  # Python's resource module reads the child's peak resident memory.
  python3 - "$BIN" "$dir" "$WORK/out-$people" "$TIME_LIMIT" "$munic" <<'PY'
import json, resource, subprocess, sys, time
bin_, dir_, out, limit, munic = sys.argv[1:]
t = time.time()
r = subprocess.run([bin_, "solve", dir_, "--out", out, "--time-limit", limit, "--json"], capture_output=True, text=True)
wall = time.time() - t
if r.returncode != 0:
    sys.exit(r.stderr)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
s = json.loads(r.stdout)
gap = "-" if s["gap"] is None else f"{100 * s['gap']:.2f}%"
print(f"{s['people']:<8} {munic:<5} {s['binaries']:<9} {s['status']:<10} {wall:8.2f} {peak:10.1f} {gap:>9} {s['unfilled_hours']:10.1f} {s['slots_filled']:>4}/{s['slots_total']:<4} {s['balance']:8.3f}")
PY
done
