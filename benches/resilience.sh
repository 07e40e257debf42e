#!/usr/bin/env bash
# Times `ploeg resilience`: absence samples on the demo, warm-started from
# the base plan and cold, and N-1 over every person of a generated scenario.
#
#   bash benches/resilience.sh absence          # 1000 samples of data/demo (default build)
#   FEATURES=highs bash benches/resilience.sh n1   # N-1 over 1000 generated people
#
# SAMPLES, PEOPLE, MUNICIPALITIES, SEED and TIME_LIMIT (of the base solve;
# default: the scenario's, 60 s for generated ones) change the sizes;
# PATIENCE sets the re-solves' perturbation rounds and COLD_PATIENCE those
# of the cold runs (default: the same).
set -euo pipefail
cd "$(dirname "$0")/.."
WHAT=${1:-absence}
SAMPLES=${SAMPLES:-1000}
PEOPLE=${PEOPLE:-1000}
MUNICIPALITIES=${MUNICIPALITIES:-17}
SEED=${SEED:-1}
TIME_LIMIT=${TIME_LIMIT:-}
PATIENCE=${PATIENCE:-0}
COLD_PATIENCE=${COLD_PATIENCE:-$PATIENCE}
FEATURES=${FEATURES:-}
if [ -n "$FEATURES" ]; then
  cargo build --release --quiet --features "$FEATURES"
else
  cargo build --release --quiet
fi
BIN=target/release/ploeg
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
run() {
  python3 - "$@" <<'PY'
import json, resource, subprocess, sys, time
label, args = sys.argv[1], sys.argv[2:]
t = time.time()
r = subprocess.run(args + ["--json"], capture_output=True, text=True)
wall = time.time() - t
if r.returncode != 0:
    sys.exit(r.stderr)
s = json.loads(r.stdout)
sec = s["seconds"]
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
line = f"{label:<28} wall {wall:7.1f} s  base {sec['base']:6.1f} s  N-1 {sec['n_minus_one']:7.1f} s  samples {sec['absence']:6.1f} s  peak {peak:5.0f} MiB"
if s["samples"]:
    w, wo = s["absence"]
    line += f"  unfilled mean/p90 with {w['unfilled_required_hours']['mean']:.0f}/{w['unfilled_required_hours']['p90']:.0f}, without {wo['unfilled_required_hours']['mean']:.0f}/{wo['unfilled_required_hours']['p90']:.0f}"
if s["top_key_people"]:
    k = s["top_key_people"][0]
    line += f"  key people {s['key_people']}, top +{k['extra_unfilled_required_hours']:.0f} h"
print(line)
PY
}
case "$WHAT" in
  absence)
    limit=(); [ -n "$TIME_LIMIT" ] && limit=(--time-limit "$TIME_LIMIT")
    run "demo $SAMPLES samples, warm" "$BIN" resilience data/demo --skip-n1 --samples "$SAMPLES" \
      --patience "$PATIENCE" "${limit[@]}"
    run "demo $SAMPLES samples, cold" "$BIN" resilience data/demo --skip-n1 --samples "$SAMPLES" \
      --patience "$COLD_PATIENCE" "${limit[@]}" --cold
    ;;
  n1)
    "$BIN" generate --people "$PEOPLE" --municipalities "$MUNICIPALITIES" --seed "$SEED" --out "$WORK/s" >/dev/null
    run "N-1 $PEOPLE people, warm" "$BIN" resilience "$WORK/s" --samples 0 \
      --patience "$PATIENCE" --time-limit "${TIME_LIMIT:-60}"
    run "N-1 $PEOPLE people, cold" "$BIN" resilience "$WORK/s" --samples 0 \
      --patience "$COLD_PATIENCE" --time-limit "${TIME_LIMIT:-60}" --cold
    ;;
  *) echo "usage: $0 absence|n1" >&2; exit 2 ;;
esac
