//! The office's board (`/office`), a second surface of the app in a wasm module of its own:
//! the office account's login, sync status, every job with its crew, the steps the crew
//! recorded and the signed records, and a note for the crew (which reaches their phones by
//! sync and the relay). The console's booking, dispatch board and reports will grow here.

use super::job::{damage_step_label, step_line};
use crate::components::StatusChip;
use crate::context::use_lang;
use crate::hooks::{use_office, use_title, BoardJob, OfficeDone, NOTE_MAX};
use crate::i18n::office::office_strings;
use crate::i18n::{date_label, failure_text, hm, md_hm, use_t};
use leptos::html;
use leptos::prelude::*;

lazy_screen! {
    /// The office's board: a lazy route of its own module (see `lazy_screen!`).
    office: OfficeRoute => Office via office_view, preload_office_view
}

#[component]
pub fn Office() -> impl IntoView {
    let lang = use_lang();
    let office = use_office();
    let ot = move || office_strings(lang.get());
    use_title(move || ot().title.to_owned());
    let (name, set_name) = signal(String::new());
    let (password, set_password) = signal(String::new());
    // The job whose note is being written, with the note it had: the editor stands apart
    // from the board, so a sync that refreshes the board never resets what is typed.
    let editing = RwSignal::new(None::<(String, String)>);
    let note_input = NodeRef::<html::Textarea>::new();
    let submit = move || {
        let pw = password.get_untracked();
        set_password.set(String::new());
        office.login.run((name.get_untracked(), pw));
    };
    // The editor closes once the note is saved; on an error it stays, with what was typed.
    Effect::new(move || {
        if matches!(office.outcome.get(), Some(Ok(OfficeDone::NoteSaved))) {
            editing.set(None);
        }
    });
    let signed_in = move || matches!(office.account.get(), Some(Some(_)));
    view! {
        <header class="ds-page-head"><h1>{move || ot().title}</h1></header>
        {move || office.failed.get().map(|e| view! { <p class="ds-error" role="alert">{e.message(lang.get())}</p> })}
        {move || match office.account.get() {
            None => view! { <p class="ds-sub">{ot().opening}</p> }.into_any(),
            Some(None) => view! {
                <section class="ds-card" data-office-login>
                    <p class="ds-sub">{ot().intro}</p>
                    <label class="ds-field">
                        <span>{ot().name}</span>
                        <input type="text" autocomplete="username" data-office-name
                            prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev)) />
                    </label>
                    <label class="ds-field">
                        <span>{ot().password}</span>
                        <input type="password" autocomplete="current-password" data-office-password
                            prop:value=password on:input=move |ev| set_password.set(event_target_value(&ev))
                            on:keydown=move |ev| if ev.key() == "Enter" { submit() } />
                    </label>
                    <button class="ds-button ds-button--primary" data-action="office-login" disabled=move || office.busy.get()
                        on:click=move |_| submit()>
                        {move || if office.busy.get() { ot().logging_in } else { ot().login }}
                    </button>
                </section>
            }.into_any(),
            Some(Some(acct)) => view! {
                <section class="ds-card" data-office-user=acct.name.clone()>
                    <p>{format!("{}{} · {}", ot().logged_in_as, acct.name, acct.db)}</p>
                    {move || {
                        let s = office.status.get();
                        let t = ot();
                        view! {
                            <p data-office-running=s.running.to_string() data-office-last=s.last_sync.map(hm).unwrap_or_default()>
                                {if s.running { t.running.to_owned() } else { format!("{}{}", t.last_sync, s.last_sync.map(md_hm).unwrap_or_else(|| t.never.to_owned())) }}
                            </p>
                            <p data-office-pending=s.pending.map(|n| n.to_string()).unwrap_or_default()>
                                {match s.pending {
                                    Some(0) => t.all_synced.to_owned(),
                                    Some(n) => format!("{}{n}", t.pending),
                                    None => String::new(),
                                }}
                            </p>
                            {s.problem.map(|p| view! {
                                <p class="ds-error" role="alert" data-office-problem=p.kind()>{crate::i18n::problem_text(&p, lang.get())}</p>
                            })}
                        }
                    }}
                    <div class="ds-row">
                        <button class="ds-button ds-button--primary" data-action="office-sync" on:click=move |_| office.sync_now.run(())>{move || ot().sync_now}</button>
                        <button class="ds-button" data-action="office-logout" disabled=move || office.busy.get() on:click=move |_| office.logout.run(())>{move || ot().logout}</button>
                    </div>
                </section>
            }.into_any(),
        }}
        {move || office.outcome.get().map(|o| match o {
            Ok(OfficeDone::NoteSaved) => view! { <p class="ds-ok" role="status" data-office-outcome="saved">{ot().saved}</p> }.into_any(),
            Ok(OfficeDone::LoggedOut) => view! { <p class="ds-ok" role="status" data-office-outcome="out">{ot().logged_out}</p> }.into_any(),
            Ok(OfficeDone::LoggedIn) => ().into_any(),
            Err(e) => view! { <p class="ds-error" role="alert" data-office-outcome="error">{failure_text(&e, lang.get())}</p> }.into_any(),
        })}
        {move || editing.get().map(|(job, note)| {
            let save_job = job.clone();
            view! {
                <section class="ds-card" data-office-editor=job.clone()>
                    <label class="ds-field">
                        <span>{format!("{} · {job}", ot().note)}</span>
                        <textarea node_ref=note_input maxlength=NOTE_MAX rows="3" data-office-note-input>{note}</textarea>
                    </label>
                    <div class="ds-row">
                        <button class="ds-button ds-button--primary" data-action="office-save-note" disabled=move || office.busy.get()
                            on:click=move |_| {
                                let text = note_input.get_untracked().map(|t| t.value()).unwrap_or_default();
                                office.save_note.run((save_job.clone(), text));
                            }>{move || ot().save}</button>
                        <button class="ds-button" on:click=move |_| editing.set(None)>{move || ot().cancel}</button>
                    </div>
                </section>
            }
        })}
        <Show when=signed_in>
            {move || {
                // Again in the other language when it is switched.
                lang.track();
                match office.board.get() {
                    None => view! { <p class="ds-sub">{ot().opening}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="ds-error" role="alert">{e.message(lang.get())}</p> }.into_any(),
                    Some(Ok(board)) => view! {
                        {(!board.damaged.is_empty()).then(|| view! {
                            <p class="ds-error" role="alert" data-office-damaged=board.damaged.len()>{format!("{} {}", ot().damaged, board.damaged.join("、"))}</p>
                        })}
                        {if board.jobs.is_empty() {
                            view! { <p class="ds-empty">{ot().no_jobs}</p> }.into_any()
                        } else {
                            by_day(board.jobs).into_iter().map(|(day, jobs)| view! {
                                <section class="ds-day" data-office-day=day.to_string()>
                                    <h2 class="ds-day__title">
                                        {date_label(day, lang.get_untracked())}
                                        <span class="ds-day__count">{jobs.len().to_string()}</span>
                                    </h2>
                                    <ul class="ds-office-board">
                                        {jobs.into_iter().map(|job| view! { <BoardCard job editing /> }).collect_view()}
                                    </ul>
                                </section>
                            }).collect_view().into_any()
                        }}
                    }.into_any(),
                }
            }}
        </Show>
    }
}

/// The board's jobs (in start order) by the day they start on.
fn by_day(jobs: Vec<BoardJob>) -> Vec<(chrono::NaiveDate, Vec<BoardJob>)> {
    let mut days: Vec<(chrono::NaiveDate, Vec<BoardJob>)> = Vec::new();
    for job in jobs {
        let day = job.start.date();
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push(job),
            _ => days.push((day, vec![job])),
        }
    }
    days
}

/// One job on the board.
#[component]
fn BoardCard(job: BoardJob, editing: RwSignal<Option<(String, String)>>) -> impl IntoView {
    let lang = use_lang();
    let t = use_t();
    let damage_label = damage_step_label();
    let l = lang.get_untracked();
    let ot = office_strings(l);
    let s = t.get_untracked();
    let BoardJob {
        id,
        start,
        end,
        customer,
        district,
        crew,
        status,
        special_requests,
        steps,
        records,
    } = job;
    let edit = (id.clone(), special_requests.clone());
    view! {
        <li class="ds-card" data-office-job=id.clone()>
            <div class="ds-row">
                <strong>{id.clone()}</strong>
                <StatusChip status />
            </div>
            <p>{format!("{}–{} · ", md_hm(start), hm(end))}<span class="ds-user-text">{customer}</span>{format!(" · {district}")}</p>
            <p class="ds-sub" data-office-crew>{if crew.is_empty() { ot.unassigned.to_owned() } else { crew.join("、") }}</p>
            {(!special_requests.is_empty()).then(|| view! {
                <p data-office-note>{format!("{}：", ot.note)}<span class="ds-user-text">{special_requests}</span></p>
            })}
            {if steps.is_empty() {
                view! { <p class="ds-sub" data-office-steps="0">{ot.no_steps}</p> }.into_any()
            } else {
                let count = steps.len();
                view! {
                    <ol class="ds-log" data-office-steps=count>
                        {steps.into_iter().map(|(step_id, step)| {
                            let (what, text) = step_line(&step.step, s, l, damage_label.get_untracked());
                            view! {
                                <li class="ds-log__item" data-step=step_id>
                                    <span class="ds-log__what">{what}</span>
                                    <span class="ds-sub">{format!("{} · {}", md_hm(step.at), step.by)}</span>
                                    {(!text.is_empty()).then(|| view! { <span class="ds-user-text">{text}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <p class="ds-sub" data-office-records=records>{format!("{}{records}", ot.records)}</p>
            <button class="ds-button" data-action="office-edit-note" on:click=move |_| editing.set(Some(edit.clone()))>{ot.edit_note}</button>
        </li>
    }
}
