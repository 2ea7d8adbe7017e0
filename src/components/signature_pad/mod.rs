//! The signature pad: captures every pointer sample the browser delivers (the coalesced
//! ones of each move included) with its time since one wall-clock anchor and its pressure,
//! into `doorstep_core::signature::Strokes`; the ink on screen is SVG drawn from those
//! stored strokes (so a resize, rotation, scroll or app switch erases nothing, and it is
//! sharp at any pixel density). One pointer at a time: a second finger never draws. A
//! `pointercancel` (the browser took the gesture) keeps what was drawn and frees the pad
//! for the next touch. Undo removes the last stroke, clear all of them.

use doorstep_core::model::{Point, Stroke};
use doorstep_core::signature::{Strokes, COORD_MAX, PRESSURE_MAX};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The pad's state between events: the pointer drawing, its stroke so far, and the
/// wall-clock time of the event clock's origin (`Date.now() - performance.now()`).
#[derive(Clone, Debug, Default)]
struct Active {
    pointer: Option<i32>,
    stroke: Vec<Point>,
    clock_origin_ms: f64,
}

/// A sample of `ev` in the pad's units: tenths of a CSS pixel from `rect`'s corner
/// (clamped to the pad), ms since `anchor_ms`, pressure in thousandths.
fn sample(
    ev: &web_sys::PointerEvent,
    rect: &web_sys::DomRect,
    anchor_ms: i64,
    origin: f64,
    last_t: u32,
) -> Point {
    let tenths = |v: f64, size: f64| -> i32 {
        let v = (v * 10.0)
            .round()
            .clamp(0.0, (size * 10.0).round().min(f64::from(COORD_MAX)));
        v as i32
    };
    let x = tenths(
        f64::from(ev.client_x()) - rect.left() + sub_pixel(ev, true),
        rect.width(),
    );
    let y = tenths(
        f64::from(ev.client_y()) - rect.top() + sub_pixel(ev, false),
        rect.height(),
    );
    let wall = origin + ev.time_stamp();
    let t = (wall - anchor_ms as f64)
        .round()
        .max(f64::from(last_t))
        .min(f64::from(u32::MAX)) as u32;
    let p = (f64::from(ev.pressure()) * f64::from(PRESSURE_MAX))
        .round()
        .clamp(0.0, f64::from(PRESSURE_MAX)) as u16;
    Point { x, y, t_ms: t, p }
}

/// The fractional part of the pointer position (`clientX` is a whole number in web-sys'
/// `MouseEvent` binding; `PointerEvent` positions carry fractions on high-density screens).
fn sub_pixel(ev: &web_sys::PointerEvent, x: bool) -> f64 {
    let key = if x { "clientX" } else { "clientY" };
    let whole = if x { ev.client_x() } else { ev.client_y() };
    js_sys::Reflect::get(ev, &key.into())
        .ok()
        .and_then(|v| v.as_f64())
        .map(|v| v - f64::from(whole))
        .unwrap_or(0.0)
}

#[component]
pub fn SignaturePad(
    #[prop(optional, into)] class: String,
    /// The strokes: read to draw, written as strokes end (undo and clear too).
    strokes: RwSignal<Strokes>,
    /// The pad's accessible name (e.g. "sign here").
    #[prop(into)]
    label: Signal<&'static str>,
    #[prop(into)] undo_label: Signal<&'static str>,
    #[prop(into)] clear_label: Signal<&'static str>,
    /// Called after each change of the strokes (a stroke ended, undo, clear).
    #[prop(optional)]
    on_change: Option<Callback<()>>,
) -> impl IntoView {
    let active = StoredValue::new(Active::default());
    let (live, set_live) = signal(Vec::<Point>::new());
    let changed = move || {
        if let Some(cb) = on_change {
            cb.run(());
        }
    };
    let rect_of = |ev: &web_sys::PointerEvent| -> Option<web_sys::DomRect> {
        ev.current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.get_bounding_client_rect())
    };
    // Ends the stroke in progress: kept if it has samples, the pointer freed.
    let finish = move || {
        let mut a = active.get_value();
        let stroke = std::mem::take(&mut a.stroke);
        a.pointer = None;
        active.set_value(a);
        set_live.set(Vec::new());
        if !stroke.is_empty() {
            strokes.update(|s| s.lines.push(Stroke(stroke)));
            changed();
        }
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        let mut a = active.get_value();
        if a.pointer.is_some()
            || !ev.is_primary()
            || (ev.pointer_type() == "mouse" && ev.button() != 0)
        {
            return;
        }
        ev.prevent_default();
        let Some(rect) = rect_of(&ev) else { return };
        if let Some(el) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
        let now = js_sys::Date::now();
        a.clock_origin_ms = now - ev.time_stamp();
        if strokes.with_untracked(|s| s.lines.is_empty()) {
            strokes.update(|s| s.anchor_ms = now.round() as i64);
        }
        let anchor = strokes.with_untracked(|s| s.anchor_ms);
        let last_t = strokes.with_untracked(|s| s.points().last().map(|p| p.t_ms).unwrap_or(0));
        a.pointer = Some(ev.pointer_id());
        a.stroke = vec![sample(&ev, &rect, anchor, a.clock_origin_ms, last_t)];
        set_live.set(a.stroke.clone());
        active.set_value(a);
    };
    let on_move = move |ev: web_sys::PointerEvent| {
        let mut a = active.get_value();
        if a.pointer != Some(ev.pointer_id()) {
            return;
        }
        ev.prevent_default();
        let Some(rect) = rect_of(&ev) else { return };
        let anchor = strokes.with_untracked(|s| s.anchor_ms);
        // Every sample since the last event (the browser coalesces them at the frame rate).
        let coalesced = ev.get_coalesced_events();
        let events: Vec<web_sys::PointerEvent> = if coalesced.length() == 0 {
            vec![ev.clone()]
        } else {
            coalesced.iter().filter_map(|e| e.dyn_into().ok()).collect()
        };
        for e in &events {
            let last_t = a.stroke.last().map(|p| p.t_ms).unwrap_or(0);
            a.stroke
                .push(sample(e, &rect, anchor, a.clock_origin_ms, last_t));
        }
        set_live.set(a.stroke.clone());
        active.set_value(a);
    };
    let on_up = move |ev: web_sys::PointerEvent| {
        if active.with_value(|a| a.pointer) == Some(ev.pointer_id()) {
            finish();
        }
    };
    let undo = move |_| {
        strokes.update(|s| {
            s.lines.pop();
        });
        changed();
    };
    let clear = move |_| {
        strokes.set(Strokes::default());
        changed();
    };
    let path = move || strokes.with(|s| s.svg_path());
    let live_path = move || {
        Strokes {
            anchor_ms: 0,
            lines: vec![Stroke(live.get())],
        }
        .svg_path()
    };
    view! {
        <div class=format!("ds-pad {class}")>
            <div
                class="ds-pad__surface"
                role="img"
                aria-label=label
                data-pad
                data-strokes=move || strokes.with(|s| s.lines.len())
                data-points=move || strokes.with(|s| s.point_count())
                on:pointerdown=on_down
                on:pointermove=on_move
                on:pointerup=on_up
                on:pointercancel=move |ev: web_sys::PointerEvent| on_up(ev)
                on:lostpointercapture=move |ev: web_sys::PointerEvent| on_up(ev)
            >
                <svg class="ds-pad__ink" aria-hidden="true">
                    <g transform="scale(0.1)">
                        <path class="ds-pad__path" d=path />
                        <path class="ds-pad__path" d=live_path />
                    </g>
                </svg>
                <span class="ds-pad__hint" aria-hidden="true">{label}</span>
            </div>
            <div class="ds-pad__tools">
                <button type="button" class="ds-button" data-action="pad-undo" on:click=undo
                    disabled=move || strokes.with(|s| s.lines.is_empty())>{undo_label}</button>
                <button type="button" class="ds-button" data-action="pad-clear" on:click=clear
                    disabled=move || strokes.with(|s| s.lines.is_empty())>{clear_label}</button>
            </div>
        </div>
    }
}

/// A stored signature drawn as SVG, fitted to its box (wherever a record is shown).
#[component]
pub fn SignatureInk(ink: Strokes) -> impl IntoView {
    let view_box = ink.view_box(40);
    let d = ink.svg_path();
    view! {
        <svg class="ds-pad__stored" viewBox=view_box preserveAspectRatio="xMidYMid meet" role="img" aria-label="signature">
            <path class="ds-pad__path" d=d />
        </svg>
    }
}
