//! Who a bundle served, as the Kanwil keeps it (migration 0020): one value a bundle, its people
//! sorted, and the pairs of a month found by merging those values.
//!
//! `people` is 37 bytes a person: what (0 = NIK, 1 = No. KK), the pseudonym's 32 bytes, and
//! the index of its BAST in the bundle's sorted list of BAST numbers (4 bytes, big-endian).
//! Sorted by those bytes, so one bundle is written as one value, and a month's pairs come from
//! one pass over its bundles' values at once.

use super::CrossPair;
use crate::error::{Error, Result};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

/// The bytes of one person.
pub const ENTRY: usize = 37;
/// The part of an entry that names the person: what and pseudonym.
const KEY: usize = 33;

/// A person served, as a bundle's records give it: (BAST number, `nik` or `kk`, pseudonym as 64
/// hex digits, checked before).
pub type Served<'a> = (&'a str, &'static str, &'a str);

/// The two values kept of a bundle: its BAST numbers (JSON array, sorted, each once) and its
/// people. `None` when a pseudonym is not 64 hex digits.
pub fn encode(served: &[Served]) -> Option<(Vec<u8>, Vec<u8>)> {
    let basts: BTreeSet<&str> = served.iter().map(|(b, _, _)| *b).collect();
    let basts: Vec<&str> = basts.into_iter().collect();
    let mut people: Vec<[u8; ENTRY]> = Vec::with_capacity(served.len());
    for (bast, what, pseudonym) in served {
        let mut e = [0u8; ENTRY];
        e[0] = u8::from(*what != "nik");
        hex::decode_to_slice(pseudonym, &mut e[1..KEY]).ok()?;
        let i = basts.binary_search(bast).ok()?;
        e[KEY..].copy_from_slice(&u32::try_from(i).ok()?.to_be_bytes());
        people.push(e);
    }
    people.sort_unstable();
    people.dedup();
    let basts = serde_json::to_vec(&basts).ok()?;
    Some((basts, people.concat()))
}

/// One accepted bundle's people, read back: its member and BAST numbers.
struct Bundle {
    member: String,
    basts: Vec<String>,
    people: Vec<u8>,
}

impl Bundle {
    fn key(&self, at: usize) -> &[u8] {
        &self.people[at * ENTRY..at * ENTRY + KEY]
    }
    fn bast(&self, at: usize) -> &str {
        let b = &self.people[at * ENTRY + KEY..(at + 1) * ENTRY];
        let i = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
        &self.basts[i]
    }
    fn len(&self) -> usize {
        self.people.len() / ENTRY
    }
}

/// Pairs of BASTs of two facilities that served one person (or one No. KK) in a month, from the
/// month's accepted bundles as `db::served_in` reads them: NIK first, then by facility and BAST,
/// each pair once, the facility codes in order (a before b).
pub fn pairs(rows: Vec<(String, Vec<u8>, Vec<u8>)>) -> Result<Vec<CrossPair>> {
    let mut bundles = Vec::with_capacity(rows.len());
    for (member, basts, people) in rows {
        let basts: Vec<String> = serde_json::from_slice(&basts).map_err(Error::internal)?;
        let b = Bundle {
            member,
            basts,
            people,
        };
        // Whole, each BAST known, and sorted: the merge below would miss pairs in a value
        // out of order, so one is an error, not a shorter list.
        let sound = b.people.len().is_multiple_of(ENTRY)
            && (0..b.len()).all(|i| {
                let e = &b.people[i * ENTRY + KEY..(i + 1) * ENTRY];
                (u32::from_be_bytes([e[0], e[1], e[2], e[3]]) as usize) < b.basts.len()
            })
            && b.people.chunks_exact(ENTRY).is_sorted();
        if !sound {
            return Err(Error::internal(format!(
                "served people of {} are not whole",
                b.member
            )));
        }
        bundles.push(b);
    }
    // Merge: the smallest key of every bundle in a heap; all entries of one key taken at once.
    let mut heap: BinaryHeap<Reverse<(&[u8], usize, usize)>> = bundles
        .iter()
        .enumerate()
        .filter(|(_, b)| b.len() > 0)
        .map(|(n, b)| Reverse((b.key(0), n, 0)))
        .collect();
    let mut found: BTreeSet<(u8, &str, &str, &str, &str)> = BTreeSet::new();
    let mut same: Vec<(usize, usize)> = Vec::new();
    while let Some(Reverse((key, n, at))) = heap.pop() {
        same.clear();
        same.push((n, at));
        advance(&bundles, &mut heap, n, at);
        while let Some(Reverse((k, m, a))) = heap.peek().copied() {
            if k != key {
                break;
            }
            heap.pop();
            same.push((m, a));
            advance(&bundles, &mut heap, m, a);
        }
        if same.len() < 2 {
            continue;
        }
        for &(x, xa) in &same {
            for &(y, ya) in &same {
                let (a, b) = (&bundles[x], &bundles[y]);
                if a.member < b.member {
                    found.insert((key[0], &a.member, a.bast(xa), &b.member, b.bast(ya)));
                }
            }
        }
    }
    Ok(found
        .into_iter()
        .map(|(what, a, ba, b, bb)| CrossPair {
            by: if what == 0 { "nik" } else { "kk" }.into(),
            facility_a: a.into(),
            bast_a: ba.into(),
            facility_b: b.into(),
            bast_b: bb.into(),
        })
        .collect())
}

/// Puts bundle `n`'s entry after `at` into the heap, if it has one.
fn advance<'a>(
    bundles: &'a [Bundle],
    heap: &mut BinaryHeap<Reverse<(&'a [u8], usize, usize)>>,
    n: usize,
    at: usize,
) {
    if at + 1 < bundles[n].len() {
        heap.push(Reverse((bundles[n].key(at + 1), n, at + 1)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(n: u8) -> &'static str {
        Box::leak(hex::encode([n; 32]).into_boxed_str())
    }

    #[test]
    fn the_people_of_a_bundle_are_sorted_and_name_their_bast() {
        let served = vec![
            ("B/2", "kk", p(9)),
            ("B/2", "nik", p(7)),
            ("B/1", "nik", p(8)),
            ("B/1", "nik", p(8)),
        ];
        let (basts, people) = encode(&served).unwrap();
        assert_eq!(basts, br#"["B/1","B/2"]"#);
        assert_eq!(people.len(), 3 * ENTRY, "the repeated person once");
        let b = Bundle {
            member: "X".into(),
            basts: vec!["B/1".into(), "B/2".into()],
            people,
        };
        assert_eq!((b.key(0)[0], b.key(0)[1], b.bast(0)), (0, 7, "B/2"));
        assert_eq!((b.key(1)[0], b.key(1)[1], b.bast(1)), (0, 8, "B/1"));
        assert_eq!((b.key(2)[0], b.key(2)[1], b.bast(2)), (1, 9, "B/2"));
        assert!(encode(&[("B", "nik", &"zz".repeat(32))]).is_none());
        assert!(encode(&[("B", "nik", &"ab".repeat(31))]).is_none());
    }

    #[test]
    fn pairs_join_two_facilities_never_one_and_nik_comes_first() {
        let bundle = |member: &str, served: Vec<Served>| {
            let (b, pe) = encode(&served).unwrap();
            (member.to_string(), b, pe)
        };
        let rows = vec![
            bundle(
                "A",
                vec![
                    ("A/1", "nik", p(1)),
                    ("A/1", "kk", p(5)),
                    ("A/2", "nik", p(2)),
                    ("A/3", "nik", p(2)),
                ],
            ),
            bundle("C", vec![("C/1", "nik", p(2)), ("C/1", "kk", p(5))]),
            bundle("B", vec![("B/1", "nik", p(2)), ("B/9", "nik", p(3))]),
        ];
        let got: Vec<(String, String, String, String, String)> = pairs(rows)
            .unwrap()
            .into_iter()
            .map(|c| (c.by, c.facility_a, c.bast_a, c.facility_b, c.bast_b))
            .collect();
        let s = |a: &str, b: &str, c: &str, d: &str, e: &str| {
            (a.into(), b.into(), c.into(), d.into(), e.into())
        };
        assert_eq!(
            got,
            vec![
                s("nik", "A", "A/2", "B", "B/1"),
                s("nik", "A", "A/2", "C", "C/1"),
                s("nik", "A", "A/3", "B", "B/1"),
                s("nik", "A", "A/3", "C", "C/1"),
                s("nik", "B", "B/1", "C", "C/1"),
                s("kk", "A", "A/1", "C", "C/1"),
            ]
        );
        let (basts, people) = encode(&[("A/1", "nik", p(1)), ("A/1", "nik", p(2))]).unwrap();
        let swapped = [&people[ENTRY..], &people[..ENTRY]].concat();
        for broken in [
            (b"[]".to_vec(), vec![0u8; ENTRY]),
            (basts.clone(), people[1..].to_vec()),
            (basts, swapped),
        ] {
            let rows = vec![("A".to_string(), broken.0, broken.1)];
            assert_eq!(pairs(rows).err().unwrap().kind, crate::ErrorKind::Internal);
        }
    }
}
