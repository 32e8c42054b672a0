//! OData query options on message lists: `$top`, `$skip`, `$select`, `$orderby` and
//! `$filter` on `receivedDateTime` (and `isRead`).

use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::error::GraphError;
use crate::directory::Message;

/// Graph's default page size for messages.
pub const DEFAULT_TOP: usize = 10;
const MAX_TOP: usize = 1000;

/// Parsed query options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// Page size.
    pub top: usize,
    /// Items to skip.
    pub skip: usize,
    /// Selected properties.
    pub select: Option<Vec<String>>,
    /// Sort order.
    pub order: Order,
    /// Conditions, all of which must hold.
    pub filter: Vec<Condition>,
}

/// `$orderby`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Order {
    /// The property.
    pub field: OrderField,
    /// `desc`.
    pub descending: bool,
}

/// Properties messages can be ordered by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderField {
    /// `receivedDateTime`.
    ReceivedDateTime,
    /// `subject`.
    Subject,
}

/// One `$filter` comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `receivedDateTime <op> <instant>`.
    Received(Comparison, DateTime<Utc>),
    /// `isRead eq <bool>`.
    IsRead(bool),
}

/// OData comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `eq`.
    Eq,
    /// `gt`.
    Gt,
    /// `ge`.
    Ge,
    /// `lt`.
    Lt,
    /// `le`.
    Le,
}

impl ListQuery {
    /// Parses `$top`, `$skip`, `$select`, `$orderby`, `$filter` (default: 10 newest first).
    pub fn parse(params: &HashMap<String, String>) -> Result<Self, GraphError> {
        let number = |name: &str, default: usize| -> Result<usize, GraphError> {
            params.get(name).map_or(Ok(default), |v| {
                v.trim().parse::<usize>().map_err(|_| {
                    GraphError::bad_request(format!(
                        "Invalid value '{v}' for query option '{name}'."
                    ))
                })
            })
        };
        let top = number("$top", DEFAULT_TOP)?.clamp(1, MAX_TOP);
        let select = params.get("$select").map(|s| {
            s.split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect()
        });
        Ok(Self {
            top,
            skip: number("$skip", 0)?,
            select,
            order: parse_order(params.get("$orderby").map(String::as_str))?,
            filter: parse_filter(params.get("$filter").map(String::as_str))?,
        })
    }

    /// Filters, sorts and pages; returns the page and whether more follow.
    pub fn apply<'m>(
        &self,
        messages: impl Iterator<Item = &'m Message>,
    ) -> (Vec<&'m Message>, bool) {
        let mut matching: Vec<&Message> =
            messages.filter(|m| matches_all(&self.filter, m)).collect();
        matching.sort_by(|a, b| self.order.compare(a, b));
        let has_more = matching.len() > self.skip + self.top;
        let page = matching
            .into_iter()
            .skip(self.skip)
            .take(self.top)
            .collect();
        (page, has_more)
    }
}

impl Order {
    fn compare(&self, a: &Message, b: &Message) -> Ordering {
        let ordering = match self.field {
            OrderField::ReceivedDateTime => a.received_at.cmp(&b.received_at),
            OrderField::Subject => a.subject.cmp(&b.subject),
        };
        let ordering = ordering.then_with(|| a.id.cmp(&b.id));
        if self.descending {
            ordering.reverse()
        } else {
            ordering
        }
    }
}

/// Whether a message satisfies every condition.
pub fn matches_all(conditions: &[Condition], message: &Message) -> bool {
    conditions.iter().all(|c| match c {
        Condition::IsRead(value) => message.is_read == *value,
        Condition::Received(op, at) => {
            let ordering = message.received_at.cmp(at);
            match op {
                Comparison::Eq => ordering == Ordering::Equal,
                Comparison::Gt => ordering == Ordering::Greater,
                Comparison::Ge => ordering != Ordering::Less,
                Comparison::Lt => ordering == Ordering::Less,
                Comparison::Le => ordering != Ordering::Greater,
            }
        }
    })
}

fn parse_order(orderby: Option<&str>) -> Result<Order, GraphError> {
    let Some(orderby) = orderby else {
        return Ok(Order {
            field: OrderField::ReceivedDateTime,
            descending: true,
        });
    };
    let mut parts = orderby.split_whitespace();
    let field = match parts.next().map(str::to_ascii_lowercase).as_deref() {
        Some("receiveddatetime") => OrderField::ReceivedDateTime,
        Some("subject") => OrderField::Subject,
        _ => {
            return Err(GraphError::bad_request(format!(
                "Could not find a property named '{orderby}' on type 'microsoft.graph.message'."
            )))
        }
    };
    let descending = match parts.next().map(str::to_ascii_lowercase).as_deref() {
        None | Some("asc") => false,
        Some("desc") => true,
        Some(other) => {
            return Err(GraphError::bad_request(format!(
                "Invalid sort direction '{other}'."
            )))
        }
    };
    Ok(Order { field, descending })
}

/// Parses `$filter`: comparisons joined by `and`.
pub fn parse_filter(filter: Option<&str>) -> Result<Vec<Condition>, GraphError> {
    let Some(filter) = filter.filter(|f| !f.trim().is_empty()) else {
        return Ok(Vec::new());
    };
    let invalid = || {
        GraphError::new(
            400,
            "ErrorInvalidUrlQueryFilter",
            "The query filter contains one or more invalid nodes.",
        )
    };
    let tokens: Vec<&str> = filter.split_whitespace().collect();
    tokens
        .split(|t| t.eq_ignore_ascii_case("and"))
        .map(|clause| match clause {
            [property, op, value] => parse_condition(property, op, value).ok_or_else(invalid),
            _ => Err(invalid()),
        })
        .collect()
}

fn parse_condition(property: &str, op: &str, value: &str) -> Option<Condition> {
    let op = match op.to_ascii_lowercase().as_str() {
        "eq" => Comparison::Eq,
        "gt" => Comparison::Gt,
        "ge" => Comparison::Ge,
        "lt" => Comparison::Lt,
        "le" => Comparison::Le,
        _ => return None,
    };
    match property.to_ascii_lowercase().as_str() {
        "receiveddatetime" => {
            let value = value.trim_matches('\'');
            let at = DateTime::parse_from_rfc3339(value)
                .ok()?
                .with_timezone(&Utc);
            Some(Condition::Received(op, at))
        }
        "isread" if op == Comparison::Eq => value.parse().ok().map(Condition::IsRead),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::Directory;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn defaults_are_ten_newest_first() {
        let query = ListQuery::parse(&HashMap::new());
        assert_eq!(
            query.as_ref().map(|q| (q.top, q.order.descending)).ok(),
            Some((10, true))
        );
    }

    #[test]
    fn filter_on_received_date_time() {
        let demo = Directory::demo().unwrap_or_default();
        let messages = &demo.tenants[0].users[0].messages;
        let query = ListQuery::parse(&params(&[
            (
                "$filter",
                "receivedDateTime ge 2026-01-06T00:00:00Z and isRead eq false",
            ),
            ("$orderby", "receivedDateTime asc"),
        ]));
        let Ok(query) = query else {
            panic!("query parses")
        };
        let (page, more) = query.apply(messages.iter());
        let subjects: Vec<&str> = page.iter().map(|m| m.subject.as_str()).collect();
        assert_eq!(subjects, ["Zonnepanelen op het dorpshuis"]);
        assert!(!more);
    }

    #[test]
    fn paging_reports_more() {
        let demo = Directory::demo().unwrap_or_default();
        let messages = &demo.tenants[0].users[0].messages;
        let Ok(query) = ListQuery::parse(&params(&[("$top", "2")])) else {
            panic!("parses")
        };
        let (page, more) = query.apply(messages.iter());
        assert_eq!(page.len(), 2);
        assert!(more);
        assert_eq!(page[0].subject, "Zonnepanelen op het dorpshuis");
    }

    #[test]
    fn bad_filters_are_rejected() {
        for filter in [
            "subject eq 'x'",
            "receivedDateTime ge yesterday",
            "receivedDateTime",
        ] {
            let err = parse_filter(Some(filter)).err().map(|e| e.code);
            assert_eq!(err, Some("ErrorInvalidUrlQueryFilter"), "{filter}");
        }
        assert!(ListQuery::parse(&params(&[("$top", "x")])).is_err());
    }
}
