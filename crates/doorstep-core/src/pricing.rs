//! Pricing (收费): the standard price list as data, quotes in integer fen, and the rule that
//! the computed charge is the only charge.
//!
//! # How a quote is computed
//!
//! 1. Service lines with the same code are merged (quantities added), keeping the order in which
//!    codes first appear: a price-list item's minimum applies once per order, not once per line.
//! 2. Each line: `quantity × unit_price`; if that is below the item's `minimum`, the line is
//!    raised to the minimum (`minimum_applied`).
//! 3. `items_subtotal` = sum of the lines.
//! 4. Extras, in the order given: a [`Surcharge::Percent`] is that percentage of the
//!    **items subtotal** (never of other extras), rounded **half up to the fen**
//!    (`(subtotal × percent + 50) / 100`, integer division, all amounts non-negative);
//!    a [`Surcharge::Fixed`] is `amount × quantity` (e.g. per floor climbed without a lift).
//! 5. If items plus extras are below the list's `order_minimum`, a top-up brings the total
//!    to exactly the order minimum (`order_minimum_top_up`).
//!
//! So `total = Σ lines + Σ extras + top-up` and `total ≥ order_minimum` always hold.
//! All arithmetic is checked: an overflow is [`PricingError::Overflow`], never a wrap.
//!
//! # The charge
//!
//! The customer pays exactly the computed total (domain: "no more, no less"). A different
//! amount is valid only with a [`Deviation`] that has a non-empty reason and approver
//! ([`Charge::validate`]). A shortfall because of poor quality is borne by the responsible
//! worker: [`liability`] turns it into a [`WorkerLiability`] entry.

use crate::lang::{Explain, Lang, Text};
use crate::model::{JobId, Money, ServiceLine, WorkerId};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use thiserror::Error;

/// The unit an item is priced in; a [`ServiceLine`]'s quantity counts these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Per hour of one worker's time on site (计时).
    Hour,
    /// Per square metre of floor or glass (按面积).
    SquareMetre,
    /// Per piece, e.g. one range hood, one air conditioner (按件).
    Item,
    /// Per visit, flat (按次).
    Visit,
}

impl Unit {
    /// The unit as printed on a price list or quote.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Unit::Hour, Lang::Zh) => "小时",
            (Unit::Hour, Lang::En) => "hour",
            (Unit::SquareMetre, Lang::Zh) => "平方米",
            (Unit::SquareMetre, Lang::En) => "m²",
            (Unit::Item, Lang::Zh) => "件",
            (Unit::Item, Lang::En) => "item",
            (Unit::Visit, Lang::Zh) => "次",
            (Unit::Visit, Lang::En) => "visit",
        }
    }
}

/// One item of the standard price list (标准价目表).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceItem {
    /// The code bookings use, e.g. `daily_clean`.
    pub code: String,
    pub name: Text,
    pub unit: Unit,
    /// Price per unit, in fen.
    pub unit_price: Money,
    /// Minimum charge for this item in one order (e.g. two hours); zero for none.
    #[serde(default)]
    pub minimum: Money,
}

/// How an extra is charged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Surcharge {
    /// This percentage of the items subtotal, rounded half up to the fen. Quantity must be 1.
    Percent { percent: u32 },
    /// This amount per unit of the extra's quantity (a flat fee has quantity 1).
    Fixed { amount: Money },
}

/// A surcharge the price list allows: stairs without a lift, heavy soiling, weekend, holiday…
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extra {
    pub code: String,
    pub name: Text,
    pub surcharge: Surcharge,
}

/// The standard price list of a store: plain data, loaded from JSON or [`PriceList::standard`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceList {
    pub items: Vec<PriceItem>,
    #[serde(default)]
    pub extras: Vec<Extra>,
    /// The smallest total an order is charged; zero for none.
    #[serde(default)]
    pub order_minimum: Money,
}

fn one() -> u32 {
    1
}

/// An extra applied to one order, e.g. `{"code": "stairs_no_lift", "quantity": 4}` for four floors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraLine {
    pub code: String,
    #[serde(default = "one")]
    pub quantity: u32,
}

impl ExtraLine {
    pub fn new(code: impl Into<String>, quantity: u32) -> Self {
        ExtraLine {
            code: code.into(),
            quantity,
        }
    }
}

/// A priced service line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuoteLine {
    pub code: String,
    pub name: Text,
    pub unit: Unit,
    pub quantity: u32,
    pub unit_price: Money,
    /// `quantity × unit_price`, before the item minimum.
    pub base: Money,
    /// The item minimum raised this line.
    pub minimum_applied: bool,
    /// What the line costs: `max(base, minimum)`.
    pub amount: Money,
}

/// A priced extra.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraCharge {
    pub code: String,
    pub name: Text,
    pub quantity: u32,
    pub surcharge: Surcharge,
    pub amount: Money,
}

/// The computed price of an order. `total = Σ lines + Σ extras + order_minimum_top_up`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub lines: Vec<QuoteLine>,
    pub items_subtotal: Money,
    pub extras: Vec<ExtraCharge>,
    pub order_minimum_top_up: Money,
    pub total: Money,
}

/// Why a quote could not be computed.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum PricingError {
    #[error("the order has no service lines")]
    NoLines,
    #[error("unknown price-list item `{code}`")]
    UnknownItem { code: String },
    #[error("unknown extra `{code}`")]
    UnknownExtra { code: String },
    #[error("`{code}` has quantity zero")]
    ZeroQuantity { code: String },
    #[error("percentage extra `{code}` must have quantity 1, not {quantity}")]
    PercentQuantity { code: String, quantity: u32 },
    #[error("the price list has `{code}` more than once")]
    DuplicateCode { code: String },
    #[error("the price list has a negative amount for `{code}`")]
    NegativePrice { code: String },
    #[error("the amount for `{code}` is too large (overflow)")]
    Overflow { code: String },
}

impl Explain for PricingError {
    fn explain(&self, lang: Lang) -> String {
        match (self, lang) {
            (PricingError::NoLines, Lang::Zh) => "订单没有任何服务项目".into(),
            (PricingError::NoLines, Lang::En) => "The order has no service items.".into(),
            (PricingError::UnknownItem { code }, Lang::Zh) => format!("价目表中没有项目“{code}”"),
            (PricingError::UnknownItem { code }, Lang::En) => {
                format!("The price list has no item “{code}”.")
            }
            (PricingError::UnknownExtra { code }, Lang::Zh) => {
                format!("价目表中没有附加费“{code}”")
            }
            (PricingError::UnknownExtra { code }, Lang::En) => {
                format!("The price list has no extra “{code}”.")
            }
            (PricingError::ZeroQuantity { code }, Lang::Zh) => format!("“{code}”的数量为零"),
            (PricingError::ZeroQuantity { code }, Lang::En) => {
                format!("“{code}” has a quantity of zero.")
            }
            (PricingError::PercentQuantity { code, quantity }, Lang::Zh) => {
                format!("按比例收取的附加费“{code}”数量只能为 1，而不是 {quantity}")
            }
            (PricingError::PercentQuantity { code, quantity }, Lang::En) => {
                format!("The percentage extra “{code}” takes quantity 1, not {quantity}.")
            }
            (PricingError::DuplicateCode { code }, Lang::Zh) => format!("价目表中“{code}”重复"),
            (PricingError::DuplicateCode { code }, Lang::En) => {
                format!("The price list has “{code}” more than once.")
            }
            (PricingError::NegativePrice { code }, Lang::Zh) => {
                format!("价目表中“{code}”的金额为负数")
            }
            (PricingError::NegativePrice { code }, Lang::En) => {
                format!("The price list has a negative amount for “{code}”.")
            }
            (PricingError::Overflow { code }, Lang::Zh) => format!("“{code}”的金额过大，无法计算"),
            (PricingError::Overflow { code }, Lang::En) => {
                format!("The amount for “{code}” is too large to compute.")
            }
        }
    }
}

impl PriceList {
    /// A realistic default list (yuan prices of a city housekeeping store). Stores override it.
    pub fn standard() -> PriceList {
        fn item(code: &str, zh: &str, en: &str, unit: Unit, price: i64, min: i64) -> PriceItem {
            PriceItem {
                code: code.into(),
                name: Text::new(zh, en),
                unit,
                unit_price: Money(price),
                minimum: Money(min),
            }
        }
        fn extra(code: &str, zh: &str, en: &str, surcharge: Surcharge) -> Extra {
            Extra {
                code: code.into(),
                name: Text::new(zh, en),
                surcharge,
            }
        }
        PriceList {
            items: vec![
                item(
                    "daily_clean",
                    "日常保洁",
                    "Daily cleaning",
                    Unit::Hour,
                    4_500,
                    9_000,
                ),
                item(
                    "deep_clean",
                    "深度保洁",
                    "Deep cleaning",
                    Unit::SquareMetre,
                    600,
                    30_000,
                ),
                item(
                    "move_in_clean",
                    "开荒保洁",
                    "Move-in cleaning",
                    Unit::SquareMetre,
                    800,
                    40_000,
                ),
                item(
                    "glass",
                    "擦玻璃",
                    "Window glass",
                    Unit::SquareMetre,
                    500,
                    5_000,
                ),
                item(
                    "range_hood",
                    "油烟机清洗",
                    "Range hood cleaning",
                    Unit::Item,
                    15_000,
                    0,
                ),
                item(
                    "air_conditioner",
                    "空调清洗",
                    "Air conditioner cleaning",
                    Unit::Item,
                    12_000,
                    0,
                ),
                item(
                    "sofa",
                    "布艺沙发清洗",
                    "Fabric sofa cleaning",
                    Unit::Item,
                    8_000,
                    0,
                ),
                item(
                    "inspection",
                    "上门勘察",
                    "Site inspection",
                    Unit::Visit,
                    3_000,
                    0,
                ),
            ],
            extras: vec![
                extra(
                    "stairs_no_lift",
                    "无电梯楼层费（每层）",
                    "Stairs without lift (per floor)",
                    Surcharge::Fixed { amount: Money(500) },
                ),
                extra(
                    "heavy_soiling",
                    "重度污渍加价",
                    "Heavy soiling surcharge",
                    Surcharge::Percent { percent: 20 },
                ),
                extra(
                    "weekend",
                    "周末加价",
                    "Weekend surcharge",
                    Surcharge::Percent { percent: 10 },
                ),
                extra(
                    "holiday",
                    "法定节假日加价",
                    "Public holiday surcharge",
                    Surcharge::Percent { percent: 30 },
                ),
            ],
            order_minimum: Money(10_000),
        }
    }

    pub fn item(&self, code: &str) -> Option<&PriceItem> {
        self.items.iter().find(|i| i.code == code)
    }

    pub fn extra(&self, code: &str) -> Option<&Extra> {
        self.extras.iter().find(|e| e.code == code)
    }

    /// Codes are unique (items and extras share one namespace) and no amount is negative.
    pub fn validate(&self) -> Result<(), PricingError> {
        let mut seen = BTreeSet::new();
        let codes = self
            .items
            .iter()
            .map(|i| &i.code)
            .chain(self.extras.iter().map(|e| &e.code));
        for code in codes {
            if !seen.insert(code.as_str()) {
                return Err(PricingError::DuplicateCode { code: code.clone() });
            }
        }
        for i in &self.items {
            if i.unit_price.0 < 0 || i.minimum.0 < 0 {
                return Err(PricingError::NegativePrice {
                    code: i.code.clone(),
                });
            }
        }
        for e in &self.extras {
            let negative = match e.surcharge {
                Surcharge::Fixed { amount } => amount.0 < 0,
                Surcharge::Percent { .. } => false,
            };
            if negative {
                return Err(PricingError::NegativePrice {
                    code: e.code.clone(),
                });
            }
        }
        if self.order_minimum.0 < 0 {
            return Err(PricingError::NegativePrice {
                code: "order_minimum".into(),
            });
        }
        Ok(())
    }
}

/// `amount × percent / 100`, rounded half up to the fen. `None` on overflow or a negative amount.
pub fn percent_of(amount: Money, percent: u32) -> Option<Money> {
    if amount.0 < 0 {
        return None;
    }
    let scaled = amount.0.checked_mul(i64::from(percent))?.checked_add(50)?;
    Some(Money(scaled / 100))
}

fn add(a: Money, b: Money, code: &str) -> Result<Money, PricingError> {
    a.0.checked_add(b.0)
        .map(Money)
        .ok_or_else(|| PricingError::Overflow {
            code: code.to_owned(),
        })
}

fn times(price: Money, quantity: u32, code: &str) -> Result<Money, PricingError> {
    price
        .0
        .checked_mul(i64::from(quantity))
        .map(Money)
        .ok_or_else(|| PricingError::Overflow {
            code: code.to_owned(),
        })
}

/// Prices an order by the list (see the module docs for the exact steps and rounding).
pub fn quote(
    list: &PriceList,
    lines: &[ServiceLine],
    extras: &[ExtraLine],
) -> Result<Quote, PricingError> {
    list.validate()?;
    if lines.is_empty() {
        return Err(PricingError::NoLines);
    }
    // Merge lines per code, in order of first appearance.
    let mut merged: Vec<(&str, u32)> = Vec::new();
    for l in lines {
        if l.quantity == 0 {
            return Err(PricingError::ZeroQuantity {
                code: l.code.clone(),
            });
        }
        match merged.iter_mut().find(|(c, _)| *c == l.code) {
            Some((_, q)) => {
                *q = q
                    .checked_add(l.quantity)
                    .ok_or_else(|| PricingError::Overflow {
                        code: l.code.clone(),
                    })?;
            }
            None => merged.push((l.code.as_str(), l.quantity)),
        }
    }

    let mut out = Vec::with_capacity(merged.len());
    let mut subtotal = Money::ZERO;
    for (code, quantity) in merged {
        let item = list.item(code).ok_or_else(|| PricingError::UnknownItem {
            code: code.to_owned(),
        })?;
        let base = times(item.unit_price, quantity, code)?;
        let minimum_applied = base < item.minimum;
        let amount = if minimum_applied { item.minimum } else { base };
        subtotal = add(subtotal, amount, code)?;
        out.push(QuoteLine {
            code: code.to_owned(),
            name: item.name.clone(),
            unit: item.unit,
            quantity,
            unit_price: item.unit_price,
            base,
            minimum_applied,
            amount,
        });
    }

    let mut total = subtotal;
    let mut charged_extras = Vec::with_capacity(extras.len());
    for x in extras {
        let extra = list
            .extra(&x.code)
            .ok_or_else(|| PricingError::UnknownExtra {
                code: x.code.clone(),
            })?;
        if x.quantity == 0 {
            return Err(PricingError::ZeroQuantity {
                code: x.code.clone(),
            });
        }
        let amount = match extra.surcharge {
            Surcharge::Percent { percent } => {
                if x.quantity != 1 {
                    return Err(PricingError::PercentQuantity {
                        code: x.code.clone(),
                        quantity: x.quantity,
                    });
                }
                percent_of(subtotal, percent).ok_or_else(|| PricingError::Overflow {
                    code: x.code.clone(),
                })?
            }
            Surcharge::Fixed { amount } => times(amount, x.quantity, &x.code)?,
        };
        total = add(total, amount, &x.code)?;
        charged_extras.push(ExtraCharge {
            code: x.code.clone(),
            name: extra.name.clone(),
            quantity: x.quantity,
            surcharge: extra.surcharge,
            amount,
        });
    }

    let top_up = if total < list.order_minimum {
        Money(list.order_minimum.0 - total.0)
    } else {
        Money::ZERO
    };
    let total = add(total, top_up, "order_minimum")?;
    Ok(Quote {
        lines: out,
        items_subtotal: subtotal,
        extras: charged_extras,
        order_minimum_top_up: top_up,
        total,
    })
}

/// Why the charge differs from the computed price: the general case, or poor quality, which the
/// responsible worker bears (domain: "a shortfall caused by poor quality is borne by the
/// responsible worker").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeviationCause {
    #[default]
    Other,
    PoorQuality {
        responsible: WorkerId,
    },
}

/// An approved departure from the computed price.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deviation {
    pub reason: String,
    /// Who approved it (a supervisor's name or badge).
    pub approver: String,
    /// Local time of approval.
    pub at: NaiveDateTime,
    #[serde(default)]
    pub cause: DeviationCause,
}

/// What was computed and what was actually charged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    pub computed: Money,
    pub charged: Money,
    #[serde(default)]
    pub deviation: Option<Deviation>,
}

/// Why a charge is not acceptable.
#[derive(Clone, Debug, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum ChargeError {
    #[error("an amount is negative (computed {computed}, charged {charged})")]
    NegativeAmount { computed: Money, charged: Money },
    #[error("charged {charged} but the price list says {computed}, and no deviation was approved")]
    UnapprovedDeviation { computed: Money, charged: Money },
    #[error("the deviation has no reason")]
    EmptyReason,
    #[error("the deviation has no approver")]
    EmptyApprover,
    #[error("a poor-quality deviation names no responsible worker")]
    NoResponsibleWorker,
    #[error("a poor-quality deviation must charge less than computed (computed {computed}, charged {charged})")]
    QualityWithoutShortfall { computed: Money, charged: Money },
}

impl Explain for ChargeError {
    fn explain(&self, lang: Lang) -> String {
        match (self, lang) {
            (ChargeError::NegativeAmount { computed, charged }, Lang::Zh) => {
                format!("金额不能为负（应收 {computed}，实收 {charged}）")
            }
            (ChargeError::NegativeAmount { computed, charged }, Lang::En) => {
                format!("Amounts cannot be negative (computed {computed}, charged {charged}).")
            }
            (ChargeError::UnapprovedDeviation { computed, charged }, Lang::Zh) => {
                format!("实收 {charged} 与标准价 {computed} 不符，且没有经批准的差额说明")
            }
            (ChargeError::UnapprovedDeviation { computed, charged }, Lang::En) => {
                format!("Charged {charged} but the standard price is {computed}, with no approved deviation.")
            }
            (ChargeError::EmptyReason, Lang::Zh) => "差额说明缺少原因".into(),
            (ChargeError::EmptyReason, Lang::En) => "The deviation gives no reason.".into(),
            (ChargeError::EmptyApprover, Lang::Zh) => "差额说明缺少批准人".into(),
            (ChargeError::EmptyApprover, Lang::En) => "The deviation names no approver.".into(),
            (ChargeError::NoResponsibleWorker, Lang::Zh) => "质量问题少收款项未写明责任人".into(),
            (ChargeError::NoResponsibleWorker, Lang::En) => {
                "A poor-quality shortfall must name the responsible worker.".into()
            }
            (ChargeError::QualityWithoutShortfall { computed, charged }, Lang::Zh) => {
                format!("以质量问题为由的差额必须少于标准价（应收 {computed}，实收 {charged}）")
            }
            (ChargeError::QualityWithoutShortfall { computed, charged }, Lang::En) => {
                format!("A poor-quality deviation must charge less than computed (computed {computed}, charged {charged}).")
            }
        }
    }
}

impl Charge {
    /// The normal case: the customer pays exactly the computed price.
    pub fn exact(computed: Money) -> Charge {
        Charge {
            computed,
            charged: computed,
            deviation: None,
        }
    }

    /// `charged − computed`: negative when the customer paid less.
    pub fn difference(&self) -> Option<i64> {
        self.charged.0.checked_sub(self.computed.0)
    }

    /// The charge rules: no negative amounts; a different amount needs a deviation; a deviation
    /// (even one with no difference) needs a non-blank reason and approver; a poor-quality
    /// deviation names the responsible worker and charges less than computed.
    pub fn validate(&self) -> Result<(), ChargeError> {
        let (computed, charged) = (self.computed, self.charged);
        if computed.0 < 0 || charged.0 < 0 {
            return Err(ChargeError::NegativeAmount { computed, charged });
        }
        match &self.deviation {
            None if computed != charged => {
                Err(ChargeError::UnapprovedDeviation { computed, charged })
            }
            None => Ok(()),
            Some(d) => {
                if d.reason.trim().is_empty() {
                    return Err(ChargeError::EmptyReason);
                }
                if d.approver.trim().is_empty() {
                    return Err(ChargeError::EmptyApprover);
                }
                if let DeviationCause::PoorQuality { responsible } = &d.cause {
                    if responsible.as_str().trim().is_empty() {
                        return Err(ChargeError::NoResponsibleWorker);
                    }
                    if charged >= computed {
                        return Err(ChargeError::QualityWithoutShortfall { computed, charged });
                    }
                }
                Ok(())
            }
        }
    }
}

/// An amount a worker owes the store for a shortfall they caused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerLiability {
    pub worker: WorkerId,
    pub amount: Money,
    pub job: JobId,
    pub reason: String,
}

/// Validates the charge and, if it is a poor-quality shortfall, books it to the responsible
/// worker: `amount = computed − charged`. Other deviations create no liability.
pub fn liability(job: &JobId, charge: &Charge) -> Result<Option<WorkerLiability>, ChargeError> {
    charge.validate()?;
    match &charge.deviation {
        Some(Deviation {
            reason,
            cause: DeviationCause::PoorQuality { responsible },
            ..
        }) => {
            // validate() guarantees 0 ≤ charged < computed, so this cannot overflow.
            let amount = Money(charge.computed.0 - charge.charged.0);
            Ok(Some(WorkerLiability {
                worker: responsible.clone(),
                amount,
                job: job.clone(),
                reason: reason.clone(),
            }))
        }
        _ => Ok(None),
    }
}
