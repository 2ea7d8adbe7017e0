//! Coordinates and straight-line distances.
//!
//! Places are latitude/longitude in one stated datum: WGS-84 (GPS) or GCJ-02 (the offset
//! datum of maps published in mainland China). Distances are great-circle (haversine on a
//! sphere of the mean Earth radius); points of different datums are brought to WGS-84 first.

use serde::{Deserialize, Serialize};

/// Mean Earth radius in metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// The datum a coordinate is stated in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Datum {
    #[default]
    Wgs84,
    Gcj02,
}

/// A point in degrees.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl Eq for LatLon {}

impl LatLon {
    pub fn new(lat: f64, lon: f64) -> Self {
        LatLon { lat, lon }
    }

    /// Finite and on the globe.
    pub fn is_valid(&self) -> bool {
        self.lat.is_finite()
            && self.lon.is_finite()
            && (-90.0..=90.0).contains(&self.lat)
            && (-180.0..=180.0).contains(&self.lon)
    }

    /// This point (stated in `datum`) in WGS-84.
    pub fn to_wgs84(self, datum: Datum) -> LatLon {
        match datum {
            Datum::Wgs84 => self,
            Datum::Gcj02 => gcj02_to_wgs84(self),
        }
    }
}

/// Great-circle distance in metres (haversine).
pub fn haversine_m(a: LatLon, b: LatLon) -> f64 {
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

// GCJ-02 is WGS-84 plus a published smooth offset (Krasovsky 1940 ellipsoid parameters).
const GCJ_A: f64 = 6_378_245.0;
const GCJ_EE: f64 = 0.006_693_421_622_965_943;

fn outside_china(p: LatLon) -> bool {
    !(72.004..=137.8347).contains(&p.lon) || !(0.8293..=55.8271).contains(&p.lat)
}

fn offset_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn offset_lon(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS-84 → GCJ-02 (identity outside mainland China's box).
pub fn wgs84_to_gcj02(p: LatLon) -> LatLon {
    use std::f64::consts::PI;
    if outside_china(p) {
        return p;
    }
    let (x, y) = (p.lon - 105.0, p.lat - 35.0);
    let rad = p.lat / 180.0 * PI;
    let magic = 1.0 - GCJ_EE * rad.sin() * rad.sin();
    let sq = magic.sqrt();
    let dlat = offset_lat(x, y) * 180.0 / ((GCJ_A * (1.0 - GCJ_EE)) / (magic * sq) * PI);
    let dlon = offset_lon(x, y) * 180.0 / (GCJ_A / sq * rad.cos() * PI);
    LatLon::new(p.lat + dlat, p.lon + dlon)
}

/// GCJ-02 → WGS-84, by fixed-point iteration of the forward offset (error well under a metre).
pub fn gcj02_to_wgs84(g: LatLon) -> LatLon {
    let mut w = g;
    for _ in 0..8 {
        let f = wgs84_to_gcj02(w);
        w = LatLon::new(w.lat - (f.lat - g.lat), w.lon - (f.lon - g.lon));
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_of_a_known_pair() {
        // People's Square to Lujiazui, Shanghai: about 2.9 km.
        let a = LatLon::new(31.2304, 121.4737);
        let b = LatLon::new(31.2397, 121.4998);
        let d = haversine_m(a, b);
        assert!((2_600.0..3_000.0).contains(&d), "{d}");
        assert_eq!(haversine_m(a, a), 0.0);
    }

    #[test]
    fn gcj02_round_trip_and_offset() {
        let w = LatLon::new(31.2304, 121.4737);
        let g = wgs84_to_gcj02(w);
        let off = haversine_m(w, g);
        assert!((300.0..800.0).contains(&off), "offset {off} m");
        let back = gcj02_to_wgs84(g);
        assert!(haversine_m(w, back) < 0.5);
        let paris = LatLon::new(48.85, 2.35);
        assert_eq!(wgs84_to_gcj02(paris), paris);
    }
}
