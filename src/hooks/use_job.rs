//! One job with everything its screens need: the dispatch order (privacy-projected) and the
//! steps recorded on it; recording a new step.

use super::use_db_query;
use crate::context::use_db;
use crate::data::{self, Entry};
use crate::error::AppError;
use doorstep_core::flow::{progress, Progress};
use doorstep_core::model::{doc_id, JobStatus, WorkerId};
use doorstep_core::step::{day_before_call, shown_status, DispatchOrder, Step, StepKind};
use leptos::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct JobData {
    pub order: DispatchOrder,
    /// Recorded steps, oldest first; a damaged one in its place.
    pub steps: Vec<Entry<Step>>,
    pub status: JobStatus,
    /// The recorded day-before call, if any.
    pub call: Option<Step>,
    /// The worker whose device this is.
    pub me: WorkerId,
    /// Where the visit stands for this worker, and what blocks the next stage.
    pub progress: Progress,
    /// The order or a step holds another version beside the one shown (a sync conflict).
    pub conflict: bool,
}

#[derive(Clone, Copy)]
pub struct UseJobReturn {
    pub job: LocalResource<Result<JobData, AppError>>,
    /// Records a step; the result lands in `saving` / `save_error`.
    pub record: Callback<StepKind>,
    pub saving: ReadSignal<bool>,
    pub save_error: ReadSignal<Option<AppError>>,
}

pub fn use_job(id: Signal<String>) -> UseJobReturn {
    let job = use_db_query(move |db| {
        let id = id.get();
        let prefixes = vec![doc_id::order(&id), doc_id::steps_of(&id)];
        (prefixes, async move {
            let order = db
                .order(&id)
                .await?
                .ok_or_else(|| AppError::JobNotOnDevice(id.clone()))?;
            let mut steps = db.entries::<Step>(&doc_id::steps_of(&id)).await?;
            steps.sort_by_key(|e| e.ok().map(|s| s.at));
            let readable: Vec<Step> = steps.iter().filter_map(Entry::ok).cloned().collect();
            let call = day_before_call(&readable).cloned();
            let me = db.state().worker.clone();
            let order_id = doc_id::order(&id);
            let conflict = db.conflicted(&order_id).await?.contains(&order_id)
                || !db.conflicted(&doc_id::steps_of(&id)).await?.is_empty();
            Ok(JobData {
                conflict,
                progress: progress(&data::templates(), &order, &readable, &me),
                status: shown_status(&order, &readable),
                call,
                order,
                steps,
                me,
            })
        })
    });
    let db = use_db();
    let (saving, set_saving) = signal(false);
    let (save_error, set_save_error) = signal(None);
    let record = Callback::new(move |kind: StepKind| {
        // One write at a time: taps while a step is being saved do nothing.
        if saving.get_untracked() {
            return;
        }
        let Some(db) = db.get_untracked().db() else {
            return;
        };
        let id = id.get_untracked();
        set_saving.set(true);
        leptos::task::spawn_local(async move {
            let by = db.state().worker.clone();
            let r = db.record_step(&id, &by, kind).await;
            set_saving.set(false);
            set_save_error.set(r.err());
        });
    });
    UseJobReturn {
        job,
        record,
        saving,
        save_error,
    }
}
