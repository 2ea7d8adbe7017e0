#![cfg(not(target_arch = "wasm32"))]
//! `json::record_from_json` reads stored records exactly as the serde derives do: the same
//! value for every record, the same verdict and message for a record with one fault.

use doorstep_store::doc::{apply_batch, DocRecord};
use doorstep_store::json::record_from_json;
use doorstep_store::{Edit, Rev};
use proptest::prelude::*;
use serde_json::{json, Value};

/// A record grown by a few puts and deletes (conflicting ones included).
fn record(steps: &[(u8, u8)]) -> DocRecord {
    let mut rec: Option<DocRecord> = None;
    let mut leaves: Vec<Rev> = Vec::new();
    for (i, (kind, pick)) in steps.iter().enumerate() {
        let base = if leaves.is_empty() { None } else { leaves.get(*pick as usize % leaves.len()).cloned() };
        let edit = match (kind % 3, base) {
            (0, Some(b)) => Edit::delete("doc", b),
            (_, base) => Edit::put("doc", json!({"n": i, "text": "é\u{1F9F9}", "list": [1, 2.5, null]}), base),
        };
        let out = apply_batch(vec![("doc".to_owned(), rec.take())], &[edit], 0);
        rec = out.writes.into_iter().next().or(rec);
        if let Some(Ok(rev)) = out.results.into_iter().next() {
            leaves.push(rev);
        }
    }
    rec.unwrap_or_else(|| serde_json::from_value(json!({"v": 1, "id": "doc", "seq": 0, "revs": []})).expect("empty record"))
}

fn same(v: &Value) {
    let ours = record_from_json(v.clone()).map_err(|e| e.to_string());
    let serde = serde_json::from_value::<DocRecord>(v.clone()).map_err(|e| e.to_string());
    assert_eq!(ours, serde, "record {v}");
}

fn replacement() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e9f64..1e9).prop_map(Value::from),
        "[a-z0-9-]{0,40}".prop_map(Value::from),
        Just(json!("1-0123456789abcdef0123456789abcdef")),
        Just(json!([])),
        Just(json!({})),
    ]
}

/// One fault: a key removed, a value replaced, a struct as an array (whole, short, long),
/// or an unknown key; at the record, its tree or one node.
fn mutate(mut v: Value, node: usize, how: u8, with: &Value) -> Value {
    const RECORD: &[&str] = &["v", "id", "seq", "revs"];
    const NODE: &[&str] = &["r", "p", "d", "b"];
    let nodes = v.get("revs").and_then(Value::as_array).map_or(0, Vec::len);
    let (target, order): (&mut Value, &[&str]) = match (node % 3, nodes) {
        (0, _) | (_, 0) => (&mut v, RECORD),
        (1, _) => match v.get_mut("revs") {
            Some(t) => {
                *t = with.clone();
                return v;
            }
            None => return v,
        },
        _ => match v.get_mut("revs").and_then(|t| t.get_mut(node % nodes)) {
            Some(n) => (n, NODE),
            None => return v,
        },
    };
    let key = order[(how as usize / 6) % order.len()];
    match how % 6 {
        0 => {
            if let Some(m) = target.as_object_mut() {
                m.remove(key);
            }
        }
        1 => {
            if let Some(m) = target.as_object_mut() {
                m.insert(key.to_owned(), with.clone());
            }
        }
        2..=4 => {
            if let Some(m) = target.as_object() {
                let mut items: Vec<Value> = order.iter().map(|k| m.get(*k).cloned().unwrap_or(Value::Null)).collect();
                if how % 6 == 3 {
                    items.pop();
                } else if how % 6 == 4 {
                    items.push(with.clone());
                }
                *target = Value::Array(items);
            }
        }
        _ => {
            if let Some(m) = target.as_object_mut() {
                m.insert("unknown".to_owned(), with.clone());
            }
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn every_record_reads_back(steps in proptest::collection::vec((any::<u8>(), any::<u8>()), 0..6)) {
        let rec = record(&steps);
        let v = serde_json::to_value(&rec).expect("json");
        prop_assert_eq!(record_from_json(v).expect("reads"), rec);
    }

    #[test]
    fn a_record_with_one_fault_is_judged_alike(
        steps in proptest::collection::vec((any::<u8>(), any::<u8>()), 0..6),
        node in any::<usize>(), how in any::<u8>(), with in replacement(),
    ) {
        same(&mutate(serde_json::to_value(record(&steps)).expect("json"), node, how, &with));
    }
}

#[test]
fn odd_shapes_are_judged_alike() {
    for v in [
        json!(null),
        json!("record"),
        json!([1, "doc", 3, []]),
        json!([1, "doc", 3]),
        json!([1, "doc", 3, [], 5]),
        json!({"v": 1, "id": "doc", "seq": 3}),
        json!({"v": 1, "id": "doc", "seq": 3, "revs": [["1-0123456789abcdef0123456789abcdef"]]}),
        json!({"v": 1, "id": "doc", "seq": 3, "revs": [{"r": "1-0123456789abcdef0123456789abcdef", "p": null, "d": null}]}),
        json!({"v": 1, "id": "doc", "seq": 3, "revs": [{"r": "bad"}]}),
        json!({"v": -1, "id": "doc", "seq": 3, "revs": []}),
    ] {
        same(&v);
    }
}
