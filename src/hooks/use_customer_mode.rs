//! Customer mode: the phone is with the customer. A localStorage flag (`doorstep.customer`
//! = the job's id) that `boot.js` reads before the router starts and on every history move,
//! so a reload, the back button or a typed address all land on the customer's screen; the
//! rest of the app is `inert` and hidden while it shows. The customer's unfinished
//! signature, score and remarks are kept as a draft that survives a reload.

use doorstep_core::signature::Strokes;
use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

const KEY: &str = "doorstep.customer";
const DRAFT: &str = "doorstep.customer.draft";

/// What the customer has entered but not yet signed off.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerDraft {
    pub job: String,
    /// The acceptance round the draft belongs to.
    pub round: u32,
    pub name: String,
    pub remarks: String,
    pub items: String,
    pub score: Option<u8>,
    pub ink: Strokes,
}

/// The job whose customer screen is locked on, if any.
pub fn customer_job() -> Option<String> {
    LocalStorage::get::<String>(KEY)
        .ok()
        .filter(|j| !j.is_empty())
}

/// Locks the phone on `job`'s customer screen (navigate there next).
pub fn enter_customer_mode(job: &str) {
    let _ = LocalStorage::set(KEY, job);
    super::forget_step();
}

/// Unlocks (after the worker's PIN) and forgets the customer's draft.
pub fn leave_customer_mode() {
    LocalStorage::delete(KEY);
    LocalStorage::delete(DRAFT);
}

pub fn load_draft(job: &str, round: u32) -> Option<CustomerDraft> {
    LocalStorage::get::<CustomerDraft>(DRAFT)
        .ok()
        .filter(|d| d.job == job && d.round == round)
}

pub fn save_draft(draft: &CustomerDraft) {
    let _ = LocalStorage::set(DRAFT, draft);
}

pub fn clear_draft() {
    LocalStorage::delete(DRAFT);
}

/// While the element of `screen` is mounted, everything outside it (its ancestors'
/// other children) is `inert` and hidden; put back when it goes.
pub fn use_screen_lock(screen: NodeRef<leptos::html::Section>) {
    let locked: StoredValue<Vec<web_sys::Element>, leptos::prelude::LocalStorage> =
        StoredValue::new_local(Vec::new());
    Effect::new(move |_| {
        if let Some(el) = screen.get() {
            lock_when_attached(el.unchecked_into(), locked, 20);
        }
    });
    on_cleanup(move || {
        locked.update_value(|done| {
            for c in done.drain(..) {
                let _ = c.remove_attribute("inert");
                let _ = c.remove_attribute("data-customer-hidden");
            }
        });
    });
}

/// Locks the page around `el` once it is in the document (tried on the next frames).
fn lock_when_attached(
    el: web_sys::Element,
    locked: StoredValue<Vec<web_sys::Element>, leptos::prelude::LocalStorage>,
    tries: u32,
) {
    if !el.is_connected() {
        if tries > 0 {
            request_animation_frame(move || lock_when_attached(el, locked, tries - 1));
        }
        return;
    }
    let mut done = Vec::new();
    let mut node = el;
    while let Some(parent) = node.parent_element() {
        let children = parent.children();
        for i in 0..children.length() {
            let Some(c) = children.item(i) else { continue };
            let tag = c.tag_name();
            if c == node
                || matches!(
                    tag.as_str(),
                    "SCRIPT" | "LINK" | "STYLE" | "META" | "TITLE" | "HEAD"
                )
                || c.has_attribute("inert")
            {
                continue;
            }
            let _ = c.set_attribute("inert", "");
            let _ = c.set_attribute("data-customer-hidden", "");
            done.push(c);
        }
        if parent.tag_name() == "BODY" {
            break;
        }
        node = parent;
    }
    locked.update_value(|l| l.extend(done));
}
