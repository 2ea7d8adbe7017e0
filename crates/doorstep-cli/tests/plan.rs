//! Runs the `doorstep` binary on the sample dispatch input.

mod common;

use common::doorstep;
use std::path::PathBuf;

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("samples/plan.json")
}

#[test]
fn plan_table_in_chinese_shows_assignments_escalation_and_reasons() {
    let path = sample();
    let (code, out, err) = doorstep(&["plan", path.to_str().unwrap()], None);
    assert_eq!(code, 0, "{err}");
    for expected in [
        "派工方案：共 15 单，已派 11 单，未派 4 单",
        "J102  03-10 10:35–13:35  王秀英(W01)、李桂兰(W02)  王秀英(W01)",
        "J106  03-10 16:30–17:30  陈静(W05)                 陈静(W05)    → 徐汇店",
        // Beside the escalation: why nobody of 浦东店 could take it.
        "跨店调派（本店无人可接的原因）：\nJ106 浦东店 → 徐汇店：门店 浦东店 没有可接此单的服务人员\n    - 王秀英(W01)：缺少技能：appliance\n    - 李桂兰(W02)：缺少技能：appliance\n    - 张丽(W03)：不在排班时间内\n    - 刘敏(W04)：缺少技能：appliance\n",
        "J109：需要 3 人，只有 2 人可接",
        "J105：门店 浦东店 没有可接此单的服务人员",
        "    - 张丽(W03)：不在排班时间内",
        "    - 陈静(W05)：属于其他门店（徐汇店）",
        "    - 王秀英(W01)：超出每日工时上限（将达 590 分钟 > 540 分钟）",
        "J204：服务时长 120 分钟超过预约时间窗口 60 分钟",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}

#[test]
fn plan_table_in_english() {
    let path = sample();
    let (code, out, err) = doorstep(&["plan", path.to_str().unwrap(), "--lang", "en"], None);
    assert_eq!(code, 0, "{err}");
    for expected in [
        "Dispatch plan: 15 jobs, 11 assigned, 4 unassigned",
        "Escalated jobs (why no worker of the home store could take them):\nJ106 浦东店 → 徐汇店: no worker of store 浦东店 can take this job\n    - 王秀英(W01): missing skill: appliance\n",
        "    - 张丽(W03): outside shift\n    - 刘敏(W04): missing skill: appliance\n",
        "J203: no worker of store 浦东店 can take this job",
        "    - 李桂兰(W02): outside shift",
        "    - 刘敏(W04): missing skill: glass",
        "J109: needs 3 workers, only 2 available",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}

#[test]
fn plan_json_from_stdin() {
    let input = std::fs::read_to_string(sample()).unwrap();
    let (code, out, err) = doorstep(&["plan", "-", "--format", "json"], Some(&input));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let assignments = v["assignments"].as_array().unwrap();
    assert_eq!(assignments.len(), 11);
    // Urgent first: the escalated job leads the plan.
    assert_eq!(assignments[0]["job"], "J106");
    assert_eq!(assignments[0]["escalated"], "徐汇店");
    assert_eq!(assignments[0]["workers"], serde_json::json!(["W05"]));
    let home = &assignments[0]["home_store"];
    assert_eq!(home["store"], "浦东店");
    assert_eq!(home["reasons"][0]["kind"], "no_eligible_worker");
    assert_eq!(home["rejected"].as_array().unwrap().len(), 4);
    assert_eq!(home["rejected"][2]["worker"], "W03");
    assert_eq!(home["rejected"][2]["reason"]["kind"], "outside_shift");
    // Only the escalation carries home-store reasons.
    assert!(assignments[1..]
        .iter()
        .all(|a| a.get("home_store").is_none()));
    let j205 = assignments.iter().find(|a| a["job"] == "J205").unwrap();
    assert_eq!(j205["workers"], serde_json::json!(["W06", "W08"]));
    assert_eq!(j205["leader"], "W08");
    let j203 = v["unassigned"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["job"] == "J203")
        .unwrap();
    assert_eq!(j203["reasons"][0]["kind"], "no_eligible_worker");
    assert!(j203["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["worker"] == "W01"
            && r["reason"]["kind"] == "over_daily_cap"
            && r["reason"]["would_be_minutes"] == 590));
}

#[test]
fn plan_rejects_bad_input() {
    let (code, _, err) = doorstep(&["plan", "-"], Some("{\"jobs\": 3}"));
    assert_eq!(code, 3);
    assert!(err.contains("not valid JSON"), "{err}");
    let dup = r#"{"jobs": [], "workers": [
        {"badge":"W1","name":"a","phone":"","store":"S","skills":[],"leader":false,"shifts":[]},
        {"badge":"W1","name":"b","phone":"","store":"S","skills":[],"leader":false,"shifts":[]}]}"#;
    let (code, _, err) = doorstep(&["plan", "-", "--lang", "en"], Some(dup));
    assert_eq!(code, 3);
    assert!(err.contains("badge W1 appears more than once"), "{err}");
    // An empty plan is fine.
    let (code, out, _) = doorstep(
        &["plan", "-", "--format", "json"],
        Some(r#"{"jobs": [], "workers": []}"#),
    );
    assert_eq!(code, 0);
    assert!(out.contains("\"assignments\": []"));
}

/// The sample with coordinates: jobs on a line east of People's Square, workers at its ends.
#[allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test
fn sample_with_geo() -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sample()).unwrap()).unwrap();
    let mut jobs = serde_json::Map::new();
    for (k, j) in v["jobs"].as_array().unwrap().iter().enumerate() {
        let lon = 121.40 + 0.01 * k as f64;
        jobs.insert(
            j["id"].as_str().unwrap().to_owned(),
            serde_json::json!({"lat": 31.23, "lon": lon}),
        );
    }
    let mut workers = serde_json::Map::new();
    for (k, w) in v["workers"].as_array().unwrap().iter().enumerate() {
        let lon = if k % 2 == 0 { 121.40 } else { 121.56 };
        workers.insert(
            w["badge"].as_str().unwrap().to_owned(),
            serde_json::json!({"lat": 31.22, "lon": lon}),
        );
    }
    v["geo"] = serde_json::json!({"datum": "wgs84", "jobs": jobs, "workers": workers});
    v.to_string()
}

#[test]
fn plan_with_a_budget_spends_it_and_prints_travel_per_worker_and_in_total() {
    let input = sample_with_geo();
    let t = std::time::Instant::now();
    let (code, out, err) = doorstep(
        &["plan", "-", "--budget-ms", "400", "--format", "json"],
        Some(&input),
    );
    let ms = t.elapsed().as_millis();
    assert_eq!(code, 0, "{err}");
    // The whole budget is spent (the search used to stop once its first horizon was reached),
    // and not much more (it used to run 200 iterations before reading the clock).
    assert!((400..4000).contains(&ms), "took {ms} ms");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let iterations = v["iterations"].as_u64().unwrap();
    assert!(iterations > 200, "{iterations} iterations");
    let travel = v["travel_minutes"].as_u64().unwrap();
    assert!(travel > 0, "{out}");
    let per_route: u64 = v["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["travel_minutes"].as_u64().unwrap())
        .sum();
    assert!(
        per_route >= travel && per_route <= travel + 60,
        "{per_route} vs {travel}"
    );

    let (code, out, err) = doorstep(
        &["plan", "-", "--budget-ms", "50", "--lang", "en"],
        Some(&input),
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Travel per worker and day:"), "{out}");
    assert!(out.contains(": travel "), "{out}");
    assert!(out.contains("Total travel "), "{out}");
}

#[test]
fn plan_with_every_job_locked_runs_no_iterations() {
    // Nothing to move: no search at all (the iteration count used to read 2^64 - 1).
    let input = r#"{"jobs": [], "workers": [], "geo": {}}"#;
    let (code, out, err) = doorstep(
        &["plan", "-", "--budget-ms", "100", "--format", "json"],
        Some(input),
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["iterations"], 0);
}
