#!/usr/bin/env bash
# Compares ploeg's stage-1 result ("unfilled") with HiGHS (highspy) and
# OR-Tools CP-SAT solving the very model ploeg exports for that stage.
#
# Usage:
#   bash benches/compare/run.sh [--out FILE]
#   PEOPLE=200 MUNICIPALITIES=5 TIME_LIMIT=20 bash benches/compare/run.sh
#   PLOEG=target/release/ploeg bash benches/compare/run.sh   # skip the build
#
# Environment:
#   PEOPLE, MUNICIPALITIES, SEED  the generated scenario (default 1000, 17, 1)
#   TIME_LIMIT  seconds for ploeg's solve (all stages) and for each solver
#               run (default 60)
#   PLOEG       a ploeg binary built with `--features highs`; when unset the
#               script runs `cargo build --release --features highs` and uses
#               target/release/ploeg (or $CARGO_TARGET_DIR/release/ploeg)
#   OUT         the results file (default
#               target/compare/results-<PEOPLE>p-<MUNICIPALITIES>m-s<SEED>.json);
#               --out FILE does the same
#   VENV        the Python virtual environment (default target/compare-venv);
#               it is created on first use and the pinned packages of
#               benches/compare/requirements.txt installed (needs network)
#   PYTHON      the Python that creates the environment (default python3)
#   KEEP=1      keep the temporary folder (scenario, plan, models, logs)
#
# Steps: generate the scenario; run `ploeg solve --json --export-model` as a
# child process recording its wall time and peak memory; then solve the
# exported stage-1 model with highspy, CP-SAT with 2 workers and CP-SAT with
# its default workers, each in a process of its own so peak memory (maximum
# resident set size) is per solver.
#
# Prints (stdout): one markdown table — solver | status | objective | bound |
# gap | time to ploeg's objective | wall s | peak MiB — the ratios of ploeg's
# time to each solver's, notes on how to read them, the machine (nproc, CPU,
# memory) and the versions. Progress goes to stderr. The same table and the
# raw figures are written as JSON to the results file.
#
# Exits non-zero, with a message on stderr, when any step fails.
set -euo pipefail

usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }
die() {
  echo "compare: error: $*" >&2
  exit 1
}
absolute() { case "$1" in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

out=${OUT:-}
while [ $# -gt 0 ]; do
  case "$1" in
    --out)
      [ $# -ge 2 ] || die "--out needs a file name"
      out=$2
      shift 2
      ;;
    --out=*)
      out=${1#--out=}
      shift
      ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) die "unknown argument '$1' (see --help)" ;;
  esac
done

PEOPLE=${PEOPLE:-1000}
MUNICIPALITIES=${MUNICIPALITIES:-17}
SEED=${SEED:-1}
TIME_LIMIT=${TIME_LIMIT:-60}
PYTHON=${PYTHON:-python3}
for v in PEOPLE MUNICIPALITIES SEED; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, not '${!v}'"
done
[[ $TIME_LIMIT =~ ^[0-9]+([.][0-9]+)?$ ]] || die "TIME_LIMIT must be a number of seconds, not '$TIME_LIMIT'"

# Paths given relative to where the script was started from.
[ -n "${PLOEG:-}" ] && PLOEG=$(absolute "$PLOEG")
[ -n "$out" ] && out=$(absolute "$out")
[ -n "${VENV:-}" ] && VENV=$(absolute "$VENV")

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
VENV=${VENV:-$PWD/target/compare-venv}
out=${out:-$PWD/target/compare/results-${PEOPLE}p-${MUNICIPALITIES}m-s${SEED}.json}

# The Python environment, made once and reused while requirements.txt is unchanged.
requirements=$here/requirements.txt
[ -f "$requirements" ] || die "missing $requirements"
if [ ! -x "$VENV/bin/python" ]; then
  echo "compare: creating the Python environment in $VENV" >&2
  "$PYTHON" -m venv "$VENV" || die "'$PYTHON -m venv' failed (is the venv module installed?)"
fi
py=$VENV/bin/python
stamp=$VENV/.compare-requirements
if ! cmp -s "$requirements" "$stamp"; then
  echo "compare: installing the packages of $requirements into $VENV" >&2
  "$py" -m pip install --quiet --disable-pip-version-check -r "$requirements" \
    || die "pip could not install the packages of $requirements (the first run needs network access)"
  cp "$requirements" "$stamp"
fi

if [ -z "${PLOEG:-}" ]; then
  echo "compare: building ploeg with --features highs" >&2
  cargo build --release --features highs || die "cargo build --release --features highs failed"
  PLOEG=${CARGO_TARGET_DIR:-target}/release/ploeg
  PLOEG=$(absolute "$PLOEG")
fi
[ -x "$PLOEG" ] || die "no ploeg binary at $PLOEG"

work=$(mktemp -d "${TMPDIR:-/tmp}/ploeg-compare.XXXXXX")
cleanup() {
  if [ "${KEEP:-0}" = 1 ]; then
    echo "compare: kept $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "compare: generating $PEOPLE people, $MUNICIPALITIES municipalities, seed $SEED" >&2
"$PLOEG" generate --people "$PEOPLE" --municipalities "$MUNICIPALITIES" --seed "$SEED" \
  --out "$work/scenario" >"$work/generate.log" 2>&1 \
  || die "ploeg generate failed:$(echo; tail -n 15 "$work/generate.log")"

echo "compare: ploeg solve, time limit $TIME_LIMIT s" >&2
mkdir "$work/model"
model=$work/model/stage.mps
"$py" "$here/compare.py" measure \
  --record "$work/ploeg-run.json" --stdout "$work/summary.json" --log "$work/ploeg.log" \
  --timeout "$(awk -v t="$TIME_LIMIT" 'BEGIN { print 3 * t + 300 }')" \
  -- "$PLOEG" solve "$work/scenario" --out "$work/plan" --json \
  --time-limit "$TIME_LIMIT" --export-model "$model" \
  || die "ploeg solve failed (see above)"
[ -s "$work/summary.json" ] || die "ploeg solve printed no summary"
[ -s "$model" ] || die "ploeg solve wrote no stage-1 model to $model"

"$py" "$here/compare.py" compare \
  --mps "$model" --summary "$work/summary.json" --ploeg-run "$work/ploeg-run.json" \
  --ploeg "$PLOEG" --time-limit "$TIME_LIMIT" --work "$work/solvers" --out "$out" \
  --people "$PEOPLE" --municipalities "$MUNICIPALITIES" --seed "$SEED" \
  || die "the comparison failed (see above)"
