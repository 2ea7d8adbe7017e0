//! Why a job was not assigned, why a worker was passed over, what is wrong with a manual
//! assignment: one vocabulary, readable in Chinese and English.

use crate::lang::{Explain, Lang};
use crate::model::{JobId, Skill, StoreId, WorkerId, Zone};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// A reason a dispatcher can read. Used for unassigned jobs ([`super::Unassigned`]), for rejected
/// workers ([`super::Rejection`]) and inside the violations of a manual assignment ([`Violation`]).
///
/// JSON: `{"kind":"over_daily_cap","would_be_minutes":600,"cap_minutes":540}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    // --- Problems in the job's own data (input validation) ---
    /// The job's window ends before it starts.
    InvalidWindow {
        start: NaiveDateTime,
        end: NaiveDateTime,
    },
    /// The job asks for a crew of 0.
    ZeroCrew,
    /// The job's duration is 0 minutes.
    ZeroDuration,
    /// The job's duration does not fit in its window.
    DurationExceedsWindow {
        duration_minutes: u32,
        window_minutes: i64,
    },
    /// Another job with the same id came first; this one is ignored.
    DuplicateJob,

    // --- One worker ---
    /// The worker lacks these skills of the job.
    MissingSkill { skills: Vec<Skill> },
    /// No shift of the worker covers the job (anywhere in its window, or at the given time).
    OutsideShift,
    /// The job would overlap this job of the worker, counting the travel between them.
    Overlap { job: JobId, travel_minutes: u32 },
    /// The first job of the worker's day cannot be reached from home after the shift starts.
    TravelFromHome { zone: Zone, travel_minutes: u32 },
    /// Work plus travel that day would exceed the daily cap.
    OverDailyCap {
        would_be_minutes: u32,
        cap_minutes: u32,
    },
    /// The worker belongs to another store.
    OtherStore { store: StoreId },

    // --- The whole job ---
    /// The job's store has no workers at all.
    NoWorkers { store: StoreId },
    /// Every worker of the store was rejected (each one's reason is listed).
    NoEligibleWorker { store: StoreId },
    /// Fewer workers than the crew size can take the job at all.
    NotEnoughWorkers { needed: u8, available: u32 },
    /// A crew of two or more needs a qualified leader; none is available (at a common time).
    NoQualifiedLeader,
    /// The crew may hold the job's skills jointly, but no crew at hand can share these out,
    /// each member taking one skill they hold.
    CrewLacksSkills { skills: Vec<Skill> },
    /// Enough workers are free, but never all at the same time.
    NoCommonTime { needed: u8 },
    /// Urgent: proposed to the other stores, but none of their workers can take it either.
    EscalationFailed,
    /// Workers could each take the job alone, but not without breaking their planned
    /// routes (travel, the way home, or the day's cap).
    NoRouteRoom,

    // --- A manual assignment ---
    /// The assignment names a job that is not in the input.
    UnknownJob { job: JobId },
    /// The badge is not a known worker.
    UnknownWorker,
    /// The assignment has no workers.
    EmptyCrew,
    /// The number of workers differs from the job's crew size.
    CrewSizeMismatch { expected: u8, actual: usize },
    /// The worker is listed twice in the crew.
    DuplicateWorker,
    /// The leader is not one of the crew.
    LeaderNotInCrew,
    /// A crew of two or more is led by a worker who is not a qualified leader.
    LeaderNotQualified,
    /// The assignment ends at or before its start.
    EndNotAfterStart,
    /// The assigned time differs from the job's duration.
    DurationMismatch {
        expected_minutes: u32,
        actual_minutes: i64,
    },
    /// The assignment is not inside the job's time window.
    OutsideWindow {
        start: NaiveDateTime,
        end: NaiveDateTime,
    },
}

fn hm(t: &NaiveDateTime) -> String {
    t.format("%m-%d %H:%M").to_string()
}

fn join(skills: &[Skill], sep: &str) -> String {
    skills
        .iter()
        .map(Skill::as_str)
        .collect::<Vec<_>>()
        .join(sep)
}

impl Explain for Reason {
    fn explain(&self, lang: Lang) -> String {
        use Reason::*;
        let zh = lang == Lang::Zh;
        match self {
            InvalidWindow { start, end } => {
                if zh {
                    format!("预约时间窗口无效：结束 {} 早于开始 {}", hm(end), hm(start))
                } else {
                    format!(
                        "invalid window: ends {} before it starts {}",
                        hm(end),
                        hm(start)
                    )
                }
            }
            ZeroCrew => if zh {
                "所需人数为 0"
            } else {
                "crew size is 0"
            }
            .to_owned(),
            ZeroDuration => if zh {
                "服务时长为 0 分钟"
            } else {
                "duration is 0 min"
            }
            .to_owned(),
            DurationExceedsWindow {
                duration_minutes: d,
                window_minutes: w,
            } => {
                if zh {
                    format!("服务时长 {d} 分钟超过预约时间窗口 {w} 分钟")
                } else {
                    format!("duration {d} min is longer than the window ({w} min)")
                }
            }
            DuplicateJob => if zh {
                "工单编号重复"
            } else {
                "duplicate job id"
            }
            .to_owned(),
            MissingSkill { skills } => {
                if zh {
                    format!("缺少技能：{}", join(skills, "、"))
                } else {
                    format!("missing skill: {}", join(skills, ", "))
                }
            }
            CrewLacksSkills { skills } => {
                if zh {
                    format!("班组无法分担所需技能（每人只算一项）：{}", join(skills, "、"))
                } else {
                    format!(
                        "the crew cannot share out these skills (one per member): {}",
                        join(skills, ", ")
                    )
                }
            }
            OutsideShift => if zh {
                "不在排班时间内"
            } else {
                "outside shift"
            }
            .to_owned(),
            Overlap {
                job,
                travel_minutes: 0,
            } => {
                if zh {
                    format!("与工单 {job} 时间重叠")
                } else {
                    format!("overlaps job {job}")
                }
            }
            Overlap {
                job,
                travel_minutes: t,
            } => {
                if zh {
                    format!("与工单 {job} 时间冲突（含路程 {t} 分钟）")
                } else {
                    format!("overlaps job {job} (incl. {t} min travel)")
                }
            }
            TravelFromHome {
                zone,
                travel_minutes: t,
            } => {
                if zh {
                    format!("上班后从住地（{zone}）赶来需 {t} 分钟，来不及")
                } else {
                    format!("cannot arrive in time from home zone {zone} ({t} min travel after shift start)")
                }
            }
            OverDailyCap {
                would_be_minutes: n,
                cap_minutes: cap,
            } => {
                if zh {
                    format!("超出每日工时上限（将达 {n} 分钟 > {cap} 分钟）")
                } else {
                    format!("over daily cap (would be {n} min > {cap} min)")
                }
            }
            OtherStore { store } => {
                if zh {
                    format!("属于其他门店（{store}）")
                } else {
                    format!("belongs to another store ({store})")
                }
            }
            NoWorkers { store } => {
                if zh {
                    format!("门店 {store} 没有服务人员")
                } else {
                    format!("store {store} has no workers")
                }
            }
            NoEligibleWorker { store } => {
                if zh {
                    format!("门店 {store} 没有可接此单的服务人员")
                } else {
                    format!("no worker of store {store} can take this job")
                }
            }
            NotEnoughWorkers { needed, available } => {
                if zh {
                    format!("需要 {needed} 人，只有 {available} 人可接")
                } else {
                    format!("needs {needed} workers, only {available} available")
                }
            }
            NoQualifiedLeader => if zh {
                "没有可用的合格组长"
            } else {
                "no qualified leader available"
            }
            .to_owned(),
            NoCommonTime { needed } => {
                if zh {
                    format!("凑不齐 {needed} 人同一时间上门")
                } else {
                    format!("no time when {needed} workers are all free")
                }
            }
            EscalationFailed => if zh {
                "紧急单已转其他门店，仍无人可接"
            } else {
                "urgent: escalated to the other stores, none of their workers can take it"
            }
            .to_owned(),
            NoRouteRoom => if zh {
                "有人单独能接，但排不进任何人的路线（路程、回程或每日工时上限）"
            } else {
                "workers could take it alone, but it fits no one's route (travel, way home or daily cap)"
            }
            .to_owned(),
            UnknownJob { job } => {
                if zh {
                    format!("未知工单 {job}")
                } else {
                    format!("unknown job {job}")
                }
            }
            UnknownWorker => if zh { "未知工号" } else { "unknown badge" }.to_owned(),
            EmptyCrew => if zh {
                "未指派任何人员"
            } else {
                "no workers assigned"
            }
            .to_owned(),
            CrewSizeMismatch { expected, actual } => {
                if zh {
                    format!("人数不符：需要 {expected} 人，实派 {actual} 人")
                } else {
                    format!("crew size mismatch: job needs {expected}, assigned {actual}")
                }
            }
            DuplicateWorker => if zh { "重复指派" } else { "listed twice" }.to_owned(),
            LeaderNotInCrew => if zh {
                "组长不在人员名单中"
            } else {
                "leader is not a crew member"
            }
            .to_owned(),
            LeaderNotQualified => if zh {
                "不具备组长资格"
            } else {
                "not qualified as leader"
            }
            .to_owned(),
            EndNotAfterStart => if zh {
                "结束时间不晚于开始时间"
            } else {
                "ends before it starts"
            }
            .to_owned(),
            DurationMismatch {
                expected_minutes: x,
                actual_minutes: a,
            } => {
                if zh {
                    format!("安排时长 {a} 分钟，与服务时长 {x} 分钟不符")
                } else {
                    format!("assigned {a} min, the job takes {x} min")
                }
            }
            OutsideWindow { start, end } => {
                if zh {
                    format!("不在预约时间窗口内（{}–{}）", hm(start), hm(end))
                } else {
                    format!("outside the job's window ({}–{})", hm(start), hm(end))
                }
            }
        }
    }
}

/// A worker passed over for a job, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejection {
    pub worker: WorkerId,
    pub reason: Reason,
}

impl Explain for Rejection {
    fn explain(&self, lang: Lang) -> String {
        let sep = if lang == Lang::Zh { "：" } else { ": " };
        format!("{}{sep}{}", self.worker, self.reason.explain(lang))
    }
}

/// How bad a violation of a manual assignment is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The assignment may stand, but the dispatcher should know (e.g. a worker of another store).
    Warning,
    /// The assignment breaks a rule.
    Error,
}

/// One problem of a manual assignment ([`super::check_manual`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub severity: Severity,
    /// The crew member concerned, if it is about one worker.
    #[serde(default)]
    pub worker: Option<WorkerId>,
    pub reason: Reason,
}

impl Violation {
    pub fn error(worker: Option<&WorkerId>, reason: Reason) -> Self {
        Violation {
            severity: Severity::Error,
            worker: worker.cloned(),
            reason,
        }
    }

    pub fn warning(worker: Option<&WorkerId>, reason: Reason) -> Self {
        Violation {
            severity: Severity::Warning,
            worker: worker.cloned(),
            reason,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Explain for Violation {
    fn explain(&self, lang: Lang) -> String {
        let level = match (self.severity, lang) {
            (Severity::Error, Lang::Zh) => "错误",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::Zh) => "提醒",
            (Severity::Warning, Lang::En) => "warning",
        };
        let sep = if lang == Lang::Zh { "：" } else { ": " };
        match &self.worker {
            Some(w) => format!("[{level}] {w}{sep}{}", self.reason.explain(lang)),
            None => format!("[{level}] {}", self.reason.explain(lang)),
        }
    }
}
