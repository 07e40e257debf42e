//! ploeg: competency assessment and team composition for large-scale housing
//! development.
//!
//! The pipeline, one module per step:
//! [`input`] (files → validated [`domain::Scenario`]) → [`model`] (eligible
//! pairs and the MILP) → [`solve`] (heuristic warm start, lexicographic
//! stages on a backend) → [`plan`] (the staffing plan, its independent
//! checker and score) → [`report`] (CSV/JSON/terminal output, explanations).
//! [`pool`] runs the pipeline under several pooling modes and compares
//! them per municipality.
//! [`resilience`] re-solves around absent people: N-1, bus factors and
//! absence sampling.
//! [`phase`] chooses which projects to postpone, and by how much.
//! [`generate`] makes synthetic scenarios that look real.

pub mod domain;
pub mod generate;
pub mod input;
pub mod model;
pub mod phase;
pub mod plan;
pub mod pool;
pub mod report;
pub mod resilience;
pub mod solve;
