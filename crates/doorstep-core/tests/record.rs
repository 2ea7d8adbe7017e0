#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

use chrono::NaiveDateTime;
use doorstep_core::model::{JobId, Money, Point, Signature, Stroke, WorkerId};
use doorstep_core::pricing::{Charge, Deviation, DeviationCause};
use doorstep_core::record::{
    canonical_json, canonical_record, hash_input, record_hash, seal, seal_next, verify_chain,
    verify_segment, CanonicalError, ChainError, ChainFault, ChecklistEntry, RecordCharge,
    SealError, SealedRecord, ServiceRecord, ToolCount, GENESIS_HASH,
};
use doorstep_core::{Explain, Lang};

fn t(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").expect("test time")
}

fn p(x: i32, y: i32, t_ms: u32) -> Point {
    Point { x, y, t_ms, p: 0 }
}

/// The fixed record of the known-answer tests. Change nothing here: the pinned digests below
/// prove that the canonical bytes are the same natively and in wasm.
fn fixed() -> ServiceRecord {
    ServiceRecord {
        job: JobId::new("J-20260510-001"),
        workers: vec![WorkerId::new("W01"), WorkerId::new("W02")],
        checklist: vec![
            ChecklistEntry {
                item_id: "kitchen_hood".into(),
                done: true,
                at: t("2026-05-10 10:15:00"),
                by: WorkerId::new("W01"),
            },
            ChecklistEntry {
                item_id: "windows".into(),
                done: false,
                at: t("2026-05-10 11:00:00"),
                by: WorkerId::new("W02"),
            },
        ],
        tools: vec![
            ToolCount {
                item: "mop".into(),
                out: 2,
                back: 2,
                damaged: 0,
            },
            ToolCount {
                item: "ladder".into(),
                out: 1,
                back: 1,
                damaged: 1,
            },
        ],
        charge: RecordCharge {
            computed: Money(16_850),
            charged: Money(14_850),
            deviation_reason: Some("厨房油污未清理干净".into()),
            deviation_approver: Some("王主管".into()),
        },
        remarks: "窗户没擦干净，其他满意".into(),
        satisfaction: Some(4),
        signature: Signature {
            signer: "张三丰".into(),
            strokes: vec![
                Stroke(vec![p(10, 20, 0), p(15, 22, 16)]),
                Stroke(vec![p(-3, 40, 0), p(30, 41, 33)]),
            ],
            signed_at: t("2026-05-10 12:05:00"),
            anchor_ms: None,
        },
        device_time: t("2026-05-10 12:06:30"),
        device_id: "dev-7f3a".into(),
        seq: 1,
    }
}

/// Text a hostile or careless hand might put in a record.
fn hostile() -> String {
    let mut s = String::from("😀\u{202E}تم\u{200F} <script>alert('x')</script>\0\"\\\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}\u{2028}é");
    s.push_str(&"長".repeat(20_000));
    s
}

#[test]
fn canonical_form_of_the_fixed_record() {
    let expected = concat!(
        r#"{"charge":{"charged":14850,"computed":16850,"deviation_approver":"王主管","deviation_reason":"厨房油污未清理干净"},"#,
        r#""checklist":[{"at":"2026-05-10T10:15:00","by":"W01","done":true,"item_id":"kitchen_hood"},"#,
        r#"{"at":"2026-05-10T11:00:00","by":"W02","done":false,"item_id":"windows"}],"#,
        r#""device_id":"dev-7f3a","device_time":"2026-05-10T12:06:30","job":"J-20260510-001","#,
        r#""remarks":"窗户没擦干净，其他满意","satisfaction":4,"seq":1,"#,
        r#""signature":{"signed_at":"2026-05-10T12:05:00","signer":"张三丰","#,
        r#""strokes":[[{"t_ms":0,"x":10,"y":20},{"t_ms":16,"x":15,"y":22}],[{"t_ms":0,"x":-3,"y":40},{"t_ms":33,"x":30,"y":41}]]},"#,
        r#""tools":[{"back":2,"damaged":0,"item":"mop","out":2},{"back":1,"damaged":1,"item":"ladder","out":1}],"#,
        r#""workers":["W01","W02"]}"#,
    );
    assert_eq!(canonical_record(&fixed()).expect("canonical"), expected);
    let envelope = hash_input(&fixed(), GENESIS_HASH).expect("envelope");
    assert_eq!(
        envelope,
        format!(
            r#"{{"format":"doorstep.service-record.v1","prev_hash":"{GENESIS_HASH}","record":{expected}}}"#
        )
    );
}

/// Both digests were also computed independently, with Python's
/// `hashlib.sha256(json.dumps(envelope, ensure_ascii=False, sort_keys=True,
/// separators=(",", ":")).encode())`, which writes the same canonical form for these records.
#[test]
fn known_answer_hashes() {
    assert_eq!(
        record_hash(&fixed(), GENESIS_HASH).expect("hash"),
        "bda139c0092ae5948c62991e89ed4fc2098a61b9f11fcede78d3005342309d7e"
    );
    let mut h = fixed();
    h.remarks = hostile();
    h.signature.signer = "\u{0}".into();
    h.device_id = "<script>".into();
    assert_eq!(
        record_hash(&h, GENESIS_HASH).expect("hash"),
        "974eeea18f1f98c051eccf67855d58f8a0a05b462d11fd4c6f4af3b395ced6ba"
    );
}

/// `input` is JSON; `expected` is its canonical text or `error: …`.
fn check_canonical(input: &str, expected: &str) {
    let value: serde_json::Value = serde_json::from_str(input).expect("test JSON");
    let got = canonical_json(&value).unwrap_or_else(|e| format!("error: {e}"));
    assert_eq!(got, expected, "input: {input}");
}

#[test]
fn canonical_json_rules() {
    check_canonical("null", "null");
    check_canonical(" [ true , false ] ", "[true,false]");
    check_canonical(
        r#"{"b": 1, "a": [2, {"d": null, "c": -5}]}"#,
        r#"{"a":[2,{"c":-5,"d":null}],"b":1}"#,
    );
    // Keys sort by UTF-8 bytes: upper case, then lower case, then non-ASCII.
    check_canonical(
        r#"{"é":1,"a":2,"B":3,"":4,"ab":5,"長":6}"#,
        r#"{"":4,"B":3,"a":2,"ab":5,"é":1,"長":6}"#,
    );
    check_canonical("{}", "{}");
    check_canonical("[]", "[]");
    check_canonical("18446744073709551615", "18446744073709551615");
    check_canonical("-9223372036854775808", "-9223372036854775808");
    check_canonical("0", "0");
    check_canonical(
        "1.5",
        "error: number 1.5 is not an integer; canonical records hold integers only",
    );
    check_canonical(
        "[1.0]",
        "error: number 1.0 is not an integer; canonical records hold integers only",
    );
    check_canonical(
        "1e3",
        "error: number 1000.0 is not an integer; canonical records hold integers only",
    );
    // Strings: only quote, backslash and C0 controls are escaped; the rest is raw UTF-8.
    check_canonical(r#""a\"b\\c\/d""#, r#""a\"b\\c/d""#);
    check_canonical(
        r#""\b\f\n\r\t\u0000\u0001\u001f\u001F""#,
        r#""\b\f\n\r\t\u0000\u0001\u001f\u001f""#,
    );
    check_canonical(
        r#""\u007f\u2028\u202e\ud83d\ude00 é""#,
        "\"\u{7f}\u{2028}\u{202e}😀 é\"",
    );
    check_canonical(
        r#""<script>alert(1)</script>""#,
        r#""<script>alert(1)</script>""#,
    );
}

#[test]
fn hostile_text_hashes_stably() {
    let mut r = fixed();
    r.remarks = hostile();
    r.signature.signer = "\u{0}\u{0}".into();
    let sealed = seal(r, GENESIS_HASH).expect("seal");
    // Through JSON and back, the same bytes and the same hash.
    let json = serde_json::to_string(&sealed).expect("to json");
    let back: SealedRecord = serde_json::from_str(&json).expect("from json");
    assert_eq!(back, sealed);
    assert_eq!(
        record_hash(&back.record, &back.prev_hash).expect("hash"),
        sealed.hash
    );
    assert_eq!(verify_chain(&[back]), Ok(()));
    let canonical = canonical_record(&sealed.record).expect("canonical");
    assert!(
        canonical.contains("😀\u{202E}تم\u{200F} <script>alert('x')</script>"),
        "raw, unescaped"
    );
    assert!(
        canonical.contains(r#"\u0000\"\\\n\r\t\b\f\u0001\u001f"#),
        "control characters escaped"
    );
    assert!(canonical.contains(r#""signer":"\u0000\u0000""#));
    assert_eq!(canonical.matches('長').count(), 20_000);
}

/// A chain of four records of one device, each a little different.
fn chain() -> Vec<SealedRecord> {
    let mut out: Vec<SealedRecord> = Vec::new();
    for (i, job) in ["J1", "J2", "J3", "J4"].into_iter().enumerate() {
        let mut r = fixed();
        r.job = JobId::new(job);
        r.charge.charged = Money(16_850 - 100 * i as i64);
        let sealed = seal_next(r, out.last()).expect("seal");
        out.push(sealed);
    }
    out
}

fn reseal(mut r: SealedRecord) -> SealedRecord {
    r.hash = record_hash(&r.record, &r.prev_hash).expect("hash");
    r
}

/// `expected`: `ok` or `<index> <job> <fault kind>`.
fn check(records: &[SealedRecord], expected: &str) {
    let got = match verify_chain(records) {
        Ok(()) => "ok".to_owned(),
        Err(ChainError { index, job, fault }) => {
            let kind = match fault {
                ChainFault::ContentHash { .. } => "content",
                ChainFault::BrokenLink { .. } => "link",
                ChainFault::SequenceGap { .. } => "sequence",
                ChainFault::Unhashable { .. } => "unhashable",
            };
            format!("{index} {job} {kind}")
        }
    };
    assert_eq!(got, expected);
}

#[test]
fn chain_verification() {
    let c = chain();
    assert_eq!(
        c.iter().map(|r| r.record.seq).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(c[0].prev_hash, GENESIS_HASH);
    assert_eq!(c[1].prev_hash, c[0].hash);
    check(&c, "ok");
    check(&[], "ok");
    check(&c[..1], "ok");
    // A truncated tail is a valid (shorter) chain: only an anchor kept elsewhere shows it.
    check(&c[..3], "ok");

    let with = |f: &dyn Fn(&mut Vec<SealedRecord>)| {
        let mut c = chain();
        f(&mut c);
        c
    };
    // Content changed in the middle, not resealed: that record is named.
    check(
        &with(&|c| c[1].record.charge.charged = Money(1)),
        "1 J2 content",
    );
    check(&with(&|c| c[2].record.remarks.push(' ')), "2 J3 content");
    check(
        &with(&|c| c[0].record.signature.strokes[0].0[1].x += 1),
        "0 J1 content",
    );
    check(
        &with(&|c| c[3].record.satisfaction = Some(5)),
        "3 J4 content",
    );
    check(
        &with(&|c| c[1].record.device_time = t("2026-05-10 12:06:31")),
        "1 J2 content",
    );
    check(
        &with(&|c| c[1].record.job = JobId::new("J9")),
        "1 J9 content",
    );
    // The stored hash or link changed.
    check(&with(&|c| c[2].hash = "f".repeat(64)), "2 J3 content");
    check(&with(&|c| c[2].hash = String::new()), "2 J3 content");
    check(
        &with(&|c| c[1].prev_hash = GENESIS_HASH.into()),
        "1 J2 content",
    );
    // Changed and resealed by someone without the rest of the chain: the next link breaks.
    check(
        &with(&|c| {
            c[1].record.charge.charged = Money(1);
            c[1] = reseal(c[1].clone());
        }),
        "2 J3 link",
    );
    // Deleted, reordered, replayed, spliced.
    check(&with(&|c| drop(c.remove(1))), "1 J3 link");
    check(&with(&|c| drop(c.remove(0))), "0 J2 link");
    check(&with(&|c| c.swap(1, 2)), "1 J3 link");
    check(&with(&|c| c.reverse()), "0 J4 link");
    check(&with(&|c| c.insert(2, c[1].clone())), "2 J2 link");
    check(
        &with(&|c| {
            let mut other = fixed();
            other.job = JobId::new("X1");
            other.device_id = "dev-other".into();
            let foreign = seal(other, &c[0].hash).expect("seal");
            c.insert(1, foreign);
        }),
        "1 X1 sequence",
    );
    // Numbering: a chain sealed with a gap, or one that does not start at 1.
    check(
        &with(&|c| {
            c[2].record.seq = 4;
            c[2] = reseal(c[2].clone());
            c.truncate(3);
        }),
        "2 J3 sequence",
    );
    check(
        &with(&|c| {
            c[0].record.seq = 0;
            c[0] = reseal(c[0].clone());
            c.truncate(1);
        }),
        "0 J1 sequence",
    );
}

#[test]
fn segments_verify_against_an_anchor() {
    let c = chain();
    assert_eq!(verify_segment(&c[2..], &c[1].hash, 3), Ok(()));
    let err = verify_segment(&c[2..], &c[0].hash, 3).expect_err("wrong anchor");
    assert_eq!((err.index, err.job.as_str()), (0, "J3"));
    assert_eq!(
        err.fault,
        ChainFault::BrokenLink {
            expected: c[0].hash.clone(),
            found: c[1].hash.clone()
        }
    );
    let err = verify_segment(&c[2..], &c[1].hash, 2).expect_err("wrong first seq");
    assert_eq!(
        err.fault,
        ChainFault::SequenceGap {
            expected: 2,
            found: 3
        }
    );
}

#[test]
fn sealing() {
    let first = seal(fixed(), GENESIS_HASH).expect("seal");
    assert_eq!(
        first.hash,
        "bda139c0092ae5948c62991e89ed4fc2098a61b9f11fcede78d3005342309d7e"
    );
    assert_eq!(seal_next(fixed(), None), Ok(first.clone()));
    let second = seal_next(fixed(), Some(&first)).expect("seal");
    assert_eq!(
        (second.record.seq, second.prev_hash.as_str()),
        (2, first.hash.as_str())
    );
    assert_ne!(second.hash, first.hash);
    // The same record after another record hashes differently.
    assert_ne!(
        record_hash(&fixed(), &first.hash),
        record_hash(&fixed(), GENESIS_HASH)
    );
    for bad in [
        "",
        "0",
        "xyz",
        &"A".repeat(64),
        &"0".repeat(63),
        &"0".repeat(65),
        &format!("{}g", "0".repeat(63)),
    ] {
        assert_eq!(
            seal(fixed(), bad),
            Err(SealError::BadPrevHash(bad.to_owned())),
            "{bad:?}"
        );
    }
}

#[test]
fn record_charge_from_a_charge() {
    let deviation = Deviation {
        reason: "厨房油污未清理干净".into(),
        approver: "王主管".into(),
        at: t("2026-05-10 12:00:00"),
        cause: DeviationCause::PoorQuality {
            responsible: WorkerId::new("W01"),
        },
    };
    let charge = Charge {
        computed: Money(16_850),
        charged: Money(14_850),
        deviation: Some(deviation),
    };
    assert_eq!(RecordCharge::from(&charge), fixed().charge);
    let exact = RecordCharge::from(&Charge::exact(Money(100)));
    assert_eq!(
        exact,
        RecordCharge {
            computed: Money(100),
            charged: Money(100),
            deviation_reason: None,
            deviation_approver: None
        }
    );
}

#[test]
fn chain_errors_are_explained() {
    let c = chain();
    let mut tampered = c.clone();
    tampered[1].record.remarks = "改过".into();
    let err = verify_chain(&tampered).expect_err("tampered");
    let computed = record_hash(&tampered[1].record, &tampered[1].prev_hash).expect("hash");
    assert_eq!(
        err.explain(Lang::En),
        format!("record 1 (job J2) does not match: its content was changed (stored hash {}, content hashes to {computed})", c[1].hash)
    );
    assert_eq!(
        err.explain(Lang::Zh),
        format!("第 2 条记录（索引 1，工单 J2）不符：内容已被改动（记录的哈希 {}，按内容计算为 {computed}）", c[1].hash)
    );
    assert_eq!(err.to_string(), err.explain(Lang::En));
    let gap = ChainError {
        index: 0,
        job: JobId::new("J1"),
        fault: ChainFault::SequenceGap {
            expected: 1,
            found: 0,
        },
    };
    assert_eq!(
        gap.explain(Lang::Zh),
        "第 1 条记录（索引 0，工单 J1）不符：序号不连续（应为 1，实为 0）"
    );
    let link = ChainError {
        index: 3,
        job: JobId::new("J4"),
        fault: ChainFault::BrokenLink {
            expected: "a".into(),
            found: "b".into(),
        },
    };
    assert_eq!(
        link.explain(Lang::En),
        "record 3 (job J4) does not match: its link to the previous record is broken (expected a, found b): a record before it was removed, inserted or moved"
    );
    let e = CanonicalError::NotAnInteger("1.5".into());
    let un = ChainFault::Unhashable {
        detail: e.to_string(),
    };
    assert_eq!(
        un.explain(Lang::Zh),
        "无法计算哈希：number 1.5 is not an integer; canonical records hold integers only"
    );
}
