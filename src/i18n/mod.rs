//! UI strings, zh-CN first. A typed table per language: a missing string is a compile
//! error, nothing is parsed at run time, and the wasm carries only these bytes.

pub mod accept;
pub mod damage;
pub mod office;
mod sync;

pub use sync::{conflict_note, failure_text, problem_text, sync_strings, SyncStrings};

use crate::context::use_lang;
use doorstep_core::Lang;
use leptos::prelude::*;

pub struct Strings {
    pub today: &'static str,
    pub tomorrow: &'static str,
    pub settings: &'static str,
    pub my_jobs: &'static str,
    pub no_jobs: &'static str,
    pub loading: &'static str,
    pub offline: &'static str,
    pub not_found: &'static str,
    pub back: &'static str,
    pub district: &'static str,
    pub address: &'static str,
    pub address_hidden: &'static str,
    pub contact: &'static str,
    pub customer: &'static str,
    pub crew: &'static str,
    pub leader: &'static str,
    pub time: &'static str,
    pub special_requests: &'static str,
    pub notes: &'static str,
    pub confirm_job: &'static str,
    pub confirmed: &'static str,
    pub confirm_note: &'static str,
    pub language: &'static str,
    pub current_worker: &'static str,
    pub storage: &'static str,
    pub storage_persisted: &'static str,
    pub storage_not_persisted: &'static str,
    pub reset_demo: &'static str,
    pub reset_done: &'static str,
    pub badge: &'static str,
    /// Under the heading while the device holds demo data (never logged in).
    pub demo_note: &'static str,
    pub overview: &'static str,
    pub records: &'static str,
    pub no_records: &'static str,
    pub step_day_before_call: &'static str,
    pub damaged_record: &'static str,
    pub leader_confirms: &'static str,
    pub chars: &'static str,
    pub crew_of: &'static str,
    pub switch_worker: &'static str,
    pub switch_warning: &'static str,
    pub confirm_clear: &'static str,
    pub cancel: &'static str,
    pub device_holds: &'static str,
    pub switched: &'static str,
    pub error_log: &'static str,
    pub no_errors: &'static str,
    pub clear_log: &'static str,
    pub update_ready: &'static str,
    pub reload: &'static str,
    pub progress: &'static str,
    pub next_step: &'static str,
    pub continue_visit: &'static str,
    pub optional: &'static str,
    pub ticked_by: &'static str,
    pub stage_done: &'static str,
    pub stage_not_yet: &'static str,
    pub gate_open: &'static str,
    pub sign_next: &'static str,
    pub step_tick: &'static str,
    pub step_untick: &'static str,
    pub step_depart: &'static str,
    pub step_start_work: &'static str,
    pub step_finish_work: &'static str,
    pub kit_out_title: &'static str,
    pub kit_expected: &'static str,
    pub kit_complete: &'static str,
    pub kit_record: &'static str,
    pub kit_in_title: &'static str,
    pub kit_in_lead: &'static str,
    pub kit_brought: &'static str,
    pub kit_back_good: &'static str,
    pub kit_back_damaged: &'static str,
    pub kit_all_back: &'static str,
    pub kit_in_confirm: &'static str,
    pub kit_card_out: &'static str,
    pub kit_card_in: &'static str,
    pub kit_recorded: &'static str,
    pub kit_not_recorded: &'static str,
    pub pin_title: &'static str,
    pub pin_is_set: &'static str,
    pub pin_not_set: &'static str,
    pub pin_new: &'static str,
    pub pin_again: &'static str,
    pub pin_save: &'static str,
    pub pin_saved: &'static str,
    pub charge_title: &'static str,
    pub charge_total: &'static str,
    pub charge_exact: &'static str,
    pub charge_differs: &'static str,
    pub charge_amount: &'static str,
    pub charge_amount_typo: &'static str,
    pub charge_reason: &'static str,
    pub charge_approver: &'static str,
    pub charge_cause: &'static str,
    pub charge_cause_other: &'static str,
    pub charge_cause_quality: &'static str,
    pub charge_record: &'static str,
    pub charge_recorded: &'static str,
    pub charge_borne: &'static str,
}

pub const ZH: Strings = Strings {
    today: "今天",
    tomorrow: "明天",
    settings: "设置",
    my_jobs: "我的工单",
    no_jobs: "没有工单",
    loading: "正在加载…",
    offline: "离线中：数据保存在本机，可照常使用",
    not_found: "页面不存在",
    back: "返回",
    district: "区域",
    address: "详细地址",
    address_hidden: "服务前一天起显示详细地址",
    contact: "联系电话",
    customer: "客户",
    crew: "服务人员",
    leader: "组长",
    time: "时间",
    special_requests: "特殊要求",
    notes: "备注",
    confirm_job: "已与客户确认时间地点",
    confirmed: "已确认",
    confirm_note: "确认备注（可选）",
    language: "语言",
    current_worker: "当前员工",
    storage: "本机存储",
    storage_persisted: "已获准长期保存",
    storage_not_persisted: "未获准长期保存：长期不用时浏览器可能清除数据",
    reset_demo: "重新载入演示数据",
    reset_done: "演示数据已重新载入",
    badge: "工号",
    demo_note: "演示数据，不是真实工单：在“设置”登录后同步你的工单",
    overview: "概况",
    records: "记录",
    no_records: "本机还没有此工单的记录",
    step_day_before_call: "电话确认（服务前一天）",
    damaged_record: "记录已损坏，无法读取（其他记录不受影响）",
    leader_confirms: "由组长与客户联系确认",
    chars: "字",
    crew_of: "人",
    switch_worker: "切换",
    switch_warning:
        "切换员工或重新载入会清除本机所有数据（包括未同步的记录），换为该员工的演示工单。",
    confirm_clear: "确定清除并载入",
    cancel: "取消",
    device_holds: "本机数据属于",
    switched: "已切换，本机数据已替换为",
    error_log: "错误记录",
    no_errors: "没有错误记录",
    clear_log: "清空错误记录",
    update_ready: "有新版本可用",
    reload: "重新载入",
    progress: "进度",
    next_step: "下一步",
    continue_visit: "继续服务流程",
    optional: "选填",
    ticked_by: "已勾选",
    stage_done: "此阶段已完成",
    stage_not_yet: "请先完成前面的阶段",
    gate_open: "检查项已齐，可以进入下一步",
    sign_next: "下一步：请客户查看服务记录并签字（客户模式）",
    step_tick: "勾选",
    step_untick: "取消勾选",
    step_depart: "出发",
    step_start_work: "开始服务",
    step_finish_work: "服务完成",
    kit_out_title: "工具清点（出发前）",
    kit_expected: "应带",
    kit_complete: "全队工具齐全",
    kit_record: "记录所带工具",
    kit_in_title: "请您当面查看：工具清点",
    kit_in_lead: "我们带来的工具全部带走，您家的物品一件不带走。",
    kit_brought: "带来",
    kit_back_good: "完好带回",
    kit_back_damaged: "损坏",
    kit_all_back: "工具全部带回，无损坏",
    kit_in_confirm: "确认清点结果",
    kit_card_out: "清点所带工具",
    kit_card_in: "当面清点工具（请客户查看）",
    kit_recorded: "已记录",
    kit_not_recorded: "未记录",
    pin_title: "本机 PIN",
    pin_is_set: "已设置（只保存加盐哈希，不保存数字本身）",
    pin_not_set: "未设置：交给客户前请先设置，离开客户模式需要它",
    pin_new: "新 PIN（6 位数字）",
    pin_again: "再输入一次",
    pin_save: "保存 PIN",
    pin_saved: "PIN 已保存",
    charge_title: "收费",
    charge_total: "标准价合计",
    charge_exact: "按标准价收费",
    charge_differs: "收费与标准价不同…",
    charge_amount: "实收金额（元）",
    charge_amount_typo: "请输入金额，如 128 或 128.50",
    charge_reason: "原因",
    charge_approver: "批准人",
    charge_cause: "差额原因",
    charge_cause_other: "其他原因",
    charge_cause_quality: "服务质量问题，责任人",
    charge_record: "记录收费（标记为差额）",
    charge_recorded: "已记录收费",
    charge_borne: "承担质量差额",
};

pub const EN: Strings = Strings {
    today: "Today",
    tomorrow: "Tomorrow",
    settings: "Settings",
    my_jobs: "My jobs",
    no_jobs: "No jobs",
    loading: "Loading…",
    offline: "Offline: data is kept on this phone; everything still works",
    not_found: "Page not found",
    back: "Back",
    district: "District",
    address: "Address",
    address_hidden: "The full address shows from the day before the service",
    contact: "Phone",
    customer: "Customer",
    crew: "Crew",
    leader: "Leader",
    time: "Time",
    special_requests: "Special requests",
    notes: "Notes",
    confirm_job: "Confirmed time and place with customer",
    confirmed: "Confirmed",
    confirm_note: "Note (optional)",
    language: "Language",
    current_worker: "Current worker",
    storage: "Storage on this device",
    storage_persisted: "Kept permanently",
    storage_not_persisted: "Not guaranteed: the browser may clear data after long disuse",
    reset_demo: "Reload demo data",
    reset_done: "Demo data reloaded",
    badge: "Badge",
    demo_note: "demo jobs, not real ones: log in under Settings to sync yours",
    overview: "Overview",
    records: "Records",
    no_records: "No records of this job on this device yet",
    step_day_before_call: "Day-before call",
    damaged_record: "This record is damaged and cannot be read (other records are unaffected)",
    leader_confirms: "The team leader confirms with the customer",
    chars: "characters",
    crew_of: "people",
    switch_worker: "Switch",
    switch_warning: "Switching worker or reloading clears everything on this phone (unsynced records included) and loads that worker's demo jobs.",
    confirm_clear: "Clear and load",
    cancel: "Cancel",
    device_holds: "This phone holds the data of",
    switched: "Switched; this phone now holds the data of",
    error_log: "Error log",
    no_errors: "No errors logged",
    clear_log: "Clear the log",
    update_ready: "A new version is ready",
    reload: "Reload",
    progress: "Progress",
    next_step: "Next",
    continue_visit: "Continue the visit",
    optional: "optional",
    ticked_by: "ticked",
    stage_done: "This stage is done",
    stage_not_yet: "Finish the stages before this one first",
    gate_open: "All set: you may go on",
    sign_next: "Next: the customer reviews the record and signs (customer mode)",
    step_tick: "Ticked",
    step_untick: "Unticked",
    step_depart: "Left for the customer",
    step_start_work: "Work started",
    step_finish_work: "Work done",
    kit_out_title: "The kit you take",
    kit_expected: "kit:",
    kit_complete: "The crew's kit is complete",
    kit_record: "Record the kit I take",
    kit_in_title: "Please check with us: the tool kit",
    kit_in_lead: "Everything we brought leaves with us; nothing of yours leaves.",
    kit_brought: "brought",
    kit_back_good: "back, good",
    kit_back_damaged: "damaged",
    kit_all_back: "Every tool is back, nothing damaged",
    kit_in_confirm: "Confirm the count",
    kit_card_out: "Count the kit you take",
    kit_card_in: "Count the kit back with the customer",
    kit_recorded: "recorded",
    kit_not_recorded: "not recorded",
    pin_title: "Device PIN",
    pin_is_set: "Set (only a salted hash is kept, never the digits)",
    pin_not_set: "Not set: set it before handing the phone to a customer; leaving customer mode needs it",
    pin_new: "New PIN (6 digits)",
    pin_again: "Type it again",
    pin_save: "Save PIN",
    pin_saved: "PIN saved",
    charge_title: "Charge",
    charge_total: "Price list total",
    charge_exact: "Charge the list price",
    charge_differs: "The charge differs…",
    charge_amount: "Amount charged (yuan)",
    charge_amount_typo: "Type an amount, e.g. 128 or 128.50",
    charge_reason: "Reason",
    charge_approver: "Approved by",
    charge_cause: "Cause",
    charge_cause_other: "Another reason",
    charge_cause_quality: "Poor quality, borne by",
    charge_record: "Record the charge (flagged)",
    charge_recorded: "Charge recorded:",
    charge_borne: "bears the shortfall",
};

pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The current language's strings: `t.get()` reads (and tracks) the language signal. A
/// plain wrapper rather than a derived `Signal`, which would instantiate the reactive
/// machinery for one more value type.
#[derive(Clone, Copy)]
pub struct T(RwSignal<Lang>);

impl T {
    pub fn get(self) -> &'static Strings {
        strings(self.0.get())
    }

    pub fn get_untracked(self) -> &'static Strings {
        strings(self.0.get_untracked())
    }
}

pub fn use_t() -> T {
    T(use_lang())
}

/// One UI string in the current language, as a signal. Reactive UI text and attributes go
/// through `tr` (or another `Signal`), never a bare `move ||` closure: a closure is a type of
/// its own and instantiates the renderer's reactive code again, a signal type shares it.
pub fn tr(pick: fn(&Strings) -> &'static str) -> Signal<&'static str> {
    let lang = use_lang();
    Signal::derive(move || pick(strings(lang.get())))
}

/// Service names from the price list codes.
pub fn service_name(code: &str, lang: Lang) -> String {
    doorstep_core::demo::SERVICES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map(|(_, zh, en)| if lang == Lang::Zh { *zh } else { *en })
        .unwrap_or(code)
        .to_owned()
}

pub fn status_name(s: doorstep_core::model::JobStatus, lang: Lang) -> &'static str {
    use doorstep_core::model::JobStatus::*;
    match (s, lang) {
        (Booked, Lang::Zh) => "已预约",
        (Assigned, Lang::Zh) => "已派工",
        (Confirmed, Lang::Zh) => "已确认",
        (InProgress, Lang::Zh) => "服务中",
        (Acceptance, Lang::Zh) => "验收中",
        (Rework, Lang::Zh) => "返工",
        (Completed, Lang::Zh) => "已完成",
        (Cancelled, Lang::Zh) => "已取消",
        (Booked, Lang::En) => "Booked",
        (Assigned, Lang::En) => "Assigned",
        (Confirmed, Lang::En) => "Confirmed",
        (InProgress, Lang::En) => "In progress",
        (Acceptance, Lang::En) => "Acceptance",
        (Rework, Lang::En) => "Rework",
        (Completed, Lang::En) => "Completed",
        (Cancelled, Lang::En) => "Cancelled",
    }
}

/// `11月23日 周一` / `Mon 23 Nov`.
pub fn date_label(d: chrono::NaiveDate, lang: Lang) -> String {
    use chrono::Datelike;
    const ZH_DAYS: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
    const EN_DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    const EN_MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let wd = d.weekday().num_days_from_monday() as usize;
    match lang {
        Lang::Zh => format!(
            "{}月{}日 {}",
            d.month(),
            d.day(),
            ZH_DAYS.get(wd).unwrap_or(&"")
        ),
        Lang::En => format!(
            "{} {} {}",
            EN_DAYS.get(wd).unwrap_or(&""),
            d.day(),
            EN_MONTHS.get(d.month0() as usize).unwrap_or(&"")
        ),
    }
}

/// `09:05` (hand-formatted: chrono's strftime machinery would cost the wasm tens of kB).
pub fn hm(t: chrono::NaiveDateTime) -> String {
    use chrono::Timelike;
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// `11-23 09:05`.
pub fn md_hm(t: chrono::NaiveDateTime) -> String {
    use chrono::Datelike;
    format!("{:02}-{:02} {}", t.month(), t.day(), hm(t))
}
