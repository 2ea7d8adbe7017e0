#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::NaiveDate;
use doorstep_core::model::{Point, Stroke};
use doorstep_core::signature::{Bounds, StrokeError, Strokes, COORD_MAX, MAX_POINTS, MAX_STROKES};

fn pt(x: i32, y: i32, t_ms: u32, p: u16) -> Point {
    Point { x, y, t_ms, p }
}

fn ink(lines: Vec<Vec<Point>>) -> Strokes {
    Strokes {
        anchor_ms: 1_767_000_000_000,
        lines: lines.into_iter().map(Stroke).collect(),
    }
}

/// One check per case: what `validate` says of the strokes.
fn check(name: &str, strokes: Strokes, expected: Result<(), StrokeError>) {
    assert_eq!(strokes.validate(), expected, "{name}");
}

#[test]
fn validation() {
    let line = vec![pt(0, 0, 0, 500), pt(10, 10, 8, 500)];
    check("one line", ink(vec![line.clone()]), Ok(()));
    check("nothing", ink(vec![]), Err(StrokeError::Empty));
    check(
        "a dot only",
        ink(vec![vec![pt(5, 5, 0, 0)]]),
        Err(StrokeError::Empty),
    );
    check(
        "an empty stroke",
        ink(vec![line.clone(), vec![]]),
        Err(StrokeError::EmptyStroke(1)),
    );
    check(
        "off the pad",
        ink(vec![vec![pt(0, 0, 0, 0), pt(-1, 3, 1, 0)]]),
        Err(StrokeError::OutOfPad {
            stroke: 0,
            point: 1,
        }),
    );
    check(
        "beyond the largest pad",
        ink(vec![vec![pt(0, 0, 0, 0), pt(3, COORD_MAX + 1, 1, 0)]]),
        Err(StrokeError::OutOfPad {
            stroke: 0,
            point: 1,
        }),
    );
    check(
        "pressure above one",
        ink(vec![vec![pt(0, 0, 0, 1001), pt(1, 1, 1, 0)]]),
        Err(StrokeError::Pressure {
            stroke: 0,
            point: 0,
        }),
    );
    check(
        "time back within a stroke",
        ink(vec![vec![pt(0, 0, 9, 0), pt(1, 1, 8, 0)]]),
        Err(StrokeError::TimeBackwards {
            stroke: 0,
            point: 1,
        }),
    );
    check(
        "time back across strokes (one anchor)",
        ink(vec![line.clone(), vec![pt(0, 0, 7, 0), pt(2, 2, 9, 0)]]),
        Err(StrokeError::TimeBackwards {
            stroke: 1,
            point: 0,
        }),
    );
    check(
        "too many strokes",
        ink(vec![line.clone(); MAX_STROKES + 1]),
        Err(StrokeError::TooManyStrokes(MAX_STROKES + 1)),
    );
    check(
        "too many points",
        ink(vec![(0..=MAX_POINTS as u32)
            .map(|i| pt(1, 1, i, 0))
            .collect()]),
        Err(StrokeError::TooManyPoints(MAX_POINTS + 1)),
    );
}

#[test]
fn bounds_and_svg() {
    let s = ink(vec![
        vec![pt(10, 20, 0, 0), pt(30, 40, 5, 0), pt(50, 20, 9, 0)],
        vec![pt(70, 5, 20, 0)],
        vec![pt(0, 60, 30, 0), pt(8, 60, 31, 0)],
    ]);
    assert_eq!(
        s.bounds(),
        Some(Bounds {
            min_x: 0,
            min_y: 5,
            max_x: 70,
            max_y: 60
        })
    );
    assert_eq!(
        s.svg_path(),
        "M10 20 Q30 40 40 30 L50 20 M70 5 l0 0 M0 60 L8 60"
    );
    assert_eq!(s.view_box(10), "-10 -5 90 75");
    assert_eq!(ink(vec![]).bounds(), None);
    assert_eq!(ink(vec![]).svg_path(), "");
    assert_eq!(ink(vec![]).view_box(10), "0 0 1 1");
}

#[test]
fn stored_form_and_signature() {
    let s = ink(vec![vec![pt(1, 2, 0, 0), pt(3, 4, 16, 250)]]);
    let json = serde_json::to_string(&s).unwrap();
    // Pressure 0 (not reported) is left out; the anchor is stored once.
    assert_eq!(
        json,
        r#"{"anchor_ms":1767000000000,"lines":[[{"x":1,"y":2,"t_ms":0},{"x":3,"y":4,"t_ms":16,"p":250}]]}"#
    );
    assert_eq!(serde_json::from_str::<Strokes>(&json).unwrap(), s);
    let at = NaiveDate::from_ymd_opt(2026, 1, 1)
        .and_then(|d| d.and_hms_opt(9, 0, 0))
        .unwrap();
    let sig = s.clone().into_signature("王女士".into(), at);
    assert_eq!(sig.anchor_ms, Some(1_767_000_000_000));
    assert!(!sig.is_blank());
    assert_eq!(sig.ink(), s);
}
