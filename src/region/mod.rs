//! Indonesia's administrative region codes (Kepmendagri *kode wilayah*), shipped in
//! `assets/regions/` and compiled in: province (2 digits), regency or city (4), district (6),
//! village (10). NIK and No. KK numbers start with these codes; addresses are recorded with them.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;
use ts_rs::TS;

/// The decree the shipped table follows; recorded with every address picked from it.
pub const TABLE_VERSION: &str = "Kepmendagri 300.2.2-2138/2025";

pub struct Regions {
    provinces: HashMap<String, String>,
    regencies: HashMap<String, String>,
    districts: HashMap<String, String>,
}

/// One region in a picker: its code (digits only) and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Region {
    pub code: String,
    pub name: String,
}

/// A village code spelt out: the names of all four levels (missing ones are `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegionPath {
    pub code: String,
    pub province: Option<String>,
    pub regency: Option<String>,
    pub district: Option<String>,
    pub village: Option<String>,
}

impl RegionPath {
    /// "Desa, Kecamatan, Kabupaten, Provinsi" with what is known.
    pub fn label(&self) -> String {
        [&self.village, &self.district, &self.regency, &self.province]
            .iter()
            .filter_map(|s| s.as_deref())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn parse(csv: &str) -> impl Iterator<Item = (String, String)> + '_ {
    // The first line is the header `code,name`.
    let body = csv.split_once('\n').map_or("", |(_, rest)| rest);
    body.lines().filter_map(|l| {
        let (code, name) = l.split_once(',')?;
        Some((
            code.trim().to_owned(),
            name.trim().trim_matches('"').replace("\"\"", "\""),
        ))
    })
}

/// Villages, sorted by code, loaded on first use (83,762 rows).
fn villages() -> &'static BTreeMap<String, String> {
    static V: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    V.get_or_init(|| parse(include_str!("../../assets/regions/villages.csv")).collect())
}

impl Regions {
    /// The table shipped with this program.
    pub fn shipped() -> &'static Regions {
        static R: OnceLock<Regions> = OnceLock::new();
        R.get_or_init(|| Regions {
            provinces: parse(include_str!("../../assets/regions/provinces.csv")).collect(),
            regencies: parse(include_str!("../../assets/regions/regencies.csv")).collect(),
            districts: parse(include_str!("../../assets/regions/districts.csv")).collect(),
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
    pub fn village(&self, code: &str) -> Option<&'static str> {
        villages().get(code).map(String::as_str)
    }
    pub fn province_count(&self) -> usize {
        self.provinces.len()
    }

    /// The regions one level below `parent` ("" = provinces), sorted by code.
    pub fn children(&self, parent: &str) -> Vec<Region> {
        let pick = |m: &HashMap<String, String>| {
            let mut v: Vec<Region> = m
                .iter()
                .filter(|(c, _)| c.starts_with(parent))
                .map(|(c, n)| Region {
                    code: c.clone(),
                    name: n.clone(),
                })
                .collect();
            v.sort_by(|a, b| a.code.cmp(&b.code));
            v
        };
        match parent.len() {
            0 => pick(&self.provinces),
            2 => pick(&self.regencies),
            4 => pick(&self.districts),
            6 => villages()
                .range(parent.to_owned()..)
                .take_while(|(c, _)| c.starts_with(parent))
                .map(|(c, n)| Region {
                    code: c.clone(),
                    name: n.clone(),
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Spells out a code of any level (2, 4, 6 or 10 digits); `None` if it is not a known code.
    pub fn path(&self, code: &str) -> Option<RegionPath> {
        let level = |n: usize| code.get(..n);
        let p = RegionPath {
            code: code.to_owned(),
            province: level(2).and_then(|c| self.province(c)).map(str::to_owned),
            regency: level(4).and_then(|c| self.regency(c)).map(str::to_owned),
            district: level(6).and_then(|c| self.district(c)).map(str::to_owned),
            village: level(10).and_then(|c| self.village(c)).map(str::to_owned),
        };
        let known = match code.len() {
            2 => p.province.is_some(),
            4 => p.regency.is_some(),
            6 => p.district.is_some(),
            10 => p.village.is_some(),
            _ => false,
        };
        known.then_some(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blora_spelt_out_and_listed() {
        let r = Regions::shipped();
        let p = r.path("3316").unwrap();
        assert_eq!(p.regency.as_deref(), Some("Kabupaten Blora"));
        assert!(r.children("").len() == 38);
        let districts = r.children("3316");
        assert!(districts.iter().any(|d| d.name == "Blora"));
        let blora_town = districts.iter().find(|d| d.name == "Blora").unwrap();
        let villages = r.children(&blora_town.code);
        assert!(!villages.is_empty());
        let v = &villages[0];
        let path = r.path(&v.code).unwrap();
        assert_eq!(path.district.as_deref(), Some("Blora"));
        assert!(path.label().ends_with("Kabupaten Blora, Jawa Tengah"));
        assert!(r.path("3316999999").is_none());
        assert!(r.path("33a").is_none());
    }
}
