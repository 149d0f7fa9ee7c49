//! Beranda, the first screen: where the month stands. The figures of a closed month are its
//! stored report's (what was signed and sent); the open month is computed live and says so, with
//! its exact days. Each part is there only for the roles that may see what it comes from.

pub mod db;

use crate::stock::{FundingSource, StockOverview};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One month's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MonthFigures {
    pub period: String,
    /// The days counted: the whole month when closed, the 1st to today when live.
    pub first: String,
    pub last: String,
    /// Computed now (the month is not closed); otherwise from its stored report.
    pub live: bool,
    /// The stored report's revision, when closed.
    pub revision: Option<u32>,
    pub nihil: bool,
    pub families: i64,
    pub keluarga_wbp: i64,
    pub masyarakat_sekitar: i64,
    pub packages: i64,
    pub items: Vec<ItemFigure>,
    pub sources: Vec<SourceFigure>,
    #[ts(type = "string")]
    pub issued_value: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ItemFigure {
    pub code: String,
    pub name: String,
    pub unit: String,
    #[ts(type = "string")]
    pub handed_over: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SourceFigure {
    pub source: FundingSource,
    #[ts(type = "string")]
    pub received_value: Decimal,
    #[ts(type = "string")]
    pub issued_value: Decimal,
}

/// Families of a category: registered (active), eligible (verified, with consent), served in
/// the open month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CategoryFigures {
    pub category: String,
    pub registered: i64,
    pub eligible: i64,
    pub served: i64,
}

/// A coming event and what it still lacks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ComingEvent {
    pub id: i64,
    pub date: String,
    pub place: String,
    /// `draft` or `approved`.
    pub status: String,
    pub planned: i64,
    pub handed_over: i64,
    /// Items short for the families planned (name, unit, how much is missing).
    pub short: Vec<(String, String, String)>,
}

/// The outbox in counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OutboxCounts {
    pub enrolled: bool,
    pub created: i64,
    pub sent: i64,
    pub acknowledged: i64,
    pub refused: i64,
    pub held: i64,
    /// Closed months still without a bundle.
    pub waiting: i64,
}

/// The facility's dashboard.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub today: String,
    /// The month running now (live).
    pub this_month: MonthFigures,
    /// The last twelve months (none before the facility's first), oldest first, this one last
    /// (packages by month).
    pub months: Vec<MonthFigures>,
    /// Ended months not closed yet, oldest first.
    pub to_close: Vec<String>,
    pub outbox: OutboxCounts,
    /// Stock per item, with the low-stock and expiring-lot alerts.
    pub stock: StockOverview,
    /// For the roles that see the registry.
    pub families: Option<Vec<CategoryFigures>>,
    pub events: Option<Vec<ComingEvent>>,
}

/// A Kanwil's dashboard: the province's last ended month, whose reports are due now.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RegionalDashboard {
    pub period: String,
    pub members: i64,
    /// Accepted or nihil.
    pub reported: i64,
    /// Reported after the due date: (code, days late).
    pub late: Vec<(String, i64)>,
    /// Not reported yet (missing, held, fork or refused): (code, state, days overdue).
    pub outstanding: Vec<(String, String, i64)>,
    pub recap: crate::kanwil::Recap,
    /// People served by two facilities in the month (pairs of BAST numbers).
    pub cross_pairs: i64,
}
