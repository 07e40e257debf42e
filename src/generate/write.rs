//! Rendering a generated scenario as the files of a scenario folder
//! (scenario.toml and the CSV files, `,`-separated, `|` inside list cells).

use std::borrow::Cow;
use std::fmt::Write as _;

use super::lists::{DISCIPLINES, FIELDS, MUNICIPALITIES, POOLS};
use super::{Generated, GeneratedScenario};

const CLUSTER_HEADER: &str = "opgave,omgeving,chaos,eigenaarschap,verbinden";

/// Quotes a cell only when CSV needs it; generated text rarely does.
fn cell(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// Ids zero-padded to the width of the count (at least `min` digits).
fn id(prefix: char, i: usize, n: usize, min: usize) -> String {
    let width = n.to_string().len().max(min);
    format!("{prefix}{:0width$}", i + 1)
}

pub fn render(g: &Generated) -> GeneratedScenario {
    let pid = |i: usize| id('p', i, g.people.len(), 3);
    let jid = |i: usize| id('j', i, g.projects.len(), 2);
    // `write!` into a String cannot fail; the results are ignored on purpose.
    let mut files = Vec::new();

    files.push(("scenario.toml".to_string(), toml(g)));

    let mut s = format!(
        "id,name,organisation,municipality,disciplines,hours_per_week,available_from,available_until,max_projects,poolable,{CLUSTER_HEADER}\n"
    );
    for (i, p) in g.people.iter().enumerate() {
        let disciplines: Vec<&str> = p.disciplines.iter().map(|&d| DISCIPLINES[d].id).collect();
        let _ = write!(
            s,
            "{},{},{},{},{},{},{},{},{},{}",
            pid(i),
            cell(&p.name),
            cell(&p.organisation),
            cell(MUNICIPALITIES[p.municipality].name),
            cell(&disciplines.join("|")),
            p.hours,
            p.from.map(|d| d.to_string()).unwrap_or_default(),
            p.until.map(|d| d.to_string()).unwrap_or_default(),
            p.max_projects.map(|m| m.to_string()).unwrap_or_default(),
            p.poolable,
        );
        for v in p.scores {
            let _ = write!(s, ",{v:.1}");
        }
        s.push('\n');
    }
    files.push(("people.csv".to_string(), s));

    let mut s = String::from("person_id,field,level\n");
    for (i, p) in g.people.iter().enumerate() {
        for &(f, level) in &p.expertise {
            let _ = writeln!(s, "{},{},{level}", pid(i), FIELDS[f].0);
        }
    }
    files.push(("expertise.csv".to_string(), s));

    let mut s = String::from("id,name,municipality,area,priority\n");
    for (i, p) in g.projects.iter().enumerate() {
        let m = &MUNICIPALITIES[p.municipality];
        let _ = writeln!(
            s,
            "{},{},{},{},{}",
            jid(i),
            cell(&p.name),
            cell(m.name),
            cell(m.area),
            p.priority
        );
    }
    files.push(("projects.csv".to_string(), s));

    let mut s = format!("project_id,phase,start,end,{CLUSTER_HEADER}\n");
    for ph in &g.phases {
        let _ = write!(
            s,
            "{},{},{},{}",
            jid(ph.project),
            cell(&ph.name()),
            super::month_start(ph.start),
            super::month_end(ph.end)
        );
        for v in ph.needs {
            let _ = write!(s, ",{v}");
        }
        s.push('\n');
    }
    files.push(("phases.csv".to_string(), s));

    let mut s = String::from("project_id,phase,role,discipline,hours_per_week,count,expertise,expertise_level,required\n");
    for r in &g.roles {
        let ph = &g.phases[r.phase];
        // In generated data the role is named after its discipline.
        let d = cell(DISCIPLINES[r.discipline].id);
        let (field, level) = match r.expertise {
            Some((f, l)) => (FIELDS[f].0, l.to_string()),
            None => ("", String::new()),
        };
        let _ = writeln!(
            s,
            "{},{},{d},{d},{},{},{field},{level},{}",
            jid(ph.project),
            cell(&ph.name()),
            r.hours,
            r.count,
            r.required
        );
    }
    files.push(("roles.csv".to_string(), s));

    let mut s = String::from("pool,municipality\n");
    for (name, members) in POOLS {
        let present: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&m| m < g.municipalities)
            .collect();
        if present.len() >= 2 {
            for m in present {
                let _ = writeln!(s, "{},{}", cell(name), cell(MUNICIPALITIES[m].name));
            }
        }
    }
    files.push(("pools.csv".to_string(), s));

    let mut s = String::from("municipality,province\n");
    for (i, m) in MUNICIPALITIES.iter().enumerate().take(g.municipalities) {
        let used = g.people.iter().any(|p| p.municipality == i)
            || g.projects.iter().any(|p| p.municipality == i);
        if used {
            let _ = writeln!(s, "{},{}", cell(m.name), cell(m.province));
        }
    }
    files.push(("municipalities.csv".to_string(), s));

    let mut s = String::from("person_id,project_id,phase,role,allowed,weight,hours\n");
    for p in &g.preferences {
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{}",
            pid(p.person),
            jid(p.project),
            p.phase.map(|k| g.phases[k].name()).unwrap_or_default(),
            p.role.map(|d| cell(DISCIPLINES[d].id)).unwrap_or_default(),
            p.allowed,
            p.weight.map(|w| w.to_string()).unwrap_or_default(),
            p.hours.map(|h| h.to_string()).unwrap_or_default(),
        );
    }
    files.push(("preferences.csv".to_string(), s));

    GeneratedScenario { files }
}

fn toml(g: &Generated) -> String {
    let mut used = vec![false; DISCIPLINES.len()];
    for p in &g.people {
        for &d in &p.disciplines {
            used[d] = true;
        }
    }
    for r in &g.roles {
        used[r.discipline] = true;
    }
    let disciplines: Vec<String> = DISCIPLINES
        .iter()
        .zip(&used)
        .filter(|(_, &u)| u)
        .map(|(d, _)| format!("\"{}\"", d.id))
        .collect();
    format!(
        "# Synthetic scenario from ploeg's generator; all names are fictional.\n\
         name = \"{}\"\n\
         disciplines = [{}]\n\
         \n\
         [scale]\nmin = 1\nmax = 10\nexpertise_min = 1\nexpertise_max = 5\n\
         \n\
         [planning]\nperiod = \"month\"\n\
         \n\
         [objective]\norder = [\"unfilled\", \"balance\", \"fit\", \"placement\"]\n\
         \n\
         [solver]\ntime_limit = 60\n\
         \n\
         [pooling]\nmode = \"agreements\"\nmax_share = 0.5\nkeep_home_member = true\n",
        g.name,
        disciplines.join(", ")
    )
}
