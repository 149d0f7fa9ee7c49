//! The inbox API v1 on the wire, shared by the server and the facility's client: one JSON body
//! for every answer, and a frozen table of statuses (`docs/inbox-api.md`, pinned by
//! `tests/inbox.rs`). A bundle's verdict is the Kanwil's signed answer file inside; the JSON
//! around it only carries it, and the client trusts nothing until that file's signature holds.

use crate::bundle::Reason;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The API version in every body and path.
pub const API: u32 = 1;

/// What a reply says, with its HTTP status. Frozen: a new case is a new API version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 201: the bundle is the chain's next; stored and synced.
    Accepted,
    /// 201: a revision of a month, stored; the earlier one superseded.
    Revision,
    /// 200: the same bytes came before; the answer given then.
    AlreadyReceived,
    /// 202: held until the missing seqs arrive.
    HeldGap,
    /// 409: another bundle holds this seq; both kept as evidence.
    Fork,
    /// 422: refused, with the reason.
    Refused,
    /// 413: the body is over the limit.
    TooLarge,
    /// 429: too many requests from this address or for this facility; retry after.
    TooManyRequests,
    /// 503: the server is busy; retry after.
    Busy,
    /// 400: not a request this API knows how to read.
    BadRequest,
    /// 404: no such facility, answer or path.
    NotFound,
    /// 408: the body did not arrive in time.
    Timeout,
    /// 405: a path of this API with another method.
    MethodNotAllowed,
    /// 200: a facility's head (GET /v1/facilities/{code}/head).
    Head,
    /// 200: a stored answer (GET /v1/answers/{hash}).
    Answer,
}

impl Status {
    pub fn http(self) -> u16 {
        match self {
            Status::Accepted | Status::Revision => 201,
            Status::AlreadyReceived | Status::Head | Status::Answer => 200,
            Status::HeldGap => 202,
            Status::Fork => 409,
            Status::Refused => 422,
            Status::TooLarge => 413,
            Status::TooManyRequests => 429,
            Status::Busy => 503,
            Status::BadRequest => 400,
            Status::NotFound => 404,
            Status::Timeout => 408,
            Status::MethodNotAllowed => 405,
        }
    }

    /// The verdict of a bundle import, as the Kanwil's import names it.
    pub fn of_verdict(v: &str) -> Status {
        match v {
            "accepted" => Status::Accepted,
            "revision" => Status::Revision,
            "already_received" => Status::AlreadyReceived,
            "held_gap" => Status::HeldGap,
            "fork" => Status::Fork,
            _ => Status::Refused,
        }
    }

    /// Whether the client should try again later (nothing was decided about the bundle).
    pub fn retry_later(self) -> bool {
        matches!(
            self,
            Status::TooManyRequests | Status::Busy | Status::Timeout
        )
    }
}

/// A signed file carried in a reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct File {
    pub name: String,
    pub base64: String,
}

impl File {
    pub fn new(name: &str, bytes: &[u8]) -> File {
        File {
            name: name.to_owned(),
            base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        }
    }

    pub fn bytes(&self) -> Option<Vec<u8>> {
        base64::engine::general_purpose::STANDARD
            .decode(&self.base64)
            .ok()
    }
}

/// A bundle taken up from quarantine because this one filled its gap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Released {
    pub status: Status,
    pub seq: Option<u64>,
    pub period: Option<String>,
    pub answer: Option<File>,
}

/// Every reply's body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reply {
    pub api: u32,
    pub status: Status,
    pub facility: Option<String>,
    pub period: Option<String>,
    pub seq: Option<u64>,
    pub reason: Option<Reason>,
    pub missing: Vec<u64>,
    /// The Kanwil's signed answer file (a verdict, or a facility's head).
    pub answer: Option<File>,
    pub released: Vec<Released>,
    /// Seconds to wait before trying again (429, 503; also in the Retry-After header).
    pub retry_after: Option<u64>,
    /// What happened, for a person, in both languages.
    pub message_id: String,
    pub message_en: String,
}

impl Reply {
    /// A reply that carries no bundle: a refusal of the request itself.
    pub fn plain(status: Status, id: impl Into<String>, en: impl Into<String>) -> Reply {
        Reply {
            api: API,
            status,
            facility: None,
            period: None,
            seq: None,
            reason: None,
            missing: vec![],
            answer: None,
            released: vec![],
            retry_after: None,
            message_id: id.into(),
            message_en: en.into(),
        }
    }

    /// The verdict of an import, as a reply.
    pub fn of_verdict(v: &crate::kanwil::Verdict) -> Reply {
        let status = if v.reason.as_ref().is_some_and(|r| r.code == "too_large") {
            Status::TooLarge
        } else {
            Status::of_verdict(&v.verdict)
        };
        Reply {
            api: API,
            status,
            facility: v.facility.clone(),
            period: v.period.clone(),
            seq: v.seq,
            reason: v.reason.clone(),
            missing: v.missing.clone(),
            answer: v.answer.as_ref().map(|(n, b)| File::new(n, b)),
            released: v
                .released
                .iter()
                .map(|r| Released {
                    status: Status::of_verdict(&r.verdict),
                    seq: r.seq,
                    period: r.period.clone(),
                    answer: r.answer.as_ref().map(|(n, b)| File::new(n, b)),
                })
                .collect(),
            retry_after: None,
            message_id: v.words(crate::locale::Lang::Id),
            message_en: v.words(crate::locale::Lang::En),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The frozen table (docs/inbox-api.md): every status keeps its code and its name.
    #[test]
    fn the_status_table_is_frozen() {
        let table = [
            (Status::Accepted, 201, "accepted"),
            (Status::Revision, 201, "revision"),
            (Status::AlreadyReceived, 200, "already_received"),
            (Status::HeldGap, 202, "held_gap"),
            (Status::Fork, 409, "fork"),
            (Status::Refused, 422, "refused"),
            (Status::TooLarge, 413, "too_large"),
            (Status::TooManyRequests, 429, "too_many_requests"),
            (Status::Busy, 503, "busy"),
            (Status::BadRequest, 400, "bad_request"),
            (Status::NotFound, 404, "not_found"),
            (Status::Timeout, 408, "timeout"),
            (Status::MethodNotAllowed, 405, "method_not_allowed"),
            (Status::Head, 200, "head"),
            (Status::Answer, 200, "answer"),
        ];
        for (s, code, name) in table {
            assert_eq!(s.http(), code, "{s:?}");
            assert_eq!(serde_json::to_value(s).unwrap(), name);
        }
    }
}
