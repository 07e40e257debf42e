//! `ploeg check DIR --plan FILE`: any plan against every hard rule, each
//! violation in plain words, scored with the same objective components as
//! `ploeg solve`. Exit 0 when it keeps every rule, 1 when it breaks some.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario folder.
    dir: PathBuf,
    /// A plan with the columns of assignments.csv (project_id, phase, role, person_id; slot and hours_per_week optional).
    #[arg(long)]
    plan: PathBuf,
    /// Print violations and components as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = super::load(&a.dir)?;
    let plan = ploeg::input::plan::load_plan(&s, &a.plan)?;
    let violations = ploeg::plan::check::check(&s, &plan);
    let components = ploeg::plan::score::score(&s, &plan);
    if a.json {
        let v = serde_json::json!({ "valid": violations.is_empty(), "violations": violations, "components": components });
        super::print(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
    } else {
        super::print(&ploeg::report::terminal::check_summary(
            &violations,
            &components,
        ))?;
    }
    Ok(if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
