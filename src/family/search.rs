//! Typo-tolerant name search, in memory. Every person's folded name (and every inmate's name) is
//! cut into trigrams; a query's trigrams vote for names, and the best-voted names are scored by
//! Jaro–Winkler per word, so "Siti Rahyu" finds "Siti Rahayu" and "Djoko" finds "Joko".
//! Numbers (NIK, No. KK, registration numbers) are searched in SQL by prefix instead.
//!
//! The index is rebuilt when `meta.registry_rev` shows that another process changed the
//! registry; changes made through the same `App` update it in place. It lives as long as the
//! session, so it is kept compact: 16 MB for 100,000 families (250,000 names), where a map of
//! trigram lists took 43 MB. Its few large arrays go back to the system when a session ends.

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

/// One name: its family, and where its folded key and then its display name lie in
/// `Index::text` (one allocation for all names). 16 bytes; kind and liveness are in `flags`.
struct Entry {
    family_id: i64,
    start: u32,
    key_len: u16,
    name_len: u16,
}

const KIND_MASK: u8 = 0b11;
const DEAD: u8 = 0b1000_0000;

/// The index is kept small (it lives as long as the session, SPEC §3's idle memory): the names
/// in one string, and each trigram's list of names as ascending name numbers, delta-coded in
/// LEB128 bytes (one or two bytes a name instead of four) in one array. A family edited in this
/// session adds its new names to `added`; its old ones are marked dead.
pub struct Index {
    entries: Vec<Entry>,
    flags: Vec<u8>,
    text: String,
    /// Trigram → its list's number; list `i` is `data[starts[i]..starts[i + 1]]`.
    lists: HashMap<u64, u32>,
    starts: Vec<usize>,
    data: Vec<u8>,
    added: HashMap<u64, Vec<u32>>,
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

fn trigrams_into(key: &str, pad_end: bool, out: &mut Vec<u64>) {
    out.clear();
    let mut w = [u64::from('\u{1}'), u64::from(' '), 0];
    let push = |c: char, w: &mut [u64; 3], out: &mut Vec<u64>| {
        w[2] = u64::from(c);
        out.push((w[0] << 42) | (w[1] << 21) | w[2]);
        w[0] = w[1];
        w[1] = w[2];
    };
    for c in key.chars() {
        push(c, &mut w, out);
    }
    if pad_end {
        push(' ', &mut w, out);
    }
    out.sort_unstable();
    out.dedup();
}

fn trigrams(key: &str, pad_end: bool) -> Vec<u64> {
    let mut out = Vec::with_capacity(key.len() + 2);
    trigrams_into(key, pad_end, &mut out);
    out
}

/// Bytes of `v` as an LEB128 varint.
fn varint_len(v: u32) -> usize {
    match v {
        0..=0x7f => 1,
        0x80..=0x3fff => 2,
        0x4000..=0x1f_ffff => 3,
        0x20_0000..=0xfff_ffff => 4,
        _ => 5,
    }
}

fn put_varint(mut v: u32, out: &mut [u8]) -> usize {
    let mut i = 0;
    while v >= 0x80 {
        out[i] = (v as u8 & 0x7f) | 0x80;
        v >>= 7;
        i += 1;
    }
    out[i] = v as u8;
    i + 1
}

/// Calls `f` with each name number of one delta-coded list. Most gaps fit one byte.
fn each_in(bytes: &[u8], mut f: impl FnMut(u32)) {
    let (mut at, mut i) = (0u32, 0usize);
    while i < bytes.len() {
        let b = bytes[i];
        i += 1;
        let mut v = u32::from(b & 0x7f);
        if b >= 0x80 {
            let mut shift = 7;
            while let Some(&b) = bytes.get(i) {
                i += 1;
                v |= u32::from(b & 0x7f) << shift;
                shift += 7;
                if b < 0x80 {
                    break;
                }
            }
        }
        at += v;
        f(at);
    }
}

/// How well `query` (folded) matches `key` (folded): each query word is matched to its best word
/// in the name (the last query word may be a prefix, as it is still being typed), averaged.
pub fn score(query: &str, key: &str) -> f64 {
    let q: Vec<&str> = query.split(' ').filter(|w| !w.is_empty()).collect();
    score_words(&q, key)
}

/// [`score`] with the query already cut into its words (a search scores many names against it).
fn score_words(q: &[&str], key: &str) -> f64 {
    if q.is_empty() {
        return 0.0;
    }
    let mut total = 0.0;
    for (i, qw) in q.iter().enumerate() {
        let last = i + 1 == q.len();
        let best = key
            .split(' ')
            .map(|w| {
                if w == *qw || (last && qw.len() >= 2 && w.starts_with(qw)) {
                    1.0
                } else {
                    strsim::jaro_winkler(qw, w)
                }
            })
            .fold(0.0, f64::max);
        total += best;
    }
    // A name with many more words than the query is a slightly weaker match.
    let extra = key.split(' ').count().saturating_sub(q.len()) as f64;
    total / q.len() as f64 - 0.01 * extra
}

impl Index {
    pub fn build(conn: &Connection) -> Result<Index> {
        let mut ix = Index {
            entries: Vec::new(),
            flags: Vec::new(),
            text: String::new(),
            lists: HashMap::new(),
            starts: Vec::new(),
            data: Vec::new(),
            added: HashMap::new(),
            rev: super::db::rev(conn)?,
        };
        super::db::each_person_name(conn, |family_id, position, name, key| {
            let kind = if position == 0 {
                EntryKind::Head
            } else {
                EntryKind::Member
            };
            ix.push(family_id, kind, &name, &key);
        })?;
        super::db::each_wbp_name(conn, |family_id, name| {
            let key = name_key(&name);
            ix.push(family_id, EntryKind::Wbp, &name, &key);
        })?;
        ix.entries.shrink_to_fit();
        ix.flags.shrink_to_fit();
        ix.text.shrink_to_fit();
        ix.index_names();
        Ok(ix)
    }

    /// Writes every name's trigram lists in two passes over the names (sizes, then bytes), so
    /// the build holds nothing larger than the finished index.
    fn index_names(&mut self) {
        let mut grams = Vec::new();
        let mut last: Vec<u32> = Vec::new();
        let mut size: Vec<usize> = Vec::new();
        for n in 0..self.entries.len() {
            trigrams_into(self.key_of(n), true, &mut grams);
            for t in &grams {
                let next = self.lists.len() as u32;
                let i = *self.lists.entry(*t).or_insert(next) as usize;
                if i == last.len() {
                    last.push(0);
                    size.push(0);
                }
                size[i] += varint_len(n as u32 - last[i]);
                last[i] = n as u32;
            }
        }
        self.starts = Vec::with_capacity(size.len() + 1);
        let mut total = 0;
        for s in &size {
            self.starts.push(total);
            total += s;
        }
        self.starts.push(total);
        self.data = vec![0u8; total];
        let mut at = self.starts.clone();
        last.iter_mut().for_each(|l| *l = 0);
        for n in 0..self.entries.len() {
            trigrams_into(self.key_of(n), true, &mut grams);
            for t in &grams {
                let i = self.lists[t] as usize;
                at[i] += put_varint(n as u32 - last[i], &mut self.data[at[i]..]);
                last[i] = n as u32;
            }
        }
        self.lists.shrink_to_fit();
    }

    fn push(&mut self, family_id: i64, kind: EntryKind, name: &str, key: &str) -> u32 {
        // Names are at most 100 characters (the form's rule); longer text is cut at a char boundary.
        let cut = |s: &str| -> usize {
            let mut n = s.len().min(u16::MAX as usize);
            while !s.is_char_boundary(n) {
                n -= 1;
            }
            n
        };
        let (kl, nl) = (cut(key), cut(name));
        let start = self.text.len() as u32;
        self.text.push_str(&key[..kl]);
        self.text.push_str(&name[..nl]);
        self.entries.push(Entry {
            family_id,
            start,
            key_len: kl as u16,
            name_len: nl as u16,
        });
        self.flags.push(kind as u8);
        (self.entries.len() - 1) as u32
    }

    fn key_of(&self, n: usize) -> &str {
        let e = &self.entries[n];
        let s = e.start as usize;
        &self.text[s..s + e.key_len as usize]
    }

    fn name_of(&self, n: usize) -> &str {
        let e = &self.entries[n];
        let s = e.start as usize + e.key_len as usize;
        &self.text[s..s + e.name_len as usize]
    }

    fn kind_of(&self, n: usize) -> EntryKind {
        match self.flags[n] & KIND_MASK {
            0 => EntryKind::Head,
            1 => EntryKind::Member,
            _ => EntryKind::Wbp,
        }
    }

    fn alive(&self, n: usize) -> bool {
        self.flags[n] & DEAD == 0
    }

    /// Replaces what the index holds for one family with what the database now says.
    pub fn refresh_family(&mut self, conn: &Connection, family_id: i64) -> Result<()> {
        for (e, f) in self.entries.iter().zip(self.flags.iter_mut()) {
            if e.family_id == family_id {
                *f |= DEAD;
            }
        }
        let mut names: Vec<(EntryKind, String)> = Vec::new();
        for (i, m) in super::db::members(conn, family_id)?.into_iter().enumerate() {
            let kind = if i == 0 {
                EntryKind::Head
            } else {
                EntryKind::Member
            };
            names.push((kind, m.name));
        }
        let wbp = super::db::wbp_name(conn, family_id)?;
        if !wbp.is_empty() {
            names.push((EntryKind::Wbp, wbp));
        }
        for (kind, name) in names {
            let key = name_key(&name);
            let n = self.push(family_id, kind, &name, &key);
            for t in trigrams(&key, true) {
                self.added.entry(t).or_default().push(n);
            }
        }
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.flags.iter().filter(|f| *f & DEAD == 0).count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The heap the index holds, in bytes (what `bansos bench` reports).
    pub fn heap_bytes(&self) -> usize {
        use std::mem::size_of;
        let map = |cap: usize, item: usize| cap * (item + 1);
        self.entries.capacity() * size_of::<Entry>()
            + self.flags.capacity()
            + self.text.capacity()
            + map(self.lists.capacity(), size_of::<(u64, u32)>())
            + self.starts.capacity() * size_of::<usize>()
            + self.data.capacity()
            + map(self.added.capacity(), size_of::<(u64, Vec<u32>)>())
            + self.added.values().map(|v| v.capacity() * 4).sum::<usize>()
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
        let mut vote = |n: u32| {
            let v = &mut votes[n as usize];
            if *v == 0 {
                touched.push(n);
            }
            *v += 1;
        };
        for t in &qt {
            if let Some(&i) = self.lists.get(t) {
                let i = i as usize;
                each_in(&self.data[self.starts[i]..self.starts[i + 1]], &mut vote);
            }
            if let Some(list) = self.added.get(t) {
                list.iter().for_each(|&n| vote(n));
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
        let words: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).collect();
        let mut hits: Vec<Hit> = Vec::new();
        for (n, _) in cand {
            let n = n as usize;
            if !self.alive(n) {
                continue;
            }
            let s = score_words(&words, self.key_of(n));
            if s >= 0.84 {
                hits.push(Hit {
                    family_id: self.entries[n].family_id,
                    kind: self.kind_of(n),
                    name: self.name_of(n).to_owned(),
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
