//! A deterministic generator of realistic dispatch inputs, for benches, tests and demos.

use super::{DispatchInput, TravelTable};
use crate::model::{
    BookingSource, CustomerId, Job, JobId, JobStatus, ServiceLine, Shift, Skill, StoreId,
    TimeWindow, Worker, WorkerId, Zone,
};
use crate::rng::Lcg;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

const ZONES: [&str; 8] = [
    "浦东", "黄浦", "静安", "徐汇", "长宁", "普陀", "杨浦", "闵行",
];
const STORES: [&str; 2] = ["S1", "S2"];
const SKILLS: [&str; 6] = [
    "daily_clean",
    "deep_clean",
    "glass",
    "appliance",
    "floor_care",
    "laundry",
];
const SURNAMES: [&str; 12] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: [&str; 12] = [
    "秀英", "桂兰", "丽", "敏", "静", "强", "军", "芳", "娟", "海燕", "建华", "玉梅",
];

fn at(day: NaiveDate, minutes: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::MIN) + TimeDelta::minutes(i64::from(minutes))
}

/// A deterministic, realistic input: `workers` workers and `jobs` jobs over `days` days from
/// Monday 2025-03-03, two stores (`S1`, `S2`), eight Shanghai districts as zones (each store
/// mostly serves four), a full travel table (same zone 10 min, others 20–75 min), six skills,
/// shifts 08:00–18:00 (about one day off a week), about 30 % of workers qualified leaders,
/// 20 % of jobs needing a crew of 2–3 and 5 % urgent. The same arguments give the same input.
pub fn sample_input(jobs: usize, workers: usize, days: u32, seed: u64) -> DispatchInput {
    let mut rng = Lcg(seed ^ 0x9E37_79B9_7F4A_7C15);
    let days = days.max(1);
    let base = NaiveDate::from_ymd_opt(2025, 3, 3).unwrap_or_default();
    let zone_count = ZONES.len() as u32;
    let home_zone = |rng: &mut Lcg, store: usize| -> u32 {
        // Each store mostly works in "its" half of the city.
        if rng.chance(80) {
            (store as u32) * (zone_count / 2) + rng.below(zone_count / 2)
        } else {
            rng.below(zone_count)
        }
    };

    let mut travel = TravelTable::new();
    for (i, a) in ZONES.iter().enumerate() {
        travel.add(*a, *a, 10);
        for (j, b) in ZONES.iter().enumerate().skip(i + 1) {
            let minutes = 15 + 6 * (j - i) as u32 + rng.below(15);
            travel.add(*a, *b, minutes);
        }
    }

    let mut ws = Vec::with_capacity(workers);
    for i in 0..workers {
        let store = i % STORES.len();
        let mut skills = vec![Skill::new("daily_clean")];
        for s in SKILLS.iter().skip(1) {
            if rng.chance(40) {
                skills.push(Skill::new(*s));
            }
        }
        let day_off = rng.below(7);
        let shifts = (0..days)
            .filter(|d| d % 7 != day_off)
            .map(|d| {
                let day = base + TimeDelta::days(i64::from(d));
                Shift {
                    start: at(day, 8 * 60),
                    end: at(day, 18 * 60),
                }
            })
            .collect();
        let name = format!(
            "{}{}",
            rng.pick(&SURNAMES).copied().unwrap_or("王"),
            rng.pick(&GIVEN).copied().unwrap_or("芳")
        );
        let zone = home_zone(&mut rng, store);
        ws.push(Worker {
            badge: WorkerId::new(format!("W{:04}", i + 1)),
            name,
            phone: format!("139{:08}", rng.below(100_000_000)),
            store: StoreId::new(STORES.get(store).copied().unwrap_or("S1")),
            skills,
            leader: rng.chance(30),
            shifts,
            home_zone: ZONES.get(zone as usize).map(|z| Zone::new(*z)),
        });
    }

    let mut js = Vec::with_capacity(jobs);
    for i in 0..jobs {
        let store = rng.below(STORES.len() as u32) as usize;
        let day = base + TimeDelta::days(i64::from(rng.below(days)));
        let skill = if rng.chance(55) {
            "daily_clean"
        } else {
            SKILLS
                .get(1 + rng.below(SKILLS.len() as u32 - 1) as usize)
                .copied()
                .unwrap_or("deep_clean")
        };
        let duration = 60 + 30 * rng.below(6); // 1 h .. 3.5 h
        let window_start = 8 * 60 + 30 * rng.below(13); // 08:00 .. 14:00
        let window_len = (duration + 60 + 30 * rng.below(8))
            .min(18 * 60 - window_start)
            .max(duration);
        let crew_size = if rng.chance(20) {
            2 + rng.below(2) as u8
        } else {
            1
        };
        let zone = home_zone(&mut rng, store);
        js.push(Job {
            id: JobId::new(format!("J{:05}", i + 1)),
            store: StoreId::new(STORES.get(store).copied().unwrap_or("S1")),
            customer: CustomerId::new(format!("C{:05}", rng.below(100_000))),
            items: vec![ServiceLine {
                code: skill.to_owned(),
                quantity: 1 + rng.below(3),
            }],
            skills: vec![Skill::new(skill)],
            crew_size,
            window: TimeWindow {
                start: at(day, window_start),
                end: at(day, window_start + window_len),
            },
            duration_minutes: duration,
            zone: Zone::new(ZONES.get(zone as usize).copied().unwrap_or("浦东")),
            urgent: rng.chance(5),
            status: JobStatus::Booked,
            source: BookingSource::Phone,
            special_requests: String::new(),
        });
    }

    DispatchInput {
        jobs: js,
        workers: ws,
        existing: Vec::new(),
        travel,
        geo: Default::default(),
        previous: Vec::new(),
    }
}
