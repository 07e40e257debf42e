//! One case per hard rule and guarantee: a tiny plan on tests/data/small
//! that breaks that rule only, and the same plan set right that keeps it.
//! The checker must name exactly that rule; where the model prunes the
//! pair instead, its eligibility test must name the same rule.

use std::collections::BTreeSet;
use std::path::Path;

use ploeg::domain::{Rule, Scenario};
use ploeg::model::{eligibility, PreferenceIndex};
use ploeg::plan::check::check;
use ploeg::plan::ordered::Hours;
use ploeg::plan::{Assignment, Plan};

fn small() -> Scenario {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/small");
    ploeg::input::load(&dir).expect("the small scenario loads")
}

fn person(s: &Scenario, id: &str) -> usize {
    s.people.iter().position(|p| p.id == id).expect("person")
}

fn line(s: &Scenario, project: &str, phase: &str, role: &str) -> usize {
    s.roles
        .iter()
        .position(|r| {
            s.projects[r.project].id == project && s.phases[r.phase].name == phase && r.name == role
        })
        .expect("role line")
}

/// `person` in slot `slot` of `project / phase / role`.
fn at(s: &Scenario, who: &str, project: &str, phase: &str, role: &str, slot: u32) -> Assignment {
    Assignment {
        role: line(s, project, phase, role),
        slot,
        person: person(s, who),
        hours: None,
        line: None,
    }
}

fn rules(s: &Scenario, plan: Vec<Assignment>) -> BTreeSet<Rule> {
    check(s, &Plan { assignments: plan })
        .into_iter()
        .map(|v| v.rule)
        .collect()
}

/// The plan breaks `rule` and nothing else, and `kept` keeps every rule.
fn only(rule: Rule, s: &Scenario, broken: Vec<Assignment>, kept: Vec<Assignment>) {
    assert_eq!(rules(s, broken), BTreeSet::from([rule]), "{}", rule.id());
    assert_eq!(rules(s, kept), BTreeSet::new(), "{} kept", rule.id());
}

/// The model refuses the pair for `rule`.
fn pruned(rule: Rule, s: &Scenario, who: &str, project: &str, phase: &str, role: &str) {
    let prefs = PreferenceIndex::new(s);
    let why = eligibility(s, &prefs, person(s, who), line(s, project, phase, role))
        .expect_err("the pair is not built");
    assert_eq!(why.rule(), rule, "{why:?}");
}

/// The scenario without the home-member rule, for cases that pool one
/// person on their own.
fn without_home_rule() -> Scenario {
    let mut s = small();
    s.settings.keep_home_member = false;
    s
}

#[test]
fn slot_exists() {
    let s = small();
    let broken = vec![at(&s, "p01", "j01", "verkenning", "projectleider", 2)];
    let kept = vec![at(&s, "p01", "j01", "verkenning", "projectleider", 1)];
    only(Rule::SlotExists, &s, broken, kept);
}

#[test]
fn slot_filled_once() {
    let s = small();
    let broken = vec![
        at(&s, "p01", "j01", "verkenning", "projectleider", 1),
        at(&s, "p06", "j01", "verkenning", "projectleider", 1),
    ];
    let kept = vec![at(&s, "p01", "j01", "verkenning", "projectleider", 1)];
    only(Rule::SlotFilledOnce, &s, broken, kept);
}

#[test]
fn one_role_per_phase_team() {
    let s = small();
    let broken = vec![
        at(&s, "p08", "j02", "verkenning", "stedenbouw", 1),
        at(&s, "p08", "j02", "verkenning", "stedenbouw", 2),
    ];
    let kept = vec![at(&s, "p08", "j02", "verkenning", "stedenbouw", 1)];
    only(Rule::OneRolePerPhase, &s, broken, kept);
}

#[test]
fn discipline() {
    let s = small();
    let broken = vec![at(&s, "p07", "j01", "verkenning", "projectleider", 1)];
    let kept = vec![at(&s, "p01", "j01", "verkenning", "projectleider", 1)];
    only(Rule::Discipline, &s, broken, kept);
    pruned(
        Rule::Discipline,
        &s,
        "p07",
        "j01",
        "verkenning",
        "projectleider",
    );
}

#[test]
fn required_expertise() {
    let s = small();
    // The line asks kostenverhaal 3: p07 has none, p02 has 4.
    let broken = vec![at(&s, "p07", "j01", "verkenning", "planeconoom", 1)];
    let kept = vec![at(&s, "p02", "j01", "verkenning", "planeconoom", 1)];
    only(Rule::RequiredExpertise, &s, broken, kept);
    pruned(
        Rule::RequiredExpertise,
        &s,
        "p07",
        "j01",
        "verkenning",
        "planeconoom",
    );
}

#[test]
fn availability() {
    let mut s = small();
    // p01 leaves before j01 verkenning (to 2026-06-30) ends; as given,
    // p01 is available throughout.
    let plan = vec![at(&s, "p01", "j01", "verkenning", "projectleider", 1)];
    assert_eq!(rules(&s, plan.clone()), BTreeSet::new());
    let p01 = person(&s, "p01");
    s.people[p01].available_until = ploeg::domain::Date::new(2026, 3, 31);
    assert_eq!(rules(&s, plan), BTreeSet::from([Rule::Availability]));
    pruned(
        Rule::Availability,
        &s,
        "p01",
        "j01",
        "verkenning",
        "projectleider",
    );
}

#[test]
fn excluded_pair() {
    let mut s = small();
    let plan = vec![at(&s, "p07", "j01", "planuitwerking", "vergunningen", 1)];
    assert_eq!(rules(&s, plan.clone()), BTreeSet::new());
    // preferences.csv excludes p04 from j02; the same row for p07 and j01.
    let p07 = person(&s, "p07");
    let row = s
        .preferences
        .iter_mut()
        .find(|p| !p.allowed)
        .expect("an exclusion");
    row.person = p07;
    row.project = 0;
    assert_eq!(rules(&s, plan), BTreeSet::from([Rule::ExcludedPair]));
    pruned(
        Rule::ExcludedPair,
        &s,
        "p07",
        "j01",
        "planuitwerking",
        "vergunningen",
    );
}

#[test]
fn pool_rule() {
    let s = small();
    // p04 (Bernheze) is not poolable; p01 keeps the team's home member.
    let home = at(&s, "p01", "j01", "planuitwerking", "projectleider", 1);
    let broken = vec![
        home.clone(),
        at(&s, "p04", "j01", "planuitwerking", "vergunningen", 1),
    ];
    let kept = vec![
        home,
        at(&s, "p07", "j01", "planuitwerking", "vergunningen", 1),
    ];
    only(Rule::PoolRule, &s, broken, kept);
    pruned(
        Rule::PoolRule,
        &s,
        "p04",
        "j01",
        "planuitwerking",
        "vergunningen",
    );
}

#[test]
fn hours_as_planned() {
    let s = small();
    let mut broken = at(&s, "p01", "j01", "verkenning", "projectleider", 1);
    broken.hours = Some(Hours::from_f64(20.0));
    let mut kept = broken.clone();
    kept.hours = Some(Hours::from_f64(16.0));
    only(Rule::HoursAsPlanned, &s, vec![broken], vec![kept]);
}

#[test]
fn weekly_capacity() {
    let mut s = without_home_rule();
    s.settings.max_pool_share = 1.0;
    // p03 at 24 h: j02 verkenning (12 h, Mar–Aug 2026) and j01 verkenning
    // (16 h, Jan–Jun 2026) overlap in Mar–Jun: 28 h a week.
    let p03 = person(&s, "p03");
    s.people[p03].hours_per_week = 24.0;
    let home = at(&s, "p03", "j02", "verkenning", "projectleider", 1);
    let broken = vec![
        home.clone(),
        at(&s, "p03", "j01", "verkenning", "projectleider", 1),
    ];
    only(Rule::WeeklyCapacity, &s, broken, vec![home]);
}

#[test]
fn pool_share() {
    let mut s = without_home_rule();
    // p06 (Bernheze, 36 h) works 16 h in Oss; a quarter is 9 h.
    s.settings.max_pool_share = 0.25;
    let broken = vec![at(&s, "p06", "j01", "verkenning", "projectleider", 1)];
    let kept = vec![at(&s, "p06", "j02", "verkenning", "projectleider", 1)];
    only(Rule::PoolShare, &s, broken, kept);
    pruned(
        Rule::PoolShare,
        &s,
        "p06",
        "j01",
        "verkenning",
        "projectleider",
    );
}

#[test]
fn concurrent_projects() {
    let mut s = without_home_rule();
    let p06 = person(&s, "p06");
    s.people[p06].max_projects = Some(1);
    let home = at(&s, "p06", "j02", "verkenning", "projectleider", 1);
    let broken = vec![
        home.clone(),
        at(&s, "p06", "j01", "verkenning", "projectleider", 1),
    ];
    only(Rule::ConcurrentProjects, &s, broken, vec![home]);
}

#[test]
fn home_member() {
    let s = small();
    // p06 of Bernheze alone in an Oss team; with p01 of Oss beside them in
    // another line of the same phase the team has its home member.
    let pooled = at(&s, "p06", "j01", "verkenning", "projectleider", 1);
    let kept = vec![
        pooled.clone(),
        at(&s, "p02", "j01", "verkenning", "planeconoom", 1),
    ];
    only(Rule::HomeMember, &s, vec![pooled], kept);
}

#[test]
fn net_lending_cap() {
    let mut s = without_home_rule();
    s.settings.max_net_lend = Some(10.0);
    // Bernheze lends 16 h a week in 2026-01..06: over the cap of 10.
    let broken = vec![at(&s, "p06", "j01", "verkenning", "projectleider", 1)];
    let kept = vec![at(&s, "p06", "j02", "verkenning", "projectleider", 1)];
    only(Rule::NetLendingCap, &s, broken, kept);
    assert!(Rule::NetLendingCap.is_guarantee());
}

#[test]
fn unfilled_cap() {
    let mut s = small();
    // Bernheze may leave no required role-hours open: j02 verkenning's
    // projectleider and j02 planuitwerking's planeconoom are required.
    s.unfilled_caps.insert("Bernheze".into(), 0.0);
    let broken = vec![at(&s, "p06", "j02", "verkenning", "projectleider", 1)];
    assert_eq!(rules(&s, broken), BTreeSet::from([Rule::UnfilledCap]));
    let mut planeconoom = at(&s, "p03", "j02", "planuitwerking", "planeconoom", 1);
    // The preference of p03 sets 10 h in that line.
    planeconoom.hours = Some(Hours::from_f64(10.0));
    let kept = vec![
        at(&s, "p06", "j02", "verkenning", "projectleider", 1),
        planeconoom,
    ];
    assert_eq!(rules(&s, kept), BTreeSet::new());
    assert!(Rule::UnfilledCap.is_guarantee());
}

#[test]
fn every_rule_has_its_case_here() {
    // The cases above, by id: a new rule needs a case of its own.
    let here = include_str!("rules.rs");
    for r in Rule::ALL {
        assert!(
            here.contains(&format!("fn {}()", r.id()))
                || here.contains(&format!("only(Rule::{r:?},"))
                || here.contains(&format!("[Rule::{r:?}]")),
            "no case for {}",
            r.id()
        );
    }
}
