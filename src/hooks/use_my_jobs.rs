//! The current worker's jobs for today and tomorrow, grouped by day.

use super::{use_db_query, Query};
use crate::context::use_worker;
use crate::data;
use doorstep_core::model::JobDoc;
use chrono::{Duration, NaiveDate};
use doorstep_core::model::Customer;
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct DayJobs {
    pub date: NaiveDate,
    pub jobs: Vec<(JobDoc, Option<Customer>)>,
}

pub fn use_my_jobs() -> Query<Vec<DayJobs>> {
    let worker = use_worker();
    use_db_query(
        move || worker.get(),
        |w| async move {
            let today = data::today();
            let days = [today, today + Duration::days(1)];
            let jobs = data::jobs_of(&w, &days).await?;
            Ok(days
                .iter()
                .map(|d| DayJobs { date: *d, jobs: jobs.iter().filter(|(j, _)| j.job.window.start.date() == *d).cloned().collect() })
                .collect())
        },
    )
}
