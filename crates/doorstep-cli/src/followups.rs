//! `doorstep followups [FILE|-] [--format json|table] [--lang zh|en]`
//!
//! Input: a JSON object with the fields of `doorstep_core::followup::FollowupInput`
//! (`today`, `agents`, `customers`, `completed`, `booked`, `requests`, `complaints`, `done`)
//! and an optional `rules` object overriding any of `Rules`' defaults. Output: the plan as
//! JSON, or a table per day (date, customer, kind, reason in the chosen language) followed
//! by the problems. A returning customer's monthly series is listed up to the plan's
//! horizon (`Rules::followup_horizon_days` after `today`, stated under the title).

use crate::cli::{CliError, Format, Opts};
use doorstep_core::followup::{
    plan_followups, Callback, CallbackKind, FollowupInput, FollowupPlan,
};
use doorstep_core::{Explain, Lang, Rules};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt::Write;

#[derive(Deserialize)]
struct Request {
    #[serde(default)]
    rules: Option<Rules>,
    #[serde(flatten)]
    input: FollowupInput,
}

pub fn run(input: &str, opts: &Opts) -> Result<String, CliError> {
    let req: Request = serde_json::from_str(input)?;
    let rules = req.rules.unwrap_or_default();
    let plan = plan_followups(&req.input, &rules);
    match opts.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&plan)?;
            s.push('\n');
            Ok(s)
        }
        Format::Table => Ok(table(&req.input, &plan, opts.lang)),
    }
}

fn table(input: &FollowupInput, plan: &FollowupPlan, lang: Lang) -> String {
    let names: HashMap<&str, &str> = input
        .customers
        .iter()
        .filter(|c| !c.name.is_empty())
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = if zh {
        writeln!(
            out,
            "回访计划：{} 起，每天最多 {} 通（{} 名坐席），共 {} 通",
            input.today,
            plan.capacity_per_day,
            input.agents,
            plan.total()
        )
    } else {
        writeln!(
            out,
            "Callback plan from {}: at most {} calls a day ({} agent{}), {} calls",
            input.today,
            plan.capacity_per_day,
            input.agents,
            if input.agents == 1 { "" } else { "s" },
            plan.total()
        )
    };
    let _ = if zh {
        writeln!(out, "老客户每月回访排至 {}", plan.horizon)
    } else {
        writeln!(
            out,
            "Returning customers' monthly callbacks planned up to {}",
            plan.horizon
        )
    };
    for day in &plan.days {
        let n = day.callbacks.len();
        let _ = if zh {
            writeln!(out, "\n{}  {} 通", day.date, n)
        } else {
            writeln!(
                out,
                "\n{}  {} call{}",
                day.date,
                n,
                if n == 1 { "" } else { "s" }
            )
        };
        for c in &day.callbacks {
            let _ = writeln!(out, "  {}", line(c, &names, lang));
        }
    }
    let _ = if plan.problems.is_empty() {
        writeln!(out, "\n{}", if zh { "问题：无" } else { "Problems: none" })
    } else if zh {
        writeln!(out, "\n问题（{}）", plan.problems.len())
    } else {
        writeln!(out, "\nProblems ({})", plan.problems.len())
    };
    for p in &plan.problems {
        let _ = writeln!(out, "  - {}", p.explain(lang));
    }
    out
}

/// `C001 王女士  新客户回访  reason（原定 2026-01-17）`
fn line(c: &Callback, names: &HashMap<&str, &str>, lang: Lang) -> String {
    let who = match names.get(c.customer.as_str()) {
        Some(name) => format!("{} {}", c.customer, name),
        None => c.customer.to_string(),
    };
    // A complaint's due date is its deadline, already in the reason.
    let moved = c.scheduled != c.due && c.kind != CallbackKind::Complaint;
    let note = match (moved, lang) {
        (false, _) => String::new(),
        (true, Lang::Zh) => format!("（原定 {}）", c.due),
        (true, Lang::En) => format!(" (due {})", c.due),
    };
    format!(
        "{who}  {}  {}{note}",
        c.kind.explain(lang),
        c.reason.explain(lang)
    )
}
