//! Demo data for first run, `make run` and tests: one store in Shanghai, four workers, six
//! customers, jobs for `today` and the next day (and one two days out, whose address a
//! worker may not see yet). All names and addresses are invented.

use crate::model::*;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DemoData {
    pub store: StoreId,
    pub workers: Vec<Worker>,
    pub customers: Vec<Customer>,
    pub jobs: Vec<Job>,
    pub assignments: Vec<Assignment>,
}

/// Service codes of the demo price list with their zh/en names.
pub const SERVICES: &[(&str, &str, &str)] = &[
    ("daily_clean", "日常保洁", "Daily cleaning"),
    ("deep_clean", "深度保洁", "Deep cleaning"),
    ("glass", "擦玻璃", "Window cleaning"),
    ("range_hood", "油烟机清洗", "Range hood cleaning"),
    ("new_home", "开荒保洁", "Post-renovation cleaning"),
];

/// The demo store's rules: the defaults, except that a deep-cleaning or post-renovation
/// crew may hold the job's skills jointly (one member on the glass, one on the deep clean).
pub fn rules() -> crate::Rules {
    crate::Rules {
        joint_skill_services: vec!["deep_clean".into(), "new_home".into()],
        ..crate::Rules::default()
    }
}

fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
}

fn worker(
    badge: &str,
    name: &str,
    phone: &str,
    skills: &[&str],
    leader: bool,
    zone: &str,
    days: &[NaiveDate],
) -> Worker {
    Worker {
        badge: badge.into(),
        name: name.into(),
        phone: phone.into(),
        store: "S01".into(),
        skills: skills.iter().map(|s| Skill::new(*s)).collect(),
        leader,
        shifts: days
            .iter()
            .map(|d| Shift {
                start: at(*d, 8, 0),
                end: at(*d, 18, 0),
            })
            .collect(),
        home_zone: Some(zone.into()),
    }
}

fn customer(
    id: &str,
    name: &str,
    phone: &str,
    district: &str,
    detail: &str,
    notes: &str,
) -> Customer {
    Customer {
        id: id.into(),
        store: "S01".into(),
        name: name.into(),
        phone: phone.into(),
        address: Address {
            district: district.into(),
            detail: detail.into(),
        },
        notes: notes.into(),
    }
}

#[allow(clippy::too_many_arguments)]
fn job(
    id: &str,
    customer: &str,
    d: NaiveDate,
    (h, m): (u32, u32),
    minutes: u32,
    items: &[(&str, u32)],
    skills: &[&str],
    crew: u8,
    zone: &str,
    requests: &str,
) -> Job {
    let start = at(d, h, m);
    Job {
        id: id.into(),
        store: "S01".into(),
        customer: customer.into(),
        items: items
            .iter()
            .map(|(c, q)| ServiceLine {
                code: (*c).into(),
                quantity: *q,
            })
            .collect(),
        skills: skills.iter().map(|s| Skill::new(*s)).collect(),
        crew_size: crew,
        window: TimeWindow {
            start,
            end: start + Duration::minutes(i64::from(minutes) + 60),
        },
        duration_minutes: minutes,
        zone: zone.into(),
        urgent: false,
        status: JobStatus::Assigned,
        source: BookingSource::Phone,
        special_requests: requests.into(),
    }
}

/// The demo data set for a given local date.
pub fn dataset(today: NaiveDate) -> DemoData {
    let tomorrow = today + Duration::days(1);
    let later = today + Duration::days(2);
    let days = [today, tomorrow, later];
    let workers = vec![
        worker(
            "D001",
            "张秀英",
            "13800000001",
            &["daily_clean", "deep_clean", "glass"],
            true,
            "浦东新区",
            &days,
        ),
        worker(
            "D002",
            "李桂兰",
            "13800000002",
            &["daily_clean", "deep_clean"],
            false,
            "浦东新区",
            &days,
        ),
        worker(
            "D003",
            "王芳",
            "13800000003",
            &["daily_clean", "glass"],
            false,
            "徐汇区",
            &days,
        ),
        worker(
            "D004",
            "刘强",
            "13800000004",
            &["daily_clean", "appliance"],
            true,
            "静安区",
            &days,
        ),
    ];
    let customers = vec![
        customer(
            "C001",
            "陈女士",
            "13900000001",
            "浦东新区",
            "世纪大道 100 弄 5 号 1201 室",
            "家里有猫，请随手关门",
        ),
        customer(
            "C002",
            "赵先生",
            "13900000002",
            "浦东新区",
            "张杨路 88 弄 2 号 602 室",
            "",
        ),
        customer(
            "C003",
            "孙阿姨",
            "13900000003",
            "徐汇区",
            "漕溪北路 18 号 3 楼",
            "老人在家，请先电话联系",
        ),
        customer(
            "C004",
            "周女士",
            "13900000004",
            "静安区",
            "南京西路 1266 号 21 楼",
            "物业登记后上楼",
        ),
        customer(
            "C005",
            "吴先生",
            "13900000005",
            "浦东新区",
            "锦绣路 1500 弄 9 号 301 室",
            "",
        ),
        customer(
            "C006",
            "郑女士",
            "13900000006",
            "徐汇区",
            "天钥桥路 30 号 1102 室",
            "新房开荒",
        ),
    ];
    let jobs = vec![
        job(
            "J-1001",
            "C001",
            today,
            (9, 0),
            180,
            &[("daily_clean", 3)],
            &["daily_clean"],
            1,
            "浦东新区",
            "重点清洁厨房",
        ),
        job(
            "J-1002",
            "C002",
            today,
            (14, 0),
            120,
            &[("glass", 40)],
            &["glass"],
            1,
            "浦东新区",
            "",
        ),
        job(
            "J-1003",
            "C004",
            today,
            (10, 0),
            90,
            &[("range_hood", 1)],
            &["appliance"],
            1,
            "静安区",
            "自带梯子",
        ),
        job(
            "J-1004",
            "C005",
            tomorrow,
            (9, 30),
            240,
            &[("deep_clean", 90)],
            &["deep_clean"],
            2,
            "浦东新区",
            "主卧不要移动家具",
        ),
        job(
            "J-1005",
            "C003",
            tomorrow,
            (14, 0),
            120,
            &[("daily_clean", 2)],
            &["daily_clean"],
            1,
            "徐汇区",
            "请穿鞋套",
        ),
        job(
            "J-1006",
            "C006",
            tomorrow,
            (9, 0),
            300,
            &[("new_home", 120)],
            &["deep_clean"],
            2,
            "徐汇区",
            "",
        ),
        job(
            "J-1007",
            "C002",
            later,
            (10, 0),
            120,
            &[("daily_clean", 2)],
            &["daily_clean"],
            1,
            "浦东新区",
            "",
        ),
    ];
    let assign = |job: &Job, workers: &[&str]| Assignment {
        job: job.id.clone(),
        workers: workers.iter().map(|w| WorkerId::new(*w)).collect(),
        leader: workers
            .first()
            .map_or_else(|| WorkerId::new(""), |w| WorkerId::new(*w)),
        start: job.window.start,
        end: job.window.start + Duration::minutes(i64::from(job.duration_minutes)),
    };
    let crews: [&[&str]; 7] = [
        &["D001"],
        &["D001"],
        &["D004"],
        &["D001", "D002"],
        &["D003"],
        &["D001", "D002"],
        &["D001"],
    ];
    let assignments = jobs.iter().zip(crews).map(|(j, c)| assign(j, c)).collect();
    DemoData {
        store: "S01".into(),
        workers,
        customers,
        jobs,
        assignments,
    }
}

impl DemoData {
    /// Every demo document as `(id, body)`, as the device store and the sync server hold them.
    pub fn documents(&self) -> Vec<(String, serde_json::Value)> {
        let body = |v: serde_json::Result<serde_json::Value>| v.unwrap_or_default();
        let mut out = Vec::new();
        for w in &self.workers {
            out.push((
                doc_id::worker(w.badge.as_str()),
                body(serde_json::to_value(w)),
            ));
        }
        for c in &self.customers {
            out.push((
                doc_id::customer(c.id.as_str()),
                body(serde_json::to_value(c)),
            ));
        }
        for j in &self.jobs {
            let assignment = self.assignments.iter().find(|a| a.job == j.id).cloned();
            let doc = JobDoc {
                job: j.clone(),
                assignment,
                confirmation: None,
            };
            out.push((doc_id::job(j.id.as_str()), body(serde_json::to_value(&doc))));
        }
        out
    }

    /// The documents `viewer`'s device holds at `now`: a dispatch order per assignment of
    /// theirs, as the privacy projection allows (what sync will place there).
    pub fn worker_documents(
        &self,
        viewer: &WorkerId,
        now: NaiveDateTime,
        rules: &crate::Rules,
    ) -> Vec<(String, serde_json::Value)> {
        self.assignments
            .iter()
            .filter_map(|a| {
                let job = self.jobs.iter().find(|j| j.id == a.job)?;
                let customer = self.customers.iter().find(|c| c.id == job.customer)?;
                let order = crate::step::dispatch_order(
                    job,
                    customer,
                    a,
                    &self.workers,
                    viewer,
                    now,
                    rules,
                )?;
                Some((
                    doc_id::order(job.id.as_str()),
                    serde_json::to_value(&order).ok()?,
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_rules_let_deep_and_post_renovation_crews_share_skills() {
        let r = rules();
        assert_eq!(r.joint_skill_services, ["deep_clean", "new_home"]);
        assert!(r
            .joint_skill_services
            .iter()
            .all(|c| SERVICES.iter().any(|s| s.0 == c)));
        assert!(crate::Rules::default().joint_skill_services.is_empty());
    }

    #[test]
    fn demo_jobs_fall_on_the_two_days_and_every_job_is_assigned() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let d = dataset(today);
        assert_eq!(d.jobs.len(), d.assignments.len());
        assert!(d
            .jobs
            .iter()
            .all(|j| (today..=today + Duration::days(2)).contains(&j.window.start.date())));
        assert!(d
            .jobs
            .iter()
            .all(|j| d.customers.iter().any(|c| c.id == j.customer)));
        assert_eq!(
            d.jobs
                .iter()
                .filter(|j| j.window.start.date() == today)
                .count(),
            3
        );
        let docs = d.documents();
        assert_eq!(docs.len(), 4 + 6 + 7);
        let job: JobDoc = serde_json::from_value(docs[10].1.clone()).unwrap();
        assert_eq!(docs[10].0, "job:J-1001");
        assert_eq!(job.assignment.unwrap().workers, vec![WorkerId::new("D001")]);
    }
}
