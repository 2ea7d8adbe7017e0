//! `doorstep verify [FILE|-] [--format json|table] [--lang zh|en]`
//!
//! Input: an export of one device's service records, a JSON array of sealed records
//! (`doorstep_core::record::SealedRecord`) in chain order. Checks the whole chain
//! (`verify_chain`): on success prints the count and the last hash (the genesis hash for an
//! empty export); otherwise fails with `CliError::Mismatch` (exit 1) naming the first record
//! that does not match, by index (0-based) and job. With `--format json` the same facts are a
//! JSON object: `{"ok":true,"count":…,"last_hash":…}` on standard output, or
//! `{"ok":false,"index":…,"job":…,"fault":{…},"message":…}` as the error message.
//!
//! Input that is not JSON is `CliError::Json`; JSON that is not an array of sealed records is
//! `CliError::Invalid`, naming the first element that is not a sealed record (exit 3: the chain
//! could not be checked at all).

use crate::cli::{CliError, Format, Opts};
use doorstep_core::record::{verify_chain, SealedRecord, GENESIS_HASH};
use doorstep_core::{Explain, Lang};
use serde::Deserialize;
use serde_json::{json, Value};

/// The export's elements as sealed records, or which one is not.
fn parse(input: &str, lang: Lang) -> Result<Vec<SealedRecord>, CliError> {
    let Value::Array(items) = serde_json::from_str::<Value>(input)? else {
        return Err(CliError::Invalid(match lang {
            Lang::Zh => "输入应为已封存服务记录的 JSON 数组".to_owned(),
            Lang::En => "expected a JSON array of sealed service records".to_owned(),
        }));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            SealedRecord::deserialize(item).map_err(|e| {
                CliError::Invalid(match lang {
                    Lang::Zh => format!("第 {} 个元素（索引 {i}）不是已封存的服务记录：{e}", i + 1),
                    Lang::En => format!("element {i} is not a sealed service record: {e}"),
                })
            })
        })
        .collect()
}

pub fn run(input: &str, opts: &Opts) -> Result<String, CliError> {
    let records = parse(input, opts.lang)?;
    let count = records.len();
    let last_hash = records.last().map_or(GENESIS_HASH, |r| r.hash.as_str());
    match (verify_chain(&records), opts.format) {
        (Ok(()), Format::Json) => Ok(format!(
            "{}\n",
            json!({ "ok": true, "count": count, "last_hash": last_hash })
        )),
        (Ok(()), Format::Table) => Ok(match opts.lang {
            Lang::Zh => format!("校验通过：{count} 条记录，最后哈希 {last_hash}\n"),
            Lang::En => format!("OK: {count} records, last hash {last_hash}\n"),
        }),
        (Err(e), Format::Json) => Err(CliError::Mismatch(
            json!({
                "ok": false,
                "index": e.index,
                "job": e.job,
                "fault": e.fault,
                "message": e.explain(opts.lang),
            })
            .to_string(),
        )),
        (Err(e), Format::Table) => Err(CliError::Mismatch(e.explain(opts.lang))),
    }
}
