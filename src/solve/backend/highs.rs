//! HiGHS through good_lp (feature `highs`). good_lp builds the model; the
//! solve runs on the inner `highs::Model` so the dual bound and the gap
//! HiGHS proves are reported, not only the plan.

use good_lp::solvers::highs::highs;
use good_lp::SolverModel;
use highs::HighsModelStatus;

use super::{Outcome, Problem, Status};

pub fn solve(p: Problem) -> Result<Outcome, String> {
    let mut problem = p.vars.minimise(p.objective).using(highs);
    for row in p.rows {
        problem.add_constraint(row);
    }
    let mut model = problem.try_into_inner().map_err(|e| e.to_string())?;
    model.make_quiet();
    let set = |m: &mut highs::Model, k: &str, v: f64| {
        m.try_set_option(k, v)
            .map_err(|e| format!("HiGHS option {k}: {e:?}"))
    };
    set(&mut model, "time_limit", p.time_limit_s.max(0.01))?;
    set(&mut model, "mip_rel_gap", p.mip_gap.max(1e-9))?;
    // One thread keeps runs reproducible; parallel parts use the cores.
    model
        .try_set_option("threads", 1)
        .map_err(|e| format!("HiGHS option threads: {e:?}"))?;
    if let Some(warm) = &p.warm {
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
    let columns = solved.get_solution().columns().to_vec();
    let objective = solved.objective_value();
    let bound = solved
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite())
        .or((status == Status::Optimal).then_some(objective));
    Ok(Outcome {
        values: columns,
        status,
        objective,
        bound,
    })
}
