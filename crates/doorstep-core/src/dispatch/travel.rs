//! Zone-to-zone travel times.

use crate::config::Rules;
use crate::model::Zone;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One entry of the travel table: minutes between two zones, in either direction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TravelLeg {
    pub from: Zone,
    pub to: Zone,
    pub minutes: u32,
}

/// Zone-to-zone travel times in minutes.
///
/// * Lookups are symmetric: a leg `A → B` also answers `B → A`.
/// * A pair given more than once (in either direction) keeps the **longest** time, so the
///   table never depends on the order of its legs.
/// * The same zone is 0 minutes unless a leg `A → A` gives a (small) value.
/// * A pair missing from the table is [`Rules::default_travel_minutes`].
///
/// In JSON it is a plain list of legs: `[{"from":"浦东","to":"徐汇","minutes":40}, …]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Vec<TravelLeg>", into = "Vec<TravelLeg>")]
pub struct TravelTable {
    /// Keyed by the ordered pair (smaller zone, larger zone).
    pairs: BTreeMap<(Zone, Zone), u32>,
}

fn key(a: &Zone, b: &Zone) -> (Zone, Zone) {
    if a <= b {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    }
}

impl TravelTable {
    pub fn new() -> Self {
        TravelTable::default()
    }

    /// Adds a leg; if the pair is already known, the longer time is kept.
    pub fn add(&mut self, from: impl Into<Zone>, to: impl Into<Zone>, minutes: u32) {
        let (from, to) = (from.into(), to.into());
        let slot = self.pairs.entry(key(&from, &to)).or_insert(minutes);
        *slot = (*slot).max(minutes);
    }

    /// Builder form of [`TravelTable::add`].
    pub fn with(mut self, from: impl Into<Zone>, to: impl Into<Zone>, minutes: u32) -> Self {
        self.add(from, to, minutes);
        self
    }

    /// The time the table gives for this pair, if any (no defaults applied).
    pub fn get(&self, a: &Zone, b: &Zone) -> Option<u32> {
        if a <= b {
            self.pairs.get(&(a.clone(), b.clone())).copied()
        } else {
            self.pairs.get(&(b.clone(), a.clone())).copied()
        }
    }

    /// Travel minutes between two zones with the defaults applied: the table's value, else 0 for
    /// the same zone, else `rules.default_travel_minutes`.
    pub fn minutes(&self, a: &Zone, b: &Zone, rules: &Rules) -> u32 {
        match self.get(a, b) {
            Some(m) => m,
            None if a == b => 0,
            None => rules.default_travel_minutes,
        }
    }

    /// Every leg, in zone order (each pair once, `from <= to`).
    pub fn legs(&self) -> impl Iterator<Item = TravelLeg> + '_ {
        self.pairs.iter().map(|((from, to), &minutes)| TravelLeg {
            from: from.clone(),
            to: to.clone(),
            minutes,
        })
    }

    /// Borrowing view of every pair, for the planner's interning.
    pub(crate) fn pairs(&self) -> impl Iterator<Item = (&Zone, &Zone, u32)> + '_ {
        self.pairs.iter().map(|((a, b), &m)| (a, b, m))
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

impl From<Vec<TravelLeg>> for TravelTable {
    fn from(legs: Vec<TravelLeg>) -> Self {
        legs.into_iter().collect()
    }
}

impl From<TravelTable> for Vec<TravelLeg> {
    fn from(t: TravelTable) -> Self {
        t.legs().collect()
    }
}

impl FromIterator<TravelLeg> for TravelTable {
    fn from_iter<I: IntoIterator<Item = TravelLeg>>(iter: I) -> Self {
        let mut t = TravelTable::new();
        for leg in iter {
            t.add(leg.from, leg.to, leg.minutes);
        }
        t
    }
}
