//! A handwritten signature's ink as the pad captured it (procedure step 8: the customer signs
//! the service record): every pointer sample the browser delivered, coalesced ones included,
//! in tenths of a CSS pixel, with its time since one wall-clock anchor (the first pen-down)
//! and its pressure. Smoothing is for drawing only: the samples are kept as they came.
//!
//! [`Strokes`] is the pure part of the pad: what makes a stroke set acceptable
//! ([`Strokes::validate`]), its bounding box, its SVG path (the ink is drawn from the stored
//! strokes wherever a record is shown, and after a resize or rotation), and its stored form.

use crate::model::{Point, Signature, Stroke};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;
use thiserror::Error;

/// The most samples a signature keeps (a long, fast signature at 240 Hz is ~3,000).
pub const MAX_POINTS: usize = 20_000;
/// The most strokes a signature keeps.
pub const MAX_STROKES: usize = 300;
/// Coordinates lie in `0..=COORD_MAX` tenths of a CSS pixel.
pub const COORD_MAX: i32 = 100_000;
/// Pressure is in thousandths: `0..=PRESSURE_MAX`.
pub const PRESSURE_MAX: u16 = 1000;

/// The ink of one signature: its wall-clock anchor (Unix ms of the first pen-down) and its
/// strokes, each point timed from the anchor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Strokes {
    pub anchor_ms: i64,
    pub lines: Vec<Stroke>,
}

/// Why a set of strokes is refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum StrokeError {
    #[error("the signature is empty")]
    Empty,
    #[error("stroke {0} has no points")]
    EmptyStroke(usize),
    #[error("too many strokes ({0})")]
    TooManyStrokes(usize),
    #[error("too many points ({0})")]
    TooManyPoints(usize),
    #[error("point {point} of stroke {stroke} lies outside the pad")]
    OutOfPad { stroke: usize, point: usize },
    #[error("point {point} of stroke {stroke} has pressure above {PRESSURE_MAX}")]
    Pressure { stroke: usize, point: usize },
    #[error("point {point} of stroke {stroke} is earlier than the one before it")]
    TimeBackwards { stroke: usize, point: usize },
}

impl crate::Explain for StrokeError {
    fn explain(&self, lang: crate::Lang) -> String {
        match (self, lang) {
            (StrokeError::Empty, crate::Lang::Zh) => "请先签名".into(),
            (_, crate::Lang::Zh) => format!("签名数据无效：{self}"),
            (e, crate::Lang::En) => {
                let mut s = e.to_string();
                if let Some(first) = s.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                s
            }
        }
    }
}

/// The smallest box holding every point, in tenths of a CSS pixel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bounds {
    pub min_x: i32,
    pub min_y: i32,
    pub max_x: i32,
    pub max_y: i32,
}

impl Strokes {
    pub fn new(anchor_ms: i64) -> Self {
        Strokes {
            anchor_ms,
            lines: Vec::new(),
        }
    }

    /// Every sample, stroke after stroke.
    pub fn points(&self) -> impl Iterator<Item = &Point> {
        self.lines.iter().flat_map(|s| s.0.iter())
    }

    pub fn point_count(&self) -> usize {
        self.lines.iter().map(|s| s.0.len()).sum()
    }

    /// Blank: no stroke with two points (a dot or nothing is not a signature).
    pub fn is_blank(&self) -> bool {
        !self.lines.iter().any(|s| s.0.len() >= 2)
    }

    /// Whether these strokes may be signed: not blank, within the limits, every point on the
    /// pad, pressure in range, and time never going back (one anchor for all strokes).
    pub fn validate(&self) -> Result<(), StrokeError> {
        if self.lines.len() > MAX_STROKES {
            return Err(StrokeError::TooManyStrokes(self.lines.len()));
        }
        let n = self.point_count();
        if n > MAX_POINTS {
            return Err(StrokeError::TooManyPoints(n));
        }
        let mut last_t = 0u32;
        for (si, s) in self.lines.iter().enumerate() {
            if s.0.is_empty() {
                return Err(StrokeError::EmptyStroke(si));
            }
            for (pi, p) in s.0.iter().enumerate() {
                let (stroke, point) = (si, pi);
                if !(0..=COORD_MAX).contains(&p.x) || !(0..=COORD_MAX).contains(&p.y) {
                    return Err(StrokeError::OutOfPad { stroke, point });
                }
                if p.p > PRESSURE_MAX {
                    return Err(StrokeError::Pressure { stroke, point });
                }
                if p.t_ms < last_t {
                    return Err(StrokeError::TimeBackwards { stroke, point });
                }
                last_t = p.t_ms;
            }
        }
        if self.is_blank() {
            return Err(StrokeError::Empty);
        }
        Ok(())
    }

    /// The box around every point (`None` without points).
    pub fn bounds(&self) -> Option<Bounds> {
        let mut it = self.points();
        let first = it.next()?;
        let mut b = Bounds {
            min_x: first.x,
            min_y: first.y,
            max_x: first.x,
            max_y: first.y,
        };
        for p in it {
            b.min_x = b.min_x.min(p.x);
            b.min_y = b.min_y.min(p.y);
            b.max_x = b.max_x.max(p.x);
            b.max_y = b.max_y.max(p.y);
        }
        Some(b)
    }

    /// The SVG path data of the ink in the strokes' own units (tenths of a pixel): each
    /// stroke starts with `M`, runs as quadratic curves through the midpoints of its samples
    /// (drawing-only smoothing) and ends at its last sample; a one-sample stroke is a dot
    /// (`l0 0`, drawn with round caps).
    pub fn svg_path(&self) -> String {
        let mut d = String::new();
        for s in &self.lines {
            let pts = &s.0;
            let Some(first) = pts.first() else { continue };
            if !d.is_empty() {
                d.push(' ');
            }
            let _ = write!(d, "M{} {}", first.x, first.y);
            match pts.len() {
                1 => d.push_str(" l0 0"),
                2 => {
                    let _ = write!(d, " L{} {}", pts[1].x, pts[1].y);
                }
                _ => {
                    for w in pts[1..].windows(2) {
                        let (a, b) = (w[0], w[1]);
                        let mx = a.x + (b.x - a.x) / 2;
                        let my = a.y + (b.y - a.y) / 2;
                        let _ = write!(d, " Q{} {} {} {}", a.x, a.y, mx, my);
                    }
                    if let Some(last) = pts.last() {
                        let _ = write!(d, " L{} {}", last.x, last.y);
                    }
                }
            }
        }
        d
    }

    /// The SVG `viewBox` around the ink with a margin (tenths of a pixel), or a unit box.
    pub fn view_box(&self, margin: i32) -> String {
        match self.bounds() {
            Some(b) => format!(
                "{} {} {} {}",
                b.min_x - margin,
                b.min_y - margin,
                (b.max_x - b.min_x) + 2 * margin,
                (b.max_y - b.min_y) + 2 * margin
            ),
            None => "0 0 1 1".to_owned(),
        }
    }

    /// The signature of `signer` made of these strokes at `signed_at` (device local time).
    pub fn into_signature(self, signer: String, signed_at: NaiveDateTime) -> Signature {
        Signature {
            signer,
            strokes: self.lines,
            signed_at,
            anchor_ms: Some(self.anchor_ms),
        }
    }
}

impl Signature {
    /// The ink of this signature (its anchor is 0 in records made before anchors).
    pub fn ink(&self) -> Strokes {
        Strokes {
            anchor_ms: self.anchor_ms.unwrap_or_default(),
            lines: self.strokes.clone(),
        }
    }
}
