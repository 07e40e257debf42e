//! When a piece of search stops. With a work budget it stops after a
//! counted amount of work (changes the local search makes, pricing rounds,
//! branch-and-bound nodes), so the same input and budget give the same plan
//! on any machine and under any load; the wall clock then only guards
//! against a run that would take far too long, and says so when it fires.
//! Without a budget the search stops at a wall-clock deadline, as fast
//! machines then find better plans within the same time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// A stopping rule: work units, a deadline, or both.
#[derive(Clone, Debug)]
pub struct Limit {
    deadline: Instant,
    /// Work units this piece may spend; `u64::MAX` without a budget.
    work: u64,
    /// Set when a work-budgeted piece stopped at the deadline instead: the
    /// result then depends on the machine.
    cut: Option<Arc<AtomicBool>>,
}

impl Limit {
    /// Stop at `deadline` only.
    pub fn until(deadline: Instant) -> Limit {
        Limit {
            deadline,
            work: u64::MAX,
            cut: None,
        }
    }

    /// Stop after `work` units; `deadline` is the safety net, and reaching
    /// it sets `cut`.
    pub fn work(work: u64, deadline: Instant, cut: Arc<AtomicBool>) -> Limit {
        Limit {
            deadline,
            work,
            cut: Some(cut),
        }
    }

    /// True when a work budget drives this limit.
    pub fn counts_work(&self) -> bool {
        self.cut.is_some()
    }

    /// The budget in units (`u64::MAX` without one).
    pub fn units(&self) -> u64 {
        self.work
    }

    /// The same limit with `work` units (or, without a budget, as is).
    pub fn with_units(&self, work: u64) -> Limit {
        let mut l = self.clone();
        if l.counts_work() {
            l.work = work;
        }
        l
    }

    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Stop now, having spent `spent` units?
    pub fn reached(&self, spent: u64) -> bool {
        if spent >= self.work {
            return true;
        }
        self.past_deadline()
    }

    /// Past the deadline (for a budgeted limit: the safety net fired).
    pub fn past_deadline(&self) -> bool {
        if Instant::now() <= self.deadline {
            return false;
        }
        if let Some(cut) = &self.cut {
            cut.store(true, Ordering::Relaxed);
        }
        true
    }
}

impl From<Instant> for Limit {
    fn from(deadline: Instant) -> Limit {
        Limit::until(deadline)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_budget_stops_at_its_units_and_the_deadline_only_marks_a_cut() {
        let cut = Arc::new(AtomicBool::new(false));
        let far = Instant::now() + Duration::from_secs(3600);
        let l = Limit::work(10, far, cut.clone());
        assert!(!l.reached(9) && l.reached(10));
        assert!(!cut.load(Ordering::Relaxed));
        let past = Limit::work(10, Instant::now() - Duration::from_secs(1), cut.clone());
        assert!(past.reached(0));
        assert!(cut.load(Ordering::Relaxed), "the safety net fired");
        let clock = Limit::until(Instant::now() - Duration::from_secs(1));
        assert!(clock.reached(0) && !clock.counts_work());
    }
}
