//! Skills held jointly by a crew, shared by both planners and [`super::check_manual`].
//!
//! A job whose every service line is listed in [`crate::Rules::joint_skill_services`], with a
//! crew of two or more and no more distinct skills than workers, is served **jointly**: its
//! skills must be *shared out* among distinct members, each member counted once (taking one
//! skill they hold). So two skills and a crew of two need one member for each; one all-rounder
//! does not cover for a helper. Any other job keeps the individual rule: every member holds
//! every skill. A crew of two or more still needs a qualified leader either way.

use crate::config::Rules;
use crate::model::{Job, Skill};

/// The job's distinct skills, in the job's order.
pub(crate) fn distinct_skills(job: &Job) -> Vec<&Skill> {
    let mut out: Vec<&Skill> = Vec::new();
    for s in &job.skills {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// Is `job` served jointly under `rules` (see the module documentation)?
pub fn is_joint(job: &Job, rules: &Rules) -> bool {
    joint_with(job, &rules.joint_skill_services)
}

/// [`is_joint`] with the rule's list of services.
pub(crate) fn joint_with(job: &Job, services: &[String]) -> bool {
    job.crew_size >= 2
        && !job.items.is_empty()
        && job.items.iter().all(|l| services.contains(&l.code))
        && distinct_skills(job).len() <= usize::from(job.crew_size)
}

/// Shares out `need` skills (0..need) among `members` (0..members), each member taking at
/// most one skill it holds (`has(member, skill)`): a maximum bipartite matching. Returns the
/// skills left without a member (empty: the crew holds them jointly).
pub(crate) fn unshared(
    need: usize,
    members: usize,
    has: impl Fn(usize, usize) -> bool,
) -> Vec<usize> {
    // owner[m] = the skill member m took.
    let mut owner: Vec<Option<usize>> = vec![None; members];
    let mut left = Vec::new();
    for s in 0..need {
        let mut seen = vec![false; members];
        if !augment(s, &has, &mut owner, &mut seen) {
            left.push(s);
        }
    }
    left
}

fn augment(
    s: usize,
    has: &impl Fn(usize, usize) -> bool,
    owner: &mut [Option<usize>],
    seen: &mut [bool],
) -> bool {
    for m in 0..owner.len() {
        if !has(m, s) || seen.get(m).copied().unwrap_or(true) {
            continue;
        }
        if let Some(x) = seen.get_mut(m) {
            *x = true;
        }
        let took = owner.get(m).copied().flatten();
        if took.is_none_or(|o| augment(o, has, owner, seen)) {
            if let Some(x) = owner.get_mut(m) {
                *x = Some(s);
            }
            return true;
        }
    }
    false
}

/// How many leaders [`pick`] tries for a crew holding skills jointly (a bound on the work of
/// one insertion; a crew it misses is one the search may still find from another start).
pub(crate) const LEADERS_TRIED: usize = 4;

/// Picks a crew of `k` among candidates `0..n` in order of preference: the first leader
/// (`leader`), then the first others, never two that `clash` (the same worker). With `need`
/// skills to share out (`has(candidate, skill)`; 0: none, every candidate qualifies alone),
/// members who take a skill not yet shared out come first, and each leader is tried in turn
/// (the first [`LEADERS_TRIED`]) until the crew holds the skills jointly. Returns the
/// candidates chosen, leader first.
pub(crate) fn pick(
    n: usize,
    k: usize,
    leader: impl Fn(usize) -> bool,
    clash: impl Fn(usize, usize) -> bool,
    need: usize,
    has: impl Fn(usize, usize) -> bool,
) -> Option<Vec<usize>> {
    let mut chosen: Vec<usize> = Vec::with_capacity(k);
    for lead in (0..n).filter(|&c| leader(c)).take(LEADERS_TRIED) {
        chosen.clear();
        chosen.push(lead);
        if need > 0 {
            let mut missing = unshared(need, 1, |_, s| has(lead, s)).len();
            while missing > 0 && chosen.len() < k {
                let next = (0..n).find_map(|c| {
                    if chosen.iter().any(|&x| x == c || clash(x, c)) {
                        return None;
                    }
                    chosen.push(c);
                    let m = unshared(need, chosen.len(), |i, s| {
                        chosen.get(i).is_some_and(|&x| has(x, s))
                    })
                    .len();
                    chosen.pop();
                    (m < missing).then_some((c, m))
                });
                let Some((c, m)) = next else { break };
                chosen.push(c);
                missing = m;
            }
            if missing > 0 {
                continue;
            }
        }
        for c in 0..n {
            if chosen.len() == k {
                break;
            }
            if !chosen.iter().any(|&x| x == c || clash(x, c)) {
                chosen.push(c);
            }
        }
        if chosen.len() == k {
            return Some(chosen);
        }
        if need == 0 {
            // Without skills to share, another leader cannot make the crew larger.
            return None;
        }
    }
    None
}
