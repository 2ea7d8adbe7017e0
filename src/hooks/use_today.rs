//! The worker's jobs for today and tomorrow, as dispatch orders (privacy-projected), with
//! what the worker recorded on each. Damaged records are listed, never dropped.

use super::use_db_query;
use crate::data::{self, Entry};
use crate::error::AppError;
use chrono::{Duration, NaiveDate};
use doorstep_core::model::{doc_id, JobStatus};
use doorstep_core::step::{shown_status, DispatchOrder, Step};
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct JobCardData {
    pub order: DispatchOrder,
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
            let orders = db.entries::<DispatchOrder>(doc_id::ORDER_PREFIX).await?;
            let today = data::today();
            let days = [today, today + Duration::days(1)];
            let mut damaged = Vec::new();
            let mut jobs = Vec::new();
            for e in orders {
                match e {
                    // Only the two days' jobs read their steps (by prefix, not every step).
                    Entry::Ok { value: order, .. } if days.contains(&order.view.start.date()) => {
                        let mine: Vec<Step> = db
                            .entries::<Step>(&doc_id::steps_of(order.view.job.as_str()))
                            .await?
                            .iter()
                            .filter_map(Entry::ok)
                            .cloned()
                            .collect();
                        jobs.push(JobCardData {
                            status: shown_status(&order, &mine),
                            order,
                        });
                    }
                    Entry::Ok { .. } => {}
                    Entry::Damaged { id, reason } => damaged.push((id, reason)),
                }
            }
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
