//! Indonesia's administrative region codes (Kepmendagri *kode wilayah*), shipped in
//! `assets/regions/` and compiled in: province (2 digits), regency or city (4), district (6).
//! NIK and No. KK numbers start with these codes; addresses are recorded with them.

use std::collections::HashMap;
use std::sync::OnceLock;

pub struct Regions {
    provinces: HashMap<String, String>,
    regencies: HashMap<String, String>,
    districts: HashMap<String, String>,
}

fn parse(csv: &str) -> HashMap<String, String> {
    csv.lines()
        .skip(1)
        .filter_map(|l| {
            let (code, name) = l.split_once(',')?;
            Some((
                code.trim().to_owned(),
                name.trim().trim_matches('"').to_owned(),
            ))
        })
        .collect()
}

impl Regions {
    /// The table shipped with this program.
    pub fn shipped() -> &'static Regions {
        static R: OnceLock<Regions> = OnceLock::new();
        R.get_or_init(|| Regions {
            provinces: parse(include_str!("../../assets/regions/provinces.csv")),
            regencies: parse(include_str!("../../assets/regions/regencies.csv")),
            districts: parse(include_str!("../../assets/regions/districts.csv")),
        })
    }

    pub fn province(&self, code: &str) -> Option<&str> {
        self.provinces.get(code).map(String::as_str)
    }
    pub fn regency(&self, code: &str) -> Option<&str> {
        self.regencies.get(code).map(String::as_str)
    }
    pub fn district(&self, code: &str) -> Option<&str> {
        self.districts.get(code).map(String::as_str)
    }
    pub fn province_count(&self) -> usize {
        self.provinces.len()
    }
}
