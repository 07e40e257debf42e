//! The pure-Rust backend (microlp through good_lp): builds with nothing but
//! the Rust toolchain. Its best bound and gap come from microlp's own
//! branch-and-bound statistics.

use good_lp::solvers::microlp::microlp;
use good_lp::{Solution, SolverModel, WithInitialSolution, WithMipGap, WithTimeLimit};

use super::{Outcome, Problem, Status};

pub fn solve(p: Problem) -> Result<Outcome, String> {
    let mut model = p
        .vars
        .minimise(p.objective)
        .using(microlp)
        .with_time_limit(p.time_limit_s.max(0.01));
    if p.mip_gap > 0.0 {
        model = model
            .with_mip_gap(p.mip_gap as f32)
            .map_err(|e| e.to_string())?;
    }
    if let Some(warm) = &p.warm {
        model = model.with_initial_solution(p.all.iter().copied().zip(warm.iter().copied()));
    }
    for row in p.rows {
        model.add_constraint(row);
    }
    let solution = match model.solve() {
        Ok(s) => s,
        Err(good_lp::ResolutionError::Infeasible) => {
            return Ok(Outcome {
                values: Vec::new(),
                status: Status::Infeasible,
                objective: f64::NAN,
                bound: None,
            })
        }
        Err(e) => return Err(e.to_string()),
    };
    let values: Vec<f64> = p.all.iter().map(|&v| solution.value(v)).collect();
    let inner = solution.into_inner();
    let status = match inner.termination_reason() {
        ::microlp::TerminationReason::ProvenOptimal | ::microlp::TerminationReason::MipGap => {
            Status::Optimal
        }
        _ => Status::TimeLimit,
    };
    let objective = inner.objective();
    let bound = if status == Status::Optimal && p.mip_gap == 0.0 {
        Some(objective)
    } else {
        inner.stats().best_bound
    };
    Ok(Outcome {
        values,
        status,
        objective,
        bound,
    })
}
