#![cfg(not(target_arch = "wasm32"))]
//! Property tests of the records, pricing and privacy rules (native only).

use chrono::{DateTime, NaiveDateTime};
use doorstep_core::model::{
    Address, Assignment, Customer, CustomerId, Job, JobId, JobStatus, Money, Point, ServiceLine,
    Signature, StoreId, Stroke, TimeWindow, WorkerId, Zone,
};
use doorstep_core::pricing::{quote, ExtraLine, PriceItem, PriceList, Surcharge, Unit};
use doorstep_core::privacy::for_worker;
use doorstep_core::record::{
    canonical_json, canonical_record, seal_next, verify_chain, ChainFault, ChecklistEntry,
    RecordCharge, SealedRecord, ServiceRecord, ToolCount,
};
use doorstep_core::{Rules, Text};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

/// Any text, hostile included: controls, NUL, emoji, bidi marks.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9 ]{0,12}",
        Just("<script>alert(1)</script>\u{0}\u{202E}😀".to_owned()),
    ]
}

fn time() -> impl Strategy<Value = NaiveDateTime> {
    // 2000-01-01 .. 2100-01-01, with or without a fraction of a second.
    (
        946_684_800i64..4_102_444_800,
        prop_oneof![Just(0u32), 0u32..1_000_000_000],
    )
        .prop_map(|(s, n)| {
            DateTime::from_timestamp(s, n)
                .map(|d| d.naive_utc())
                .unwrap_or_default()
        })
}

fn badge() -> impl Strategy<Value = WorkerId> {
    "W[0-9]{2}".prop_map(WorkerId)
}

prop_compose! {
    fn record()(
        job in text(),
        workers in vec(badge(), 0..3),
        checklist in vec((text(), any::<bool>(), time(), badge()), 0..3),
        tools in vec((text(), any::<u32>(), any::<u32>(), any::<u32>()), 0..3),
        amounts in (any::<i64>(), any::<i64>()),
        deviation in (option::of(text()), option::of(text())),
        remarks in text(),
        satisfaction in option::of(any::<u8>()),
        signer in text(),
        strokes in vec(vec((any::<i32>(), any::<i32>(), any::<u32>()), 0..4), 0..3),
        signed_at in time(),
        device_time in time(),
        device_id in text(),
    ) -> ServiceRecord {
        ServiceRecord {
            job: JobId(job),
            workers,
            checklist: checklist
                .into_iter()
                .map(|(item_id, done, at, by)| ChecklistEntry { item_id, done, at, by })
                .collect(),
            tools: tools.into_iter().map(|(item, out, back, damaged)| ToolCount { item, out, back, damaged }).collect(),
            charge: RecordCharge {
                computed: Money(amounts.0),
                charged: Money(amounts.1),
                deviation_reason: deviation.0,
                deviation_approver: deviation.1,
            },
            remarks,
            satisfaction,
            signature: Signature {
                signer,
                strokes: strokes
                    .into_iter()
                    .map(|s| Stroke(s.into_iter().map(|(x, y, t_ms)| Point { x, y, t_ms, p: 0 }).collect()))
                    .collect(),
                signed_at,
                anchor_ms: None,
            },
            device_time,
            device_id,
            seq: 0,
        }
    }
}

fn chain() -> impl Strategy<Value = Vec<SealedRecord>> {
    vec(record(), 1..5).prop_map(|records| {
        let mut out: Vec<SealedRecord> = Vec::new();
        for r in records {
            match seal_next(r, out.last()) {
                Ok(s) => out.push(s),
                Err(e) => panic!("a generated record could not be sealed: {e}"),
            }
        }
        out
    })
}

const FIELDS: usize = 26;

fn bump_time(t: &mut NaiveDateTime) {
    *t = t
        .checked_add_signed(chrono::TimeDelta::seconds(1))
        .unwrap_or_default();
}

/// Changes exactly one field of `r` (field number `field`) to a different value.
fn mutate(r: &mut SealedRecord, field: usize) {
    let rec = &mut r.record;
    match field {
        0 => rec.job.0.push('x'),
        1 => rec.workers.push(WorkerId::new("W99")),
        2 => match rec.workers.first_mut() {
            Some(w) => w.0.push('x'),
            None => rec.workers.push(WorkerId::new("W00")),
        },
        3..=6 => match rec.checklist.first_mut() {
            Some(c) => match field {
                3 => c.item_id.push('x'),
                4 => c.done = !c.done,
                5 => bump_time(&mut c.at),
                _ => c.by.0.push('x'),
            },
            None => rec.checklist.push(ChecklistEntry {
                item_id: String::new(),
                done: false,
                at: NaiveDateTime::default(),
                by: WorkerId::new(""),
            }),
        },
        7..=10 => match rec.tools.first_mut() {
            Some(t) => match field {
                7 => t.item.push('x'),
                8 => t.out = t.out.wrapping_add(1),
                9 => t.back = t.back.wrapping_add(1),
                _ => t.damaged = t.damaged.wrapping_add(1),
            },
            None => rec.tools.push(ToolCount {
                item: String::new(),
                out: 0,
                back: 0,
                damaged: 0,
            }),
        },
        11 => rec.charge.computed.0 = rec.charge.computed.0.wrapping_add(1),
        12 => rec.charge.charged.0 = rec.charge.charged.0.wrapping_sub(1),
        13 => rec.charge.deviation_reason = toggle(rec.charge.deviation_reason.take()),
        14 => rec.charge.deviation_approver = toggle(rec.charge.deviation_approver.take()),
        15 => rec.remarks.push('\u{0}'),
        16 => rec.satisfaction = rec.satisfaction.map_or(Some(0), |s| s.checked_add(1)),
        17 => rec.signature.signer.push('x'),
        18 => rec.signature.strokes.push(Stroke::default()),
        19 => match rec
            .signature
            .strokes
            .iter_mut()
            .find_map(|s| s.0.first_mut())
        {
            Some(p) => p.x = p.x.wrapping_add(1),
            None => rec.signature.strokes.push(Stroke(vec![Point {
                x: 0,
                y: 0,
                t_ms: 0,
                p: 0,
            }])),
        },
        20 => bump_time(&mut rec.signature.signed_at),
        21 => bump_time(&mut rec.device_time),
        22 => rec.device_id.push('x'),
        23 => rec.seq = rec.seq.wrapping_add(1),
        24 => r.prev_hash = flip_hex(&r.prev_hash),
        _ => r.hash = flip_hex(&r.hash),
    }
}

fn toggle(s: Option<String>) -> Option<String> {
    match s {
        Some(s) if s.is_empty() => None,
        Some(mut s) => {
            s.pop();
            Some(s)
        }
        None => Some(String::new()),
    }
}

/// The same hash with its first digit changed.
fn flip_hex(h: &str) -> String {
    let mut chars: Vec<char> = h.chars().collect();
    if let Some(c) = chars.first_mut() {
        *c = if *c == '0' { '1' } else { '0' };
    }
    chars.into_iter().collect()
}

proptest! {
    #[test]
    fn any_single_field_change_is_named_at_its_index(
        chain in chain(),
        pick in any::<prop::sample::Index>(),
        field in 0..FIELDS,
    ) {
        prop_assert_eq!(verify_chain(&chain), Ok(()));
        let index = pick.index(chain.len());
        let mut tampered = chain.clone();
        let before = tampered[index].clone();
        mutate(&mut tampered[index], field);
        prop_assert_ne!(&tampered[index], &before, "mutation {} changed nothing", field);
        let err = verify_chain(&tampered).expect_err("tampering must be detected");
        prop_assert_eq!(err.index, index);
        prop_assert_eq!(&err.job, &tampered[index].record.job);
        prop_assert!(matches!(err.fault, ChainFault::ContentHash { .. }), "{:?}", err.fault);
    }

    #[test]
    fn canonical_form_is_stable_under_serde_round_trips(r in record()) {
        let canonical = canonical_record(&r).expect("canonical");
        let compact: ServiceRecord = serde_json::from_str(&serde_json::to_string(&r).expect("json")).expect("back");
        let pretty: ServiceRecord =
            serde_json::from_str(&serde_json::to_string_pretty(&r).expect("json")).expect("back");
        let from_canonical: ServiceRecord = serde_json::from_str(&canonical).expect("canonical is JSON");
        for back in [compact, pretty, from_canonical] {
            prop_assert_eq!(&back, &r);
            prop_assert_eq!(canonical_record(&back).expect("canonical"), canonical.clone());
        }
        // Canonicalising canonical text changes nothing.
        let value: serde_json::Value = serde_json::from_str(&canonical).expect("json");
        prop_assert_eq!(canonical_json(&value).expect("canonical"), canonical);
    }

    #[test]
    fn quote_total_is_the_sum_of_its_lines_and_at_least_the_minimum(
        items in vec((0i64..100_000, 0i64..50_000, 0usize..4), 1..6),
        order_minimum in 0i64..50_000,
        extras in vec((any::<bool>(), 0u32..200, 0i64..5_000), 0..4),
        lines in vec((any::<prop::sample::Index>(), 1u32..500), 1..8),
        applied in vec((any::<prop::sample::Index>(), 1u32..10), 0..4),
    ) {
        let units = [Unit::Hour, Unit::SquareMetre, Unit::Item, Unit::Visit];
        let list = PriceList {
            items: items
                .iter()
                .enumerate()
                .map(|(i, &(price, min, unit))| PriceItem {
                    code: format!("i{i}"),
                    name: Text::new("项", "item"),
                    unit: units[unit],
                    unit_price: Money(price),
                    minimum: Money(min),
                })
                .collect(),
            extras: extras
                .iter()
                .enumerate()
                .map(|(i, &(percent, p, amount))| doorstep_core::pricing::Extra {
                    code: format!("x{i}"),
                    name: Text::new("附加", "extra"),
                    surcharge: if percent { Surcharge::Percent { percent: p } } else { Surcharge::Fixed { amount: Money(amount) } },
                })
                .collect(),
            order_minimum: Money(order_minimum),
        };
        let lines: Vec<ServiceLine> = lines
            .iter()
            .map(|(i, q)| ServiceLine { code: format!("i{}", i.index(items.len())), quantity: *q })
            .collect();
        let extra_lines: Vec<ExtraLine> = if extras.is_empty() {
            Vec::new()
        } else {
            applied
                .iter()
                .map(|(i, q)| {
                    let k = i.index(extras.len());
                    ExtraLine::new(format!("x{k}"), if extras[k].0 { 1 } else { *q })
                })
                .collect()
        };
        let q = quote(&list, &lines, &extra_lines).expect("a valid order");
        let sum = q.lines.iter().map(|l| l.amount.0).sum::<i64>()
            + q.extras.iter().map(|x| x.amount.0).sum::<i64>()
            + q.order_minimum_top_up.0;
        prop_assert_eq!(q.total.0, sum);
        prop_assert!(q.total >= list.order_minimum);
        prop_assert_eq!(q.items_subtotal.0, q.lines.iter().map(|l| l.amount.0).sum::<i64>());
        for l in &q.lines {
            let item = list.item(&l.code).expect("listed");
            prop_assert!(l.amount >= item.minimum && l.amount >= l.base);
            prop_assert_eq!(l.base.0, item.unit_price.0 * i64::from(l.quantity));
        }
        let ordered: u64 = lines.iter().map(|l| u64::from(l.quantity)).sum();
        prop_assert_eq!(q.lines.iter().map(|l| u64::from(l.quantity)).sum::<u64>(), ordered);
        if q.order_minimum_top_up.0 > 0 {
            prop_assert_eq!(q.total, list.order_minimum);
        }
    }

    #[test]
    fn another_workers_projection_never_holds_the_contact(
        crew in vec(0u8..6, 1..4),
        viewer in 0u8..8,
        phone in "1[3-9][0-9]{9}",
        detail in "DETAIL-[a-z0-9]{4,12}",
        name in "NAME-[a-z]{4,8}",
        status in prop::sample::select(vec![
            JobStatus::Booked, JobStatus::Assigned, JobStatus::Confirmed, JobStatus::InProgress,
            JobStatus::Acceptance, JobStatus::Rework, JobStatus::Completed, JobStatus::Cancelled,
        ]),
        start in time(),
        now in time(),
        days_before in 0u32..4,
    ) {
        let badge = |n: u8| WorkerId(format!("W{n:02}"));
        let customer = Customer {
            id: CustomerId::new("C1"),
            store: StoreId::new("S1"),
            name,
            phone,
            address: Address { district: "浦东新区".into(), detail },
            notes: String::new(),
        };
        let job = Job {
            id: JobId::new("J1"),
            store: StoreId::new("S1"),
            customer: CustomerId::new("C1"),
            items: vec![],
            skills: vec![],
            crew_size: 1,
            window: TimeWindow { start, end: start },
            duration_minutes: 60,
            zone: Zone::new("z"),
            urgent: false,
            status,
            source: Default::default(),
            special_requests: String::new(),
        };
        let assignment = Assignment {
            job: JobId::new("J1"),
            workers: crew.iter().map(|&n| badge(n)).collect(),
            leader: badge(crew[0]),
            start,
            end: start,
        };
        let rules = Rules { confirmation_days_before: days_before, ..Rules::default() };
        let view = for_worker(&job, &customer, &assignment, &badge(viewer), now, &rules);
        let on_crew = crew.contains(&viewer);
        prop_assert_eq!(view.is_some(), on_crew);
        if let Some(v) = view {
            let active = status.is_open()
                && now.date() >= start.date() - chrono::Days::new(u64::from(days_before));
            prop_assert_eq!(v.contact.is_some(), active);
            if !active {
                let stored = serde_json::to_string(&v).expect("json");
                prop_assert!(!stored.contains(&customer.phone));
                prop_assert!(!stored.contains(&customer.address.detail));
                prop_assert!(!stored.contains(&customer.name));
            }
        }
    }
}
