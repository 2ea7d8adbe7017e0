//! Tool kits: what each service type takes to the customer's home, and the count when it
//! comes back ("what came in goes out, nothing of theirs leaves").
//!
//! * [`KitTemplate`]s list the items and expected counts per service type
//!   ([`default_kits`]: daily clean, deep clean, glass, appliance cleaning).
//! * [`kit_shortfalls`] compares a job's check-out with its template (kit incomplete
//!   before departure).
//! * [`reconcile`] compares check-out and check-in **per worker and item**: fewer back is
//!   `Missing`, a reported damaged count is `Damaged`, both charged to the worker who
//!   checked the item out; more back than out is `Extra` (possibly the customer's
//!   property), on the worker who brought it back. For every worker and item:
//!   `out + extra = good + damaged + missing`.

use crate::lang::{Explain, Lang, Text};
use crate::model::{JobId, WorkerId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An item of a kit and how many of it a kit holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitItem {
    /// Stable item code, e.g. `rag`.
    pub code: String,
    pub name: Text,
    pub expected: u32,
}

/// The kit of one service type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitTemplate {
    /// Service type (price-list code), e.g. `daily_clean`.
    pub service: String,
    pub name: Text,
    pub items: Vec<KitItem>,
}

impl KitTemplate {
    pub fn item(&self, code: &str) -> Option<&KitItem> {
        self.items.iter().find(|i| i.code == code)
    }
}

/// (code, zh, en, count) rows of the default kits.
type Row = (&'static str, &'static str, &'static str, u32);

const DAILY_CLEAN: &[Row] = &[
    ("toolbox", "工具箱", "Toolbox", 1),
    ("rag", "抹布", "Cleaning rag", 6),
    ("mop", "拖把", "Mop", 1),
    ("bucket", "水桶", "Bucket", 1),
    ("spray_bottle", "喷壶", "Spray bottle", 2),
    ("scraper", "铲刀", "Scraper", 1),
    ("gloves", "橡胶手套（副）", "Rubber gloves (pairs)", 2),
    ("shoe_covers", "鞋套（副）", "Shoe covers (pairs)", 2),
];

const DEEP_CLEAN: &[Row] = &[
    ("toolbox", "工具箱", "Toolbox", 1),
    ("rag", "抹布", "Cleaning rag", 12),
    ("mop", "拖把", "Mop", 2),
    ("bucket", "水桶", "Bucket", 2),
    ("spray_bottle", "喷壶", "Spray bottle", 3),
    ("scraper", "铲刀", "Scraper", 2),
    ("brush", "刷子", "Brush", 3),
    ("vacuum", "吸尘器", "Vacuum cleaner", 1),
    ("ladder", "人字梯", "Step ladder", 1),
    ("gloves", "橡胶手套（副）", "Rubber gloves (pairs)", 4),
    ("shoe_covers", "鞋套（副）", "Shoe covers (pairs)", 4),
];

const GLASS: &[Row] = &[
    ("toolbox", "工具箱", "Toolbox", 1),
    ("squeegee", "玻璃刮", "Squeegee", 2),
    ("applicator", "涂水器", "Washer applicator", 1),
    ("extension_pole", "伸缩杆", "Extension pole", 1),
    ("safety_belt", "安全带", "Safety harness", 1),
    ("rag", "抹布", "Cleaning rag", 4),
    ("bucket", "水桶", "Bucket", 1),
    ("shoe_covers", "鞋套（副）", "Shoe covers (pairs)", 2),
];

const APPLIANCE: &[Row] = &[
    ("toolbox", "工具箱", "Toolbox", 1),
    ("screwdriver_set", "螺丝刀套装", "Screwdriver set", 1),
    ("steam_cleaner", "高温蒸汽清洗机", "Steam cleaner", 1),
    ("drip_cover", "接水罩", "Drip cover", 1),
    ("brush", "刷子", "Brush", 2),
    ("rag", "抹布", "Cleaning rag", 4),
    ("gloves", "橡胶手套（副）", "Rubber gloves (pairs)", 2),
    ("shoe_covers", "鞋套（副）", "Shoe covers (pairs)", 2),
];

const DEFAULT_KITS: &[(&str, &str, &str, &[Row])] = &[
    ("daily_clean", "日常保洁", "Daily cleaning", DAILY_CLEAN),
    ("deep_clean", "深度保洁", "Deep cleaning", DEEP_CLEAN),
    ("glass", "擦玻璃", "Window cleaning", GLASS),
    ("appliance", "家电清洗", "Appliance cleaning", APPLIANCE),
];

/// The domain's default kits (data: a store may load its own as JSON).
pub fn default_kits() -> Vec<KitTemplate> {
    DEFAULT_KITS
        .iter()
        .map(|&(service, zh, en, rows)| KitTemplate {
            service: service.to_owned(),
            name: Text::new(zh, en),
            items: rows
                .iter()
                .map(|&(code, zh, en, expected)| KitItem {
                    code: code.to_owned(),
                    name: Text::new(zh, en),
                    expected,
                })
                .collect(),
        })
        .collect()
}

/// The kit template of a service type.
pub fn kit_for<'a>(kits: &'a [KitTemplate], service: &str) -> Option<&'a KitTemplate> {
    kits.iter().find(|k| k.service == service)
}

/// The kit of a job of several services: every item of their kits, each at the largest
/// count any of them expects (one toolbox, not one per service), in first-seen order.
/// Services without a kit add nothing.
pub fn kit_for_services<'a>(
    kits: &[KitTemplate],
    services: impl IntoIterator<Item = &'a str>,
) -> KitTemplate {
    let mut merged = KitTemplate {
        service: String::new(),
        name: Text::new("", ""),
        items: Vec::new(),
    };
    for service in services {
        let Some(kit) = kit_for(kits, service) else {
            continue;
        };
        if merged.service.is_empty() {
            merged.service = kit.service.clone();
            merged.name = kit.name.clone();
        } else {
            merged.service = format!("{}+{}", merged.service, kit.service);
            merged.name = Text::new(
                format!("{}、{}", merged.name.zh, kit.name.zh),
                format!("{}, {}", merged.name.en, kit.name.en),
            );
        }
        for item in &kit.items {
            match merged.items.iter_mut().find(|i| i.code == item.code) {
                Some(i) => i.expected = i.expected.max(item.expected),
                None => merged.items.push(item.clone()),
            }
        }
    }
    merged
}

/// Items a worker took out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckoutLine {
    pub worker: WorkerId,
    pub item: String,
    pub count: u32,
    /// The item's name, carried into incidents for display.
    #[serde(default)]
    pub name: Option<Text>,
}

/// Items a worker brought back: `good` usable ones and `damaged` ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinLine {
    pub worker: WorkerId,
    pub item: String,
    pub good: u32,
    #[serde(default)]
    pub damaged: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitCheckout {
    pub job: JobId,
    /// Service type of the kit.
    pub service: String,
    pub at: NaiveDateTime,
    pub lines: Vec<CheckoutLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitCheckin {
    pub job: JobId,
    pub at: NaiveDateTime,
    pub lines: Vec<CheckinLine>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentKind {
    /// Fewer came back than went out.
    Missing,
    /// Came back damaged (a damage report).
    Damaged,
    /// More came back than went out: perhaps the customer's property.
    Extra,
}

/// A difference between check-out and check-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitIncident {
    pub job: JobId,
    pub kind: IncidentKind,
    pub item: String,
    #[serde(default)]
    pub name: Option<Text>,
    pub count: u32,
    /// The worker who checked it out (`Missing`, `Damaged`) or brought it back (`Extra`).
    pub worker: WorkerId,
}

impl Explain for KitIncident {
    fn explain(&self, lang: Lang) -> String {
        let name = self
            .name
            .as_ref()
            .map_or(self.item.as_str(), |n| n.get(lang));
        let (w, n) = (&self.worker, self.count);
        match (self.kind, lang) {
            (IncidentKind::Missing, Lang::Zh) => format!("缺少 {name} ×{n}，责任人 {w}"),
            (IncidentKind::Missing, Lang::En) => {
                format!("Missing {name} ×{n}, responsible worker {w}")
            }
            (IncidentKind::Damaged, Lang::Zh) => format!("{name} 损坏 ×{n}，责任人 {w}"),
            (IncidentKind::Damaged, Lang::En) => {
                format!("Damaged {name} ×{n}, responsible worker {w}")
            }
            (IncidentKind::Extra, Lang::Zh) => {
                format!("多带回 {name} ×{n}（{w}）：可能是客户物品，须核实并归还")
            }
            (IncidentKind::Extra, Lang::En) => {
                format!("{name} ×{n} more came back than went out ({w}): may be the customer's, check and return it")
            }
        }
    }
}

#[derive(Default)]
struct Counts {
    out: u32,
    good: u32,
    damaged: u32,
    name: Option<Text>,
}

/// Check-out against check-in, per worker and item; incidents sorted by worker, item, kind.
/// Repeated lines of the same worker and item add up.
pub fn reconcile(out: &KitCheckout, back: &KitCheckin) -> Vec<KitIncident> {
    let mut counts: BTreeMap<(&WorkerId, &str), Counts> = BTreeMap::new();
    for l in &out.lines {
        let c = counts.entry((&l.worker, l.item.as_str())).or_default();
        c.out = c.out.saturating_add(l.count);
        if c.name.is_none() {
            c.name.clone_from(&l.name);
        }
    }
    for l in &back.lines {
        let c = counts.entry((&l.worker, l.item.as_str())).or_default();
        c.good = c.good.saturating_add(l.good);
        c.damaged = c.damaged.saturating_add(l.damaged);
    }
    let mut incidents = Vec::new();
    for ((worker, item), c) in counts {
        let back_total = c.good.saturating_add(c.damaged);
        let mut push = |kind, count| {
            if count > 0 {
                incidents.push(KitIncident {
                    job: out.job.clone(),
                    kind,
                    item: item.to_owned(),
                    name: c.name.clone(),
                    count,
                    worker: worker.clone(),
                });
            }
        };
        push(IncidentKind::Missing, c.out.saturating_sub(back_total));
        push(IncidentKind::Damaged, c.damaged);
        push(IncidentKind::Extra, back_total.saturating_sub(c.out));
    }
    incidents
}

/// An item the kit is short of at check-out (all workers of the job together).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KitShortfall {
    pub item: String,
    pub name: Text,
    pub expected: u32,
    pub taken: u32,
}

impl Explain for KitShortfall {
    fn explain(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "工具不全：{} 应带 {}，实带 {}",
                self.name.zh, self.expected, self.taken
            ),
            Lang::En => format!(
                "Kit incomplete: {} expected {}, taken {}",
                self.name.en, self.expected, self.taken
            ),
        }
    }
}

/// Items of `template` of which the check-out holds fewer than expected.
pub fn kit_shortfalls(template: &KitTemplate, out: &KitCheckout) -> Vec<KitShortfall> {
    template
        .items
        .iter()
        .filter_map(|i| {
            let taken = out
                .lines
                .iter()
                .filter(|l| l.item == i.code)
                .fold(0u32, |a, l| a.saturating_add(l.count));
            (taken < i.expected).then(|| KitShortfall {
                item: i.code.clone(),
                name: i.name.clone(),
                expected: i.expected,
                taken,
            })
        })
        .collect()
}

/// Check-out lines for `worker` taking the whole `template` kit (names included).
pub fn checkout_lines(template: &KitTemplate, worker: &WorkerId) -> Vec<CheckoutLine> {
    template
        .items
        .iter()
        .map(|i| CheckoutLine {
            worker: worker.clone(),
            item: i.code.clone(),
            count: i.expected,
            name: Some(i.name.clone()),
        })
        .collect()
}
