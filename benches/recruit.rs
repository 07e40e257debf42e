//! Criterion benchmarks of the assessment and recruiting commands, run
//! end to end through the `ploeg` binary on fictional data made by the
//! library's generators:
//!
//! - `assess/10000x200_long` and `assess/10000x200_wide`: `ploeg assess` on
//!   10,000 people × 200 items (2,000,000 rows, 34 MB, in the long form; one
//!   row per person in the wide form), writing PROFILES.csv. Target ≤ 2 s.
//! - `rank/demo_200`: `ploeg rank data/demo` with 200 candidates for the
//!   planeconoom role profile as new hires in Oss: the base plan and 200
//!   re-planned portfolios. Target ≤ 60 s on 2 cores.
//!
//! `cargo bench --bench recruit` (the bench profile is the release build).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use ploeg::assess::synthetic::{items_csv, mapping_csv, numbered_instrument, random_profiles};
use ploeg::assess::{Form, Scale};

const BIN: &str = env!("CARGO_BIN_EXE_ploeg");

fn run(args: &[&std::ffi::OsStr]) {
    let o = Command::new(BIN).args(args).output().expect("ploeg runs");
    assert!(
        o.status.success(),
        "ploeg {:?} failed:\n{}",
        args,
        String::from_utf8_lossy(&o.stderr)
    );
}

fn assess(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let inst = numbered_instrument(200);
    let people = random_profiles(10_000, Scale::DEFAULT, 1);
    std::fs::write(dir.join("mapping.csv"), mapping_csv(&inst)).unwrap();
    for (form, name) in [(Form::Long, "long"), (Form::Wide, "wide")] {
        let items = dir.join(format!("items_{name}.csv"));
        std::fs::write(&items, items_csv(&inst, &people, Scale::DEFAULT, 2, form)).unwrap();
    }
    let mut g = c.benchmark_group("assess");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for name in ["long", "wide"] {
        let items = dir.join(format!("items_{name}.csv"));
        let out = dir.join(format!("profiles_{name}.csv"));
        let map = dir.join("mapping.csv");
        g.bench_function(format!("10000x200_{name}"), |b| {
            b.iter(|| {
                run(&[
                    "assess".as_ref(),
                    "--items".as_ref(),
                    items.as_os_str(),
                    "--mapping".as_ref(),
                    map.as_os_str(),
                    "--out".as_ref(),
                    out.as_os_str(),
                ])
            })
        });
    }
    g.finish();
}

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo")
}

fn rank(c: &mut Criterion) {
    let tmp = tempfile::tempdir().unwrap();
    let candidates = tmp.path().join("candidates.csv");
    std::fs::write(
        &candidates,
        ploeg::recruit::synthetic::candidates_csv(200, 12).unwrap(),
    )
    .unwrap();
    let out = tmp.path().join("rank");
    let demo = demo();
    let mut g = c.benchmark_group("rank");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    g.bench_function("demo_200", |b| {
        b.iter(|| {
            run(&[
                "rank".as_ref(),
                demo.as_os_str(),
                "--candidates".as_ref(),
                candidates.as_os_str(),
                "--role".as_ref(),
                "planeconoom".as_ref(),
                "--municipality".as_ref(),
                "Oss".as_ref(),
                "--out".as_ref(),
                out.as_os_str(),
            ])
        })
    });
    g.finish();
}

criterion_group!(benches, assess, rank);
criterion_main!(benches);
