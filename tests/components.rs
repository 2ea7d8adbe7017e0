//! The app's components, mounted in headless Chromium: render, interact, assert.
#![cfg(target_arch = "wasm32")]

use doorstep::components::{ErrorNote, JobCard, StatusChip};
use doorstep::context::{provide_app_context, use_lang};
use doorstep::error::AppError;
use doorstep::hooks::JobCardData;
use doorstep::pages::Settings;
use doorstep_core::model::{JobStatus, WorkerId};
use doorstep_core::step::DispatchOrder;
use doorstep_core::{demo, Lang, Rules};
use leptos::prelude::*;
use leptos_router::components::Router;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `f` in a fresh element of the page (language back at its default, zh-CN) and
/// returns that element.
fn mount<N: IntoView + 'static>(f: impl FnOnce() -> N + 'static) -> web_sys::HtmlElement {
    if let Ok(Some(storage)) = web_sys::window().expect("window").local_storage() {
        let _ = storage.remove_item("doorstep.lang");
    }
    let el: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("div")
        .unchecked_into();
    document()
        .body()
        .expect("body")
        .append_child(&el)
        .expect("append");
    leptos::mount::mount_to(el.clone(), f).forget();
    el
}

fn text(el: &web_sys::HtmlElement) -> String {
    el.text_content().unwrap_or_default()
}

/// Lets effects and async loads run.
async fn settle() {
    for _ in 0..5 {
        leptos::task::tick().await;
        sleep(20).await;
    }
}

async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |ok, _| {
        let _ = web_sys::window()
            .expect("window")
            .set_timeout_with_callback_and_timeout_and_arguments_0(&ok, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

fn order(job: &str, viewer: &str) -> DispatchOrder {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let now = day.and_hms_opt(8, 0, 0).expect("time");
    let docs = demo::dataset(day).worker_documents(&WorkerId::new(viewer), now, &Rules::default());
    let (_, body) = docs
        .into_iter()
        .find(|(id, _)| id == &format!("order:{job}"))
        .expect("order");
    serde_json::from_value(body).expect("order")
}

#[wasm_bindgen_test]
async fn status_chip_follows_the_language() {
    let lang = Rc::new(Cell::new(None));
    let l = lang.clone();
    let el = mount(move || {
        provide_app_context();
        l.set(Some(use_lang()));
        view! { <StatusChip status=JobStatus::Assigned /> }
    });
    assert_eq!(text(&el), "已派工");
    lang.get().expect("lang").set(Lang::En);
    settle().await;
    assert_eq!(text(&el), "Assigned");
}

#[wasm_bindgen_test]
async fn job_card_shows_the_projected_name_and_links_to_the_job() {
    let far = order("J-1007", "D001");
    let near = order("J-1004", "D001");
    let el = mount(move || {
        provide_app_context();
        view! {
            <Router>
                <JobCard job=JobCardData { status: JobStatus::Assigned, order: (&far).into() } />
                <JobCard job=JobCardData { status: JobStatus::Confirmed, order: (&near).into() } />
            </Router>
        }
    });
    let t = text(&el);
    assert!(t.contains("赵**"), "two days out the name is masked: {t}");
    assert!(!t.contains("赵先生"), "{t}");
    assert!(
        t.contains("吴先生") && t.contains("2人"),
        "tomorrow: full name and crew of two, as text: {t}"
    );
    assert!(!t.contains("1390000"), "no phone on a card: {t}");
    let link = el
        .query_selector("[data-job=J-1004]")
        .expect("query")
        .expect("card");
    assert_eq!(link.get_attribute("href").as_deref(), Some("/job/J-1004"));
}

#[wasm_bindgen_test]
async fn error_note_speaks_plainly() {
    let el = mount(move || {
        provide_app_context();
        view! { <ErrorNote error=AppError::JobNotOnDevice("J-9".into()) /> }
    });
    assert_eq!(
        text(&el),
        "本机没有工单 J-9：不是你的工单，或尚未同步到本机"
    );
    let alert = el.query_selector("[role=alert]").expect("query");
    assert!(alert.is_some(), "announced to screen readers");
}

#[wasm_bindgen_test]
async fn settings_asks_before_clearing_the_device() {
    let el = mount(move || {
        provide_app_context();
        view! { <Settings /> }
    });
    settle().await;
    let click = |sel: &str| {
        let b: web_sys::HtmlElement = el
            .query_selector(sel)
            .expect("query")
            .unwrap_or_else(|| panic!("{sel}"))
            .unchecked_into();
        b.click();
    };
    assert!(el.query_selector(".ds-confirm").expect("query").is_none());
    click("[data-action=reset]");
    settle().await;
    let confirm = el
        .query_selector(".ds-confirm")
        .expect("query")
        .expect("the warning shows");
    assert!(confirm
        .text_content()
        .unwrap_or_default()
        .contains("清除本机所有数据"));
    click("[data-action=cancel]");
    settle().await;
    assert!(
        el.query_selector(".ds-confirm").expect("query").is_none(),
        "cancel closes it and clears nothing"
    );
}

#[wasm_bindgen_test]
async fn stepper_counts_up_and_down_and_never_below_zero() {
    let value = RwSignal::new(1u32);
    let el = mount(move || {
        view! {
            <doorstep::components::Stepper
                label="抹布".to_owned()
                value=value.into()
                on_change=Callback::new(move |v| value.set(v))
                name="rag"
            />
        }
    });
    let click = |sel: &str| {
        el.query_selector(sel)
            .expect("query")
            .expect("button")
            .unchecked_into::<web_sys::HtmlElement>()
            .click()
    };
    let shown = || {
        el.query_selector("[data-count=rag]")
            .expect("query")
            .and_then(|o| o.text_content())
            .unwrap_or_default()
    };
    click("[data-more=rag]");
    settle().await;
    assert_eq!((value.get_untracked(), shown()), (2, "2".to_owned()));
    for _ in 0..3 {
        click("[data-less=rag]");
        settle().await;
    }
    assert_eq!((value.get_untracked(), shown()), (0, "0".to_owned()));
    let less: web_sys::HtmlButtonElement = el
        .query_selector("[data-less=rag]")
        .expect("query")
        .expect("button")
        .unchecked_into();
    assert!(less.disabled(), "− is disabled at zero");
    assert_eq!(
        el.query_selector("[role=group]")
            .expect("query")
            .and_then(|g| g.get_attribute("aria-label"))
            .as_deref(),
        Some("抹布")
    );
}
