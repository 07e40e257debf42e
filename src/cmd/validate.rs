//! `ploeg validate DIR`: every problem in a scenario folder, or a short
//! description of what it holds.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario folder (scenario.toml and the CSV files).
    dir: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let s = super::load(&a.dir)?;
    let pairs = ploeg::model::eligible_pairs(&s);
    if a.json {
        let v = serde_json::json!({
            "valid": true,
            "scenario": s.settings.name,
            "people": s.people.len(),
            "projects": s.projects.len(),
            "phases": s.phases.len(),
            "role_lines": s.roles.len(),
            "slots": s.slot_count(),
            "pools": s.pools.len(),
            "preferences": s.preferences.len(),
            "eligible_pairs": pairs.len(),
        });
        super::print(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
    } else {
        super::print(&format!(
            "valid: {} — {} people, {} projects, {} phases, {} role lines ({} slots), {} pools, {} preferences; {} eligible person-role pairs\n",
            s.settings.name,
            s.people.len(),
            s.projects.len(),
            s.phases.len(),
            s.roles.len(),
            s.slot_count(),
            s.pools.len(),
            s.preferences.len(),
            pairs.len()
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
