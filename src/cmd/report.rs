//! `ploeg report OUT`: turns the output folder of `ploeg solve` into one
//! self-contained HTML page (OUT/report.html unless `--output` says where),
//! written all-or-nothing, and says what it holds.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use ploeg::report::html::{self, Lang, Options, ReportData, ScenarioFiles};
use ploeg::report::{self, terminal};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder written by `ploeg solve SCENARIO --out OUT`.
    out: PathBuf,
    /// Language of the report: en (default) or nl.
    #[arg(long, default_value = "en", value_parser = ["en", "nl"])]
    lang: String,
    /// Where to write the report (default: OUT/report.html).
    #[arg(long)]
    output: Option<PathBuf>,
    #[command(flatten)]
    privacy: super::PrivacyFlags,
    /// The scenario folder, for the checksums that let others reproduce the
    /// run (default: the folder summary.json names, when it exists).
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Print what was written as JSON.
    #[arg(long)]
    json: bool,
}

/// The scenario folder to checksum: the one given, else the one the run
/// recorded if it is still there.
fn scenario(given: Option<&Path>, recorded: Option<&str>) -> Result<Option<ScenarioFiles>> {
    if let Some(dir) = given {
        if !dir.is_dir() {
            usage!("--scenario {}: this is not a folder", dir.display());
        }
        return Ok(Some(ScenarioFiles::read(dir)));
    }
    Ok(recorded
        .map(Path::new)
        .filter(|d| d.is_dir())
        .map(ScenarioFiles::read))
}

pub fn run(a: Args) -> Result<ExitCode> {
    let data = ReportData::read(&a.out)?;
    let opts = Options {
        lang: Lang::from_code(&a.lang).unwrap_or_default(),
        pseudonyms: a.privacy.pseudonymiser()?,
        scenario: scenario(a.scenario.as_deref(), data.summary.scenario_dir.as_deref())?,
    };
    let rendered = html::render(&data, &opts);
    let path = match &a.output {
        Some(p) => {
            report::output::write_files(&[(
                p.as_path(),
                rendered.html.clone().into_bytes(),
                Some(report::output::Written::Holding(
                    "<meta name=\"generator\" content=\"ploeg",
                )),
            )])?;
            p.clone()
        }
        None => {
            report::output::add_to_folder(&a.out, "report.html", rendered.html.as_bytes())?;
            a.out.join("report.html")
        }
    };
    let bytes = rendered.html.len();
    if a.json {
        let shown: Vec<&str> = rendered
            .sections
            .iter()
            .filter(|s| s.shown)
            .map(|s| s.id)
            .collect();
        let skipped: serde_json::Map<String, serde_json::Value> = rendered
            .sections
            .iter()
            .filter(|s| !s.shown)
            .map(|s| (s.id.to_string(), s.detail.clone().into()))
            .collect();
        let v = serde_json::json!({
            "path": path.display().to_string(),
            "bytes": bytes,
            "lang": opts.lang.code(),
            "pseudonymised": opts.pseudonyms.is_some(),
            "sections": shown,
            "skipped": skipped,
        });
        super::print(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
    } else {
        let colour = terminal::colour_wanted(std::io::stdout().is_terminal());
        super::print(&terminal::report_summary(
            &path.display().to_string(),
            bytes,
            opts.lang.code(),
            &rendered.sections,
            colour,
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
