//! The acceptance and customer-mode screens' strings, a table of their own: only those lazy
//! screens use them, so the first screen's download carries none of these bytes.

use crate::context::use_lang;
use doorstep_core::Lang;
use leptos::prelude::*;

pub struct AcceptStrings {
    pub title: &'static str,
    pub round: &'static str,
    pub chain: &'static str,
    pub awaiting: &'static str,
    pub signed: &'static str,
    pub failed: &'static str,
    pub pass: &'static str,
    pub fail: &'static str,
    pub failed_items: &'static str,
    pub failed_items_hint: &'static str,
    pub remarks: &'static str,
    pub sign_here: &'static str,
    pub undo: &'static str,
    pub clear: &'static str,
    pub empty_pad: &'static str,
    pub supervisor_name: &'static str,
    pub supervisor_pin: &'static str,
    pub unlock: &'static str,
    pub wrong_pin: &'static str,
    pub no_supervisor_pin: &'static str,
    pub self_check_lead: &'static str,
    pub hand_over: &'static str,
    pub hand_over_lead: &'static str,
    pub need_worker_pin: &'static str,
    pub rework_title: &'static str,
    pub rework_lead: &'static str,
    pub rework_done: &'static str,
    pub accepted: &'static str,
    pub not_ready: &'static str,
    pub records: &'static str,
    pub record_ok: &'static str,
    pub record_tampered: &'static str,
    pub record_damaged: &'static str,
    pub score: &'static str,
    pub consent: &'static str,
    pub customer_title: &'static str,
    pub customer_lead: &'static str,
    pub services_done: &'static str,
    pub kit_counted: &'static str,
    pub kit_out_back: &'static str,
    pub charge: &'static str,
    pub deviation: &'static str,
    pub approved_by: &'static str,
    pub your_name: &'static str,
    pub satisfied: &'static str,
    pub not_satisfied: &'static str,
    pub need_score: &'static str,
    pub need_items: &'static str,
    pub thanks: &'static str,
    pub thanks_fail: &'static str,
    pub leave: &'static str,
    pub leave_lead: &'static str,
    pub worker_pin: &'static str,
    pub cancel: &'static str,
    pub staff: &'static str,
    pub time: &'static str,
    pub rework_of: &'static str,
    /// A damage report on a signed record: `{n}` its photos.
    pub damage_photos: &'static str,
}

pub static ZH: AcceptStrings = AcceptStrings {
    title: "验收",
    round: "第 {n} 次验收",
    chain: "验收顺序",
    awaiting: "待签",
    signed: "已签",
    failed: "不合格",
    pass: "合格，签字确认",
    fail: "不合格，需返工",
    failed_items: "不合格项目（每行一项）",
    failed_items_hint: "例如：厨房油烟机",
    remarks: "备注",
    sign_here: "请在此处签名",
    undo: "撤销一笔",
    clear: "清除",
    empty_pad: "请先签名",
    supervisor_name: "主管姓名",
    supervisor_pin: "主管 PIN",
    unlock: "核对 PIN",
    wrong_pin: "PIN 不正确",
    no_supervisor_pin: "本机尚未设置该主管的 PIN（设置 → 主管 PIN）",
    self_check_lead: "现场负责人自检：逐项确认后签字",
    hand_over: "交给客户验收",
    hand_over_lead: "将手机交给客户：客户只能看到本次服务记录，退出须输入服务人员 PIN",
    need_worker_pin: "请先在“设置”中设置本机 PIN，才能交给客户",
    rework_title: "返工",
    rework_lead: "逐项返工后勾选，全部完成后开始下一次验收",
    rework_done: "返工完成，重新验收",
    accepted: "验收通过，服务完成",
    not_ready: "服务后检查尚未完成，暂不能验收",
    records: "已签服务记录",
    record_ok: "签名记录完整（哈希校验通过）",
    record_tampered: "警告：此记录已被改动，哈希不符",
    record_damaged: "警告：此记录已损坏，无法读取",
    score: "满意度",
    consent: "本人已核对以上服务记录，签名确认。",
    customer_title: "服务记录表",
    customer_lead: "请您核对本次服务，填写意见、评分并签名",
    services_done: "已完成的服务项目",
    kit_counted: "工具清点（带来 / 带走）",
    kit_out_back: "带来 {out} · 带走 {back}",
    charge: "收费（按标准价目表）",
    deviation: "差额说明",
    approved_by: "批准人",
    your_name: "您的姓名",
    satisfied: "满意，确认验收",
    not_satisfied: "不满意，需要返工",
    need_score: "请选择满意度",
    need_items: "请写明不合格的项目",
    thanks: "感谢您的确认！请将手机交还服务人员",
    thanks_fail: "已记录您的意见，我们将立即返工。请将手机交还服务人员",
    leave: "服务人员：退出客户模式",
    leave_lead: "请服务人员输入本机 PIN",
    worker_pin: "服务人员 PIN",
    cancel: "取消",
    staff: "服务人员",
    time: "时间",
    rework_of: "返工完成",
    damage_photos: "损坏报告 · 照片 {n} 张",
};

pub static EN: AcceptStrings = AcceptStrings {
    title: "Acceptance",
    round: "Acceptance round {n}",
    chain: "Sign-off order",
    awaiting: "to sign",
    signed: "signed",
    failed: "failed",
    pass: "Passed — sign",
    fail: "Failed — rework",
    failed_items: "Failed items (one per line)",
    failed_items_hint: "e.g. kitchen range hood",
    remarks: "Remarks",
    sign_here: "Sign here",
    undo: "Undo stroke",
    clear: "Clear",
    empty_pad: "Please sign first",
    supervisor_name: "Supervisor's name",
    supervisor_pin: "Supervisor's PIN",
    unlock: "Check PIN",
    wrong_pin: "Wrong PIN",
    no_supervisor_pin: "No PIN for this supervisor on this phone (Settings → Supervisor PINs)",
    self_check_lead: "On-site self-check: confirm each item, then sign",
    hand_over: "Hand over to the customer",
    hand_over_lead: "The customer sees only this visit's record; leaving needs the worker's PIN",
    need_worker_pin: "Set this phone's PIN in Settings before handing it over",
    rework_title: "Rework",
    rework_lead: "Tick each item once reworked; then the next acceptance begins",
    rework_done: "Rework done — accept again",
    accepted: "Accepted: the visit is complete",
    not_ready: "The after-service checks are not complete yet",
    records: "Signed service records",
    record_ok: "Record intact (hash verified)",
    record_tampered: "Warning: this record was changed; its hash does not match",
    record_damaged: "Warning: this record is damaged and cannot be read",
    score: "Satisfaction",
    consent: "I have checked the service record above and confirm it with my signature.",
    customer_title: "Service record",
    customer_lead: "Please check this visit, write your remarks, score and sign",
    services_done: "Services done",
    kit_counted: "Tools counted (brought / taken away)",
    kit_out_back: "brought {out} · taken {back}",
    charge: "Charge (standard price list)",
    deviation: "Difference",
    approved_by: "approved by",
    your_name: "Your name",
    satisfied: "Satisfied — accept",
    not_satisfied: "Not satisfied — rework",
    need_score: "Please choose a score",
    need_items: "Please name the items that need rework",
    thanks: "Thank you! Please hand the phone back to the worker",
    thanks_fail: "Your remarks are recorded; we rework at once. Please hand the phone back",
    leave: "Worker: leave customer mode",
    leave_lead: "Worker, type this phone's PIN",
    worker_pin: "Worker's PIN",
    cancel: "Cancel",
    staff: "Worker",
    time: "Time",
    rework_of: "Rework done",
    damage_photos: "Damage report · {n} photo(s)",
};

/// Settings' section of supervisor PINs: its title and lead (a table of its own, so that
/// neither the first screen nor settings carries the acceptance screens' table).
pub fn supervisor_pin_strings(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Zh => (
            "主管 PIN",
            "主管在本机验收签字时输入自己的 PIN（只保存加盐哈希）",
        ),
        Lang::En => (
            "Supervisor PINs",
            "Supervisors type their own PIN to sign on this phone (kept as a salted hash)",
        ),
    }
}

pub fn accept_strings(lang: Lang) -> &'static AcceptStrings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The current language's acceptance strings (tracks the language).
#[derive(Clone, Copy)]
pub struct At(RwSignal<Lang>);

impl At {
    pub fn get(self) -> &'static AcceptStrings {
        accept_strings(self.0.get())
    }
}

pub fn use_at() -> At {
    At(use_lang())
}

/// One acceptance string in the current language, as a signal.
pub fn atr(pick: fn(&AcceptStrings) -> &'static str) -> Signal<&'static str> {
    let lang = use_lang();
    Signal::derive(move || pick(accept_strings(lang.get())))
}
