//! `doorstep verify` end to end: the binary on the sample exports.

mod common;

use common::doorstep;

const LAST_HASH: &str = "04e89fdc67acfef491ec00aae3df19acd408568cb141d90517a6fd68bbfd30a0";
const STORED: &str = "abc15051999c980668e12c2d85cdd840aabe154778c2cb50c10a2493b8040072";
const COMPUTED: &str = "53734f7032c6c82affe9a4137232fc0ebd3697d7281509038384aab1aaa57ff8";

fn sample(name: &str) -> String {
    format!("{}/samples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs `doorstep verify ARGS` (with `stdin` piped in if given) and compares the exit code,
/// standard output and standard error exactly.
fn check(args: &[&str], stdin: Option<&str>, code: i32, stdout: &str, stderr: &str) {
    let mut full = vec!["verify"];
    full.extend_from_slice(args);
    let got = doorstep(&full, stdin);
    assert_eq!(
        got,
        (code, stdout.to_owned(), stderr.to_owned()),
        "args {args:?}"
    );
}

#[test]
fn the_valid_sample_passes() {
    let good = sample("records.json");
    check(
        &[&good],
        None,
        0,
        &format!("校验通过：3 条记录，最后哈希 {LAST_HASH}\n"),
        "",
    );
    check(
        &[&good, "--lang", "en"],
        None,
        0,
        &format!("OK: 3 records, last hash {LAST_HASH}\n"),
        "",
    );
    check(
        &[&good, "--format", "json"],
        None,
        0,
        &format!("{{\"count\":3,\"last_hash\":\"{LAST_HASH}\",\"ok\":true}}\n"),
        "",
    );
    let text = std::fs::read_to_string(&good).expect("sample");
    check(
        &["-", "--lang", "en"],
        Some(&text),
        0,
        &format!("OK: 3 records, last hash {LAST_HASH}\n"),
        "",
    );
    check(
        &["--lang", "en"],
        Some("[]"),
        0,
        "OK: 0 records, last hash 0000000000000000000000000000000000000000000000000000000000000000\n",
        "",
    );
}

#[test]
fn the_tampered_sample_names_record_1() {
    let bad = sample("records-tampered.json");
    check(
        &[&bad],
        None,
        1,
        "",
        &format!(
            "doorstep: 第 2 条记录（索引 1，工单 J-20260510-004）不符：内容已被改动（记录的哈希 {STORED}，按内容计算为 {COMPUTED}）\n"
        ),
    );
    let en = format!(
        "record 1 (job J-20260510-004) does not match: its content was changed (stored hash {STORED}, content hashes to {COMPUTED})"
    );
    check(
        &[&bad, "--lang", "en"],
        None,
        1,
        "",
        &format!("doorstep: {en}\n"),
    );
    check(
        &[&bad, "--lang", "en", "--format", "json"],
        None,
        1,
        "",
        &format!(
            "doorstep: {{\"fault\":{{\"computed\":\"{COMPUTED}\",\"kind\":\"content_hash\",\"stored\":\"{STORED}\"}},\"index\":1,\"job\":\"J-20260510-004\",\"message\":\"{en}\",\"ok\":false}}\n"
        ),
    );
}

#[test]
fn reordered_or_first_deleted_exports() {
    let good = std::fs::read_to_string(sample("records.json")).expect("sample");
    let mut records: Vec<serde_json::Value> = serde_json::from_str(&good).expect("json");
    records.swap(1, 2);
    let swapped = serde_json::to_string(&records).expect("json");
    let (code, _, stderr) = doorstep(
        &["verify", "--lang", "en", "--format", "json", "-"],
        Some(&swapped),
    );
    assert_eq!(code, 1);
    let report: serde_json::Value =
        serde_json::from_str(stderr.trim_start_matches("doorstep: ")).expect("a JSON report");
    assert_eq!(report["index"], 1);
    assert_eq!(report["job"], "J-20260511-002");
    assert_eq!(report["fault"]["kind"], "broken_link");

    records.swap(1, 2);
    records.remove(0);
    let headless = serde_json::to_string(&records).expect("json");
    check(
        &["--lang", "en"],
        Some(&headless),
        1,
        "",
        &format!(
            "doorstep: record 0 (job J-20260510-004) does not match: its link to the previous record is broken (expected {}, found {}): a record before it was removed, inserted or moved\n",
            "0".repeat(64),
            records[0]["prev_hash"].as_str().expect("prev_hash")
        ),
    );
}

#[test]
fn bad_input_is_not_a_mismatch() {
    check(
        &["--lang", "en"],
        Some("[{"),
        3,
        "",
        "doorstep: input is not valid JSON for this command: EOF while parsing an object at line 1 column 2\n",
    );
    check(
        &["--lang", "en"],
        Some("{}"),
        3,
        "",
        "doorstep: expected a JSON array of sealed service records\n",
    );
    check(
        &[],
        Some("{}"),
        3,
        "",
        "doorstep: 输入应为已封存服务记录的 JSON 数组\n",
    );
    check(
        &["--lang", "en"],
        Some(r#"[{"record": 1, "prev_hash": "", "hash": ""}]"#),
        3,
        "",
        "doorstep: element 0 is not a sealed service record: invalid type: integer `1`, expected struct ServiceRecord\n",
    );
    let (code, _, stderr) = doorstep(&["verify", "/no/such/export.json"], None);
    assert_eq!(code, 3);
    assert!(stderr.starts_with("doorstep: cannot read /no/such/export.json: "));
}
