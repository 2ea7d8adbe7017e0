//! Checklists of one visit: pre-departure, arrival, conduct during service, after service.
//!
//! The items and the gates are data ([`ChecklistSet`], serde-loadable, with the domain's
//! default set in [`ChecklistSet::default`]); the code only evaluates them. A worker ticks
//! items ([`ChecklistResults::tick`]), each tick recording the time and the worker's badge.
//! Two gates guard the flow:
//! * [`can_start_work`]: every required item of the phases the gate names (by default: the
//!   arrival phase — badge shown, items confirmed, …) is ticked;
//! * [`can_request_signature`]: the gate's named items are ticked (by default: the toolbox
//!   shown to the customer and the valuables reminder given).
//!
//! A closed gate returns a [`GateBlocked`] listing the missing items, explainable in zh/en.

use crate::lang::{Explain, Lang, Text};
use crate::model::WorkerId;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use thiserror::Error;

/// When in the visit an item is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    PreDeparture,
    Arrival,
    InService,
    AfterService,
}

impl Phase {
    pub fn label(self) -> Text {
        match self {
            Phase::PreDeparture => Text::new("出发前", "Before departure"),
            Phase::Arrival => Text::new("到达客户家", "On arrival"),
            Phase::InService => Text::new("服务中", "During service"),
            Phase::AfterService => Text::new("服务后", "After service"),
        }
    }
}

/// One checklist item. `id` is stable (records refer to it); labels may change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    pub id: String,
    pub phase: Phase,
    pub label: Text,
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

/// The points in the flow that a checklist can block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// Leaving for the customer (each worker's own pre-departure list).
    Depart,
    /// Starting the service work at the customer's home.
    StartWork,
    /// Ending the service work (the conduct rules kept).
    FinishWork,
    /// Handing the phone to the customer for the service record and signature.
    RequestSignature,
}

impl Gate {
    pub fn label(self) -> Text {
        match self {
            Gate::Depart => Text::new("出发", "leave"),
            Gate::StartWork => Text::new("开始服务", "start work"),
            Gate::FinishWork => Text::new("结束服务", "finish work"),
            Gate::RequestSignature => Text::new("请客户签字", "ask for the customer's signature"),
        }
    }
}

/// What a gate needs: all *required* items of `phases`, plus every item in `items`
/// (required or not).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateRule {
    pub gate: Gate,
    #[serde(default)]
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub items: Vec<String>,
}

/// A checklist template: its items and gates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistSet {
    pub items: Vec<ChecklistItem>,
    #[serde(default)]
    pub gates: Vec<GateRule>,
}

/// (id, phase, required, zh, en): the domain's default items.
const DEFAULT_ITEMS: &[(&str, Phase, bool, &str, &str)] = &[
    ("pre.uniform", Phase::PreDeparture, true, "穿着统一工作服", "Wearing the uniform"),
    ("pre.clean", Phase::PreDeparture, true, "衣着整洁、个人卫生干净", "Clean and tidy"),
    (
        "pre.grooming",
        Phase::PreDeparture,
        true,
        "仪容：男员工短发、不留胡须；女员工淡妆，不戴首饰，不留长指甲、不涂指甲油",
        "Grooming: men short hair, no beard; women light make-up, no jewellery, no long or painted nails",
    ),
    ("pre.shoes", Phase::PreDeparture, true, "穿平底布鞋", "Flat cloth shoes"),
    ("pre.no_alcohol", Phase::PreDeparture, true, "上岗前未饮酒", "No alcohol before work"),
    ("pre.fit", Phase::PreDeparture, true, "身体状况良好、精神饱满", "Fit and in a good mood"),
    ("pre.toolbox", Phase::PreDeparture, true, "工具箱齐全", "Toolbox complete"),
    ("pre.blank_record", Phase::PreDeparture, true, "携带空白服务记录表", "Blank service record"),
    ("pre.price_list", Phase::PreDeparture, true, "携带标准价目表", "Standard price list"),
    ("pre.leaflets", Phase::PreDeparture, false, "携带宣传单", "Leaflets"),
    ("pre.dispatch_order", Phase::PreDeparture, true, "携带派工单", "Dispatch order"),
    ("pre.route", Phase::PreDeparture, false, "已熟悉路线", "Route known"),
    ("pre.on_time", Phase::PreDeparture, true, "按时出发，保证不迟到", "Leaving on time, never late"),
    ("arr.recheck_appearance", Phase::Arrival, true, "进门前再次检查仪容仪表", "Appearance re-checked"),
    ("arr.knock", Phase::Arrival, true, "敲门", "Knocked"),
    ("arr.greet", Phase::Arrival, true, "问好", "Greeted the customer"),
    ("arr.show_badge", Phase::Arrival, true, "说明身份并出示工牌", "Stated identity and showed the badge"),
    ("arr.confirm_items", Phase::Arrival, true, "与客户确认服务项目", "Confirmed the service items"),
    (
        "arr.explain",
        Phase::Arrival,
        true,
        "说明服务方法、预期效果和注意事项",
        "Explained method, expected result and precautions",
    ),
    ("svc.polite", Phase::InService, true, "使用礼貌用语", "Polite language"),
    (
        "svc.leader_talks",
        Phase::InService,
        false,
        "由组长与客户沟通并分配岗位（多人服务）",
        "Only the team leader talks with the customer and assigns posts (crews)",
    ),
    ("svc.proper_tools", Phase::InService, true, "使用合适工具，不偷工减料", "Proper tools, no corner-cutting"),
    ("svc.no_customer_phone", Phase::InService, true, "不使用客户电话", "Never used the customer's phone"),
    ("svc.no_smoking", Phase::InService, true, "婉拒香烟，不吸烟", "Declined cigarettes, no smoking"),
    ("svc.own_cup", Phase::InService, true, "自带水杯", "Own cup"),
    ("svc.no_tips", Phase::InService, true, "不拿客户物品，不索要小费", "Took nothing, asked no tips"),
    ("svc.top_down", Phase::InService, true, "由上到下、由里到外", "Top to bottom, inside out"),
    ("svc.quiet", Phase::InService, true, "轻拿轻放，小声说话", "Moved and spoke quietly"),
    ("after.pack_tools", Phase::AfterService, true, "收拾好工具", "Tools packed"),
    (
        "after.remind_valuables",
        Phase::AfterService,
        true,
        "提醒客户检查贵重物品",
        "Reminded the customer to check valuables",
    ),
    (
        "after.show_toolbox",
        Phase::AfterService,
        true,
        "向客户展示工具箱内物品",
        "Showed the toolbox contents to the customer",
    ),
    (
        "after.exact_price",
        Phase::AfterService,
        true,
        "严格按标准价目表收费，不多收不少收",
        "Charged exactly the standard price list",
    ),
    (
        "after.customer_fills_record",
        Phase::AfterService,
        true,
        "由客户亲自填写服务记录表",
        "The customer filled in the service record themself",
    ),
    ("after.farewell", Phase::AfterService, true, "礼貌道别", "Polite farewell"),
];

impl Default for ChecklistSet {
    /// The domain's checklists and gates.
    fn default() -> Self {
        ChecklistSet {
            items: DEFAULT_ITEMS
                .iter()
                .map(|&(id, phase, required, zh, en)| ChecklistItem {
                    id: id.to_owned(),
                    phase,
                    label: Text::new(zh, en),
                    required,
                })
                .collect(),
            gates: vec![
                GateRule {
                    gate: Gate::Depart,
                    phases: vec![Phase::PreDeparture],
                    items: Vec::new(),
                },
                GateRule {
                    gate: Gate::FinishWork,
                    phases: vec![Phase::InService],
                    items: Vec::new(),
                },
                GateRule {
                    gate: Gate::StartWork,
                    phases: vec![Phase::Arrival],
                    items: Vec::new(),
                },
                GateRule {
                    gate: Gate::RequestSignature,
                    phases: Vec::new(),
                    items: vec![
                        "after.show_toolbox".to_owned(),
                        "after.remind_valuables".to_owned(),
                    ],
                },
            ],
        }
    }
}

/// A mistake in a template.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum TemplateProblem {
    #[error("duplicate item id `{id}`")]
    DuplicateItem { id: String },
    #[error("gate {gate:?} names unknown item `{id}`")]
    UnknownGateItem { gate: Gate, id: String },
    #[error("gate {gate:?} is defined more than once")]
    DuplicateGate { gate: Gate },
}

impl ChecklistSet {
    pub fn item(&self, id: &str) -> Option<&ChecklistItem> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn phase(&self, phase: Phase) -> impl Iterator<Item = &ChecklistItem> {
        self.items.iter().filter(move |i| i.phase == phase)
    }

    /// Mistakes in the template; empty when it is usable.
    pub fn validate(&self) -> Vec<TemplateProblem> {
        let mut problems = Vec::new();
        let mut ids = HashSet::new();
        for i in &self.items {
            if !ids.insert(i.id.as_str()) {
                problems.push(TemplateProblem::DuplicateItem { id: i.id.clone() });
            }
        }
        let mut gates = HashSet::new();
        for g in &self.gates {
            if !gates.insert(g.gate) {
                problems.push(TemplateProblem::DuplicateGate { gate: g.gate });
            }
            for id in &g.items {
                if !ids.contains(id.as_str()) {
                    problems.push(TemplateProblem::UnknownGateItem {
                        gate: g.gate,
                        id: id.clone(),
                    });
                }
            }
        }
        problems
    }

    /// The items `gate` needs, in template order (each once).
    pub fn gate_items(&self, gate: Gate) -> Vec<&ChecklistItem> {
        let rules: Vec<&GateRule> = self.gates.iter().filter(|g| g.gate == gate).collect();
        self.items
            .iter()
            .filter(|i| {
                rules
                    .iter()
                    .any(|g| (i.required && g.phases.contains(&i.phase)) || g.items.contains(&i.id))
            })
            .collect()
    }
}

/// One ticked item: when and by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tick {
    pub item: String,
    pub at: NaiveDateTime,
    pub badge: WorkerId,
    #[serde(default)]
    pub note: String,
}

/// Refused ticks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ChecklistError {
    #[error("no checklist item `{id}`")]
    UnknownItem { id: String },
    #[error("item `{id}` is already ticked")]
    AlreadyTicked { id: String },
}

impl Explain for ChecklistError {
    fn explain(&self, lang: Lang) -> String {
        match (self, lang) {
            (ChecklistError::UnknownItem { id }, Lang::Zh) => format!("没有检查项 {id}"),
            (ChecklistError::UnknownItem { id }, Lang::En) => format!("No checklist item {id}"),
            (ChecklistError::AlreadyTicked { id }, Lang::Zh) => format!("检查项 {id} 已勾选"),
            (ChecklistError::AlreadyTicked { id }, Lang::En) => {
                format!("Item {id} is already ticked")
            }
        }
    }
}

/// The checklist of one visit: the template it follows and the ticks so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistResults {
    pub set: ChecklistSet,
    #[serde(default)]
    pub ticks: Vec<Tick>,
}

impl Default for ChecklistResults {
    fn default() -> Self {
        ChecklistResults::new(ChecklistSet::default())
    }
}

impl ChecklistResults {
    pub fn new(set: ChecklistSet) -> Self {
        ChecklistResults {
            set,
            ticks: Vec::new(),
        }
    }

    /// Ticks `item` at `at` by worker `badge`. Each item is ticked once.
    pub fn tick(
        &mut self,
        item: &str,
        at: NaiveDateTime,
        badge: WorkerId,
    ) -> Result<(), ChecklistError> {
        if self.set.item(item).is_none() {
            return Err(ChecklistError::UnknownItem {
                id: item.to_owned(),
            });
        }
        if self.is_ticked(item) {
            return Err(ChecklistError::AlreadyTicked {
                id: item.to_owned(),
            });
        }
        self.ticks.push(Tick {
            item: item.to_owned(),
            at,
            badge,
            note: String::new(),
        });
        Ok(())
    }

    pub fn is_ticked(&self, item: &str) -> bool {
        self.ticks.iter().any(|t| t.item == item)
    }

    pub fn tick_of(&self, item: &str) -> Option<&Tick> {
        self.ticks.iter().find(|t| t.item == item)
    }

    /// Required items of `phase` not yet ticked.
    pub fn missing_required(&self, phase: Phase) -> Vec<&ChecklistItem> {
        self.set
            .phase(phase)
            .filter(|i| i.required && !self.is_ticked(&i.id))
            .collect()
    }

    /// Opens `gate` or says what is missing.
    pub fn check_gate(&self, gate: Gate) -> Result<(), GateBlocked> {
        let missing: Vec<MissingItem> = self
            .set
            .gate_items(gate)
            .into_iter()
            .filter(|i| !self.is_ticked(&i.id))
            .map(|i| MissingItem {
                id: i.id.clone(),
                label: i.label.clone(),
            })
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(GateBlocked { gate, missing })
        }
    }
}

/// An item a gate still waits for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissingItem {
    pub id: String,
    pub label: Text,
}

/// A closed gate and the items still missing (in template order).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GateBlocked {
    pub gate: Gate,
    pub missing: Vec<MissingItem>,
}

impl std::fmt::Display for GateBlocked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.explain(Lang::En))
    }
}

impl std::error::Error for GateBlocked {}

impl GateBlocked {
    pub fn missing_ids(&self) -> Vec<&str> {
        self.missing.iter().map(|m| m.id.as_str()).collect()
    }

    /// One short line for beside the list itself: the items by name when one or two are
    /// left, else how many.
    pub fn summary(&self, lang: Lang) -> String {
        if self.missing.len() <= 2 {
            return self.explain(lang);
        }
        let n = self.missing.len();
        match lang {
            Lang::Zh => format!("暂不能{}：还有 {n} 项未完成", self.gate.label().zh),
            Lang::En => format!("Cannot {} yet: {n} items left", self.gate.label().en),
        }
    }
}

impl Explain for GateBlocked {
    fn explain(&self, lang: Lang) -> String {
        let list: Vec<&str> = self.missing.iter().map(|m| m.label.get(lang)).collect();
        match lang {
            Lang::Zh => format!(
                "暂不能{}，尚未完成：{}",
                self.gate.label().zh,
                list.join("；")
            ),
            Lang::En => format!(
                "Cannot {} yet; still missing: {}",
                self.gate.label().en,
                list.join("; ")
            ),
        }
    }
}

/// Work may start once every item of the start-work gate is ticked.
pub fn can_start_work(results: &ChecklistResults) -> Result<(), GateBlocked> {
    results.check_gate(Gate::StartWork)
}

/// The customer may be asked to sign once the tools were shown and the valuables reminder
/// given (the signature gate's items).
pub fn can_request_signature(results: &ChecklistResults) -> Result<(), GateBlocked> {
    results.check_gate(Gate::RequestSignature)
}
