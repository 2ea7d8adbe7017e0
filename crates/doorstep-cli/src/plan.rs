//! `doorstep plan [FILE|-] [--format json|table] [--lang zh|en]`: a dispatch dry run.
//!
//! Input JSON: `{ "rules": {…} (optional, any subset of `Rules`), "jobs": […], "workers": […],
//! "existing": […] (optional), "travel": [{"from","to","minutes"}…] (optional) }`.
//! Output: the `Plan` as JSON, or a table of assignments, then each escalated job with its
//! home store's reasons and passed-over workers, then unassigned jobs with their reasons
//! and each passed-over worker's reason, in the chosen language.
//!
//! With `--budget-ms N` the travel-aware planner runs instead (coordinates and travel modes in
//! an optional `"geo"` object, see `doorstep_core::dispatch::Geo`): construction, then ruin and
//! recreate until the budget is spent (the clock is read here, between steps; the search itself
//! is reproducible from `--seed` and its iteration count). The table then also lists each
//! worker's day with its travel, and the total.

use crate::cli::{CliError, Format, Opts};
use doorstep_core::dispatch::{plan, DispatchInput, Plan, Planner, RoutedPlan, SearchParams};
use doorstep_core::model::WorkerId;
use doorstep_core::{Explain, Lang, Rules};
use serde::Deserialize;
use std::fmt::Write as _;

#[derive(Deserialize)]
struct Request {
    #[serde(default)]
    rules: Option<Rules>,
    #[serde(flatten)]
    input: DispatchInput,
}

pub fn run(input: &str, opts: &Opts) -> Result<String, CliError> {
    let req: Request = serde_json::from_str(input)?;
    // The planner keeps one worker per badge; in a dispatcher's file a repeated badge is a data
    // error worth stopping for rather than silently dropping a worker.
    let mut badges: Vec<&str> = req.input.workers.iter().map(|w| w.badge.as_str()).collect();
    badges.sort_unstable();
    if let Some(b) = badges.windows(2).find_map(|p| match p {
        [a, b] if a == b => Some(*a),
        _ => None,
    }) {
        return Err(CliError::Invalid(match opts.lang {
            Lang::Zh => format!("工号 {b} 重复出现：每个工号只能对应一名服务人员"),
            Lang::En => format!("badge {b} appears more than once: each badge is one worker"),
        }));
    }
    let rules = req.rules.unwrap_or_default();
    if let Some(ms) = opts.budget_ms {
        let r = routed(&req.input, &rules, ms, opts.seed);
        return match opts.format {
            Format::Json => Ok(serde_json::to_string_pretty(&r)? + "\n"),
            Format::Table => Ok(
                table(&req.input, &r.plan, opts.lang) + &travel_table(&req.input, &r, opts.lang)
            ),
        };
    }
    let p = plan(&req.input, &rules);
    match opts.format {
        Format::Json => Ok(serde_json::to_string_pretty(&p)? + "\n"),
        Format::Table => Ok(table(&req.input, &p, opts.lang)),
    }
}

/// Display width: CJK and full-width characters take two columns.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if u32::from(c) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

fn pad(s: &str, w: usize) -> String {
    let mut out = s.to_owned();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(width(s))));
    out
}

fn table(input: &DispatchInput, p: &Plan, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let who = |b: &WorkerId| match input.workers.iter().find(|w| &w.badge == b) {
        Some(w) => format!("{}({})", w.name, w.badge),
        None => b.to_string(),
    };
    let mut out = String::new();
    let total = p.assignments.len() + p.unassigned.len();
    let _ = if zh {
        writeln!(
            out,
            "派工方案：共 {total} 单，已派 {} 单，未派 {} 单",
            p.assignments.len(),
            p.unassigned.len()
        )
    } else {
        writeln!(
            out,
            "Dispatch plan: {total} jobs, {} assigned, {} unassigned",
            p.assignments.len(),
            p.unassigned.len()
        )
    };

    let head: [&str; 5] = if zh {
        ["工单", "时间", "人员", "组长", "跨店调派"]
    } else {
        ["job", "time", "crew", "leader", "escalated"]
    };
    let mut rows: Vec<[String; 5]> = Vec::new();
    let mut sorted: Vec<_> = p.assignments.iter().collect();
    sorted.sort_by(|a, b| {
        (a.assignment.start, &a.assignment.job).cmp(&(b.assignment.start, &b.assignment.job))
    });
    for pa in sorted {
        let a = &pa.assignment;
        let crew: Vec<String> = a.workers.iter().map(&who).collect();
        rows.push([
            a.job.to_string(),
            format!(
                "{}–{}",
                a.start.format("%m-%d %H:%M"),
                a.end.format("%H:%M")
            ),
            crew.join(if zh { "、" } else { ", " }),
            who(&a.leader),
            pa.escalated
                .as_ref()
                .map(|s| format!("→ {s}"))
                .unwrap_or_default(),
        ]);
    }
    let mut widths = head.map(width);
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(width(cell));
        }
    }
    let line = |cells: &[String]| {
        let parts: Vec<String> = cells
            .iter()
            .zip(widths.iter())
            .map(|(c, w)| pad(c, *w))
            .collect();
        parts.join("  ").trim_end().to_owned()
    };
    out.push('\n');
    let _ = writeln!(out, "{}", line(&head.map(str::to_owned)));
    for r in &rows {
        let _ = writeln!(out, "{}", line(r));
    }

    // Beside each escalation: why nobody of the job's own store could take it.
    let escalated: Vec<_> = p
        .assignments
        .iter()
        .filter_map(|pa| Some((pa, pa.escalated.as_ref()?, pa.home_store.as_ref()?)))
        .collect();
    if !escalated.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            if zh {
                "跨店调派（本店无人可接的原因）："
            } else {
                "Escalated jobs (why no worker of the home store could take them):"
            }
        );
        let sep = if zh { "：" } else { ": " };
        for (pa, to, home) in escalated {
            let _ = writeln!(
                out,
                "{} {} → {to}{sep}{}",
                pa.assignment.job,
                home.store,
                home.explain(lang)
            );
            for r in &home.rejected {
                let _ = writeln!(
                    out,
                    "    - {}{sep}{}",
                    who(&r.worker),
                    r.reason.explain(lang)
                );
            }
        }
    }

    if !p.unassigned.is_empty() {
        out.push('\n');
        let _ = writeln!(
            out,
            "{}",
            if zh {
                "未派工单："
            } else {
                "Unassigned jobs:"
            }
        );
        for u in &p.unassigned {
            let _ = writeln!(out, "{}", u.explain(lang));
            for r in &u.rejected {
                let sep = if zh { "：" } else { ": " };
                let _ = writeln!(
                    out,
                    "    - {}{sep}{}",
                    who(&r.worker),
                    r.reason.explain(lang)
                );
            }
        }
    }
    out
}

/// Runs the travel-aware planner for about `ms` milliseconds.
fn routed(input: &DispatchInput, rules: &Rules, ms: u64, seed: u64) -> RoutedPlan {
    let t0 = std::time::Instant::now();
    let mut p = Planner::new(
        input,
        rules,
        SearchParams {
            seed,
            iterations: u64::MAX,
            ..SearchParams::default()
        },
    );
    // The budget counts from the start: construction included.
    let mut now = || t0.elapsed().as_secs_f64() * 1000.0;
    p.spend(ms as f64, &mut now);
    p.result(input, rules)
}

fn travel_table(input: &DispatchInput, r: &RoutedPlan, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    out.push('\n');
    let _ = writeln!(
        out,
        "{}",
        if zh {
            "每人每天路程："
        } else {
            "Travel per worker and day:"
        }
    );
    let name = |b: &WorkerId| match input.workers.iter().find(|w| &w.badge == b) {
        Some(w) => format!("{}({})", w.name, w.badge),
        None => b.to_string(),
    };
    for d in &r.routes {
        let stops: Vec<String> = d.stops.iter().map(|j| j.to_string()).collect();
        let _ = if zh {
            writeln!(
                out,
                "  {} {}：路程 {} 分钟，工作 {} 分钟；{}",
                name(&d.worker),
                d.day,
                d.travel_minutes,
                d.work_minutes,
                stops.join(" → ")
            )
        } else {
            writeln!(
                out,
                "  {} {}: travel {} min, work {} min; {}",
                name(&d.worker),
                d.day,
                d.travel_minutes,
                d.work_minutes,
                stops.join(" → ")
            )
        };
    }
    let _ = if zh {
        writeln!(
            out,
            "总路程 {} 分钟（初始方案 {} 分钟，优化 {} 轮）",
            r.travel_minutes, r.construction_travel_minutes, r.iterations
        )
    } else {
        writeln!(
            out,
            "Total travel {} min (construction {} min, {} iterations)",
            r.travel_minutes, r.construction_travel_minutes, r.iterations
        )
    };
    out
}
