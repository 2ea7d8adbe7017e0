//! The app's error, shown to people in plain words (zh/en). Crate errors convert into it.

use doorstep_core::pin::PinError;
use doorstep_core::step::StepError;

use doorstep_core::{Explain, Lang, Text};
use doorstep_store::StoreError;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A rule of the core refused it; the reason in both languages, explained where it was
    /// refused (so the first screen carries none of the rules' explanations).
    #[error("{}", .0.en)]
    Refused(Text),
    /// The database is still opening (shown as "loading", never as an error).
    #[error("the database is opening")]
    Opening,
    #[error(
        "job {0} is not on this device: it is not yours, or it has not reached this phone yet"
    )]
    JobNotOnDevice(String),
    #[error("this browser has no secure random source")]
    NoRandom,
}

impl AppError {
    /// A refusal by one of the core's rules, explained now in both languages.
    pub fn refused(e: &impl Explain) -> AppError {
        AppError::Refused(Text::new(e.explain(Lang::Zh), e.explain(Lang::En)))
    }

    /// What the worker reads. Storage problems are explained, never hidden.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (AppError::Store(StoreError::QuotaExceeded), Lang::Zh) => {
                "手机存储空间已满，请清理后重试（本次内容未保存）".into()
            }
            (AppError::Store(StoreError::Closed), Lang::Zh) => {
                "数据库被浏览器关闭，请刷新页面（本次内容未保存）".into()
            }
            (AppError::Store(StoreError::Blocked), Lang::Zh) => {
                "另一个标签页打开了旧版本，请关闭后刷新".into()
            }
            (AppError::Store(StoreError::Unavailable), Lang::Zh) => {
                "此浏览器不允许本应用保存数据（无痕模式？）".into()
            }
            (AppError::Store(StoreError::TooNew { .. }), Lang::Zh) => {
                "本机数据来自更新的版本，请更新应用".into()
            }
            (AppError::Store(StoreError::Corrupt { id, .. }), Lang::Zh) => {
                format!("记录 {id} 已损坏，无法读取")
            }
            (AppError::Store(e), Lang::Zh) => format!("保存出错：{e}"),
            (AppError::Refused(text), lang) => text.get(lang).to_owned(),
            (AppError::NoRandom, Lang::Zh) => "此浏览器缺少安全随机数，无法设置 PIN".into(),
            (AppError::Opening, Lang::Zh) => "正在打开本机数据…".into(),
            (AppError::JobNotOnDevice(id), Lang::Zh) => {
                format!("本机没有工单 {id}：不是你的工单，或尚未同步到本机")
            }
            (e, Lang::En) => e.to_string(),
        }
    }
}

impl From<StepError> for AppError {
    fn from(e: StepError) -> Self {
        AppError::refused(&e)
    }
}

impl From<PinError> for AppError {
    fn from(e: PinError) -> Self {
        AppError::refused(&e)
    }
}
