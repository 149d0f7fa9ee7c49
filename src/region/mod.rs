//! Indonesia's administrative region codes (Kepmendagri *kode wilayah*), shipped in
//! `assets/regions/` and compiled in: province (2 digits), regency or city (4), district (6),
//! village (10). NIK and No. KK numbers start with these codes; addresses are recorded with them.

use serde::{Deserialize, Serialize};
use std::sync::OnceLock;
use ts_rs::TS;

/// The decree the shipped table follows; recorded with every address picked from it.
pub const TABLE_VERSION: &str = "Kepmendagri 300.2.2-2138/2025";

/// The shipped table, one [`Table`] a level.
pub struct Regions {
    provinces: Table,
    regencies: Table,
    districts: Table,
    villages: Table,
}

/// One level of the shipped table: its CSV (`code,name`, compiled in) and where each row
/// starts, in code order. A name is read from the text itself when asked for, not copied: the
/// four levels as maps of owned strings held about 12 MB of the app's memory (the villages,
/// 83,762 rows, 10 MB of it); as row offsets they hold 0.4 MB.
struct Table {
    csv: &'static str,
    rows: Vec<u32>,
}

impl Table {
    fn new(csv: &'static str) -> Table {
        // The first line is the header `code,name`.
        let mut at = csv.find('\n').map_or(csv.len(), |i| i + 1);
        let mut rows = Vec::new();
        while at < csv.len() {
            let end = csv[at..].find('\n').map_or(csv.len(), |i| at + i);
            if csv[at..end].contains(',') {
                rows.push(at as u32);
            }
            at = end + 1;
        }
        rows.sort_by_key(|&r| row_at(csv, r).0);
        rows.shrink_to_fit();
        Table { csv, rows }
    }

    fn row(&self, at: u32) -> (&'static str, &'static str) {
        row_at(self.csv, at)
    }

    fn get(&self, code: &str) -> Option<&'static str> {
        let i = self
            .rows
            .binary_search_by(|&r| self.row(r).0.cmp(code))
            .ok()?;
        Some(self.row(self.rows[i]).1)
    }

    /// The rows whose code starts with `parent`, in code order.
    fn under<'a>(
        &'a self,
        parent: &'a str,
    ) -> impl Iterator<Item = (&'static str, &'static str)> + 'a {
        let from = self.rows.partition_point(|&r| self.row(r).0 < parent);
        self.rows[from..]
            .iter()
            .map(|&r| self.row(r))
            .take_while(move |(code, _)| code.starts_with(parent))
    }
}

/// The code and name of the row starting at byte `at`. A name with a comma is quoted; the
/// shipped names have no quote inside them to unescape (a test checks).
fn row_at(csv: &'static str, at: u32) -> (&'static str, &'static str) {
    let rest = csv.get(at as usize..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("");
    let (code, name) = line.split_once(',').unwrap_or((line, ""));
    (code.trim(), name.trim().trim_matches('"'))
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

impl Regions {
    /// The table shipped with this program.
    pub fn shipped() -> &'static Regions {
        static R: OnceLock<Regions> = OnceLock::new();
        R.get_or_init(|| Regions {
            provinces: Table::new(include_str!("../../assets/regions/provinces.csv")),
            regencies: Table::new(include_str!("../../assets/regions/regencies.csv")),
            districts: Table::new(include_str!("../../assets/regions/districts.csv")),
            villages: Table::new(include_str!("../../assets/regions/villages.csv")),
        })
    }

    pub fn province(&self, code: &str) -> Option<&'static str> {
        self.provinces.get(code)
    }
    pub fn regency(&self, code: &str) -> Option<&'static str> {
        self.regencies.get(code)
    }
    pub fn district(&self, code: &str) -> Option<&'static str> {
        self.districts.get(code)
    }
    pub fn village(&self, code: &str) -> Option<&'static str> {
        self.villages.get(code)
    }
    pub fn province_count(&self) -> usize {
        self.provinces.rows.len()
    }

    /// The regions one level below `parent` ("" = provinces), sorted by code.
    pub fn children(&self, parent: &str) -> Vec<Region> {
        let level = match parent.len() {
            0 => &self.provinces,
            2 => &self.regencies,
            4 => &self.districts,
            6 => &self.villages,
            _ => return Vec::new(),
        };
        level
            .under(parent)
            .map(|(code, name)| Region {
                code: code.to_owned(),
                name: name.to_owned(),
            })
            .collect()
    }

    /// The name of the region a code of any level names (a village's, a district's…), as the
    /// family list shows it: one lookup where [`Regions::path`] spells out all four levels.
    pub fn name(&self, code: &str) -> Option<&'static str> {
        match code.len() {
            2 => self.province(code),
            4 => self.regency(code),
            6 => self.district(code),
            10 => self.village(code),
            _ => None,
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
        // One level's name, as the family list shows it.
        assert_eq!(r.name(&v.code), path.village.as_deref());
        assert_eq!(r.name("3316"), Some("Kabupaten Blora"));
        assert_eq!(r.name(&blora_town.code), Some("Blora"));
        assert!(r.name("3316999999").is_none() && r.name("331").is_none());
        assert!(path.label().ends_with("Kabupaten Blora, Jawa Tengah"));
        assert!(r.path("3316999999").is_none());
        assert!(r.path("33a").is_none());
        assert_eq!(r.province_count(), 38);
        // A quoted name with commas in it.
        assert_eq!(r.village("1207281007"), Some("Lubuk Pakam I,II"));
        assert_eq!(
            r.children("120728")
                .iter()
                .filter(|v| v.name == "Lubuk Pakam I,II")
                .count(),
            1
        );
    }

    /// Names are read from the shipped text as they are: none may hold an escaped quote.
    #[test]
    fn no_shipped_name_needs_unescaping() {
        for csv in [
            include_str!("../../assets/regions/provinces.csv"),
            include_str!("../../assets/regions/regencies.csv"),
            include_str!("../../assets/regions/districts.csv"),
            include_str!("../../assets/regions/villages.csv"),
        ] {
            assert!(!csv.contains("\"\""));
        }
    }

    /// Every row of every level is found by its code, and listed under its parent once.
    #[test]
    fn every_row_is_found_by_its_code() {
        let r = Regions::shipped();
        for (t, parent) in [
            (&r.provinces, 0),
            (&r.regencies, 2),
            (&r.districts, 4),
            (&r.villages, 6),
        ] {
            for &at in &t.rows {
                let (code, name) = t.row(at);
                assert_eq!(t.get(code), Some(name), "{code}");
                if parent > 0 {
                    let under = r.children(&code[..parent]);
                    assert!(under.iter().any(|x| x.code == code), "{code}");
                }
            }
        }
    }
}
