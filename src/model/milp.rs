//! The MILP of an [`Instance`] in good_lp terms: one binary per eligible
//! pair, auxiliary continuous variables for coverage, stacking, concurrent
//! projects and continuity, every row with a name that maps back to people
//! and slots, and one objective expression per stage (all minimised).

use std::collections::{BTreeMap, HashMap};

use good_lp::{constraint, variable, Constraint, Expression, ProblemVariables, Variable};

use super::Instance;
use crate::domain::{Rule, Scenario, Stage};

/// How an auxiliary variable follows from the pair decisions.
#[derive(Clone, Debug)]
enum Aux {
    /// min(1, Σ qualifying x) of need n.
    Cover(usize),
    /// max(0, Σ qualifying x − 1) of need n.
    Stack(usize),
    /// max over a project's pairs in a concurrent-projects row.
    Project(Vec<usize>),
    /// min(Σ first, Σ second) of continuity c.
    Continuity(usize),
}

/// A built MILP: variables, named rows and the stage objectives.
pub struct Milp {
    pub vars: ProblemVariables,
    /// One binary per pair, in pair order.
    pub x: Vec<Variable>,
    /// Every variable in creation order (the order of `var_names`).
    pub all: Vec<Variable>,
    aux: Vec<(Variable, Aux)>,
    pub rows: Vec<Constraint>,
    pub row_names: Vec<String>,
    /// The stage whose auxiliary variables a row defines; `None` for the
    /// hard rows every stage needs.
    pub row_stage: Vec<Option<Stage>>,
    /// Variable names in variable order (pairs, then auxiliaries).
    pub var_names: Vec<String>,
    objectives: Vec<(Stage, Expression)>,
}

fn label(s: &Scenario, role: usize) -> String {
    let r = &s.roles[role];
    format!(
        "{}/{}/{}",
        s.projects[r.project].id, s.phases[r.phase].name, r.name
    )
}

impl Milp {
    pub fn build(s: &Scenario, inst: &Instance) -> Milp {
        let mut vars = ProblemVariables::new();
        let mut var_names = Vec::new();
        let mut all: Vec<Variable> = Vec::new();
        let x: Vec<Variable> = inst
            .pairs
            .iter()
            .map(|p| {
                var_names.push(format!("x[{}@{}]", s.people[p.person].id, label(s, p.role)));
                {
                    let v = vars.add(variable().binary());
                    all.push(v);
                    v
                }
            })
            .collect();
        let mut aux = Vec::new();
        let mut rows = Vec::new();
        let mut row_names = Vec::new();
        let sum = |idx: &[usize]| -> Expression { idx.iter().map(|&i| x[i]).sum() };
        let hours =
            |idx: &[usize]| -> Expression { idx.iter().map(|&i| inst.pairs[i].hours * x[i]).sum() };
        let period = |t: i64| s.settings.period.label(t);

        for (&role, list) in &inst.by_role {
            let count = f64::from(s.roles[role].count);
            if list.len() as f64 > count {
                rows.push(constraint!(sum(list) <= count));
                row_names.push(format!("{}[{}]", Rule::SlotFilledOnce.id(), label(s, role)));
            }
        }
        for r in &inst.capacity {
            rows.push(constraint!(hours(&r.pairs) <= r.limit));
            row_names.push(format!(
                "{}[{}@{}]",
                Rule::WeeklyCapacity.id(),
                s.people[r.person].id,
                period(r.period)
            ));
        }
        for r in &inst.pool_share {
            rows.push(constraint!(hours(&r.pairs) <= r.limit));
            row_names.push(format!(
                "{}[{}@{}]",
                Rule::PoolShare.id(),
                s.people[r.person].id,
                period(r.period)
            ));
        }
        for (person, phase, list) in &inst.one_role {
            rows.push(constraint!(sum(list) <= 1));
            let ph = &s.phases[*phase];
            row_names.push(format!(
                "{}[{}@{}/{}]",
                Rule::OneRolePerPhase.id(),
                s.people[*person].id,
                s.projects[ph.project].id,
                ph.name
            ));
        }
        let mut busy: HashMap<(usize, Vec<usize>), Variable> = HashMap::new();
        for r in &inst.projects {
            let mut total = Expression::from(0);
            for g in &r.groups {
                // Pairs of one phase: one role per team makes their sum 0/1
                // already, so it counts the project directly.
                let mut by_phase: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
                for &i in g {
                    by_phase
                        .entry(s.roles[inst.pairs[i].role].phase)
                        .or_default()
                        .push(i);
                }
                if by_phase.len() == 1 {
                    total += sum(g);
                } else {
                    // Overlapping phases of one project: busy = max over
                    // them. The same phases overlap in many periods, so
                    // one variable serves every row with this phase set.
                    let key: (usize, Vec<usize>) = (r.person, by_phase.keys().copied().collect());
                    let z = match busy.get(&key) {
                        Some(&z) => z,
                        None => {
                            let z = vars.add(variable().min(0).max(1));
                            all.push(z);
                            var_names.push(format!(
                                "busy[{}#{}]",
                                s.people[r.person].id,
                                aux.len()
                            ));
                            for list in by_phase.values() {
                                rows.push(constraint!(sum(list) <= z));
                                row_names.push(format!(
                                    "busy_link[{}#{}]",
                                    s.people[r.person].id,
                                    aux.len()
                                ));
                            }
                            aux.push((z, Aux::Project(g.clone())));
                            busy.insert(key, z);
                            z
                        }
                    };
                    total += z;
                }
            }
            rows.push(constraint!(total <= r.limit as f64));
            row_names.push(format!(
                "{}[{}@{}]",
                Rule::ConcurrentProjects.id(),
                s.people[r.person].id,
                period(r.period)
            ));
        }
        for h in &inst.home {
            let homes = sum(&h.home);
            let ph = &s.phases[h.phase];
            for &i in &h.pooled {
                rows.push(constraint!(x[i] <= homes.clone()));
                row_names.push(format!(
                    "{}[{}/{}:{}]",
                    Rule::HomeMember.id(),
                    s.projects[ph.project].id,
                    ph.name,
                    s.people[inst.pairs[i].person].id
                ));
            }
        }
        for f in &inst.fair {
            if f.terms.is_empty() {
                // Nothing to decide; the checker reports a cap that cannot hold.
                continue;
            }
            let lhs: Expression = f.terms.iter().map(|&(i, c)| c * x[i]).sum();
            rows.push(constraint!(lhs <= f.limit));
            row_names.push(match f.kind {
                super::FairKind::NetLend => format!(
                    "{}[{},{}]",
                    Rule::NetLendingCap.id(),
                    f.municipality,
                    f.period.as_deref().unwrap_or("")
                ),
                super::FairKind::UnfilledCap => {
                    format!("{}[{}]", Rule::UnfilledCap.id(), f.municipality)
                }
            });
        }
        let hard_rows = rows.len();
        // Stage objectives, all as minimisation.
        let total = inst.total_weighted_hours(s);
        let filled: Expression = inst
            .pairs
            .iter()
            .zip(&x)
            .map(|(p, &v)| s.line_weight(p.role) * v)
            .sum();
        let unfilled = total - filled;

        let mut balance = Expression::from(0);
        for (n, need) in inst.needs.iter().enumerate() {
            let ph = &s.phases[need.phase];
            let name = format!("{}/{}:{}", s.projects[ph.project].id, ph.name, need.cluster);
            balance += need.weight;
            if need.qualifying.is_empty() {
                continue;
            }
            let c = vars.add(variable().min(0).max(1));
            all.push(c);
            var_names.push(format!("covered[{name}]"));
            rows.push(constraint!(c <= sum(&need.qualifying)));
            row_names.push(format!("cover[{name}]"));
            aux.push((c, Aux::Cover(n)));
            balance -= need.weight * c;
            if need.qualifying.len() > 1 && inst.stack_epsilon > 0.0 {
                let st = vars.add(variable().min(0));
                all.push(st);
                var_names.push(format!("stacked[{name}]"));
                rows.push(constraint!(st >= sum(&need.qualifying) - 1));
                row_names.push(format!("stack[{name}]"));
                aux.push((st, Aux::Stack(n)));
                balance += inst.stack_epsilon * st;
            }
        }

        let fit: Expression = inst
            .pairs
            .iter()
            .zip(&x)
            .map(|(p, &v)| -(p.fit + p.weight) * v)
            .sum();

        let mut placement: Expression = inst
            .pairs
            .iter()
            .zip(&x)
            .filter(|(p, _)| p.pooled)
            .map(|(_, &v)| v)
            .sum();
        for (c, cont) in inst.continuity.iter().enumerate() {
            let k = vars.add(variable().min(0).max(1));
            all.push(k);
            var_names.push(format!("continuity[{}#{c}]", s.people[cont.person].id));
            rows.push(constraint!(k <= sum(&cont.first)));
            row_names.push(format!(
                "continuity_first[{}#{c}]",
                s.people[cont.person].id
            ));
            rows.push(constraint!(k <= sum(&cont.second)));
            row_names.push(format!(
                "continuity_second[{}#{c}]",
                s.people[cont.person].id
            ));
            aux.push((k, Aux::Continuity(c)));
            placement -= k;
        }
        let objectives = vec![
            (Stage::Unfilled, unfilled),
            (Stage::Balance, balance),
            (Stage::Fit, fit),
            (Stage::Placement, placement),
        ];
        let mut row_stage = vec![None; hard_rows];
        for name in &row_names[hard_rows..] {
            row_stage.push(Some(if name.starts_with("continuity") {
                Stage::Placement
            } else {
                Stage::Balance
            }));
        }
        Milp {
            row_stage,
            vars,
            x,
            all,
            aux,
            rows,
            row_names,
            var_names,
            objectives,
        }
    }

    pub fn objective(&self, stage: Stage) -> &Expression {
        &self
            .objectives
            .iter()
            .find(|(s, _)| *s == stage)
            .expect("every stage has an objective")
            .1
    }

    /// Full variable values (in `all` order) for a pair selection: the
    /// auxiliaries take the values the objective wants (for warm starts).
    pub fn complete(&self, inst: &Instance, chosen: &[bool]) -> Vec<f64> {
        let val = |i: usize| if chosen[i] { 1.0 } else { 0.0 };
        let sum = |idx: &[usize]| idx.iter().map(|&i| val(i)).sum::<f64>();
        let mut by_var: HashMap<Variable, f64> = self
            .x
            .iter()
            .enumerate()
            .map(|(i, &v)| (v, val(i)))
            .collect();
        for (v, a) in &self.aux {
            let value = match a {
                Aux::Cover(n) => sum(&inst.needs[*n].qualifying).min(1.0),
                Aux::Stack(n) => (sum(&inst.needs[*n].qualifying) - 1.0).max(0.0),
                Aux::Project(g) => g.iter().map(|&i| val(i)).fold(0.0, f64::max),
                Aux::Continuity(c) => {
                    sum(&inst.continuity[*c].first).min(sum(&inst.continuity[*c].second))
                }
            };
            by_var.insert(*v, value);
        }
        self.all.iter().map(|v| by_var[v]).collect()
    }

    /// Evaluates a stage objective on values in `all` order.
    pub fn evaluate(&self, stage: Stage, values: &[f64]) -> f64 {
        let map: HashMap<Variable, f64> = self
            .all
            .iter()
            .copied()
            .zip(values.iter().copied())
            .collect();
        self.objective(stage).eval_with(&map)
    }

    /// Which pairs a solution chooses.
    pub fn chosen(&self, values: &[f64]) -> Vec<bool> {
        values[..self.x.len()].iter().map(|&v| v > 0.5).collect()
    }

    /// The hard rows plus the rows that define the auxiliaries of `stages`.
    pub fn rows_for(&self, stages: &[Stage]) -> Vec<Constraint> {
        self.rows
            .iter()
            .zip(&self.row_stage)
            .filter(|(_, st)| st.is_none_or(|st| stages.contains(&st)))
            .map(|(r, _)| r.clone())
            .collect()
    }

    /// [`Milp::rows_for`] with each row's name.
    pub fn rows_named_for(&self, stages: &[Stage]) -> Vec<(&Constraint, &str)> {
        self.rows
            .iter()
            .zip(&self.row_names)
            .zip(&self.row_stage)
            .filter(|(_, st)| st.is_none_or(|st| stages.contains(&st)))
            .map(|((r, n), _)| (r, n.as_str()))
            .collect()
    }

    pub fn num_rows(&self) -> usize {
        self.rows.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{eligible_pairs, Instance};

    /// The demo and a generated scenario with pooling, pool shares and
    /// concurrent-project limits.
    fn scenarios() -> Vec<Scenario> {
        let demo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo");
        let tmp = tempfile::tempdir().unwrap();
        let g = crate::generate::generate(&crate::generate::GenerateParams {
            people: 120,
            municipalities: 4,
            projects: None,
            seed: 3,
            load: None,
        })
        .unwrap();
        g.write_to(tmp.path()).unwrap();
        vec![
            crate::input::load(&demo).unwrap(),
            crate::input::load(tmp.path()).unwrap(),
        ]
    }

    #[test]
    fn rows_are_counted_without_building_the_model() {
        for s in scenarios() {
            let parts = Instance::split(&s, eligible_pairs(&s));
            assert!(parts.len() > 1);
            for inst in parts {
                assert_eq!(inst.rows(&s), Milp::build(&s, &inst).num_rows());
            }
        }
    }

    #[test]
    fn the_heuristic_counts_each_stage_as_the_model_does() {
        for s in scenarios() {
            let order = s.settings.order.clone();
            for inst in Instance::split(&s, eligible_pairs(&s)) {
                let chosen = crate::solve::heuristic::plan(
                    &s,
                    &inst,
                    &order,
                    &[],
                    2,
                    std::time::Instant::now() + std::time::Duration::from_secs(5),
                );
                let milp = Milp::build(&s, &inst);
                let values = milp.complete(&inst, &chosen);
                let counted = crate::solve::heuristic::stage_values(&s, &inst, &order, &chosen);
                for (k, &st) in order.iter().enumerate() {
                    let built = milp.evaluate(st, &values);
                    assert!(
                        (built - counted[k]).abs() < 1e-6 * built.abs().max(1.0),
                        "{}: {built} against {}",
                        st.id(),
                        counted[k]
                    );
                }
            }
        }
    }
}
