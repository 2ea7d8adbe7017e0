//! One job as the current worker may see it, and the day-before confirmation.

use super::{use_db_query, Query};
use crate::context::{bump_db, use_db, use_worker};
use crate::data;
use doorstep_core::model::Confirmation;
use crate::error::AppError;
use chrono::NaiveDateTime;
use doorstep_core::model::{JobStatus, ServiceLine, WorkerId};
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct CrewMember {
    pub badge: WorkerId,
    pub name: String,
    pub leader: bool,
}

/// What the job page shows. The address detail and the phone are only present while the
/// privacy rule allows the viewer to see them.
#[derive(Clone, Debug, PartialEq)]
pub struct JobView {
    pub id: String,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub items: Vec<ServiceLine>,
    pub status: JobStatus,
    pub district: String,
    pub customer_name: String,
    pub address_detail: Option<String>,
    pub phone: Option<String>,
    pub special_requests: String,
    pub notes: String,
    pub crew: Vec<CrewMember>,
    pub confirmation: Option<Confirmation>,
}

pub struct UseJobReturn {
    pub job: Query<JobView>,
    /// Saves the day-before confirmation with a note.
    pub confirm: Callback<String>,
    pub saving: ReadSignal<bool>,
    pub save_error: ReadSignal<Option<AppError>>,
}

pub fn use_job(id: Signal<String>) -> UseJobReturn {
    let worker = use_worker();
    let db = use_db();
    let job = use_db_query(move || (id.get(), worker.get()), |(id, viewer)| async move { load(&id, &viewer).await });
    let (saving, set_saving) = signal(false);
    let (save_error, set_save_error) = signal(None);
    let confirm = Callback::new(move |note: String| {
        let id = id.get_untracked();
        let by = worker.get_untracked();
        set_saving.set(true);
        leptos::task::spawn_local(async move {
            let r = data::confirm_job(&id, &by, &note).await;
            set_saving.set(false);
            match r {
                Ok(()) => {
                    set_save_error.set(None);
                    bump_db(db);
                }
                Err(e) => set_save_error.set(Some(e)),
            }
        });
    });
    UseJobReturn { job, confirm, saving, save_error }
}

async fn load(id: &str, viewer: &WorkerId) -> Result<JobView, AppError> {
    let (doc, customer) = data::job(id).await?;
    let workers = data::workers().await?;
    let assignment = doc.assignment.as_ref();
    let own = assignment.is_some_and(|a| a.workers.contains(viewer));
    if !own {
        return Err(AppError::JobNotFound(id.to_owned()));
    }
    // Privacy: the detail address and the phone only from the day before the service until
    // the job is done.
    let day_before = doc.job.window.start.date() - chrono::Duration::days(i64::from(data::rules().confirmation_days_before));
    let active = doc.job.status.is_open() && data::today() >= day_before;
    let crew = assignment
        .map(|a| {
            a.workers
                .iter()
                .map(|b| CrewMember {
                    badge: b.clone(),
                    name: workers.iter().find(|w| &w.badge == b).map(|w| w.name.clone()).unwrap_or_default(),
                    leader: &a.leader == b,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(JobView {
        id: doc.job.id.0.clone(),
        start: doc.job.window.start,
        end: assignment.map_or(doc.job.window.end, |a| a.end),
        items: doc.job.items.clone(),
        status: doc.job.status,
        district: customer.as_ref().map(|c| c.address.district.clone()).unwrap_or_else(|| doc.job.zone.0.clone()),
        customer_name: customer.as_ref().map(|c| c.name.clone()).unwrap_or_default(),
        address_detail: customer.as_ref().filter(|_| active).map(|c| c.address.detail.clone()),
        phone: customer.as_ref().filter(|_| active).map(|c| c.phone.clone()),
        special_requests: doc.job.special_requests.clone(),
        notes: customer.map(|c| c.notes).unwrap_or_default(),
        crew,
        confirmation: doc.confirmation,
    })
}
