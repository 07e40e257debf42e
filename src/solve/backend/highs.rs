//! HiGHS through good_lp (feature `highs`). good_lp builds the model; the
//! solve runs on the inner `highs::Model` so the dual bound and the gap
//! HiGHS proves are reported, not only the plan.
//!
//! With a start solution set, HiGHS has been seen to report the optimal
//! objective while handing back the start's column values. Every answer is
//! therefore checked: the returned values must reproduce the reported
//! objective, and when they do not the model is solved again without the
//! start.

use std::collections::HashMap;

use good_lp::solvers::highs::highs;
use good_lp::{IntoAffineExpression, SolverModel, Variable};
use highs::HighsModelStatus;

use super::{Outcome, Problem, Status};

fn attempt(p: &Problem, warm: Option<&[f64]>) -> Result<Outcome, String> {
    let mut problem = p.vars.clone().minimise(p.objective.clone()).using(highs);
    for row in &p.rows {
        problem.add_constraint(row.clone());
    }
    let mut model = problem.try_into_inner().map_err(|e| e.to_string())?;
    // PLOEG_SOLVER_LOG=1 shows HiGHS's own log on stdout, for diagnosis.
    if std::env::var_os("PLOEG_SOLVER_LOG").is_none() {
        model.make_quiet();
    } else {
        let _ = model.try_set_option("output_flag", true);
        let _ = model.try_set_option("log_to_console", true);
    }
    let opt = |m: &mut highs::Model, k: &str, v: f64| {
        m.try_set_option(k, v)
            .map_err(|e| format!("HiGHS option {k}: {e:?}"))
    };
    opt(&mut model, "time_limit", p.time_limit_s.max(0.01))?;
    opt(&mut model, "mip_rel_gap", p.mip_gap.max(1e-9))?;
    if let Some(nodes) = p.node_limit {
        let nodes = i32::try_from(nodes).unwrap_or(i32::MAX);
        model
            .try_set_option("mip_max_nodes", nodes)
            .map_err(|e| format!("HiGHS option mip_max_nodes: {e:?}"))?;
    }
    // One thread keeps runs reproducible; independent parts use the cores.
    model
        .try_set_option("threads", 1)
        .map_err(|e| format!("HiGHS option threads: {e:?}"))?;
    if let Some(warm) = warm {
        // HiGHS checks the start itself and ignores it when infeasible.
        let _ = model.try_set_solution(Some(warm), None, None, None);
    }
    let solved = model
        .try_solve()
        .map_err(|e| format!("HiGHS failed: {e:?}"))?;
    let status = match solved.status() {
        HighsModelStatus::Optimal => Status::Optimal,
        HighsModelStatus::Infeasible => {
            return Ok(Outcome {
                values: Vec::new(),
                status: Status::Infeasible,
                objective: f64::NAN,
                bound: None,
                node_limit_reached: false,
            })
        }
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => Status::TimeLimit,
        other => return Err(format!("HiGHS ended with status {other:?}")),
    };
    if solved.primal_solution_status() != highs::HighsSolutionStatus::Feasible {
        return Err("HiGHS stopped before it found any plan".to_string());
    }
    let values = solved.get_solution().columns().to_vec();
    let objective = solved.objective_value();
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite())
        .or((status == Status::Optimal).then_some(objective));
    let node_limit_reached = p.node_limit.is_some()
        && !matches!(
            solved.status(),
            HighsModelStatus::Optimal | HighsModelStatus::ReachedTimeLimit
        );
    Ok(Outcome {
        values,
        status,
        objective,
        bound,
        node_limit_reached,
    })
}

/// True when the values reproduce the objective HiGHS reported.
fn consistent(p: &Problem, out: &Outcome) -> bool {
    if out.values.len() != p.all.len() {
        return false;
    }
    let map: HashMap<Variable, f64> = p
        .all
        .iter()
        .copied()
        .zip(out.values.iter().copied())
        .collect();
    let value = good_lp::Expression::eval_with(&p.objective, &map)
        - IntoAffineExpression::constant(&p.objective);
    (value - out.objective).abs() <= 1e-6 * out.objective.abs().max(1.0)
}

pub fn solve(p: Problem) -> Result<Outcome, String> {
    let first = attempt(&p, p.warm.as_deref())?;
    if first.status == Status::Infeasible || p.warm.is_none() || consistent(&p, &first) {
        return Ok(first);
    }
    attempt(&p, None)
}
