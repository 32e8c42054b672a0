//! Fault injection: per endpoint, added latency, 500/503, malformed JSON, a connection that
//! never answers, or Graph throttling (429), for the next N requests or until cleared.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// The endpoints faults can target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `/{tenant}/v2.0/.well-known/openid-configuration`.
    Discovery,
    /// `/{tenant}/discovery/v2.0/keys`.
    Keys,
    /// `/{tenant}/oauth2/v2.0/authorize` and the sign-in pages.
    Authorize,
    /// `/{tenant}/v2.0/adminconsent`.
    AdminConsent,
    /// `/{tenant}/oauth2/v2.0/token`.
    Token,
    /// `GET /v1.0/users/{id}`.
    GraphUser,
    /// `GET /v1.0/users/{id}/mailFolders/{folder}`.
    GraphMailFolder,
    /// `GET …/mailFolders/{folder}/messages`.
    GraphMessages,
    /// `GET …/mailFolders/{folder}/messages/delta`.
    GraphDelta,
    /// `GET|PATCH|DELETE /v1.0/users/{id}/messages/{mid}`.
    GraphMessage,
    /// `GET …/messages/{mid}/attachments`.
    GraphAttachments,
    /// `GET …/messages/{mid}/attachments/{aid}/$value`.
    GraphAttachmentValue,
    /// `POST /v1.0/users/{id}/sendMail`.
    GraphSend,
}

impl Endpoint {
    /// Whether this is a Graph endpoint.
    pub fn is_graph(self) -> bool {
        matches!(
            self,
            Self::GraphUser
                | Self::GraphMailFolder
                | Self::GraphMessages
                | Self::GraphDelta
                | Self::GraphMessage
                | Self::GraphAttachments
                | Self::GraphAttachmentValue
                | Self::GraphSend
        )
    }

    /// The snake_case name used by the admin API.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// Whether a fault's `endpoint` pattern covers this endpoint: its name, `graph` (every
    /// Graph endpoint) or `*`.
    pub fn matches(self, pattern: &str) -> bool {
        pattern == "*" || (pattern == "graph" && self.is_graph()) || pattern == self.name()
    }
}

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer normally, after a delay.
    Latency {
        /// Added delay.
        millis: u64,
    },
    /// 500 with the endpoint's error body.
    ServerError,
    /// 503, optionally with `Retry-After`.
    ServiceUnavailable {
        /// `Retry-After` seconds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_seconds: Option<u64>,
    },
    /// 200 with a truncated JSON (or HTML) body.
    MalformedJson,
    /// Accept the request and never answer.
    Hang,
    /// Graph only: 429 `TooManyRequests` with `Retry-After`.
    Throttle {
        /// `Retry-After` seconds.
        retry_after_seconds: u64,
    },
    /// Graph only: 404 `ErrorItemNotFound`, as for a message deleted after a delta page
    /// listed it and before its attachments were fetched or it was marked read.
    ItemGone,
}

/// A fault as configured through the admin API or the library.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultSpec {
    /// Endpoint name (see [`Endpoint`]), `graph` or `*`.
    pub endpoint: String,
    /// The fault.
    #[serde(flatten)]
    pub fault: Fault,
    /// For this many matching requests; absent means until cleared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
}

/// A fault pattern that names no endpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown endpoint '{0}' (use an endpoint name, 'graph' or '*')")]
pub struct UnknownEndpoint(pub String);

/// What a request runs into.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Triggered {
    /// Total added latency.
    pub latency: Duration,
    /// The fault that replaces the normal answer, if any.
    pub fault: Option<Fault>,
}

/// The active faults, in the order they were added.
#[derive(Debug, Clone, Default)]
pub struct FaultPlan {
    rules: Vec<FaultSpec>,
}

const ALL: [Endpoint; 13] = [
    Endpoint::Discovery,
    Endpoint::Keys,
    Endpoint::Authorize,
    Endpoint::AdminConsent,
    Endpoint::Token,
    Endpoint::GraphUser,
    Endpoint::GraphMailFolder,
    Endpoint::GraphMessages,
    Endpoint::GraphDelta,
    Endpoint::GraphMessage,
    Endpoint::GraphAttachments,
    Endpoint::GraphAttachmentValue,
    Endpoint::GraphSend,
];

impl FaultPlan {
    /// Adds a fault; the pattern must name an endpoint, `graph` or `*`.
    pub fn add(&mut self, spec: FaultSpec) -> Result<(), UnknownEndpoint> {
        if !ALL.iter().any(|e| e.matches(&spec.endpoint)) {
            return Err(UnknownEndpoint(spec.endpoint));
        }
        if spec.count != Some(0) {
            self.rules.push(spec);
        }
        Ok(())
    }

    /// Removes every fault.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// Removes the faults added with exactly this endpoint pattern.
    pub fn clear_endpoint(&mut self, pattern: &str) {
        self.rules.retain(|r| r.endpoint != pattern);
    }

    /// The faults still active, with their remaining counts.
    pub fn active(&self) -> &[FaultSpec] {
        &self.rules
    }

    /// What a request to `endpoint` runs into now: every matching latency adds up, and the
    /// first matching other fault replaces the answer. Each fault used counts down.
    pub fn take(&mut self, endpoint: Endpoint) -> Triggered {
        let mut triggered = Triggered::default();
        for rule in &mut self.rules {
            if !endpoint.matches(&rule.endpoint) {
                continue;
            }
            let applies = match &rule.fault {
                Fault::Latency { millis } => {
                    triggered.latency += Duration::from_millis(*millis);
                    true
                }
                Fault::Throttle { .. } | Fault::ItemGone if !endpoint.is_graph() => false,
                fault if triggered.fault.is_none() => {
                    triggered.fault = Some(fault.clone());
                    true
                }
                _ => false,
            };
            if applies {
                if let Some(count) = &mut rule.count {
                    *count -= 1;
                }
            }
        }
        self.rules.retain(|r| r.count != Some(0));
        triggered
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(endpoint: &str, fault: Fault, count: Option<u32>) -> FaultSpec {
        FaultSpec {
            endpoint: endpoint.into(),
            fault,
            count,
        }
    }

    #[test]
    fn counted_faults_run_out() {
        let mut plan = FaultPlan::default();
        assert!(plan.add(spec("token", Fault::ServerError, Some(2))).is_ok());
        assert_eq!(plan.take(Endpoint::Token).fault, Some(Fault::ServerError));
        assert_eq!(plan.take(Endpoint::GraphUser).fault, None);
        assert_eq!(plan.take(Endpoint::Token).fault, Some(Fault::ServerError));
        assert_eq!(plan.take(Endpoint::Token).fault, None);
        assert!(plan.active().is_empty());
    }

    #[test]
    fn uncounted_faults_last_until_cleared() {
        let mut plan = FaultPlan::default();
        assert!(plan.add(spec("graph", Fault::Hang, None)).is_ok());
        for _ in 0..5 {
            assert_eq!(plan.take(Endpoint::GraphSend).fault, Some(Fault::Hang));
        }
        assert_eq!(plan.take(Endpoint::Token).fault, None);
        plan.clear_endpoint("graph");
        assert_eq!(plan.take(Endpoint::GraphSend).fault, None);
    }

    #[test]
    fn latencies_add_up_and_first_fault_wins() {
        let mut plan = FaultPlan::default();
        let slow = Fault::Latency { millis: 100 };
        assert!(plan.add(spec("*", slow.clone(), None)).is_ok());
        assert!(plan.add(spec("graph_messages", slow, Some(1))).is_ok());
        let throttle = Fault::Throttle {
            retry_after_seconds: 3,
        };
        assert!(plan
            .add(spec("graph_messages", throttle.clone(), Some(1)))
            .is_ok());
        assert!(plan
            .add(spec("graph_messages", Fault::ServerError, Some(1)))
            .is_ok());
        let first = plan.take(Endpoint::GraphMessages);
        assert_eq!(first.latency, Duration::from_millis(200));
        assert_eq!(first.fault, Some(throttle));
        let second = plan.take(Endpoint::GraphMessages);
        assert_eq!(second.latency, Duration::from_millis(100));
        assert_eq!(second.fault, Some(Fault::ServerError));
    }

    #[test]
    fn throttling_skips_identity_endpoints() {
        let mut plan = FaultPlan::default();
        let throttle = Fault::Throttle {
            retry_after_seconds: 1,
        };
        assert!(plan.add(spec("*", throttle, None)).is_ok());
        assert_eq!(plan.take(Endpoint::Token).fault, None);
        assert!(plan.take(Endpoint::GraphUser).fault.is_some());
    }

    #[test]
    fn unknown_endpoints_are_refused() {
        let mut plan = FaultPlan::default();
        let err = plan.add(spec("graph_mesages", Fault::Hang, None));
        assert_eq!(err, Err(UnknownEndpoint("graph_mesages".into())));
        assert_eq!(Endpoint::GraphMailFolder.name(), "graph_mail_folder");
    }

    #[test]
    fn specs_parse_from_admin_json() {
        let json = r#"{"endpoint":"token","kind":"service_unavailable","retry_after_seconds":7,"count":1}"#;
        let parsed: Result<FaultSpec, _> = serde_json::from_str(json);
        assert_eq!(
            parsed.ok(),
            Some(spec(
                "token",
                Fault::ServiceUnavailable {
                    retry_after_seconds: Some(7)
                },
                Some(1)
            ))
        );
    }
}
