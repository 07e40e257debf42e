//! Solver backends behind one call: solve a minimisation MILP with a time
//! limit, a relative gap and a warm start, and report status, objective,
//! best bound and gap. One file per backend; HiGHS only with the `highs`
//! feature.

#[cfg(feature = "highs")]
mod highs;
mod microlp;

use good_lp::{Constraint, Expression, ProblemVariables, Variable};

use crate::domain::BackendChoice;

/// A backend this build can run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Microlp,
    #[cfg(feature = "highs")]
    Highs,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Microlp => "microlp",
            #[cfg(feature = "highs")]
            Backend::Highs => "highs",
        }
    }

    /// Seconds the backend needs on a model of `nonzeros` before it
    /// answers at all (reading, presolve, the root LP), whatever time
    /// limit it is given. HiGHS, measured at 5,000 people: 4.2–58.6 s for
    /// 0.22–1.47 million nonzeros (1.6–5.4 × 10⁻⁵ s each) under limits of
    /// 0.7–4.9 s. microlp keeps its limits on the sizes it gets: 0.
    pub fn seconds_before_answer(self, nonzeros: usize) -> f64 {
        let per_nonzero = match self {
            Backend::Microlp => 0.0,
            #[cfg(feature = "highs")]
            Backend::Highs => 2e-5,
        };
        per_nonzero * nonzeros as f64
    }

    /// Resolves the scenario's choice against what this build has.
    pub fn resolve(choice: BackendChoice) -> Result<Backend, String> {
        match choice {
            BackendChoice::Microlp => Ok(Backend::Microlp),
            #[cfg(feature = "highs")]
            BackendChoice::Auto | BackendChoice::Highs => Ok(Backend::Highs),
            #[cfg(not(feature = "highs"))]
            BackendChoice::Auto => Ok(Backend::Microlp),
            #[cfg(not(feature = "highs"))]
            BackendChoice::Highs => Err(
                "this ploeg was built without HiGHS; rebuild with `cargo build --release --features highs` \
                 or set backend = \"microlp\" (or \"auto\")"
                    .to_string(),
            ),
        }
    }
}

/// How a solve ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Proven optimal (within the requested gap, if any).
    Optimal,
    /// Stopped by the time limit with a plan.
    TimeLimit,
    /// The model has no solution.
    Infeasible,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::TimeLimit => "time_limit",
            Status::Infeasible => "infeasible",
        }
    }
}

/// One MILP to minimise.
pub struct Problem<'a> {
    pub vars: ProblemVariables,
    pub all: &'a [Variable],
    pub objective: Expression,
    pub rows: Vec<Constraint>,
    /// Values in `all` order, a feasible plan to start from.
    pub warm: Option<Vec<f64>>,
    pub time_limit_s: f64,
    /// Branch-and-bound nodes the search may take (a work budget); the
    /// time limit stays the safety net.
    pub node_limit: Option<u64>,
    pub mip_gap: f64,
}

/// What a backend returns.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Values in `all` order.
    pub values: Vec<f64>,
    pub status: Status,
    pub objective: f64,
    /// Best proven lower bound, when the backend knows one.
    pub bound: Option<f64>,
    /// The search stopped at its node limit (not at the clock).
    pub node_limit_reached: bool,
}

pub fn solve(backend: Backend, problem: Problem) -> Result<Outcome, String> {
    match backend {
        Backend::Microlp => microlp::solve(problem),
        #[cfg(feature = "highs")]
        Backend::Highs => highs::solve(problem),
    }
}
