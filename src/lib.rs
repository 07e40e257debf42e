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
//!
//! Around the pipeline: [`assess`] turns raw assessment results (item
//! scores of a TMA-style instrument, a 360° review) into cluster profiles;
//! [`profile`] sets a person against role profiles and a phase team against
//! its needs; [`bank`] is the competency bank (who has expertise X, at what
//! level, with how many free hours); [`recruit`] ranks candidates by
//! profile fit and by marginal value to the whole portfolio.

pub mod assess;
pub mod bank;
pub mod domain;
pub mod generate;
pub mod input;
pub mod model;
pub mod phase;
pub mod plan;
pub mod pool;
pub mod profile;
pub mod recruit;
pub mod report;
pub mod resilience;
pub mod solve;
