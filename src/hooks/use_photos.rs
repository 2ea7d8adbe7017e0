//! Photos from the phone's camera: picked files scaled on the device to at most 1600 px on
//! the long edge and re-encoded as JPEG (`createImageBitmap` + canvas), held for a damage
//! report until it is saved as one step with its photos; stored photos shown from their
//! bytes. Every object URL made here is revoked when its owner is cleaned up.

use super::use_db_query;
use crate::context::use_db;
use crate::error::AppError;
use doorstep_core::model::Money;
use doorstep_core::step::MAX_PHOTOS;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The longest edge a stored photo keeps, in pixels.
pub const PHOTO_MAX_EDGE: u32 = 1600;
/// The largest picked file read at all (a camera's photo is a few MB).
pub const PHOTO_MAX_INPUT: f64 = 30.0 * 1024.0 * 1024.0;
/// JPEG quality; a second, lower try when the first is over [`PHOTO_TARGET_BYTES`].
const QUALITY: [f64; 2] = [0.82, 0.6];
const PHOTO_TARGET_BYTES: usize = 300 * 1024;

/// Why a picked file was not taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhotoProblem {
    NotAnImage,
    TooLarge,
    Unreadable,
    TooMany,
}

/// A picked photo, scaled: its JPEG bytes and an object URL for its thumbnail.
#[derive(Clone, Debug, PartialEq)]
pub struct PickedPhoto {
    pub bytes: Vec<u8>,
    pub url: String,
}

/// The size a photo of `w`×`h` is scaled to: the long edge at most `max`, aspect kept.
pub fn scaled_size(w: u32, h: u32, max: u32) -> (u32, u32) {
    let long = w.max(h);
    if long <= max || long == 0 {
        return (w.max(1), h.max(1));
    }
    let scale = |x: u32| {
        ((u64::from(x) * u64::from(max) + u64::from(long) / 2) / u64::from(long)).max(1) as u32
    };
    (scale(w), scale(h))
}

fn object_url(bytes: &[u8]) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("image/jpeg");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

fn revoke(url: &str) {
    let _ = web_sys::Url::revoke_object_url(url);
}

/// The canvas as JPEG bytes (a data URL, decoded: no Blob callback, whose closure and
/// promise glue would weigh on the first screen's script). `None` when the browser cannot
/// encode JPEG (it then hands back PNG).
fn to_jpeg(canvas: &web_sys::HtmlCanvasElement, quality: f64) -> Option<Vec<u8>> {
    let url = canvas
        .to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(quality))
        .ok()?;
    doorstep_store::attach::decode_base64(url.strip_prefix("data:image/jpeg;base64,")?)
}

/// Decodes `file`, scales it to ≤ [`PHOTO_MAX_EDGE`] and encodes it as JPEG.
pub async fn scale_photo(file: &web_sys::File) -> Result<Vec<u8>, PhotoProblem> {
    if !file.type_().starts_with("image/") {
        return Err(PhotoProblem::NotAnImage);
    }
    if file.size() > PHOTO_MAX_INPUT {
        return Err(PhotoProblem::TooLarge);
    }
    let window = web_sys::window().ok_or(PhotoProblem::Unreadable)?;
    let bitmap: web_sys::ImageBitmap = JsFuture::from(
        window
            .create_image_bitmap_with_blob(file)
            .map_err(|_| PhotoProblem::Unreadable)?,
    )
    .await
    .map_err(|_| PhotoProblem::Unreadable)?
    .unchecked_into();
    let (w, h) = scaled_size(bitmap.width(), bitmap.height(), PHOTO_MAX_EDGE);
    let canvas: web_sys::HtmlCanvasElement = window
        .document()
        .and_then(|d| d.create_element("canvas").ok())
        .ok_or(PhotoProblem::Unreadable)?
        .unchecked_into();
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or(PhotoProblem::Unreadable)?
        .unchecked_into();
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(w), f64::from(h))
        .map_err(|_| PhotoProblem::Unreadable)?;
    bitmap.close();
    let mut out = None;
    for q in QUALITY {
        out = to_jpeg(&canvas, q);
        if out.as_ref().is_some_and(|b| b.len() <= PHOTO_TARGET_BYTES) {
            break;
        }
    }
    out.filter(|b| !b.is_empty())
        .ok_or(PhotoProblem::Unreadable)
}

#[derive(Clone, Copy)]
pub struct UseDamageReturn {
    /// The photos picked so far, scaled, with their thumbnails' URLs.
    pub photos: ReadSignal<Vec<PickedPhoto>>,
    /// The last picked file's problem, if it was refused.
    pub problem: ReadSignal<Option<PhotoProblem>>,
    /// Scaling a picked photo.
    pub busy: ReadSignal<bool>,
    /// The `change` event of the file input: its files are scaled and added.
    pub pick: Callback<leptos::ev::Event>,
    pub remove: Callback<usize>,
    /// Saves the report with the photos (description, value); on success the photos clear
    /// and `saved` counts up; on failure everything stays for another try.
    pub save: Callback<(String, Money)>,
    pub saving: ReadSignal<bool>,
    pub saved: ReadSignal<u32>,
    pub save_error: ReadSignal<Option<AppError>>,
}

/// A damage report being written on `job`.
pub fn use_damage(job: Signal<String>) -> UseDamageReturn {
    let db = use_db();
    let (photos, set_photos) = signal(Vec::<PickedPhoto>::new());
    let (problem, set_problem) = signal(None);
    let (busy, set_busy) = signal(false);
    let (saving, set_saving) = signal(false);
    let (saved, set_saved) = signal(0u32);
    let (save_error, set_save_error) = signal(None);
    on_cleanup(move || {
        if let Some(p) = photos.try_get_untracked() {
            p.iter().for_each(|p| revoke(&p.url));
        }
    });
    let pick = Callback::new(move |ev: leptos::ev::Event| {
        // Only the file input calls this.
        let Some(input) = ev
            .target()
            .map(|t| t.unchecked_into::<web_sys::HtmlInputElement>())
        else {
            return;
        };
        let files: Vec<web_sys::File> = input
            .files()
            .map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
            .unwrap_or_default();
        // The same file picked again must fire `change` again.
        input.set_value("");
        set_problem.set(None);
        set_busy.set(true);
        leptos::task::spawn_local(async move {
            for f in files {
                if photos.get_untracked().len() >= MAX_PHOTOS {
                    set_problem.set(Some(PhotoProblem::TooMany));
                    break;
                }
                match scale_photo(&f).await {
                    Ok(bytes) => {
                        if let Some(url) = object_url(&bytes) {
                            set_photos.update(|p| p.push(PickedPhoto { bytes, url }));
                        }
                    }
                    Err(p) => set_problem.set(Some(p)),
                }
            }
            set_busy.set(false);
        });
    });
    let remove = Callback::new(move |i: usize| {
        set_photos.update(|p| {
            if i < p.len() {
                revoke(&p.remove(i).url);
            }
        });
    });
    let save = Callback::new(move |(description, value): (String, Money)| {
        if saving.get_untracked() || busy.get_untracked() {
            return;
        }
        let Some(db) = db.get_untracked().db() else {
            return;
        };
        let job = job.get_untracked();
        let bytes: Vec<Vec<u8>> = photos
            .get_untracked()
            .into_iter()
            .map(|p| p.bytes)
            .collect();
        set_saving.set(true);
        set_save_error.set(None);
        leptos::task::spawn_local(async move {
            let by = db.state().worker.clone();
            let r = db
                .record_damage(&job, &by, description, value, &bytes)
                .await;
            set_saving.set(false);
            match r {
                Ok(()) => {
                    set_photos.update(|p| p.drain(..).for_each(|p| revoke(&p.url)));
                    set_saved.update(|n| *n += 1);
                }
                Err(e) => set_save_error.set(Some(e)),
            }
        });
    });
    UseDamageReturn {
        photos,
        problem,
        busy,
        pick,
        remove,
        save,
        saving,
        saved,
        save_error,
    }
}

/// A stored photo of a step, as an object URL for an `<img>` (revoked when replaced or
/// cleaned up); `None` while loading or when its bytes are missing or corrupt.
pub fn use_step_photo(step_id: String, name: String) -> Signal<Option<String>> {
    let current = StoredValue::new(None::<String>);
    on_cleanup(move || {
        if let Some(Some(u)) = current.try_get_value() {
            revoke(&u);
        }
    });
    let res = use_db_query(move |db| {
        let (id, name) = (step_id.clone(), name.clone());
        (vec![id.clone()], async move {
            let url = db.photo(&id, &name).await?.and_then(|b| object_url(&b));
            if let Some(old) = current.try_get_value().flatten() {
                revoke(&old);
            }
            current.set_value(url.clone());
            Ok(url)
        })
    });
    Signal::derive(move || res.get().and_then(Result::ok).flatten())
}
