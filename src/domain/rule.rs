//! The hard rules of a plan and the guarantees to municipalities, by one
//! name each. The model's rows, the eligibility test, the checker, the
//! explanations and the documentation all speak of a rule by this enum;
//! each keeps its own logic.

use serde::{Serialize, Serializer};

/// One hard rule or guarantee.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A plan names slot 1 … count of a role line, no other.
    SlotExists,
    /// No two people in one slot (the model's `fill` row: at most count
    /// people in a line).
    SlotFilledOnce,
    /// A person holds at most one place in a phase team.
    OneRolePerPhase,
    /// The person has the line's discipline.
    Discipline,
    /// The person's level in the line's expertise field reaches the level
    /// the line asks.
    RequiredExpertise,
    /// The person is available over the phase's dates.
    Availability,
    /// The most specific preference row does not exclude the pair.
    ExcludedPair,
    /// A person working outside their municipality is poolable and the two
    /// municipalities are linked under the pooling mode.
    PoolRule,
    /// Hours written in a plan equal the pair's hours.
    HoursAsPlanned,
    /// In every planning period, the hours of a person's active phases fit
    /// their weekly hours.
    WeeklyCapacity,
    /// In every period, a person's pooled hours stay within their pool
    /// share of their weekly hours.
    PoolShare,
    /// In every period, a person works in at most `max_projects` projects.
    ConcurrentProjects,
    /// With `keep_home_member`, a team with a pooled member has a member
    /// from the project's municipality.
    HomeMember,
    /// Guarantee: in every period, a municipality lends out at most
    /// `max_net_lend` hours a week net.
    NetLendingCap,
    /// Guarantee: a municipality's open required role-hours stay within its
    /// cap (its figure alone, with `--no-one-loses`).
    UnfilledCap,
}

impl Rule {
    /// Every rule, in the order the checker and the docs list them.
    pub const ALL: [Rule; 15] = [
        Rule::SlotExists,
        Rule::SlotFilledOnce,
        Rule::OneRolePerPhase,
        Rule::Discipline,
        Rule::RequiredExpertise,
        Rule::Availability,
        Rule::ExcludedPair,
        Rule::PoolRule,
        Rule::HoursAsPlanned,
        Rule::WeeklyCapacity,
        Rule::PoolShare,
        Rule::ConcurrentProjects,
        Rule::HomeMember,
        Rule::NetLendingCap,
        Rule::UnfilledCap,
    ];

    /// The key in JSON and CSV, and the prefix of the model's rows for the
    /// rule where it has rows.
    pub fn id(self) -> &'static str {
        match self {
            Rule::SlotExists => "slot_exists",
            Rule::SlotFilledOnce => "fill",
            Rule::OneRolePerPhase => "one_role",
            Rule::Discipline => "discipline",
            Rule::RequiredExpertise => "expertise",
            Rule::Availability => "availability",
            Rule::ExcludedPair => "excluded",
            Rule::PoolRule => "pool_rule",
            Rule::HoursAsPlanned => "hours_as_planned",
            Rule::WeeklyCapacity => "capacity",
            Rule::PoolShare => "pool_share",
            Rule::ConcurrentProjects => "max_projects",
            Rule::HomeMember => "home_member",
            Rule::NetLendingCap => "net_lend",
            Rule::UnfilledCap => "unfilled_cap",
        }
    }

    /// The words a user reads.
    pub fn title(self) -> &'static str {
        match self {
            Rule::SlotExists => "Slot exists",
            Rule::SlotFilledOnce => "Slot filled once",
            Rule::OneRolePerPhase => "One role per phase team",
            Rule::Discipline => "Discipline",
            Rule::RequiredExpertise => "Required expertise",
            Rule::Availability => "Availability",
            Rule::ExcludedPair => "Excluded pair",
            Rule::PoolRule => "Pool rule",
            Rule::HoursAsPlanned => "Hours as planned",
            Rule::WeeklyCapacity => "Weekly capacity",
            Rule::PoolShare => "Pool share",
            Rule::ConcurrentProjects => "Concurrent projects",
            Rule::HomeMember => "Home member",
            Rule::NetLendingCap => "Net lending cap",
            Rule::UnfilledCap => "Unfilled cap",
        }
    }

    /// The same in Dutch, for the report.
    pub fn title_nl(self) -> &'static str {
        match self {
            Rule::SlotExists => "Plek bestaat",
            Rule::SlotFilledOnce => "Plek één keer bezet",
            Rule::OneRolePerPhase => "Eén rol per faseteam",
            Rule::Discipline => "Discipline",
            Rule::RequiredExpertise => "Vereiste expertise",
            Rule::Availability => "Beschikbaarheid",
            Rule::ExcludedPair => "Uitgesloten combinatie",
            Rule::PoolRule => "Poolregel",
            Rule::HoursAsPlanned => "Uren zoals gepland",
            Rule::WeeklyCapacity => "Uren per week",
            Rule::PoolShare => "Pooldeel",
            Rule::ConcurrentProjects => "Gelijktijdige projecten",
            Rule::HomeMember => "Lid uit eigen gemeente",
            Rule::NetLendingCap => "Grens netto uitlenen",
            Rule::UnfilledCap => "Grens open werk",
        }
    }

    /// A guarantee to a municipality, asked for by a director; a plan that
    /// misses one is reported, not refused.
    pub fn is_guarantee(self) -> bool {
        matches!(self, Rule::NetLendingCap | Rule::UnfilledCap)
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.title())
    }
}

/// In JSON a rule reads as its title, as it always has.
impl Serialize for Rule {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.title())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_titles_are_unique_and_all_is_complete() {
        let ids: std::collections::BTreeSet<&str> = Rule::ALL.iter().map(|r| r.id()).collect();
        let titles: std::collections::BTreeSet<&str> =
            Rule::ALL.iter().map(|r| r.title()).collect();
        assert_eq!((ids.len(), titles.len()), (15, 15));
        assert_eq!(
            Rule::ALL.iter().filter(|r| r.is_guarantee()).count(),
            2,
            "the two municipality guarantees"
        );
    }

    #[test]
    fn the_checker_table_in_the_model_docs_lists_every_rule() {
        let doc = include_str!("../../docs/model.md");
        let table = doc
            .split("## 8. The independent checker")
            .nth(1)
            .expect("section 8");
        for r in Rule::ALL {
            assert!(
                table.contains(&format!("| {} | `{}` |", r.title(), r.id())),
                "docs/model.md section 8 lacks the row of {} ({})",
                r.title(),
                r.id()
            );
        }
    }
}
