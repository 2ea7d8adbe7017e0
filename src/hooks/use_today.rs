//! The worker's jobs for today and tomorrow, as cards read from the dispatch orders
//! (privacy-projected), with what the worker recorded on each. Damaged records are listed,
//! never dropped.

use super::use_db_query;
use crate::data::{self, Entry};
use crate::error::AppError;
use chrono::{Duration, NaiveDate};
use doorstep_core::model::{doc_id, JobStatus};
use doorstep_core::step::{shown_status_of, DispatchOrderCard, StepMark};
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct JobCardData {
    /// Only what the card shows of the stored order.
    pub order: DispatchOrderCard,
    pub status: JobStatus,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DayJobs {
    pub date: NaiveDate,
    pub jobs: Vec<JobCardData>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Today {
    pub days: Vec<DayJobs>,
    /// Orders that cannot be read: `(document id, reason)`.
    pub damaged: Vec<(String, String)>,
}

pub fn use_today() -> LocalResource<Result<Today, AppError>> {
    use_db_query(|db| {
        let prefixes = vec![
            doc_id::ORDER_PREFIX.to_owned(),
            doc_id::STEP_PREFIX.to_owned(),
        ];
        (prefixes, async move {
            // Today's and tomorrow's orders by the store's index (never every order on the
            // device), and orders whose start cannot be read, to show them as damaged.
            let today = data::today();
            let (lo, hi) = doc_id::order_days(today, 2);
            let unplaced_hi = format!("{}\u{0}", doc_id::ORDER_UNPLACED);
            // Both ranges at once (one round trip).
            let (orders, placed) = futures::future::join(
                db.entries_by_key::<DispatchOrderCard>(doc_id::ORDER_UNPLACED, &unplaced_hi),
                db.entries_by_key::<DispatchOrderCard>(&lo, &hi),
            )
            .await;
            let mut orders = orders?;
            orders.extend(placed?);
            let days = [today, today + Duration::days(1)];
            let mut damaged = Vec::new();
            let mut shown = Vec::new();
            for e in orders {
                match e {
                    Entry::Ok { value, .. } if days.contains(&value.view.start.date()) => {
                        shown.push(value)
                    }
                    Entry::Ok { .. } => {}
                    Entry::Damaged { id, reason } => damaged.push((id, reason)),
                }
            }
            // The shown jobs' steps (by prefix, not every step), in one read.
            let prefixes: Vec<String> = shown
                .iter()
                .map(|o| doc_id::steps_of(o.view.job.as_str()))
                .collect();
            let prefixes: Vec<&str> = prefixes.iter().map(String::as_str).collect();
            // Read as plain JSON: the list needs only each step's mark.
            let steps = db.entries_many::<serde_json::Value>(&prefixes).await?;
            let mut jobs: Vec<JobCardData> = shown
                .into_iter()
                .zip(steps)
                .map(|(order, steps)| {
                    let marks = steps.iter().filter_map(Entry::ok).map(StepMark::of_json);
                    JobCardData {
                        status: shown_status_of(order.view.status, marks),
                        order,
                    }
                })
                .collect();
            jobs.sort_by(|a, b| {
                a.order
                    .view
                    .start
                    .cmp(&b.order.view.start)
                    .then_with(|| a.order.view.job.cmp(&b.order.view.job))
            });
            let days = days
                .iter()
                .map(|d| DayJobs {
                    date: *d,
                    jobs: jobs
                        .iter()
                        .filter(|j| j.order.view.start.date() == *d)
                        .cloned()
                        .collect(),
                })
                .collect();
            Ok(Today { days, damaged })
        })
    })
}
