//! Runs the `doorstep` binary on the follow-up sample.

mod common;

use common::doorstep;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/samples/followups.json");

fn lines(s: &str) -> Vec<&str> {
    s.lines().collect()
}

#[test]
fn table_in_chinese() {
    let (code, out, err) = doorstep(&["followups", SAMPLE], None);
    assert_eq!(code, 0, "{err}");
    let l = lines(&out);
    assert_eq!(
        l[0],
        "回访计划：2026-01-10 起，每天最多 40 通（1 名坐席），共 10 通"
    );
    assert_eq!(l[1], "老客户每月回访排至 2026-04-12");
    for want in [
        "2026-01-10  1 通",
        "  C005 陈女士  投诉致歉  投诉致歉回访：投诉日 2026-01-09，最迟 2026-01-16",
        "  C003 张女士  上门前确认  上门前确认：订单 J200（2026-01-12）的时间、地点和特殊要求",
        "2026-01-13  1 通",
        "  C001 王女士  新客户回访  新客户回访：首次服务（2026-01-10）后第 3 天",
        "  C004 赵先生  客户约定答复  客户于 2026-01-09 要求 5 天内答复：当天回电，无论是否已安排到服务人员",
        // 01-17 is a holiday in the sample's rules: the +7 call moves to the 18th.
        "2026-01-18  1 通",
        "  C001 王女士  新客户回访  新客户回访：首次服务（2026-01-10）后第 7 天（原定 2026-01-17）",
        "2026-01-31  2 通",
        "  C002 李先生  老客户回访  老客户定期回访：服务（2025-12-31）后 1 个月",
        // The returning customer's monthly series: Feb 28 (clamped), then the 31st again.
        "2026-02-28  1 通",
        "  C002 李先生  老客户回访  老客户定期回访：服务（2025-12-31）后 2 个月",
        "2026-03-31  1 通",
        "  C002 李先生  老客户回访  老客户定期回访：服务（2025-12-31）后 3 个月",
        "问题（1）",
        "  - 订单 J201（客户 C006）在服务日前无法安排确认电话：请另行确认",
    ] {
        assert!(l.contains(&want), "missing line {want:?} in\n{out}");
    }
    assert!(
        !out.contains("2026-01-17  "),
        "nothing on the holiday:\n{out}"
    );
}

#[test]
fn table_in_english_from_stdin() {
    let input = std::fs::read_to_string(SAMPLE).expect("sample");
    let (code, out, err) = doorstep(&["followups", "-", "--lang", "en"], Some(&input));
    assert_eq!(code, 0, "{err}");
    let l = lines(&out);
    assert_eq!(
        l[0],
        "Callback plan from 2026-01-10: at most 40 calls a day (1 agent), 10 calls"
    );
    assert_eq!(
        l[1],
        "Returning customers' monthly callbacks planned up to 2026-04-12"
    );
    for want in [
        "2026-01-31  2 calls",
        "  C001 王女士  New customer  New customer: day 7 after the first service on 2026-01-10 (due 2026-01-17)",
        "  C002 李先生  Returning customer  Returning customer: 1 month(s) after the service on 2025-12-31",
        "2026-02-28  1 call",
        "  C002 李先生  Returning customer  Returning customer: 2 month(s) after the service on 2025-12-31",
        "2026-03-31  1 call",
        "  C002 李先生  Returning customer  Returning customer: 3 month(s) after the service on 2025-12-31",
        "Problems (1)",
        "  - No day before job J201 (customer C006) is free for its confirmation call: confirm it another way",
    ] {
        assert!(l.contains(&want), "missing line {want:?} in\n{out}");
    }
}

#[test]
fn json_output_is_the_plan() {
    let (code, out, err) = doorstep(&["followups", SAMPLE, "--format", "json"], None);
    assert_eq!(code, 0, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(plan["capacity_per_day"], 40);
    let days = plan["days"].as_array().expect("days");
    let dates: Vec<&str> = days
        .iter()
        .map(|d| d["date"].as_str().expect("date"))
        .collect();
    assert_eq!(
        dates,
        [
            "2026-01-10",
            "2026-01-11",
            "2026-01-13",
            "2026-01-14",
            "2026-01-18",
            "2026-01-24",
            "2026-01-31",
            "2026-02-28",
            "2026-03-31"
        ]
    );
    assert_eq!(plan["horizon"], "2026-04-12");
    let returning: Vec<&str> = days
        .iter()
        .flat_map(|d| d["callbacks"].as_array().expect("callbacks"))
        .filter(|c| c["kind"] == "returning")
        .map(|c| c["due"].as_str().expect("due"))
        .collect();
    assert_eq!(returning, ["2026-01-31", "2026-02-28", "2026-03-31"]);
    assert_eq!(days[0]["callbacks"][0]["kind"], "complaint");
    assert_eq!(days[0]["callbacks"][0]["due"], "2026-01-16");
    assert_eq!(plan["problems"][0]["problem"], "confirmation_impossible");
    assert_eq!(plan["problems"][0]["job"], "J201");
}

#[test]
fn rules_are_optional_and_bad_json_is_an_error() {
    let (code, out, err) = doorstep(
        &["followups", "--json"],
        Some(
            r#"{"today":"2026-01-10","agents":2,"completed":[{"job":"J1","customer":"C1","date":"2026-01-10"}]}"#,
        ),
    );
    assert_eq!(code, 0, "{err}");
    let plan: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(plan["capacity_per_day"], 80);
    assert_eq!(plan["days"].as_array().expect("days").len(), 4);

    let (code, _, err) = doorstep(&["followups"], Some(r#"{"agents":1}"#));
    assert_eq!(code, 3);
    assert!(err.contains("not valid JSON for this command"), "{err}");
}
