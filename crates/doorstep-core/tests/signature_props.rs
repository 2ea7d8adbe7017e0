#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test
//! Property tests of the signature's ink (native only).

use doorstep_core::model::{Point, Stroke};
use doorstep_core::signature::{Strokes, COORD_MAX, PRESSURE_MAX};
use proptest::collection::vec;
use proptest::prelude::*;

/// Strokes as a pad records them: on the pad, pressure in range, time only forwards.
fn pad_strokes() -> impl Strategy<Value = Strokes> {
    (
        any::<i64>(),
        vec(
            vec(
                (0..=COORD_MAX, 0..=COORD_MAX, 0u32..50, 0..=PRESSURE_MAX),
                1..30,
            ),
            0..6,
        ),
    )
        .prop_map(|(anchor_ms, lines)| {
            let mut t = 0u32;
            Strokes {
                anchor_ms,
                lines: lines
                    .into_iter()
                    .map(|l| {
                        Stroke(
                            l.into_iter()
                                .map(|(x, y, dt, p)| {
                                    t += dt;
                                    Point { x, y, t_ms: t, p }
                                })
                                .collect(),
                        )
                    })
                    .collect(),
            }
        })
}

proptest! {
    #[test]
    fn recorded_strokes_validate_unless_blank(s in pad_strokes()) {
        prop_assert_eq!(s.validate().is_ok(), !s.is_blank());
    }

    #[test]
    fn stored_form_round_trips(s in pad_strokes()) {
        let json = serde_json::to_string(&s).unwrap();
        prop_assert_eq!(serde_json::from_str::<Strokes>(&json).unwrap(), s);
    }

    #[test]
    fn every_point_lies_in_the_bounds(s in pad_strokes()) {
        match s.bounds() {
            None => prop_assert_eq!(s.point_count(), 0),
            Some(b) => {
                for p in s.points() {
                    prop_assert!(b.min_x <= p.x && p.x <= b.max_x && b.min_y <= p.y && p.y <= b.max_y);
                }
            }
        }
    }

    #[test]
    fn the_path_draws_every_stroke_and_stays_in_the_bounds(s in pad_strokes()) {
        let d = s.svg_path();
        prop_assert_eq!(d.matches('M').count(), s.lines.len());
        let nums: Vec<i32> = d
            .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
            .filter(|t| !t.is_empty())
            .map(|t| t.parse().unwrap())
            .collect();
        if let Some(b) = s.bounds() {
            // Absolute coordinates come in pairs after M, Q and L; `l0 0` is relative.
            let absolute = d.replace(" l0 0", "");
            let nums: Vec<i32> = absolute
                .split(|c: char| c.is_ascii_alphabetic() || c == ' ')
                .filter(|t| !t.is_empty())
                .map(|t| t.parse().unwrap())
                .collect();
            for xy in nums.chunks(2) {
                prop_assert!(b.min_x <= xy[0] && xy[0] <= b.max_x, "{d}");
                prop_assert!(b.min_y <= xy[1] && xy[1] <= b.max_y, "{d}");
            }
        } else {
            prop_assert!(nums.is_empty());
        }
    }

    #[test]
    fn a_point_moved_back_in_time_is_refused(s in pad_strokes(), pick in any::<prop::sample::Index>()) {
        let n = s.point_count();
        prop_assume!(n >= 2 && !s.is_blank());
        let i = pick.index(n - 1) + 1;
        let mut bad = s.clone();
        let mut k = 0;
        let mut prev_t = 0;
        for line in &mut bad.lines {
            for p in &mut line.0 {
                if k == i - 1 { prev_t = p.t_ms; }
                if k == i && prev_t > 0 { p.t_ms = prev_t - 1; }
                k += 1;
            }
        }
        if prev_t > 0 {
            prop_assert!(bad.validate().is_err());
        }
    }
}
