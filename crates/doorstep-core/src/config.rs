//! The business's own numbers, as data with the domain's defaults (`Rules::default()`).
//! A store may override any of them (loaded from JSON by the app or the CLI).

use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Who signs off a job, in the domain's order: on-site worker → team supervisor →
/// office supervisor → customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AcceptanceStep {
    WorkerSelfCheck,
    TeamSupervisor,
    OfficeSupervisor,
    Customer,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Rules {
    /// IANA name of the store's time zone; all dates are local dates there.
    pub time_zone: String,
    /// Its offset from UTC in minutes (Asia/Shanghai: +480, no daylight saving).
    pub utc_offset_minutes: i32,
    /// A worker's planned work plus travel per day may not exceed this (9 h).
    pub daily_cap_minutes: u32,
    /// Callbacks after a new customer's first service, in days.
    pub callback_days_new: Vec<u32>,
    /// Returning customers get a callback every this many calendar months, as a series
    /// anchored on the service's day (0: no returning-customer callbacks).
    pub callback_months_returning: u32,
    /// The follow-up planner materialises a returning customer's series up to this many
    /// days after `today` (later callbacks of the series appear in later plans).
    pub followup_horizon_days: u32,
    /// One agent makes about this many callbacks a day.
    pub callbacks_per_agent_per_day: u32,
    /// A complaint gets an apology follow-up within this many days.
    pub complaint_followup_days: u32,
    /// The confirmation call for a booked job is this many days before it.
    pub confirmation_days_before: u32,
    /// Days of the week the call centre works (overflow moves to the next one).
    pub working_weekdays: Vec<Weekday>,
    /// Extra non-working dates (public holidays).
    pub holidays: Vec<NaiveDate>,
    /// Sign-off order of the acceptance chain.
    pub acceptance_order: Vec<AcceptanceStep>,
    /// After the rework of items the customer failed, do the staff steps of the order
    /// (self-check, supervisors) sign off again before the customer? Default no: the
    /// customer accepts again directly (the procedure's second acceptance).
    pub recheck_after_rework: bool,
    /// Satisfaction is scored 1..=this.
    pub satisfaction_max: u8,
    /// Travel time assumed between zones missing from the travel table, in minutes.
    pub default_travel_minutes: u32,
    /// Performance review weights in percent: attitude, ability, results.
    pub review_weights_percent: [u8; 3],
    /// Road distance over straight-line distance between two homes, in percent.
    pub travel_detour_percent: u32,
    /// Door-to-door speed of each way of travel, metres per minute (waits included).
    pub travel_speeds: TravelSpeeds,
    /// How a worker travels when the input does not say.
    pub default_travel_mode: TravelMode,
    /// Service codes (price-list items) whose crews may hold the job's skills jointly, each
    /// member counted once (`dispatch::is_joint`); a job qualifies when all its lines are
    /// listed. Default none: every member holds every skill. The demo store
    /// (`demo::rules`) lists `deep_clean` and `new_home`.
    pub joint_skill_services: Vec<String>,
}

/// How a worker gets from one home to the next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TravelMode {
    Walk,
    #[default]
    Ebike,
    Transit,
    Car,
}

/// Metres per minute of each [`TravelMode`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TravelSpeeds {
    pub walk: u32,
    pub ebike: u32,
    pub transit: u32,
    pub car: u32,
}

impl Default for TravelSpeeds {
    fn default() -> Self {
        // 4.5 km/h on foot, 15 km/h by e-bike, 15 km/h by bus or metro with the waits,
        // 24 km/h by car in town.
        TravelSpeeds {
            walk: 75,
            ebike: 250,
            transit: 250,
            car: 400,
        }
    }
}

impl TravelSpeeds {
    pub fn of(&self, mode: TravelMode) -> u32 {
        match mode {
            TravelMode::Walk => self.walk,
            TravelMode::Ebike => self.ebike,
            TravelMode::Transit => self.transit,
            TravelMode::Car => self.car,
        }
    }
}

impl Default for Rules {
    fn default() -> Self {
        use Weekday::*;
        Rules {
            time_zone: "Asia/Shanghai".to_owned(),
            utc_offset_minutes: 8 * 60,
            daily_cap_minutes: 9 * 60,
            callback_days_new: vec![3, 7, 14, 21],
            callback_months_returning: 1,
            followup_horizon_days: 92,
            callbacks_per_agent_per_day: 40,
            complaint_followup_days: 7,
            confirmation_days_before: 1,
            working_weekdays: vec![Mon, Tue, Wed, Thu, Fri, Sat, Sun],
            holidays: Vec::new(),
            acceptance_order: vec![
                AcceptanceStep::WorkerSelfCheck,
                AcceptanceStep::TeamSupervisor,
                AcceptanceStep::OfficeSupervisor,
                AcceptanceStep::Customer,
            ],
            recheck_after_rework: false,
            satisfaction_max: 5,
            default_travel_minutes: 45,
            review_weights_percent: [5, 15, 80],
            travel_detour_percent: 140,
            travel_speeds: TravelSpeeds::default(),
            default_travel_mode: TravelMode::Ebike,
            joint_skill_services: Vec::new(),
        }
    }
}

impl Rules {
    /// Is `d` a working day of the call centre?
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        use chrono::Datelike;
        self.working_weekdays.contains(&d.weekday()) && !self.holidays.contains(&d)
    }
}
