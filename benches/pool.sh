#!/usr/bin/env bash
# Runs `ploeg pool` (all four modes) on a generated scenario and prints the
# wall time, peak memory (max RSS) and, per mode, status, gap and unfilled
# required hours.
#
#   bash benches/pool.sh                          # default build, 1000 people, 17 municipalities
#   FEATURES=highs bash benches/pool.sh           # with HiGHS
#   PEOPLE=200 MUNICIPALITIES=5 TIME_LIMIT=30 bash benches/pool.sh
#
# TIME_LIMIT is per mode (the modes run in parallel); the seed is 1 unless
# SEED is set.
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${PEOPLE:-1000}
MUNICIPALITIES=${MUNICIPALITIES:-17}
TIME_LIMIT=${TIME_LIMIT:-50}
SEED=${SEED:-1}
FEATURES=${FEATURES:-}
if [ -n "$FEATURES" ]; then
  cargo build --release --quiet --features "$FEATURES"
else
  cargo build --release --quiet
fi
BIN=target/release/ploeg
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$BIN" generate --people "$PEOPLE" --municipalities "$MUNICIPALITIES" --seed "$SEED" --out "$WORK/s" >/dev/null
python3 - "$BIN" "$WORK/s" "$WORK/out" "$TIME_LIMIT" <<'PY'
import json, resource, subprocess, sys, time
bin_, dir_, out, limit = sys.argv[1:]
t = time.time()
r = subprocess.run([bin_, "pool", dir_, "--out", out, "--time-limit", limit, "--json"],
                   capture_output=True, text=True)
wall = time.time() - t
if r.returncode != 0:
    sys.exit(r.stderr)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
s = json.loads(r.stdout)
print(f"all modes: {wall:.1f} s wall, peak {peak:.0f} MiB")
print(f"{'mode':<12} {'status':<11} {'seconds':>8} {'gap':>8} {'unfilled_req':>12} {'stalled':>8} {'balance':>8} {'pooled_h':>9}")
for m in s["modes"]:
    gap = "-" if m["gap"] is None else f"{100*m['gap']:.2f}%"
    print(f"{m['mode']:<12} {m['status']:<11} {m['seconds']:>8.1f} {gap:>8} {m['unfilled_required_hours']:>12.0f} "
          f"{m['stalled_projects']:>8} {m['balance']:>8.3f} {m['hours_pooled']:>9.0f}")
for line in s["verdict"]:
    print("  " + line)
PY
