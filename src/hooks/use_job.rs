//! One job as the current worker may see it, and the day-before confirmation.

use super::{use_db_query, Query};
use crate::context::{bump_db, use_db, use_worker};
use crate::data;
use doorstep_core::model::Confirmation;
use crate::error::AppError;
use chrono::NaiveDateTime;
use doorstep_core::model::{JobStatus, ServiceLine, WorkerId};
use doorstep_core::privacy;
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
    // What this worker may see is decided by the rules core's privacy projection: nothing of
    // another worker's job, and the customer's contact only from the day before until done.
    let view = match (customer.as_ref(), doc.assignment.as_ref()) {
        (Some(c), Some(a)) => privacy::for_worker(&doc.job, c, a, viewer, data::now(), &data::rules()),
        _ => None,
    }
    .ok_or_else(|| AppError::JobNotFound(id.to_owned()))?;
    let crew = view
        .crew
        .iter()
        .map(|b| CrewMember {
            badge: b.clone(),
            name: workers.iter().find(|w| &w.badge == b).map(|w| w.name.clone()).unwrap_or_default(),
            leader: &view.leader == b,
        })
        .collect();
    let contact = view.contact;
    Ok(JobView {
        id: view.job.0,
        start: view.start,
        end: view.end,
        items: view.items,
        status: view.status,
        district: view.district,
        customer_name: contact.as_ref().map_or(view.customer_masked, |c| c.name.clone()),
        address_detail: contact.as_ref().map(|c| c.address_detail.clone()),
        phone: contact.as_ref().map(|c| c.phone.clone()),
        special_requests: view.special_requests,
        notes: contact.map(|c| c.notes).unwrap_or_default(),
        crew,
        confirmation: doc.confirmation,
    })
}
