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

/// Dispatches a pointer event of `kind` on `el`.
fn pointer(
    el: &web_sys::Element,
    kind: &str,
    id: i32,
    primary: bool,
    x: i32,
    y: i32,
    pressure: f32,
) {
    let init = web_sys::PointerEventInit::new();
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_pointer_id(id);
    init.set_is_primary(primary);
    init.set_pointer_type("touch");
    init.set_pressure(pressure);
    init.set_client_x(x);
    init.set_client_y(y);
    let ev = web_sys::PointerEvent::new_with_event_init_dict(kind, &init).expect("event");
    el.dispatch_event(&ev).expect("dispatch");
}

#[wasm_bindgen_test]
async fn signature_pad_keeps_every_sample_of_one_pointer() {
    use doorstep::components::SignaturePad;
    use doorstep_core::signature::Strokes;
    let strokes = RwSignal::new(Strokes::default());
    let changes = RwSignal::new(0u32);
    let el = mount(move || {
        provide_app_context();
        view! {
            <SignaturePad strokes label=Signal::stored("签名") undo_label=Signal::stored("撤销") clear_label=Signal::stored("清除")
                on_change=Callback::new(move |_| changes.update(|n| *n += 1)) />
        }
    });
    settle().await;
    let pad = el
        .query_selector("[data-pad]")
        .expect("query")
        .expect("the pad");
    let rect = pad.get_bounding_client_rect();
    let (x0, y0) = (rect.left() as i32 + 10, rect.top() as i32 + 20);
    // One finger draws four samples; a second finger touching meanwhile draws nothing.
    pointer(&pad, "pointerdown", 1, true, x0, y0, 0.5);
    pointer(&pad, "pointermove", 1, true, x0 + 5, y0 + 1, 0.6);
    pointer(&pad, "pointerdown", 2, false, x0 + 50, y0 + 50, 0.5);
    pointer(&pad, "pointermove", 2, false, x0 + 60, y0 + 60, 0.5);
    pointer(&pad, "pointermove", 1, true, x0 + 9, y0 + 3, 0.7);
    pointer(&pad, "pointerup", 2, false, x0 + 60, y0 + 60, 0.0);
    pointer(&pad, "pointermove", 1, true, x0 + 20, y0 + 4, 1.0);
    pointer(&pad, "pointerup", 1, true, x0 + 20, y0 + 4, 0.0);
    settle().await;
    let s = strokes.get_untracked();
    assert_eq!(s.lines.len(), 1);
    let pts = &s.lines[0].0;
    let at = |x: i32, y: i32, p: u16| {
        (
            ((f64::from(x) - rect.left()) * 10.0).round() as i32,
            ((f64::from(y) - rect.top()) * 10.0).round() as i32,
            p,
        )
    };
    assert_eq!(
        pts.iter().map(|p| (p.x, p.y, p.p)).collect::<Vec<_>>(),
        [
            at(x0, y0, 500),
            at(x0 + 5, y0 + 1, 600),
            at(x0 + 9, y0 + 3, 700),
            at(x0 + 20, y0 + 4, 1000)
        ],
        "tenths of a pixel from the pad's corner, pressure in thousandths"
    );
    assert!(pts.windows(2).all(|w| w[0].t_ms <= w[1].t_ms));
    assert!(s.anchor_ms > 1_700_000_000_000, "one wall-clock anchor");
    assert_eq!(s.validate(), Ok(()));
    assert_eq!(changes.get_untracked(), 1);
    // A cancelled stroke keeps what was drawn; the next touch draws again.
    pointer(&pad, "pointerdown", 3, true, x0, y0 + 40, 0.5);
    pointer(&pad, "pointermove", 3, true, x0 + 30, y0 + 40, 0.5);
    pointer(&pad, "pointercancel", 3, true, x0 + 30, y0 + 40, 0.0);
    pointer(&pad, "pointerdown", 4, true, x0, y0 + 60, 0.5);
    pointer(&pad, "pointermove", 4, true, x0 + 8, y0 + 70, 0.5);
    pointer(&pad, "pointerup", 4, true, x0 + 8, y0 + 70, 0.0);
    settle().await;
    assert_eq!(strokes.with_untracked(|s| s.lines.len()), 3);
    // The ink on screen is the stored strokes' SVG path.
    let d = el
        .query_selector(".ds-pad__path")
        .expect("query")
        .expect("path")
        .get_attribute("d")
        .unwrap_or_default();
    assert_eq!(d, strokes.with_untracked(|s| s.svg_path()));
    assert_eq!(d.matches('M').count(), 3);
    // Undo takes the last stroke, clear all of them.
    let button = |action: &str| -> web_sys::HtmlElement {
        el.query_selector(&format!("[data-action=\"{action}\"]"))
            .expect("query")
            .expect("button")
            .unchecked_into()
    };
    button("pad-undo").click();
    settle().await;
    assert_eq!(strokes.with_untracked(|s| s.lines.len()), 2);
    button("pad-clear").click();
    settle().await;
    assert!(strokes.with_untracked(|s| s.lines.is_empty()));
    assert_eq!(changes.get_untracked(), 5);
}

/// One case of a photo's scaled size: the picture's size → what is stored.
fn check_scaled(w: u32, h: u32, expected: (u32, u32)) {
    assert_eq!(
        doorstep::hooks::scaled_size(w, h, 1600),
        expected,
        "{w}×{h}"
    );
}

#[wasm_bindgen_test]
fn photos_are_scaled_to_1600_px_on_the_long_edge() {
    check_scaled(4032, 3024, (1600, 1200));
    check_scaled(3024, 4032, (1200, 1600));
    check_scaled(2400, 1200, (1600, 800));
    check_scaled(1600, 900, (1600, 900));
    check_scaled(800, 600, (800, 600));
    check_scaled(10_000, 1, (1600, 1));
    check_scaled(0, 0, (1, 1));
}

fn file(bytes: &[u8], name: &str, kind: &str) -> web_sys::File {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::FilePropertyBag::new();
    opts.set_type(kind);
    web_sys::File::new_with_u8_array_sequence_and_options(&parts, name, &opts).expect("file")
}

#[wasm_bindgen_test]
async fn a_picked_file_that_is_no_image_is_refused() {
    use doorstep::hooks::{scale_photo, PhotoProblem};
    let text = file(b"not a photo", "notes.txt", "text/plain");
    assert_eq!(scale_photo(&text).await, Err(PhotoProblem::NotAnImage));
    let corrupt = file(b"\xff\xd8\xff corrupt", "broken.jpg", "image/jpeg");
    assert_eq!(scale_photo(&corrupt).await, Err(PhotoProblem::Unreadable));
}
