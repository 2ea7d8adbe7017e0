//! The sync section's strings and messages: a table of their own, so they follow the
//! settings screen into its chunk instead of weighing on the first screen.

use crate::sync::{SyncFailure, SyncProblem};
use doorstep_core::Lang;

pub struct SyncStrings {
    pub title: &'static str,
    pub intro: &'static str,
    pub name: &'static str,
    pub password: &'static str,
    pub login: &'static str,
    pub logging_in: &'static str,
    pub replaces_demo: &'static str,
    pub logged_in_as: &'static str,
    pub logged_in: &'static str,
    pub logged_out: &'static str,
    pub not_logged_in: &'static str,
    pub running: &'static str,
    pub idle: &'static str,
    pub last_sync: &'static str,
    pub never: &'static str,
    pub pending: &'static str,
    pub all_synced: &'static str,
    pub refused: &'static str,
    /// Above the list of documents that hold two versions after a sync.
    pub conflicts: &'static str,
    pub sync_now: &'static str,
    pub logout: &'static str,
    pub login_again: &'static str,
    /// "First sync: received " n " of " m " documents".
    pub first: [&'static str; 3],
}

pub static ZH: SyncStrings = SyncStrings {
    title: "同步账号",
    intro: "用工号和密码登录同步服务器，你的工单会自动同步到本机，记录会传回门店。",
    name: "工号",
    password: "密码",
    login: "登录",
    logging_in: "正在登录…",
    replaces_demo: "登录后，本机的演示数据会被清除，换成你的工单。密码不会保存在手机上。",
    logged_in_as: "已登录：",
    logged_in: "已登录",
    logged_out: "已退出登录，本机数据已清除。",
    not_logged_in: "未登录",
    running: "正在同步…",
    idle: "空闲",
    last_sync: "上次同步：",
    never: "尚未同步",
    pending: "待上传的记录：",
    all_synced: "全部已同步",
    refused: "服务器拒收（记录仍保留在本机）：",
    conflicts: "这些记录有两个版本（都保留着，显示的是按同步规则选出的一个，门店会核对）：",
    sync_now: "立即同步",
    logout: "退出登录",
    login_again: "登录已过期，请重新登录（本机记录不会丢失）。",
    first: ["首次同步：已收到 ", " / ", " 条记录"],
};

pub static EN: SyncStrings = SyncStrings {
    title: "Sync account",
    intro: "Log in to the sync server with your badge and password: your jobs come to this phone and your records go back to the store.",
    name: "Badge",
    password: "Password",
    login: "Log in",
    logging_in: "Logging in…",
    replaces_demo: "Logging in clears the demo data on this phone and brings your jobs instead. The password is not kept on the phone.",
    logged_in_as: "Logged in as ",
    logged_in: "Logged in",
    logged_out: "Logged out; this phone's data was cleared.",
    not_logged_in: "Not logged in",
    running: "Syncing…",
    idle: "Idle",
    last_sync: "Last sync: ",
    never: "Not synced yet",
    pending: "Records waiting to upload: ",
    all_synced: "Everything is synced",
    refused: "Refused by the server (kept on this phone):",
    conflicts: "These records have two versions (both kept; the one shown was picked by the sync rule, the store will check them):",
    sync_now: "Sync now",
    logout: "Log out",
    login_again: "Your login expired: log in again (nothing on this phone is lost).",
    first: ["First sync: ", " of ", " documents received"],
};

pub fn sync_strings(lang: Lang) -> &'static SyncStrings {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

/// What a job says when its order or a step holds two versions (a sync conflict): a table of its own,
/// so it follows the job's screens, not the settings screen.
pub fn conflict_note(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "这张工单的记录在两处被同时修改，有两个版本：按同步规则显示其中一个，另一个仍保留着，门店会核对处理。",
        Lang::En => "A record of this job was changed in two places at once: the sync rule picked the version shown; the other is kept and the store will check it.",
    }
}

/// Why the last round did not complete, in plain words.
pub fn problem_text(p: &SyncProblem, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match p {
        SyncProblem::Offline if zh => "没有网络，连不上同步服务器；记录保存在本机，联网后自动上传。".into(),
        SyncProblem::Offline => "No connection to the sync server; records are kept on this phone and upload once online.".into(),
        SyncProblem::Timeout if zh => "同步服务器没有及时响应，稍后会自动重试。".into(),
        SyncProblem::Timeout => "The sync server did not answer in time; it will be tried again shortly.".into(),
        SyncProblem::LoggedOut => sync_strings(lang).login_again.into(),
        SyncProblem::Forbidden(r) if zh => format!("服务器不允许此账号同步：{r}"),
        SyncProblem::Forbidden(r) => format!("The server does not allow this account to sync: {r}"),
        SyncProblem::Server(r) if zh => format!("同步服务器出错：{r}"),
        SyncProblem::Server(r) => format!("The sync server failed: {r}"),
        SyncProblem::Local(r) if zh => format!("本机数据库出错：{r}"),
        SyncProblem::Local(r) => format!("This phone's database failed: {r}"),
    }
}

/// A refused login, logout or sync request, in plain words.
pub fn failure_text(f: &SyncFailure, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match f {
        SyncFailure::EmptyName if zh => "请填写工号和密码。".into(),
        SyncFailure::EmptyName => "Type your badge and password.".into(),
        SyncFailure::WrongPassword if zh => "工号或密码不对，请重新输入。".into(),
        SyncFailure::WrongPassword => "Wrong badge or password; please try again.".into(),
        SyncFailure::NoServer(p) => problem_text(p, lang),
        SyncFailure::OtherAccount(name) if zh => {
            format!("本机已登录 {name}：请先同步并退出，再换账号。")
        }
        SyncFailure::OtherAccount(name) => {
            format!("This phone is logged in as {name}: sync and log out first.")
        }
        SyncFailure::NotOffice(name) if zh => {
            format!("{name} 不是门店账号：工作台只供门店（office）账号登录。")
        }
        SyncFailure::NotOffice(name) => {
            format!(
                "{name} is not an office account: only the store's office account can log in here."
            )
        }
        SyncFailure::Unsynced {
            count,
            clears,
            problem,
            refused,
        } => {
            let mut out = match (zh, *clears) {
                (true, true) => {
                    format!("还有 {count} 条记录未上传，不能退出登录（退出会清除本机数据）。")
                }
                (true, false) => format!("还有 {count} 条记录未上传，上传后才能退出登录。"),
                (false, true) => format!("{count} records are not uploaded yet: logging out now would lose them (it clears this phone)."),
                (false, false) => format!("{count} records are not uploaded yet: log out once they are uploaded."),
            };
            for r in refused {
                let reason = if r.reason.is_empty() {
                    &r.error
                } else {
                    &r.reason
                };
                out.push_str(&if zh {
                    format!(" 服务器拒收 {}：{reason}。", r.id)
                } else {
                    format!(" The server refused {}: {reason}.", r.id)
                });
            }
            out.push(' ');
            match problem {
                Some(p) => out.push_str(&problem_text(p, lang)),
                None if refused.is_empty() && zh => out.push_str("请先点“立即同步”。"),
                None if refused.is_empty() => out.push_str("Tap “Sync now” first."),
                None => {}
            }
            out.trim_end().to_owned()
        }
        SyncFailure::App(e) => e.message(lang),
    }
}
