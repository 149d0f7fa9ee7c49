//! Typo-tolerant name search, in memory. Every person's folded name (and every inmate's name) is
//! cut into trigrams; a query's trigrams vote for names, and the best-voted names are scored by
//! Jaro–Winkler per word, so "Siti Rahyu" finds "Siti Rahayu" and "Djoko" finds "Joko".
//! Numbers (NIK, No. KK, registration numbers) are searched in SQL by prefix instead.
//!
//! The index is rebuilt when `meta.registry_rev` shows that another process changed the
//! registry; changes made through the same `App` update it in place.

use super::model::name_key;
use crate::db::Db as Connection;
use crate::error::Result;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Head,
    Member,
    Wbp,
}

/// One name. Its folded key and display name live in `Index::text` (one allocation for all,
/// which keeps the index at about a third of the memory of a `String` per name).
struct Entry {
    family_id: i64,
    start: u32,
    key_len: u16,
    name_len: u16,
    kind: EntryKind,
    alive: bool,
}

pub struct Index {
    entries: Vec<Entry>,
    text: String,
    postings: HashMap<u64, Vec<u32>>,
    by_family: HashMap<i64, Vec<u32>>,
    pub rev: i64,
}

/// A name that matched, with its score 0–100.
#[derive(Debug, Clone)]
pub struct Hit {
    pub family_id: i64,
    pub kind: EntryKind,
    pub name: String,
    pub score: u8,
}

fn trigrams(key: &str, pad_end: bool) -> Vec<u64> {
    let mut cs: Vec<char> = Vec::with_capacity(key.len() + 3);
    cs.extend(['\u{1}', ' ']);
    cs.extend(key.chars());
    if pad_end {
        cs.push(' ');
    }
    let mut out: Vec<u64> = cs
        .windows(3)
        .map(|w| (u64::from(w[0]) << 42) | (u64::from(w[1]) << 21) | u64::from(w[2]))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// How well `query` (folded) matches `key` (folded): each query word is matched to its best word
/// in the name (the last query word may be a prefix, as it is still being typed), averaged.
pub fn score(query: &str, key: &str) -> f64 {
    let words: Vec<&str> = key.split(' ').collect();
    let q: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
    if q.is_empty() || words.is_empty() {
        return 0.0;
    }
    let mut total = 0.0;
    for (i, qw) in q.iter().enumerate() {
        let last = i + 1 == q.len();
        let best = words
            .iter()
            .map(|w| {
                if w == qw || (last && qw.len() >= 2 && w.starts_with(qw)) {
                    1.0
                } else {
                    strsim::jaro_winkler(qw, w)
                }
            })
            .fold(0.0, f64::max);
        total += best;
    }
    // A name with many more words than the query is a slightly weaker match.
    let extra = words.len().saturating_sub(q.len()) as f64;
    total / q.len() as f64 - 0.01 * extra
}

impl Index {
    pub fn build(conn: &Connection) -> Result<Index> {
        let rev = super::db::rev(conn)?;
        let mut ix = Index {
            entries: Vec::new(),
            text: String::new(),
            postings: HashMap::new(),
            by_family: HashMap::new(),
            rev,
        };
        super::db::each_person_name(conn, |family_id, position, name, key| {
            let kind = if position == 0 {
                EntryKind::Head
            } else {
                EntryKind::Member
            };
            ix.push(family_id, kind, name, key);
        })?;
        super::db::each_wbp_name(conn, |family_id, name| {
            let key = name_key(&name);
            ix.push(family_id, EntryKind::Wbp, name, key);
        })?;
        ix.entries.shrink_to_fit();
        ix.text.shrink_to_fit();
        for list in ix.postings.values_mut() {
            list.shrink_to_fit();
        }
        Ok(ix)
    }

    fn push(&mut self, family_id: i64, kind: EntryKind, name: String, key: String) {
        let n = self.entries.len() as u32;
        for t in trigrams(&key, true) {
            self.postings.entry(t).or_default().push(n);
        }
        self.by_family.entry(family_id).or_default().push(n);
        // Names are at most 100 characters (the form's rule); longer text is cut at a char boundary.
        let cut = |s: &str| -> usize {
            let mut n = s.len().min(u16::MAX as usize);
            while !s.is_char_boundary(n) {
                n -= 1;
            }
            n
        };
        let (kl, nl) = (cut(&key), cut(&name));
        let start = self.text.len() as u32;
        self.text.push_str(&key[..kl]);
        self.text.push_str(&name[..nl]);
        self.entries.push(Entry {
            family_id,
            start,
            key_len: kl as u16,
            name_len: nl as u16,
            kind,
            alive: true,
        });
    }

    fn key_of(&self, e: &Entry) -> &str {
        let s = e.start as usize;
        &self.text[s..s + e.key_len as usize]
    }

    fn name_of(&self, e: &Entry) -> &str {
        let s = e.start as usize + e.key_len as usize;
        &self.text[s..s + e.name_len as usize]
    }

    /// Replaces what the index holds for one family with what the database now says.
    pub fn refresh_family(&mut self, conn: &Connection, family_id: i64) -> Result<()> {
        if let Some(old) = self.by_family.remove(&family_id) {
            for n in old {
                self.entries[n as usize].alive = false;
            }
        }
        for m in super::db::members(conn, family_id)? {
            let kind = if self.by_family.contains_key(&family_id) {
                EntryKind::Member
            } else {
                EntryKind::Head
            };
            let key = name_key(&m.name);
            self.push(family_id, kind, m.name, key);
        }
        let wbp = super::db::wbp_name(conn, family_id)?;
        if !wbp.is_empty() {
            let key = name_key(&wbp);
            self.push(family_id, EntryKind::Wbp, wbp, key);
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.entries.iter().filter(|e| e.alive).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The best-matching families for a name query, best first, one hit per family.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let q = name_key(query);
        if q.chars().count() < 2 {
            return Vec::new();
        }
        let qt = trigrams(&q, false);
        // Votes in a dense array (one counter per name) and the list of names touched.
        let mut votes = vec![0u16; self.entries.len()];
        let mut touched: Vec<u32> = Vec::new();
        for t in &qt {
            if let Some(list) = self.postings.get(t) {
                for &n in list {
                    let v = &mut votes[n as usize];
                    if *v == 0 {
                        touched.push(n);
                    }
                    *v += 1;
                }
            }
        }
        // Candidates: names sharing enough of the query's trigrams, the most-voted first.
        let need = ((qt.len() as f64) * 0.3).ceil().max(1.0) as u16;
        let mut cand: Vec<(u32, u16)> = touched
            .into_iter()
            .map(|n| (n, votes[n as usize]))
            .filter(|(_, v)| *v >= need)
            .collect();
        const KEEP: usize = 1500;
        if cand.len() > KEEP {
            cand.select_nth_unstable_by(KEEP, |a, b| b.1.cmp(&a.1));
            cand.truncate(KEEP);
        }
        let mut hits: Vec<Hit> = Vec::new();
        for (n, _) in cand {
            let e = &self.entries[n as usize];
            if !e.alive {
                continue;
            }
            let s = score(&q, self.key_of(e));
            if s >= 0.84 {
                hits.push(Hit {
                    family_id: e.family_id,
                    kind: e.kind,
                    name: self.name_of(e).to_owned(),
                    score: (s.min(1.0) * 100.0).round() as u8,
                });
            }
        }
        hits.sort_by(|a, b| {
            b.score
                .cmp(&a.score)
                .then((a.kind as u8).cmp(&(b.kind as u8)))
                .then(a.family_id.cmp(&b.family_id))
        });
        let mut seen = std::collections::HashSet::new();
        hits.retain(|h| seen.insert(h.family_id));
        hits.truncate(limit);
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_prefixes_score_high_strangers_low() {
        let k = name_key("Siti Rahayu");
        assert!(score(&name_key("siti rahyu"), &k) > 0.9);
        assert!(score(&name_key("rahayu"), &k) > 0.95);
        assert!(score(&name_key("siti ra"), &k) > 0.95);
        assert!(score(&name_key("Bambang Susanto"), &k) < 0.7);
        assert!(score(&name_key("Djoko Soesilo"), &name_key("Joko Susilo")) > 0.99);
    }
}
