//! The damage report's strings and the photo problems' messages, a table of their own: only
//! the job's log and customer mode show them, so the first screen carries none of them.

use crate::context::use_lang;
use doorstep_core::Lang;
use leptos::prelude::*;

pub struct DamageStrings {
    pub title: &'static str,
    pub intro: &'static str,
    pub description: &'static str,
    pub value: &'static str,
    pub add_photo: &'static str,
    pub remove_photo: &'static str,
    pub photo_alt: &'static str,
    pub save: &'static str,
    pub saving: &'static str,
    pub saved: &'static str,
    pub step: &'static str,
    pub customer_title: &'static str,
    pub not_an_image: &'static str,
    pub too_large: &'static str,
    pub unreadable: &'static str,
    pub too_many: &'static str,
    pub bad_value: &'static str,
}

pub static ZH: DamageStrings = DamageStrings {
    title: "损坏 / 意外记录",
    intro: "客户物品损坏、宠物造成的损失等：写明情况、估价并拍照。照片在手机上压缩后保存。",
    description: "情况说明",
    value: "估价（元）",
    add_photo: "拍照 / 选择照片",
    remove_photo: "删除",
    photo_alt: "损坏照片",
    save: "保存记录",
    saving: "正在保存…",
    saved: "已保存",
    step: "损坏记录",
    customer_title: "损坏 / 意外",
    not_an_image: "这不是图片文件，请拍照或选择照片",
    too_large: "照片文件太大（超过 30 MB），请换一张",
    unreadable: "照片无法读取（文件可能已损坏或格式不支持），请重拍",
    too_many: "照片已达上限",
    bad_value: "估价请填写数字，如 120 或 120.50",
};

pub static EN: DamageStrings = DamageStrings {
    title: "Damage / incident report",
    intro: "Customer property damaged, losses caused by pets, …: describe it, estimate its value and take photos. Photos are compressed on the phone before saving.",
    description: "What happened",
    value: "Estimated value (yuan)",
    add_photo: "Take / choose a photo",
    remove_photo: "Remove",
    photo_alt: "Damage photo",
    save: "Save report",
    saving: "Saving…",
    saved: "Saved",
    step: "Damage report",
    customer_title: "Damage / incidents",
    not_an_image: "This is not an image: take or choose a photo",
    too_large: "The photo file is too large (over 30 MB): choose another",
    unreadable: "The photo cannot be read (damaged file or unsupported format): take it again",
    too_many: "No more photos can be added",
    bad_value: "Type the value as a number, e.g. 120 or 120.50",
};

pub fn damage_strings(lang: Lang) -> &'static DamageStrings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// The current language's damage strings (tracks the language).
#[derive(Clone, Copy)]
pub struct Dt(RwSignal<Lang>);

impl Dt {
    pub fn get(self) -> &'static DamageStrings {
        damage_strings(self.0.get())
    }
}

pub fn use_dt() -> Dt {
    Dt(use_lang())
}
