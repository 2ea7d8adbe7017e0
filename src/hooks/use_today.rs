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
            let steps: Vec<Step> = db
                .entries::<Step>(doc_id::STEP_PREFIX)
                .await?
                .iter()
                .filter_map(Entry::ok)
                .cloned()
                .collect();
            let today = data::today();
            let mut damaged = Vec::new();
            let mut jobs = Vec::new();
            for e in orders {
                match e {
                    Entry::Ok { value: order, .. } => {
                        let mine: Vec<Step> = steps
                            .iter()
                            .filter(|s| s.job == order.view.job)
                            .cloned()
                            .collect();
                        jobs.push(JobCardData {
                            status: shown_status(&order, &mine),
                            order,
                        });
                    }
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
            let days = [today, today + Duration::days(1)]
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
