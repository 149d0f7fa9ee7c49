//! Beranda: the facility's month at a glance, composed from the other use cases' sources. A
//! closed month's figures are its stored report's; a month not closed is computed now, from the
//! 1st to today (or to its last day), and marked live.

use super::month::{day_start_utc, month_lines};
use super::{App, ANYONE};
use crate::dashboard::{
    self, CategoryFigures, ComingEvent, Dashboard, ItemFigure, MonthFigures, OutboxCounts,
    SourceFigure,
};
use crate::db::Db as Connection;
use crate::error::Result;
use crate::month::report::{self, MonthlyReport, ReportFacility};
use crate::month::{db as mdb, Month, MonthState};
use chrono::NaiveDate;

/// Months in the packages-by-month chart.
const MONTHS_SHOWN: usize = 12;
/// Coming events listed.
const EVENTS_SHOWN: u32 = 5;

fn figures(r: &MonthlyReport, first: NaiveDate, last: NaiveDate, live: bool) -> MonthFigures {
    MonthFigures {
        period: r.period.clone(),
        first: first.to_string(),
        last: last.to_string(),
        live,
        revision: (!live).then_some(r.revision),
        nihil: r.nihil,
        families: r.served.families,
        keluarga_wbp: r.served.keluarga_wbp,
        masyarakat_sekitar: r.served.masyarakat_sekitar,
        packages: r.served.packages,
        items: r
            .items
            .iter()
            .filter(|i| !i.handed_over.is_zero())
            .map(|i| ItemFigure {
                code: i.code.clone(),
                name: i.name.clone(),
                unit: i.unit.clone(),
                handed_over: i.handed_over,
            })
            .collect(),
        sources: r
            .sources
            .iter()
            .map(|s| SourceFigure {
                source: s.source,
                received_value: s.received_value,
                issued_value: s.issued_value,
            })
            .collect(),
        issued_value: r.issued_value,
    }
}

/// A month's figures: from its stored report when closed, else computed now up to `today`.
fn month_figures(
    conn: &Connection,
    m: Month,
    closed: bool,
    today: NaiveDate,
) -> Result<MonthFigures> {
    if closed {
        if let Some(s) = mdb::stored(conn, &m.key(), None)? {
            return Ok(figures(
                &MonthlyReport::from_bytes(&s.report)?,
                m.first(),
                m.last(),
                false,
            ));
        }
    }
    let f = crate::facility::db::load(conn)?.facility.profile;
    let tz = f.time_zone;
    let facility = ReportFacility {
        name: f.name,
        kind: f.kind.long_name().to_owned(),
        class: f.class,
        code: f.code,
        province: f.province,
        kanwil: f.kanwil,
        address: f.address,
        head_name: f.head_name,
        head_nip: f.head_nip,
        time_zone: tz.code().to_owned(),
    };
    let window = (
        day_start_utc(m.first(), tz),
        day_start_utc(m.next().first(), tz),
    );
    let r = report::compute(conn, m, facility, 0, "", "", (&window.0, &window.1))?;
    Ok(figures(&r, m.first(), m.last().min(today), true))
}

impl App {
    /// The facility's dashboard, for whoever is signed in: the parts their role may see.
    pub fn dashboard(&mut self) -> Result<Dashboard> {
        self.guard(ANYONE)?;
        self.facility_mode()?;
        let today = self.today_local()?;
        let role = self.me.role;
        let conn = &self.conn;
        let lines = month_lines(conn, today)?;
        let closed = |m: Month| {
            lines.iter().any(|l| {
                l.period == m.key() && matches!(l.state, MonthState::Closed | MonthState::Nihil)
            })
        };
        let now = Month::of(today);
        // Twelve months back, but none before the facility's first (nothing was recorded then).
        let start = mdb::first_month(conn)?
            .as_deref()
            .and_then(Month::parse)
            .unwrap_or(now);
        let mut months = Vec::with_capacity(MONTHS_SHOWN);
        let mut m = now;
        for _ in 0..MONTHS_SHOWN {
            months.push(month_figures(conn, m, closed(m), today)?);
            if m <= start {
                break;
            }
            m = m.prev();
        }
        months.reverse();
        let this_month = months
            .last()
            .cloned()
            .ok_or_else(|| crate::Error::internal("no month on the dashboard"))?;
        let to_close = lines
            .iter()
            .filter(|l| matches!(l.state, MonthState::Open | MonthState::Reopened))
            .map(|l| l.period.clone())
            .collect();
        let mut outbox = OutboxCounts {
            enrolled: crate::outbox::enrollment(conn)?.is_some(),
            waiting: crate::outbox::pending_closings(conn)?.to_make.len() as i64,
            ..OutboxCounts::default()
        };
        for b in crate::outbox::db::bundles(conn)? {
            match b.state.as_str() {
                "created" => outbox.created += 1,
                "sent" => outbox.sent += 1,
                "acknowledged" => outbox.acknowledged += 1,
                "refused" => outbox.refused += 1,
                _ => outbox.held += 1,
            }
        }
        let reads_registry = super::family::REGISTRY_READERS.contains(&role);
        let families = if reads_registry {
            let served = |c: &str| match c {
                "keluarga_wbp" => this_month.keluarga_wbp,
                "masyarakat_sekitar" => this_month.masyarakat_sekitar,
                _ => 0,
            };
            Some(
                dashboard::db::families_by_category(conn)?
                    .into_iter()
                    .map(|(category, registered, eligible)| CategoryFigures {
                        served: served(&category),
                        category,
                        registered,
                        eligible,
                    })
                    .collect(),
            )
        } else {
            None
        };
        let events = if reads_registry {
            let mut v = Vec::new();
            for (id, handed) in
                dashboard::db::coming_events(conn, &today.to_string(), EVENTS_SHOWN)?
            {
                let e = crate::distribution::db::event(conn, id)?;
                let s = super::distribution::shortage_in(conn, &e)?;
                v.push(ComingEvent {
                    id,
                    date: e.date.clone(),
                    place: e.place.clone(),
                    status: if e.status == crate::distribution::EventStatus::Approved {
                        "approved".into()
                    } else {
                        "draft".into()
                    },
                    planned: e.recipients.len() as i64,
                    handed_over: handed,
                    short: s
                        .lines
                        .iter()
                        .filter(|l| !l.short.is_zero())
                        .map(|l| {
                            (
                                l.item.clone(),
                                l.unit.clone(),
                                l.short.normalize().to_string(),
                            )
                        })
                        .collect(),
                });
            }
            Some(v)
        } else {
            None
        };
        let stock = self.stock_overview(None)?;
        Ok(Dashboard {
            today: today.to_string(),
            this_month,
            months,
            to_close,
            outbox,
            stock,
            families,
            events,
        })
    }
}

impl App {
    /// The Kanwil's dashboard: the last ended month across the province.
    pub fn regional_dashboard(&mut self) -> Result<dashboard::RegionalDashboard> {
        self.guard(ANYONE)?;
        self.regional_mode()?;
        let today = self.today_local()?;
        let period = Month::of(today).prev().key();
        let rows = self.regional_completeness(&period)?;
        let recap = self.regional_recap(&period)?;
        let cross_pairs = self.regional_duplicates(&period)?.len() as i64;
        let done = |s: &str| matches!(s, "accepted" | "nihil");
        Ok(dashboard::RegionalDashboard {
            members: rows.iter().filter(|r| r.state != "not_expected").count() as i64,
            reported: rows.iter().filter(|r| done(&r.state)).count() as i64,
            late: rows
                .iter()
                .filter(|r| done(&r.state) && r.days_late > 0)
                .map(|r| (r.code.clone(), r.days_late))
                .collect(),
            outstanding: rows
                .iter()
                .filter(|r| !done(&r.state) && r.state != "not_expected")
                .map(|r| (r.code.clone(), r.state.clone(), r.days_late))
                .collect(),
            period,
            recap,
            cross_pairs,
        })
    }
}
