#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::NaiveDate;
use doorstep_core::model::{JobId, Money, ServiceLine, WorkerId};
use doorstep_core::pricing::{
    liability, percent_of, quote, Charge, Deviation, DeviationCause, Extra, ExtraLine, PriceItem,
    PriceList, PricingError, Quote, Surcharge, Unit,
};
use doorstep_core::{Explain, Lang, Text};

/// A small list with prices that exercise the rounding.
fn list() -> PriceList {
    let item = |code: &str, unit, price, min| PriceItem {
        code: code.into(),
        name: Text::new(code, code),
        unit,
        unit_price: Money(price),
        minimum: Money(min),
    };
    let extra = |code: &str, surcharge| Extra {
        code: code.into(),
        name: Text::new(code, code),
        surcharge,
    };
    PriceList {
        items: vec![
            item("hour", Unit::Hour, 4_500, 9_000),
            item("sqm", Unit::SquareMetre, 605, 0),
            item("piece", Unit::Item, 15_000, 0),
            item("visit", Unit::Visit, 3_000, 0),
            item("big", Unit::Item, i64::MAX / 2, 0),
        ],
        extras: vec![
            extra("stairs", Surcharge::Fixed { amount: Money(500) }),
            extra("soil20", Surcharge::Percent { percent: 20 }),
            extra("wkend10", Surcharge::Percent { percent: 10 }),
            extra("hol15", Surcharge::Percent { percent: 15 }),
            extra("huge300", Surcharge::Percent { percent: 300 }),
        ],
        order_minimum: Money(10_000),
    }
}

/// `spec` is `code*qty …` for service lines, then optionally `+ code*qty …` for extras.
fn parse(spec: &str) -> (Vec<ServiceLine>, Vec<ExtraLine>) {
    let (lines, extras) = spec.split_once('+').unwrap_or((spec, ""));
    let pairs = |s: &str| -> Vec<(String, u32)> {
        s.split_whitespace()
            .map(|t| {
                let (c, q) = t.split_once('*').unwrap_or((t, "1"));
                (c.to_owned(), q.parse().expect("quantity"))
            })
            .collect()
    };
    (
        pairs(lines)
            .into_iter()
            .map(|(code, quantity)| ServiceLine { code, quantity })
            .collect(),
        pairs(extras)
            .into_iter()
            .map(|(c, q)| ExtraLine::new(c, q))
            .collect(),
    )
}

fn render(q: &Quote) -> String {
    let mut parts: Vec<String> = q
        .lines
        .iter()
        .map(|l| {
            let min = if l.minimum_applied {
                format!(" min→{}", l.amount)
            } else {
                String::new()
            };
            format!("{} {}×{}={}{min}", l.code, l.quantity, l.unit_price, l.base)
        })
        .collect();
    parts.extend(
        q.extras
            .iter()
            .map(|x| format!("+{}×{} {}", x.code, x.quantity, x.amount)),
    );
    if q.order_minimum_top_up != Money::ZERO {
        parts.push(format!("top-up {}", q.order_minimum_top_up));
    }
    parts.push(format!("= {}", q.total));
    parts.join(" | ")
}

fn check_with(list: &PriceList, spec: &str, expected: &str) {
    let (lines, extras) = parse(spec);
    let got = match quote(list, &lines, &extras) {
        Ok(q) => {
            // The invariants hold in every case.
            let sum: i64 = q.lines.iter().map(|l| l.amount.0).sum::<i64>()
                + q.extras.iter().map(|x| x.amount.0).sum::<i64>()
                + q.order_minimum_top_up.0;
            assert_eq!(sum, q.total.0, "{spec}: total is not the sum of its parts");
            assert!(
                q.total >= list.order_minimum,
                "{spec}: below the order minimum"
            );
            render(&q)
        }
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got, expected, "spec: {spec}");
}

fn check(spec: &str, expected: &str) {
    check_with(&list(), spec, expected)
}

#[test]
fn per_unit_kind() {
    check("hour*3", "hour 3×¥45.00=¥135.00 | = ¥135.00");
    check("sqm*20", "sqm 20×¥6.05=¥121.00 | = ¥121.00");
    check("piece*2", "piece 2×¥150.00=¥300.00 | = ¥300.00");
    check("visit*4", "visit 4×¥30.00=¥120.00 | = ¥120.00");
    check(
        "hour*2 sqm*20 piece*1",
        "hour 2×¥45.00=¥90.00 | sqm 20×¥6.05=¥121.00 | piece 1×¥150.00=¥150.00 | = ¥361.00",
    );
}

#[test]
fn minimum_charges() {
    // Item minimum: one hour is charged as the two-hour minimum.
    check(
        "hour*1 piece*1",
        "hour 1×¥45.00=¥45.00 min→¥90.00 | piece 1×¥150.00=¥150.00 | = ¥240.00",
    );
    // Exactly the minimum is not "raised".
    check("hour*2", "hour 2×¥45.00=¥90.00 | top-up ¥10.00 | = ¥100.00");
    // Order minimum tops up a small order…
    check(
        "visit*1",
        "visit 1×¥30.00=¥30.00 | top-up ¥70.00 | = ¥100.00",
    );
    // …after the item minimum and the extras.
    check(
        "hour*1",
        "hour 1×¥45.00=¥45.00 min→¥90.00 | top-up ¥10.00 | = ¥100.00",
    );
    check(
        "visit*3 + stairs*1",
        "visit 3×¥30.00=¥90.00 | +stairs×1 ¥5.00 | top-up ¥5.00 | = ¥100.00",
    );
    check(
        "visit*3 + stairs*2",
        "visit 3×¥30.00=¥90.00 | +stairs×2 ¥10.00 | = ¥100.00",
    );
    // Lines of one code are merged, so the item minimum applies once per order.
    check(
        "hour*1 piece*1 hour*1",
        "hour 2×¥45.00=¥90.00 | piece 1×¥150.00=¥150.00 | = ¥240.00",
    );
}

#[test]
fn extras_and_rounding_half_up() {
    check(
        "piece*1 + stairs*4",
        "piece 1×¥150.00=¥150.00 | +stairs×4 ¥20.00 | = ¥170.00",
    );
    // 10 % of ¥151.25 = ¥15.125 → ¥15.13 (half up: 1512.5 fen → 1513)
    check(
        "sqm*25 + wkend10",
        "sqm 25×¥6.05=¥151.25 | +wkend10×1 ¥15.13 | = ¥166.38",
    );
    // 15 % of ¥151.25 = 2268.75 fen → 2269
    check(
        "sqm*25 + hol15",
        "sqm 25×¥6.05=¥151.25 | +hol15×1 ¥22.69 | = ¥173.94",
    );
    // 20 % of ¥151.25 = 3025.0 fen exactly
    check(
        "sqm*25 + soil20",
        "sqm 25×¥6.05=¥151.25 | +soil20×1 ¥30.25 | = ¥181.50",
    );
    // 15 % of 605×27 = 16335 fen = 2450.25 → 2450 (below half rounds down)
    check(
        "sqm*27 + hol15",
        "sqm 27×¥6.05=¥163.35 | +hol15×1 ¥24.50 | = ¥187.85",
    );
    // Percentages apply to the items subtotal, not to each other or to fixed extras.
    check(
        "piece*1 + stairs*2 soil20 wkend10",
        "piece 1×¥150.00=¥150.00 | +stairs×2 ¥10.00 | +soil20×1 ¥30.00 | +wkend10×1 ¥15.00 | = ¥205.00",
    );
    // A percentage of an item minimum uses the minimum.
    check(
        "hour*1 + wkend10",
        "hour 1×¥45.00=¥45.00 min→¥90.00 | +wkend10×1 ¥9.00 | top-up ¥1.00 | = ¥100.00",
    );
}

#[test]
fn rounding_helper() {
    let cases: &[(i64, u32, Option<i64>)] = &[
        (0, 10, Some(0)),
        (5, 10, Some(1)),   // 0.5 → 1
        (4, 10, Some(0)),   // 0.4 → 0
        (15, 10, Some(2)),  // 1.5 → 2
        (25, 10, Some(3)),  // 2.5 → 3 (half up, not to even)
        (1234, 0, Some(0)), // 0 %
        (1234, 100, Some(1234)),
        (1, 150, Some(2)),   // 1.5 → 2
        (-10, 10, None),     // negative amounts are refused
        (i64::MAX, 2, None), // overflow
    ];
    for &(amount, percent, expected) in cases {
        assert_eq!(
            percent_of(Money(amount), percent),
            expected.map(Money),
            "{amount} × {percent} %"
        );
    }
}

#[test]
fn errors() {
    check("", "error: the order has no service lines");
    check("mop*2", "error: unknown price-list item `mop`");
    check("hour*0", "error: `hour` has quantity zero");
    check("hour*2 + stairs*0", "error: `stairs` has quantity zero");
    check("hour*2 + lift", "error: unknown extra `lift`");
    check(
        "hour*2 + wkend10*2",
        "error: percentage extra `wkend10` must have quantity 1, not 2",
    );
    check(
        "big*3",
        "error: the amount for `big` is too large (overflow)",
    );
    check(
        "big*2 piece*1",
        "error: the amount for `piece` is too large (overflow)",
    );
    check(
        "big*1 + huge300",
        "error: the amount for `huge300` is too large (overflow)",
    );
    check(
        "hour*4294967295 hour*1",
        "error: the amount for `hour` is too large (overflow)",
    );

    let mut dup = list();
    dup.extras.push(Extra {
        code: "hour".into(),
        name: Text::new("x", "x"),
        surcharge: Surcharge::Percent { percent: 1 },
    });
    check_with(
        &dup,
        "hour*2",
        "error: the price list has `hour` more than once",
    );
    let mut neg = list();
    neg.items[1].unit_price = Money(-1);
    check_with(
        &neg,
        "hour*2",
        "error: the price list has a negative amount for `sqm`",
    );
    let mut neg_min = list();
    neg_min.order_minimum = Money(-1);
    check_with(
        &neg_min,
        "hour*2",
        "error: the price list has a negative amount for `order_minimum`",
    );
}

#[test]
fn standard_list() {
    let std = PriceList::standard();
    assert_eq!(std.validate(), Ok(()));
    // A 3-hour daily clean on a Saturday, fourth floor without a lift: 135 + 13.50 + 4 × 5.
    check_with(
        &std,
        "daily_clean*3 + weekend stairs_no_lift*4",
        "daily_clean 3×¥45.00=¥135.00 | +weekend×1 ¥13.50 | +stairs_no_lift×4 ¥20.00 | = ¥168.50",
    );
    check_with(
        &std,
        "deep_clean*90 range_hood*1 + heavy_soiling",
        "deep_clean 90×¥6.00=¥540.00 | range_hood 1×¥150.00=¥150.00 | +heavy_soiling×1 ¥138.00 | = ¥828.00",
    );
    check_with(
        &std,
        "inspection*1",
        "inspection 1×¥30.00=¥30.00 | top-up ¥70.00 | = ¥100.00",
    );
    // The list is data: it round-trips through JSON unchanged.
    let json = serde_json::to_string(&std).unwrap();
    assert_eq!(serde_json::from_str::<PriceList>(&json).unwrap(), std);
    // An extra line's quantity defaults to 1.
    let x: ExtraLine = serde_json::from_str(r#"{"code":"weekend"}"#).unwrap();
    assert_eq!(x, ExtraLine::new("weekend", 1));
}

fn at() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 5, 2)
        .and_then(|d| d.and_hms_opt(16, 0, 0))
        .expect("valid time")
}

fn deviation(reason: &str, approver: &str, cause: DeviationCause) -> Option<Deviation> {
    Some(Deviation {
        reason: reason.into(),
        approver: approver.into(),
        at: at(),
        cause,
    })
}

fn poor(worker: &str) -> DeviationCause {
    DeviationCause::PoorQuality {
        responsible: WorkerId::new(worker),
    }
}

/// `expected`: `ok`, `liability <worker> <amount>: <reason>` or `error: …`.
fn check_charge(computed: i64, charged: i64, deviation: Option<Deviation>, expected: &str) {
    let charge = Charge {
        computed: Money(computed),
        charged: Money(charged),
        deviation,
    };
    let got = match liability(&JobId::new("J1"), &charge) {
        Ok(None) => "ok".to_owned(),
        Ok(Some(l)) => {
            assert_eq!(l.job, JobId::new("J1"));
            format!("liability {} {}: {}", l.worker, l.amount, l.reason)
        }
        Err(e) => format!("error: {e}"),
    };
    assert_eq!(got, expected, "computed {computed}, charged {charged}");
    assert_eq!(charge.validate().is_ok(), !expected.starts_with("error"));
}

#[test]
fn deviation_rules() {
    use DeviationCause::Other;
    check_charge(16_850, 16_850, None, "ok");
    check_charge(0, 0, None, "ok");
    check_charge(
        16_850,
        16_000,
        None,
        "error: charged ¥160.00 but the price list says ¥168.50, and no deviation was approved",
    );
    check_charge(
        16_850,
        17_000,
        None,
        "error: charged ¥170.00 but the price list says ¥168.50, and no deviation was approved",
    );
    check_charge(
        16_850,
        16_000,
        deviation("老客户优惠", "王主管", Other),
        "ok",
    );
    check_charge(
        16_850,
        18_850,
        deviation("customer added a balcony on site", "S-02", Other),
        "ok",
    );
    check_charge(
        16_850,
        16_000,
        deviation("", "王主管", Other),
        "error: the deviation has no reason",
    );
    check_charge(
        16_850,
        16_000,
        deviation(" \t", "王主管", Other),
        "error: the deviation has no reason",
    );
    check_charge(
        16_850,
        16_000,
        deviation("优惠", "", Other),
        "error: the deviation has no approver",
    );
    check_charge(
        16_850,
        16_000,
        deviation("优惠", "  ", Other),
        "error: the deviation has no approver",
    );
    // A deviation with no difference is still checked.
    check_charge(
        16_850,
        16_850,
        deviation("", "王主管", Other),
        "error: the deviation has no reason",
    );
    check_charge(
        16_850,
        16_850,
        deviation("recorded anyway", "王主管", Other),
        "ok",
    );
    check_charge(
        -1,
        -1,
        None,
        "error: an amount is negative (computed -¥0.01, charged -¥0.01)",
    );
    check_charge(
        100,
        -1,
        deviation("refund", "王主管", Other),
        "error: an amount is negative (computed ¥1.00, charged -¥0.01)",
    );
}

#[test]
fn poor_quality_liability() {
    check_charge(
        16_850,
        14_850,
        deviation("厨房油污未清理干净", "王主管", poor("W-007")),
        "liability W-007 ¥20.00: 厨房油污未清理干净",
    );
    check_charge(
        16_850,
        0,
        deviation("redo refused, no charge", "S-02", poor("W-008")),
        "liability W-008 ¥168.50: redo refused, no charge",
    );
    check_charge(
        16_850,
        16_850,
        deviation("窗户有水印", "王主管", poor("W-007")),
        "error: a poor-quality deviation must charge less than computed (computed ¥168.50, charged ¥168.50)",
    );
    check_charge(
        16_850,
        17_000,
        deviation("窗户有水印", "王主管", poor("W-007")),
        "error: a poor-quality deviation must charge less than computed (computed ¥168.50, charged ¥170.00)",
    );
    check_charge(
        16_850,
        14_850,
        deviation("窗户有水印", "王主管", poor(" ")),
        "error: a poor-quality deviation names no responsible worker",
    );
    check_charge(
        16_850,
        14_850,
        deviation("", "王主管", poor("W-007")),
        "error: the deviation has no reason",
    );
}

#[test]
fn exact_charge_and_difference() {
    let c = Charge::exact(Money(16_850));
    assert_eq!(c.validate(), Ok(()));
    assert_eq!(c.difference(), Some(0));
    let short = Charge {
        computed: Money(100),
        charged: Money(40),
        deviation: None,
    };
    assert_eq!(short.difference(), Some(-60));
    let extreme = Charge {
        computed: Money(i64::MIN),
        charged: Money(1),
        deviation: None,
    };
    assert_eq!(extreme.difference(), None);
}

#[test]
fn errors_are_explained_in_both_languages() {
    let pricing = [
        PricingError::NoLines,
        PricingError::UnknownItem { code: "mop".into() },
        PricingError::UnknownExtra {
            code: "lift".into(),
        },
        PricingError::ZeroQuantity {
            code: "hour".into(),
        },
        PricingError::PercentQuantity {
            code: "weekend".into(),
            quantity: 2,
        },
        PricingError::DuplicateCode {
            code: "hour".into(),
        },
        PricingError::NegativePrice { code: "sqm".into() },
        PricingError::Overflow { code: "big".into() },
    ];
    for e in &pricing {
        let (zh, en) = (e.explain(Lang::Zh), e.explain(Lang::En));
        let cjk = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
        assert!(cjk(&zh), "{zh}");
        assert!(!cjk(&en), "{en}");
        assert_ne!(zh, en);
    }
    assert_eq!(
        PricingError::UnknownItem { code: "mop".into() }.explain(Lang::Zh),
        "价目表中没有项目“mop”"
    );
    let charge = Charge {
        computed: Money(16_850),
        charged: Money(16_000),
        deviation: None,
    };
    let err = charge.validate().unwrap_err();
    assert_eq!(
        err.explain(Lang::Zh),
        "实收 ¥160.00 与标准价 ¥168.50 不符，且没有经批准的差额说明"
    );
    assert_eq!(
        err.explain(Lang::En),
        "Charged ¥160.00 but the standard price is ¥168.50, with no approved deviation."
    );
}

#[test]
fn amounts_typed_in_yuan() {
    use doorstep_core::model::Money;
    for (text, fen) in [
        ("128", Some(12800)),
        ("128.5", Some(12850)),
        ("128.05", Some(12805)),
        (" ¥ 0.99 ", Some(99)),
        ("0", Some(0)),
        ("128.555", None),
        ("-1", None),
        ("12a", None),
        ("", None),
        (".5", None),
        ("1,000", None),
        ("１２８", None),
        ("9999999999999", None),
    ] {
        assert_eq!(Money::parse_yuan(text), fen.map(Money), "{text:?}");
    }
}
