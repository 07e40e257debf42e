//! The pure-Rust backend: microlp, which builds with nothing but the Rust
//! toolchain. The model is handed to microlp directly (not through
//! good_lp's adapter) so that a branch-and-bound node limit can stop the
//! search: with a node limit the answer is the same on any machine. The
//! time limit stays as the safety net. The best bound and gap come from
//! microlp's own branch-and-bound statistics.

use std::collections::HashMap;
use std::time::Duration;

use ::microlp::{ComparisonOp, OptimizationDirection, SolveOutcome, TerminationReason};
use good_lp::{IntoAffineExpression, Variable};

use super::{Outcome, Problem, Status};

/// The good_lp model as a microlp problem, and its variables in `all` order.
fn build(p: &Problem) -> Result<(::microlp::Problem, Vec<::microlp::Variable>), String> {
    let mut lp = ::microlp::Problem::new(OptimizationDirection::Minimize);
    let objective: HashMap<Variable, f64> = (&p.objective).linear_coefficients().collect();
    let mut index: HashMap<Variable, ::microlp::Variable> = HashMap::new();
    for (v, def) in p.vars.iter_variables_with_def() {
        let c = objective.get(&v).copied().unwrap_or(0.0);
        let (min, max) = (def.get_min(), def.get_max());
        let var = if def.is_integer() {
            let bound = |x: f64| {
                if x.is_finite() && x.abs() < f64::from(i32::MAX) {
                    Ok(x as i32)
                } else {
                    Err(format!("an integer variable has the bound {x}"))
                }
            };
            lp.add_integer_var(c, (bound(min.ceil())?, bound(max.floor())?))
        } else {
            lp.add_var(c, (min, max))
        };
        index.insert(v, var);
    }
    for row in &p.rows {
        let e = row.expression();
        let terms: Vec<(::microlp::Variable, f64)> = e
            .linear_coefficients()
            .map(|(v, c)| (index[&v], c))
            .collect();
        let op = if row.is_equality() {
            ComparisonOp::Eq
        } else {
            ComparisonOp::Le
        };
        lp.add_constraint(terms, op, -e.constant());
    }
    let all = p.all.iter().map(|v| index[v]).collect();
    Ok((lp, all))
}

pub fn solve(p: Problem) -> Result<Outcome, String> {
    let (lp, all) = build(&p)?;
    let mut options = ::microlp::SolveOptions::default();
    options.time_limit = Some(Duration::from_secs_f64(p.time_limit_s.max(0.01)));
    options.node_limit = p.node_limit;
    options.mip_gap = p.mip_gap.max(0.0);
    if let Some(warm) = &p.warm {
        options.warm_start = Some(all.iter().copied().zip(warm.iter().copied()).collect());
    }
    let outcome = match lp.solve_with(options) {
        Ok(o) => o,
        Err(::microlp::Error::Infeasible) => {
            return Ok(Outcome {
                values: Vec::new(),
                status: Status::Infeasible,
                objective: f64::NAN,
                bound: None,
                node_limit_reached: false,
            })
        }
        Err(e) => return Err(e.to_string()),
    };
    let reason = outcome.termination_reason();
    let bound_seen = outcome.stats().best_bound;
    let SolveOutcome::Solution(solution) = outcome else {
        // Stopped before any plan: the caller keeps its own.
        return Ok(Outcome {
            values: Vec::new(),
            status: Status::TimeLimit,
            objective: f64::NAN,
            bound: bound_seen,
            node_limit_reached: reason == TerminationReason::NodeLimit,
        });
    };
    let values: Vec<f64> = all.iter().map(|&v| solution.var_value(v)).collect();
    let status = match reason {
        TerminationReason::ProvenOptimal | TerminationReason::MipGap => Status::Optimal,
        _ => Status::TimeLimit,
    };
    let objective = solution.objective();
    let bound = if status == Status::Optimal && p.mip_gap == 0.0 {
        Some(objective)
    } else {
        solution.stats().best_bound
    };
    Ok(Outcome {
        values,
        status,
        objective,
        bound,
        node_limit_reached: reason == TerminationReason::NodeLimit,
    })
}
