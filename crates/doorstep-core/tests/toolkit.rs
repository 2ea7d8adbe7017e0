#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::{NaiveDate, NaiveDateTime};
use doorstep_core::model::{JobId, WorkerId};
use doorstep_core::toolkit::{
    checkout_lines, default_kits, kit_for, kit_shortfalls, reconcile, CheckinLine, CheckoutLine,
    IncidentKind, KitCheckin, KitCheckout, KitTemplate,
};
use doorstep_core::{Explain, Lang, Text};

use IncidentKind::{Damaged as D, Extra as X, Missing as M};

fn at(h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 1, 10)
        .and_then(|d| d.and_hms_opt(h, 0, 0))
        .expect("test time")
}

fn out(lines: &[(&str, &str, u32)]) -> KitCheckout {
    KitCheckout {
        job: JobId::new("J1"),
        service: "daily_clean".into(),
        at: at(8),
        lines: lines
            .iter()
            .map(|&(w, item, count)| CheckoutLine {
                worker: WorkerId::new(w),
                item: item.into(),
                count,
                name: None,
            })
            .collect(),
    }
}

fn back(lines: &[(&str, &str, u32, u32)]) -> KitCheckin {
    KitCheckin {
        job: JobId::new("J1"),
        at: at(12),
        lines: lines
            .iter()
            .map(|&(w, item, good, damaged)| CheckinLine {
                worker: WorkerId::new(w),
                item: item.into(),
                good,
                damaged,
            })
            .collect(),
    }
}

/// Check-out (worker, item, count), check-in (worker, item, good, damaged), expected
/// incidents (worker, item, kind, count) in order.
fn check(
    o: &[(&str, &str, u32)],
    b: &[(&str, &str, u32, u32)],
    want: &[(&str, &str, IncidentKind, u32)],
) {
    let got: Vec<(String, String, IncidentKind, u32)> = reconcile(&out(o), &back(b))
        .into_iter()
        .map(|i| {
            assert_eq!(i.job, JobId::new("J1"));
            (i.worker.0, i.item, i.kind, i.count)
        })
        .collect();
    let want: Vec<(String, String, IncidentKind, u32)> = want
        .iter()
        .map(|&(w, i, k, n)| (w.to_owned(), i.to_owned(), k, n))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn everything_back_no_incident() {
    check(
        &[("W1", "rag", 6), ("W1", "mop", 1)],
        &[("W1", "rag", 6, 0), ("W1", "mop", 1, 0)],
        &[],
    );
}

#[test]
fn fewer_back_is_missing_on_who_took_it() {
    check(
        &[("W1", "rag", 6)],
        &[("W1", "rag", 5, 0)],
        &[("W1", "rag", M, 1)],
    );
}

#[test]
fn nothing_back_at_all_is_missing() {
    check(
        &[("W1", "rag", 6), ("W2", "mop", 1)],
        &[("W1", "rag", 6, 0)],
        &[("W2", "mop", M, 1)],
    );
}

#[test]
fn damaged_is_reported_with_the_worker() {
    check(
        &[("W1", "mop", 1)],
        &[("W1", "mop", 0, 1)],
        &[("W1", "mop", D, 1)],
    );
}

#[test]
fn damaged_and_missing_together() {
    check(
        &[("W1", "rag", 6)],
        &[("W1", "rag", 3, 2)],
        &[("W1", "rag", M, 1), ("W1", "rag", D, 2)],
    );
}

#[test]
fn extra_back_is_an_incident_maybe_the_customers() {
    check(
        &[("W1", "rag", 6)],
        &[("W1", "rag", 7, 0)],
        &[("W1", "rag", X, 1)],
    );
    check(
        &[],
        &[("W1", "scissors", 1, 0)],
        &[("W1", "scissors", X, 1)],
    );
}

#[test]
fn counts_are_per_worker() {
    // W2 brought back the mop W1 took: W1 is short, W2 has one too many.
    check(
        &[("W1", "mop", 1)],
        &[("W2", "mop", 1, 0)],
        &[("W1", "mop", M, 1), ("W2", "mop", X, 1)],
    );
}

#[test]
fn repeated_lines_add_up() {
    check(
        &[("W1", "rag", 3), ("W1", "rag", 3)],
        &[("W1", "rag", 2, 0), ("W1", "rag", 2, 1)],
        &[("W1", "rag", M, 1), ("W1", "rag", D, 1)],
    );
}

#[test]
fn incidents_are_sorted_by_worker_then_item() {
    check(
        &[("W2", "rag", 2), ("W1", "mop", 1), ("W1", "bucket", 1)],
        &[],
        &[
            ("W1", "bucket", M, 1),
            ("W1", "mop", M, 1),
            ("W2", "rag", M, 2),
        ],
    );
}

#[test]
fn incidents_explain_with_item_names() {
    let kits = default_kits();
    let daily = kit_for(&kits, "daily_clean").unwrap();
    let mut o = out(&[]);
    o.lines = checkout_lines(daily, &WorkerId::new("W007"));
    let b = back(&[("W007", "mop", 0, 1), ("W007", "vase", 1, 0)]);
    let incidents = reconcile(&o, &b);
    let texts: Vec<String> = incidents.iter().map(|i| i.explain(Lang::Zh)).collect();
    assert!(
        texts.contains(&"拖把 损坏 ×1，责任人 W007".to_owned()),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"缺少 抹布 ×6，责任人 W007".to_owned()),
        "{texts:?}"
    );
    assert!(
        texts.contains(&"多带回 vase ×1（W007）：可能是客户物品，须核实并归还".to_owned()),
        "{texts:?}"
    );
    let en: Vec<String> = incidents.iter().map(|i| i.explain(Lang::En)).collect();
    assert!(
        en.contains(&"Damaged Mop ×1, responsible worker W007".to_owned()),
        "{en:?}"
    );
    // The whole kit minus the damaged mop is missing: 8 item kinds, 7 missing, 1 damaged, 1 extra.
    assert_eq!(incidents.iter().filter(|i| i.kind == M).count(), 7);
}

#[test]
fn default_kits_cover_the_service_types() {
    let kits = default_kits();
    for service in ["daily_clean", "deep_clean", "glass", "appliance"] {
        let k = kit_for(&kits, service).unwrap_or_else(|| panic!("{service}"));
        assert!(k.item("toolbox").is_some(), "{service} has a toolbox");
        assert!(k
            .items
            .iter()
            .all(|i| i.expected > 0 && !i.name.zh.is_empty() && !i.name.en.is_empty()));
    }
    assert_eq!(
        kit_for(&kits, "glass")
            .unwrap()
            .item("squeegee")
            .unwrap()
            .name,
        Text::new("玻璃刮", "Squeegee")
    );
    assert!(kit_for(&kits, "piano").is_none());
    let json = serde_json::to_string(&kits).unwrap();
    let back: Vec<KitTemplate> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, kits);
}

#[test]
fn shortfalls_at_checkout_against_the_template() {
    let kits = default_kits();
    let daily = kit_for(&kits, "daily_clean").unwrap();
    let mut o = out(&[]);
    o.lines = checkout_lines(daily, &WorkerId::new("W1"));
    assert!(kit_shortfalls(daily, &o).is_empty());
    // Two workers share the rags: 4 + 1 = 5 of 6; no mop at all.
    o.lines.retain(|l| l.item != "rag" && l.item != "mop");
    o.lines.push(CheckoutLine {
        worker: WorkerId::new("W1"),
        item: "rag".into(),
        count: 4,
        name: None,
    });
    o.lines.push(CheckoutLine {
        worker: WorkerId::new("W2"),
        item: "rag".into(),
        count: 1,
        name: None,
    });
    let s = kit_shortfalls(daily, &o);
    let got: Vec<(&str, u32, u32)> = s
        .iter()
        .map(|s| (s.item.as_str(), s.expected, s.taken))
        .collect();
    assert_eq!(got, [("rag", 6, 5), ("mop", 1, 0)]);
    assert_eq!(s[0].explain(Lang::Zh), "工具不全：抹布 应带 6，实带 5");
    assert_eq!(
        s[1].explain(Lang::En),
        "Kit incomplete: Mop expected 1, taken 0"
    );
}

#[test]
fn checkout_and_checkin_round_trip_through_json() {
    let o = out(&[("W1", "rag", 6)]);
    let b = back(&[("W1", "rag", 5, 1)]);
    assert_eq!(
        serde_json::from_str::<KitCheckout>(&serde_json::to_string(&o).unwrap()).unwrap(),
        o
    );
    assert_eq!(
        serde_json::from_str::<KitCheckin>(&serde_json::to_string(&b).unwrap()).unwrap(),
        b
    );
    let incidents = reconcile(&o, &b);
    let json = serde_json::to_string(&incidents).unwrap();
    assert!(json.contains(r#""kind":"damaged""#), "{json}");
    // `damaged` defaults to 0.
    let min: KitCheckin =
        serde_json::from_str(r#"{"job":"J1","at":"2026-01-10T12:00:00","lines":[{"worker":"W1","item":"rag","good":6}]}"#)
            .unwrap();
    assert!(reconcile(&o, &min).is_empty());
}

#[test]
fn a_job_of_several_services_takes_one_kit_with_the_largest_counts() {
    use doorstep_core::toolkit::{default_kits, kit_for_services};
    let kits = default_kits();
    let k = kit_for_services(&kits, ["daily_clean", "glass", "no_such_service"]);
    let count = |code: &str| k.item(code).map(|i| i.expected);
    assert_eq!(k.service, "daily_clean+glass");
    assert_eq!(
        count("toolbox"),
        Some(1),
        "one toolbox, not one per service"
    );
    assert_eq!(
        count("rag"),
        Some(6),
        "daily clean's 6 rags cover glass's 4"
    );
    assert_eq!(count("squeegee"), Some(2), "glass's own items join");
    assert_eq!(count("mop"), Some(1));
    assert!(kit_for_services(&kits, ["no_such_service"])
        .items
        .is_empty());
}
