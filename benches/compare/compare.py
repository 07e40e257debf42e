#!/usr/bin/env python3
"""Compares ploeg's stage-1 result with HiGHS (highspy) and OR-Tools CP-SAT.

The model compared is the one `ploeg solve --export-model FILE.mps` writes for
stage 1 ("unfilled": minimise priority-weighted unfilled role-hours). Every
solver runs in a child process of its own, so that the peak resident memory
of that child (ru_maxrss, read with os.wait4) belongs to that solver alone.

Subcommands (run.sh calls them; each prints --help):

  measure  run a command as a child; record its wall time, exit code and peak
           memory as JSON
  compare  solve the exported model with every solver, print one markdown
           table and the time ratios, write the table and raw figures as JSON
  solve    (child of `compare`) solve the model with one solver and write a
           JSON record

Objective values are given in ploeg's units: the exported objective omits a
constant, which the second comment line of the MPS file states
("* objective constant C ..."); it is added back everywhere.

Gaps are computed the way ploeg computes them, for every solver alike:
|objective - bound| / max(1, |objective|), in ploeg's units.

Only the Python standard library, numpy, highspy and ortools are used.
"""

import argparse
import importlib.metadata
import json
import math
import os
import platform
import re
import signal
import subprocess
import sys
import time

import numpy as np

# A value counts as reaching ploeg's objective when it is at most this far
# from it (relative, with an absolute floor of this amount).
REACH_TOLERANCE = 1e-6

# The largest power of ten a row or the objective may be scaled by.
MAX_SCALE_DIGITS = 9

# Children get this much time beyond their solver time limit before they are
# killed: reading and translating the model, starting Python.
CHILD_GRACE_FACTOR = 3.0
CHILD_GRACE_SECONDS = 300.0

# The keys also name the solvers in the results file.
SOLVERS = {
    "highs": "highspy",
    "cpsat2": "CP-SAT, 2 workers",
    "cpsat": "CP-SAT, default workers",
}


class Failure(Exception):
    """Something the user must look at; the message says what."""


class NotRepresentable(Exception):
    """The model cannot be given to CP-SAT without changing what it means."""


def note(message):
    print(f"compare: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Child processes with their own peak memory


def run_child(argv, stdout_path, log_path, timeout_s):
    """Runs argv, returns (exit code, wall seconds, peak KiB of that child).

    stdout goes to stdout_path, stderr (and stdout when stdout_path is None)
    to log_path. The child is killed after timeout_s seconds.
    """
    with open(log_path, "w") as log:
        out = open(stdout_path, "w") if stdout_path else log
        try:
            start = time.perf_counter()
            try:
                proc = subprocess.Popen(argv, stdout=out, stderr=log)
            except OSError as e:
                raise Failure(f"cannot start {argv[0]}: {e}") from e
            try:
                while True:
                    pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                    if pid:
                        break
                    if time.perf_counter() - start > timeout_s:
                        proc.kill()
                        os.wait4(proc.pid, 0)
                        proc.returncode = -signal.SIGKILL
                        raise Failure(
                            f"{os.path.basename(argv[0])} still ran after "
                            f"{timeout_s:.0f} s and was stopped"
                        )
                    time.sleep(0.02)
            except BaseException:
                if proc.returncode is None:
                    proc.kill()
                    os.wait4(proc.pid, 0)
                    proc.returncode = -signal.SIGKILL
                raise
            wall = time.perf_counter() - start
        finally:
            if out is not log:
                out.close()
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code  # reaped by os.wait4; tell Popen
    # ru_maxrss is in KiB on Linux.
    return code, wall, usage.ru_maxrss


def log_tail(path, lines=15):
    try:
        with open(path, errors="replace") as f:
            tail = f.read().splitlines()[-lines:]
    except OSError:
        return ""
    return "\n".join("    " + line for line in tail)


def describe_exit(code):
    if code < 0:
        try:
            return f"was killed by signal {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


def cmd_measure(args):
    argv = args.command
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        raise Failure("measure: no command given")
    code, wall, peak_kib = run_child(argv, args.stdout, args.log, args.timeout)
    record = {
        "command": argv,
        "exit_code": code,
        "wall_seconds": wall,
        "peak_kib": peak_kib,
    }
    with open(args.record, "w") as f:
        json.dump(record, f, indent=2)
    if code != 0:
        raise Failure(
            f"{os.path.basename(argv[0])} {describe_exit(code)}; "
            f"last lines of its output:\n{log_tail(args.log)}"
        )


# --------------------------------------------------------------------------
# Reading the model


def objective_constant(path):
    """The constant ploeg left out of the objective, from the header comments."""
    pattern = re.compile(r"^\*\s*objective constant\s+(\S+)")
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.startswith("*"):
                break
            m = pattern.match(line)
            if m:
                try:
                    return float(m.group(1))
                except ValueError as e:
                    raise Failure(f"{path}: unreadable objective constant {m.group(1)!r}") from e
    return None


def read_model(path, log_file):
    """Reads the MPS file with HiGHS; its messages go to log_file."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("log_to_console", False)
    h.setOptionValue("log_file", log_file)
    status = h.readModel(path)
    if status == highspy.HighsStatus.kError:
        raise Failure(f"HiGHS could not read {path}")
    return h, status == highspy.HighsStatus.kWarning


def model_arrays(lp):
    """The model as numpy arrays, the matrix column-wise (CSC)."""
    import highspy

    a = lp.a_matrix_
    if a.format_ != highspy.MatrixFormat.kColwise:
        raise Failure("HiGHS returned a row-wise matrix; expected column-wise")
    n = lp.num_col_
    integrality = list(lp.integrality_)
    if integrality:
        kinds = np.array([int(t) for t in integrality], dtype=np.int64)
    else:
        kinds = np.zeros(n, dtype=np.int64)
    return {
        "n": n,
        "m": lp.num_row_,
        "start": np.asarray(a.start_, dtype=np.int64),
        "index": np.asarray(a.index_, dtype=np.int64),
        "value": np.asarray(a.value_, dtype=np.float64),
        "cost": np.asarray(lp.col_cost_, dtype=np.float64),
        "col_lower": np.asarray(lp.col_lower_, dtype=np.float64),
        "col_upper": np.asarray(lp.col_upper_, dtype=np.float64),
        "row_lower": np.asarray(lp.row_lower_, dtype=np.float64),
        "row_upper": np.asarray(lp.row_upper_, dtype=np.float64),
        "kind": kinds,
        "offset": float(lp.offset_),
        "minimise": lp.sense_ == highspy.ObjSense.kMinimize,
        "col_names": list(lp.col_names_),
    }


def model_stats(arrays):
    kind = arrays["kind"]
    return {
        "columns": arrays["n"],
        "rows": arrays["m"],
        "nonzeros": int(len(arrays["value"])),
        "integer_columns": int(np.count_nonzero(kind == 1)),
        "continuous_columns": int(np.count_nonzero(kind == 0)),
        "sense": "minimise" if arrays["minimise"] else "maximise",
        "offset_in_file": arrays["offset"],
    }


# --------------------------------------------------------------------------
# The CP-SAT translation


def is_integral(x):
    return np.abs(x - np.round(x)) <= 1e-9 * np.maximum(1.0, np.abs(x))


def scale_digits(values):
    """Per value, the smallest power of ten that makes it an integer (-1: none)."""
    digits = np.full(len(values), -1, dtype=np.int64)
    for p in range(MAX_SCALE_DIGITS, -1, -1):
        digits[is_integral(values * 10.0**p)] = p
    return digits


def translate(arrays):
    """Builds a CP-SAT model from the matrix HiGHS read.

    CP-SAT only knows integer variables and integer coefficients, so:

    * A row with a fractional coefficient is multiplied by the smallest power
      of ten that makes its coefficients integers; so is the objective. Once
      every variable and coefficient is an integer, a fractional row bound is
      rounded inwards, which removes no integer solution.

    * A continuous column with no matrix entry and no cost (a variable of a
      later stage that stage 1 does not use) is left out.

    * Any other continuous column becomes an integer column only when that
      provably keeps the optimum. In ploeg's stage 1 these are the busy[...]
      columns, bounded [0, 1], that appear as `x - busy <= 0` (busy is at
      least each linked binary x) and in `sum busy <= k`, with no cost.
      Given integer x, lowering busy to the smallest value its linking rows
      allow, max(0, the linked x), gives an integer no larger than before:
      the linking rows still hold, `sum busy <= k` only gets slacker, and the
      objective does not change. So every solution of the original model
      has an equally good one with integer busy, and the optimum is the
      same. (Rounding busy *up* would not be safe: it can break
      `sum busy <= k`.)

      In general: a column may be lowered when its cost does not favour it
      being larger, and every row that lowering it could break is a linking
      row: one finite side with an integer bound, the column's coefficient
      +1 or -1, every other entry an integer coefficient on an integer
      column. The mirror case (raising) is accepted the same way. Anything
      else is reported as not representable rather than silently changed.
    """
    from ortools.sat.python import cp_model

    n, m = arrays["n"], arrays["m"]
    start, index, value = arrays["start"], arrays["index"], arrays["value"]
    cost, kind = arrays["cost"], arrays["kind"]
    col_lower, col_upper = arrays["col_lower"], arrays["col_upper"]
    row_lower, row_upper = arrays["row_lower"], arrays["row_upper"]
    names = arrays["col_names"]

    def name(j):
        return names[j] if j < len(names) else f"column {j}"

    if np.any((kind != 0) & (kind != 1)):
        j = int(np.flatnonzero((kind != 0) & (kind != 1))[0])
        raise NotRepresentable(f"{name(j)} is semi-continuous or semi-integer")

    entry_col = np.repeat(np.arange(n), np.diff(start))
    entry_row = index
    per_col_nnz = np.diff(start)
    continuous = kind == 0
    # Objective in minimisation form: lowering a column with cost >= 0 never hurts.
    min_cost = cost if arrays["minimise"] else -cost

    # Per row: how many continuous entries, and whether all coefficients are integers.
    cont_entries = np.bincount(entry_row, weights=continuous[entry_col], minlength=m)
    row_fractional = np.bincount(entry_row, weights=~is_integral(value), minlength=m)
    row_lower_finite = np.isfinite(row_lower)
    row_upper_finite = np.isfinite(row_upper)

    def link_row(i, a):
        """Is row i a linking row for a continuous column with coefficient a?"""
        if abs(abs(a) - 1.0) > 1e-12 or cont_entries[i] != 1 or row_fractional[i] != 0:
            return False
        if row_lower_finite[i] == row_upper_finite[i]:
            return False
        bound = row_upper[i] if row_upper_finite[i] else row_lower[i]
        return bool(is_integral(np.array([bound]))[0])

    def may_move(j, down):
        """Can column j always be moved (down or up) to an integer value?"""
        if (min_cost[j] < 0) if down else (min_cost[j] > 0):
            return False
        for e in range(start[j], start[j + 1]):
            i, a = index[e], value[e]
            towards_upper = (a < 0) if down else (a > 0)
            harmful = row_upper_finite[i] if towards_upper else row_lower_finite[i]
            if harmful and not link_row(i, a):
                return False
        return True

    dropped = np.zeros(n, dtype=bool)
    lowered, raised = [], []
    for j in np.flatnonzero(continuous):
        if per_col_nnz[j] == 0 and cost[j] == 0:
            dropped[j] = True
            continue
        lo, up = col_lower[j], col_upper[j]
        if not (np.isfinite(lo) and np.isfinite(up)):
            raise NotRepresentable(f"continuous column {name(j)} has an infinite bound")
        if not is_integral(np.array([lo, up])).all():
            raise NotRepresentable(f"continuous column {name(j)} has a fractional bound")
        if may_move(j, down=True):
            lowered.append(int(j))
        elif may_move(j, down=False):
            raised.append(int(j))
        else:
            raise NotRepresentable(
                f"continuous column {name(j)} cannot be made integer without "
                "possibly changing the optimum"
            )

    # Scaling rows (and the objective) to integer coefficients.
    entry_digits = scale_digits(value)
    if np.any(entry_digits < 0):
        e = int(np.flatnonzero(entry_digits < 0)[0])
        raise NotRepresentable(
            f"coefficient {value[e]!r} of {name(entry_col[e])} needs more than "
            f"{MAX_SCALE_DIGITS} decimals"
        )
    row_digits = np.zeros(m, dtype=np.int64)
    np.maximum.at(row_digits, entry_row, entry_digits)
    used = ~dropped
    cost_digits = scale_digits(cost[used])
    if np.any(cost_digits < 0):
        raise NotRepresentable(f"an objective coefficient needs more than {MAX_SCALE_DIGITS} decimals")
    obj_digits = int(cost_digits.max()) if len(cost_digits) else 0
    obj_scale = 10**obj_digits

    model = cp_model.CpModel()
    variables = [None] * n
    for j in np.flatnonzero(used):
        if not (np.isfinite(col_lower[j]) and np.isfinite(col_upper[j])):
            raise NotRepresentable(f"integer column {name(j)} has an infinite bound")
        lo, up = math.ceil(col_lower[j] - 1e-9), math.floor(col_upper[j] + 1e-9)
        if lo > up:
            raise NotRepresentable(f"integer column {name(j)} has no integer value within its bounds")
        variables[j] = model.new_int_var(lo, up, "")

    limit = 2.0**62
    order = np.argsort(entry_row, kind="stable")
    row_start = np.searchsorted(entry_row[order], np.arange(m + 1))
    rounded_bounds = 0
    empty_rows = 0
    for i in range(m):
        entries = order[row_start[i] : row_start[i + 1]]
        lo, up = row_lower[i], row_upper[i]
        if not (np.isfinite(lo) or np.isfinite(up)):
            continue
        if len(entries) == 0:
            empty_rows += 1
            if (np.isfinite(lo) and lo > 1e-9) or (np.isfinite(up) and up < -1e-9):
                raise NotRepresentable(f"row {i} has no entries and cannot be met")
            continue
        factor = 10.0 ** int(row_digits[i])
        coefs = np.round(value[entries] * factor)
        if np.any(np.abs(coefs) > limit):
            raise NotRepresentable(f"row {i} has coefficients too large for 64-bit integers")
        lb, ub = cp_model.INT_MIN, cp_model.INT_MAX
        if np.isfinite(lo):
            lb = math.ceil(lo * factor - 1e-9)
            rounded_bounds += not is_integral(np.array([lo * factor]))[0]
        if np.isfinite(up):
            ub = math.floor(up * factor + 1e-9)
            rounded_bounds += not is_integral(np.array([up * factor]))[0]
        expr = cp_model.LinearExpr.weighted_sum(
            [variables[j] for j in entry_col[entries]], [int(c) for c in coefs]
        )
        model.add_linear_constraint(expr, lb, ub)

    obj_cols = [int(j) for j in np.flatnonzero(used & (cost != 0))]
    obj_coefs = [int(round(cost[j] * obj_scale)) for j in obj_cols]
    objective = cp_model.LinearExpr.weighted_sum([variables[j] for j in obj_cols], obj_coefs)
    if arrays["minimise"]:
        model.minimize(objective)
    else:
        model.maximize(objective)

    invalid = model.validate()
    if invalid:
        raise NotRepresentable(f"CP-SAT rejects the translated model: {invalid}")

    scaled_rows = int(np.count_nonzero(row_digits > 0))
    notes = []
    if scaled_rows:
        notes.append(
            f"{scaled_rows} rows had fractional coefficients and were scaled by up to "
            f"10^{int(row_digits.max())}"
        )
    if obj_digits:
        notes.append(f"objective coefficients were fractional and scaled by 10^{obj_digits}")
    if not scaled_rows and not obj_digits:
        notes.append("all coefficients are integers; nothing was scaled")
    if rounded_bounds:
        notes.append(f"{rounded_bounds} fractional row bounds were rounded inwards")
    families = {}
    for j in lowered + raised:
        family = name(j).split("[", 1)[0] + "[…]"
        families[family] = families.get(family, 0) + 1
    if lowered or raised:
        listed = ", ".join(f"{count} {family}" for family, count in sorted(families.items()))
        notes.append(
            f"{len(lowered) + len(raised)} continuous columns made integer ({listed}; "
            "each can always be moved to an integer value without loss)"
        )
    if dropped.any():
        notes.append(f"{int(dropped.sum())} continuous columns without entries or cost left out")
    if empty_rows:
        notes.append(f"{empty_rows} rows without entries left out")
    return model, obj_scale, notes, {
        "continuous_made_integer": families,
        "continuous_lowered": len(lowered),
        "continuous_raised": len(raised),
        "continuous_left_out": int(dropped.sum()),
        "rows_scaled": scaled_rows,
        "objective_scale": obj_scale,
        "row_bounds_rounded": int(rounded_bounds),
    }


# --------------------------------------------------------------------------
# One solver, in a child process


class Progress:
    """Incumbents as they improve, and when ploeg's objective was reached."""

    def __init__(self, target, minimise):
        self.target = target
        self.minimise = minimise
        self.improvements = []
        self.reached_at = None

    def record(self, seconds, objective):
        self.improvements.append([seconds, objective])
        if self.reached_at is None and reaches(objective, self.target, self.minimise):
            self.reached_at = seconds


def reaches(objective, target, minimise):
    if objective is None or target is None or not math.isfinite(objective):
        return False
    tol = REACH_TOLERANCE * max(1.0, abs(target))
    return objective <= target + tol if minimise else objective >= target - tol


def solve_highs(args, arrays, h, record):
    import highspy

    # HiGHS's objective values include the file's own offset, if any; only
    # ploeg's constant is added.
    constant = args.constant
    progress = Progress(args.target, arrays["minimise"])
    cost = arrays["cost"]

    def improving(event):
        # running_time is HiGHS's clock, started by run().
        out = event.data_out
        solution = np.asarray(out.mip_solution)
        if len(solution) == len(cost):
            value = float(cost @ solution) + arrays["offset"]
        else:
            value = float(out.objective_function_value)
        progress.record(float(out.running_time), value + constant)

    h.setOptionValue("time_limit", float(args.time_limit))
    h.cbMipImprovingSolution.subscribe(improving)
    start = time.perf_counter()
    run_status = h.run()
    wall = time.perf_counter() - start
    if run_status == highspy.HighsStatus.kError:
        raise Failure("HiGHS returned an error status from run()")

    info = h.getInfo()
    status = h.getModelStatus()
    has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
    objective = info.objective_function_value + constant if has_solution else None
    bound = info.mip_dual_bound + constant if math.isfinite(info.mip_dual_bound) else None
    mapped = {
        highspy.HighsModelStatus.kOptimal: "optimal",
        highspy.HighsModelStatus.kTimeLimit: "time_limit",
        highspy.HighsModelStatus.kInfeasible: "infeasible",
    }.get(status, h.modelStatusToString(status))
    record.update(
        status=mapped,
        solver_status=h.modelStatusToString(status),
        objective=objective,
        bound=bound,
        native_gap=info.mip_gap if math.isfinite(info.mip_gap) else None,
        wall_seconds=wall,
        reached_at=progress.reached_at,
        improvements=progress.improvements,
        threads_option=option_value(h, "threads"),
        mip_rel_gap_option=option_value(h, "mip_rel_gap"),
        nodes=int(info.mip_node_count),
    )


def option_value(h, name):
    value = h.getOptionValue(name)
    # highspy returns (status, value) for some option types.
    return value[1] if isinstance(value, tuple) else value


def solve_cpsat(args, arrays, record):
    from ortools.sat.python import cp_model

    started = time.perf_counter()
    try:
        model, obj_scale, notes, details = translate(arrays)
    except NotRepresentable as e:
        record.update(status="not representable", reason=str(e))
        return
    record.update(
        translation=notes,
        translation_details=details,
        translate_seconds=time.perf_counter() - started,
    )
    def to_ploeg(value):
        """A CP-SAT objective value (scaled, no constant) in ploeg's units."""
        return value / obj_scale + arrays["offset"] + args.constant

    progress = Progress(args.target, arrays["minimise"])

    class Incumbents(cp_model.CpSolverSolutionCallback):
        def __init__(self):
            super().__init__()

        def on_solution_callback(self):
            progress.record(self.WallTime(), to_ploeg(self.ObjectiveValue()))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = float(args.time_limit)
    solver.parameters.num_workers = args.workers  # 0: CP-SAT decides
    solver.parameters.log_search_progress = True
    solver.parameters.log_to_stdout = False
    workers = []
    with open(args.solver_log, "w") as log:

        def on_log(line):
            log.write(line + "\n")
            m = re.search(r"Starting search at .* with (\d+) workers", line)
            if m:
                workers.append(int(m.group(1)))

        solver.log_callback = on_log
        start = time.perf_counter()
        status = solver.solve(model, Incumbents())
        wall = time.perf_counter() - start

    name = solver.status_name(status)
    if name == "MODEL_INVALID":
        raise Failure("CP-SAT says the translated model is invalid")
    has_solution = name in ("OPTIMAL", "FEASIBLE")
    bound = solver.best_objective_bound
    # Only a time limit is set, so a search that stops unproven ran out of time.
    statuses = {
        "OPTIMAL": "optimal",
        "FEASIBLE": "time_limit",
        "UNKNOWN": "time_limit",
        "INFEASIBLE": "infeasible",
    }
    record.update(
        status=statuses.get(name, name.lower()),
        solver_status=name,
        objective=to_ploeg(solver.objective_value) if has_solution else None,
        bound=to_ploeg(bound) if math.isfinite(bound) else None,
        wall_seconds=wall,
        solver_wall_seconds=solver.wall_time,
        reached_at=progress.reached_at,
        improvements=progress.improvements,
        workers=workers[-1] if workers else None,
        workers_requested=args.workers,
    )


def cmd_solve(args):
    record = {"solver": args.solver}
    started = time.perf_counter()
    h, warned = read_model(args.mps, args.highs_log)
    arrays = model_arrays(h.getLp())
    record["model"] = model_stats(arrays)
    record["read_warning"] = warned
    record["read_seconds"] = time.perf_counter() - started
    if args.solver == "highs":
        solve_highs(args, arrays, h, record)
    else:
        del h
        solve_cpsat(args, arrays, record)
    with open(args.result, "w") as f:
        json.dump(record, f, indent=2)


# --------------------------------------------------------------------------
# The comparison


def machine_info():
    info = {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "cpu_model": None,
        "memory_gib": None,
        "os": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu_model"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["memory_gib"] = int(line.split()[1]) / 1024**2
                    break
    except OSError:
        pass
    return info


def versions(ploeg_bin):
    found = {}
    for package in ("highspy", "ortools", "numpy"):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = None
    try:
        out = subprocess.run([ploeg_bin, "--version"], capture_output=True, text=True, check=True)
        found["ploeg"] = out.stdout.strip()
    except (OSError, subprocess.CalledProcessError) as e:
        raise Failure(f"{ploeg_bin} --version failed: {e}") from e
    return found


def fmt_number(v):
    return "—" if v is None else f"{v:.2f}"


def fmt_gap(objective, bound):
    g = gap(objective, bound)
    return "—" if g is None else f"{100 * g:.2f}%"


def gap(objective, bound):
    if objective is None or bound is None:
        return None
    d = abs(objective - bound)
    return 0.0 if d < 1e-6 else d / max(1.0, abs(objective))


def load_json(path, what):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError as e:
        raise Failure(f"{what} not found: {path}") from e
    except json.JSONDecodeError as e:
        raise Failure(f"{what} is not valid JSON ({path}): {e}") from e


def ploeg_figures(summary, run):
    try:
        stage = summary["stages"][0]
        figures = {
            "status": stage["status"],
            "stage": stage["stage"],
            "sense": stage["sense"],
            "objective": stage["objective"],
            "bound": stage.get("bound"),
            "gap": stage.get("gap"),
            "stage_seconds": stage["seconds"],
            "heuristic_seconds": summary["heuristic_seconds"],
            "total_seconds": summary["seconds"],
            "run_status": summary["status"],
            "backend": summary["backend"],
            "parts": summary.get("parts"),
            "stages": len(summary["stages"]),
        }
    except (KeyError, IndexError, TypeError) as e:
        raise Failure(f"summary.json lacks an expected field: {e}") from e
    if figures["stage"] != "unfilled":
        raise Failure(f"ploeg's first stage is {figures['stage']!r}, not 'unfilled'")
    # The stage-1 result exists once the construction heuristic (which
    # warm-starts the MILP) and the stage-1 MILP have both run. ploeg reports
    # each as the maximum over the scenario's independent parts, which run in
    # parallel, so this sum is what a caller waits for stage 1, not counting
    # reading the scenario and building the model.
    figures["time_to_result"] = figures["heuristic_seconds"] + figures["stage_seconds"]
    figures["process_wall_seconds"] = run["wall_seconds"]
    figures["peak_mib"] = run["peak_kib"] / 1024
    return figures


def cmd_compare(args):
    summary = load_json(args.summary, "ploeg's summary.json")
    run = load_json(args.ploeg_run, "the ploeg run record")
    if not os.path.isfile(args.mps):
        raise Failure(f"the exported stage-1 model is missing: {args.mps}")
    ploeg = ploeg_figures(summary, run)
    constant = objective_constant(args.mps)
    model_notes = []
    if constant is None:
        constant = 0.0
        model_notes.append("the MPS file states no objective constant; 0 was taken")

    machine = machine_info()
    found = versions(args.ploeg)
    os.makedirs(args.work, exist_ok=True)

    records = {}
    runs = [("highs", 1), ("cpsat2", 2), ("cpsat", 0)]
    for key, workers in runs:
        note(f"solving with {SOLVERS[key]} (time limit {args.time_limit:g} s)")
        result = os.path.join(args.work, f"{key}.json")
        child_log = os.path.join(args.work, f"{key}.log")
        argv = [
            sys.executable, os.path.abspath(__file__), "solve",
            "--solver", "highs" if key == "highs" else "cpsat",
            "--workers", str(workers),
            "--mps", args.mps,
            "--target", repr(ploeg["objective"]),
            "--constant", repr(constant),
            "--time-limit", str(args.time_limit),
            "--result", result,
            "--highs-log", os.path.join(args.work, f"{key}.highs.log"),
            "--solver-log", os.path.join(args.work, f"{key}.solver.log"),
        ]
        timeout = args.time_limit * CHILD_GRACE_FACTOR + CHILD_GRACE_SECONDS
        code, wall, peak_kib = run_child(argv, None, child_log, timeout)
        if code != 0:
            raise Failure(
                f"the {SOLVERS[key]} run {describe_exit(code)}; last lines of its output:\n"
                f"{log_tail(child_log)}"
            )
        record = load_json(result, f"the {SOLVERS[key]} result")
        record["process_wall_seconds"] = wall
        record["peak_mib"] = peak_kib / 1024
        highs_log = os.path.join(args.work, f"{key}.highs.log")
        record["read_messages"] = read_messages(highs_log)
        if key == "highs":
            record["highs_threads"] = highs_thread_line(highs_log)
        records[key] = record

    model = records["highs"]["model"]
    minimise = model["sense"] == "minimise"
    if (ploeg["sense"] == "minimise") != minimise:
        raise Failure(f"ploeg's stage 1 is to {ploeg['sense']}, the MPS file says {model['sense']}")
    model_notes += consistency_notes(ploeg, records, minimise)
    # The CP-SAT children's HiGHS logs hold only the reading of the file.
    for message in records["cpsat2"]["read_messages"]:
        model_notes.append(f"HiGHS, reading the model: {message}")

    table, ratios, labels = render(ploeg, records, found)
    report = {
        "scenario": {
            "people": args.people,
            "municipalities": args.municipalities,
            "seed": args.seed,
            "name": summary.get("scenario"),
        },
        "time_limit_seconds": args.time_limit,
        "machine": machine,
        "versions": found,
        "model": dict(model, objective_constant=constant, file_bytes=os.path.getsize(args.mps)),
        "ploeg": ploeg,
        "solvers": {k: dict(records[k], label=labels[k]) for k in records},
        "ratios": ratios,
        "notes": model_notes,
        "table_markdown": table,
    }
    text = format_report(report, records)
    print(text)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        report["report_text"] = text
        with open(args.out, "w") as f:
            json.dump(report, f, indent=2)
        note(f"results written to {args.out}")


def read_messages(highs_log):
    """Warnings and errors HiGHS wrote while reading the MPS file."""
    found = []
    try:
        with open(highs_log, errors="replace") as f:
            for line in f:
                if re.search(r"\b(WARNING|ERROR|Warning|Error)\b", line):
                    found.append(line.strip())
    except OSError:
        pass
    return found


def highs_thread_line(highs_log):
    try:
        with open(highs_log, errors="replace") as f:
            for line in f:
                if "Thread count:" in line:
                    return line.strip()
    except OSError:
        pass
    return None


def consistency_notes(ploeg, records, minimise):
    """Flags results that cannot all be right if the export matches ploeg's model."""
    notes = []
    target = ploeg["objective"]
    tol = 1e-6 * max(1.0, abs(target))
    for key, r in records.items():
        if r.get("status") == "optimal" and r.get("objective") is not None:
            better = r["objective"] < target - tol if minimise else r["objective"] > target + tol
            worse = r["objective"] > target + tol if minimise else r["objective"] < target - tol
            if worse:
                notes.append(
                    f"{SOLVERS[key]} proves an optimum of {r['objective']:.6g}, worse than "
                    f"ploeg's {target:.6g}: the exported model is stricter than ploeg's own"
                )
            elif better and ploeg["status"] == "optimal":
                notes.append(
                    f"{SOLVERS[key]} finds {r['objective']:.6g}, better than ploeg's proven "
                    f"optimum {target:.6g}: the exported model is looser than ploeg's own"
                )
    return notes


def render(ploeg, records, found):
    highs_label = f"highspy {found['highspy']}"
    sat = f"CP-SAT {found['ortools']}"
    workers_default = records["cpsat"].get("workers")
    labels = {
        "highs": highs_label,
        "cpsat2": f"{sat}, 2 workers",
        "cpsat": f"{sat}, default workers"
        + (f" ({workers_default})" if workers_default else ""),
    }
    rows = [
        "| solver | status | objective | bound | gap | time to ploeg's objective | wall s | peak MiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
        f"| ploeg {found['ploeg'].split()[-1]} (backend {ploeg['backend']}) | {ploeg['status']} "
        f"| {fmt_number(ploeg['objective'])} | {fmt_number(ploeg['bound'])} "
        f"| {fmt_gap(ploeg['objective'], ploeg['bound'])} "
        f"| {ploeg['time_to_result']:.2f} s | {ploeg['total_seconds']:.2f} | {ploeg['peak_mib']:.1f} |",
    ]
    for key in ("highs", "cpsat2", "cpsat"):
        r = records[key]
        if r["status"] == "not representable":
            rows.append(f"| {labels[key]} | not representable | — | — | — | — | — | {r['peak_mib']:.1f} |")
            continue
        reached = "not reached" if r["reached_at"] is None else f"{r['reached_at']:.2f} s"
        rows.append(
            f"| {labels[key]} | {r['status']} | {fmt_number(r['objective'])} "
            f"| {fmt_number(r['bound'])} | {fmt_gap(r['objective'], r['bound'])} "
            f"| {reached} | {r['wall_seconds']:.2f} | {r['peak_mib']:.1f} |"
        )
    table = "\n".join(rows)

    ratios = []
    for key in ("highs", "cpsat2", "cpsat"):
        r = records[key]
        entry = {"solver": labels[key], "ploeg_seconds": ploeg["time_to_result"]}
        if r["status"] == "not representable":
            entry.update(ratio=None, solver_seconds=None, basis="not representable")
        elif r["reached_at"] is not None:
            entry.update(solver_seconds=r["reached_at"], basis="time to reach ploeg's objective")
        else:
            entry.update(
                solver_seconds=r["wall_seconds"],
                basis="full wall time: it never reached ploeg's objective, so the true ratio is lower",
            )
        if entry.get("solver_seconds"):  # None or 0.0: no ratio
            entry["ratio"] = entry["ploeg_seconds"] / entry["solver_seconds"]
        else:
            entry["ratio"] = None
        ratios.append(entry)
    return table, ratios, labels


def format_report(report, records):
    ploeg, machine, found = report["ploeg"], report["machine"], report["versions"]
    sc, model = report["scenario"], report["model"]
    lines = []
    if sc["people"] is not None:
        lines.append(
            f"Scenario: {sc['people']} people, {sc['municipalities']} municipalities, seed {sc['seed']}"
            f" — time limit {report['time_limit_seconds']:g} s per run"
        )
    lines.append(
        f"Stage-1 model: {model['rows']} rows, {model['columns']} columns "
        f"({model['integer_columns']} integer, {model['continuous_columns']} continuous), "
        f"{model['nonzeros']} nonzeros; objective constant {model['objective_constant']:g}"
    )
    lines.append("")
    lines.append(report["table_markdown"])
    lines.append("")
    lines.append("Time ratios (ploeg's time to its stage-1 result / the solver's time):")
    for r in report["ratios"]:
        if r["ratio"] is None:
            lines.append(f"- ploeg / {r['solver']}: n/a ({r['basis']})")
        else:
            lines.append(
                f"- ploeg / {r['solver']}: {r['ploeg_seconds']:.2f} s / {r['solver_seconds']:.2f} s"
                f" = {r['ratio']:.2f} ({r['basis']})"
            )
    lines.append("")
    lines.append("How to read it:")
    lines.append(
        f"- ploeg: time to its stage-1 result = heuristic {ploeg['heuristic_seconds']:.2f} s + "
        f"stage 1 {ploeg['stage_seconds']:.2f} s (stage 1 includes its bound: column generation "
        f"with HiGHS; the construction heuristic warm-starts it; both are maxima over the "
        f"{ploeg['parts']} independent part(s), solved in parallel). "
        f"Its wall s is the whole solve, all {ploeg['stages']} stages; "
        "peak MiB covers the whole process, all stages and the model export."
    )
    lines.append(
        "- The other solvers start cold on the exported stage-1 model; their times run from "
        "the start of their solve (HiGHS's and CP-SAT's own clocks), not counting reading the "
        "file; peak MiB is that solver's own process, including Python and reading the model."
    )
    lines.append(
        "- objective and bound include the constant the export leaves out; gap = "
        "|objective - bound| / max(1, |objective|) for every row, as ploeg computes it."
    )
    highs_threads = records["highs"].get("highs_threads")
    lines.append(
        "- highspy runs with HiGHS's defaults (threads = 0: HiGHS decides; relative gap 1e-4)"
        + (f"; its log: \"{highs_threads}\"" if highs_threads else "")
    )
    for key in ("cpsat2", "cpsat"):
        r = records[key]
        if r["status"] == "not representable":
            lines.append(f"- {SOLVERS[key]}: the model is not representable: {r['reason']}")
    translation = records["cpsat2"].get("translation")
    if translation:
        lines.append("- CP-SAT translation: " + "; ".join(translation))
    for message in report["notes"]:
        lines.append(f"- NOTE: {message}")
    lines.append("")
    memory = f"{machine['memory_gib']:.1f} GiB" if machine["memory_gib"] else "unknown"
    lines.append(
        f"Machine: nproc {machine['nproc']}, {machine['cpu_model'] or 'unknown CPU'}, "
        f"{memory} memory"
    )
    lines.append(
        f"Versions: {found['ploeg']}, highspy {found['highspy']}, ortools {found['ortools']}, "
        f"numpy {found['numpy']}, Python {machine['python']}"
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command_name", required=True)

    p = sub.add_parser("measure", help="run a command, record wall time and peak memory")
    p.add_argument("--record", required=True, help="JSON file to write")
    p.add_argument("--stdout", help="file for the command's stdout (default: the log)")
    p.add_argument("--log", required=True, help="file for the command's stderr")
    p.add_argument("--timeout", type=float, default=24 * 3600.0, help="seconds before the command is stopped")
    p.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARGS...]")
    p.set_defaults(run=cmd_measure)

    p = sub.add_parser("compare", help="solve the exported model with every solver and compare")
    p.add_argument("--mps", required=True, help="the exported stage-1 model")
    p.add_argument("--summary", required=True, help="ploeg's summary.json of the same run")
    p.add_argument("--ploeg-run", required=True, help="the `measure` record of that run")
    p.add_argument("--ploeg", required=True, help="the ploeg binary (for --version)")
    p.add_argument("--time-limit", type=float, required=True, help="seconds per solver")
    p.add_argument("--work", required=True, help="folder for the children's files")
    p.add_argument("--out", help="JSON file for the table and the raw figures")
    p.add_argument("--people", type=int)
    p.add_argument("--municipalities", type=int)
    p.add_argument("--seed", type=int)
    p.set_defaults(run=cmd_compare)

    p = sub.add_parser("solve", help="(internal) solve the model with one solver")
    p.add_argument("--solver", choices=["highs", "cpsat"], required=True)
    p.add_argument("--workers", type=int, default=0, help="CP-SAT workers (0: CP-SAT decides)")
    p.add_argument("--mps", required=True)
    p.add_argument("--target", type=float, required=True, help="ploeg's stage-1 objective")
    p.add_argument("--constant", type=float, required=True, help="the objective constant")
    p.add_argument("--time-limit", type=float, required=True)
    p.add_argument("--result", required=True)
    p.add_argument("--highs-log", required=True)
    p.add_argument("--solver-log", required=True)
    p.set_defaults(run=cmd_solve)

    args = parser.parse_args()
    # Let a terminating signal unwind through `finally`, so children are stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        args.run(args)
    except Failure as e:
        note(f"error: {e}")
        sys.exit(1)
    except KeyboardInterrupt:
        note("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
