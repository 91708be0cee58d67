//! The metrics a process exposes in Prometheus' text format. Labels are bounded sets named
//! here (a tier, a reason, a command's name, a vote): never a user's text, a user id or a
//! server's name.

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// A knowledge base's tier.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq, EncodeLabelValue)]
#[allow(non_camel_case_types)]
pub enum Tier {
    curated,
    reference,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TierLabel {
    tier: Tier,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabel {
    reason: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CommandLabel {
    command: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EventLabel {
    event: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VoteLabel {
    vote: &'static str,
}

/// An escalation's event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escalation {
    Opened,
    Closed,
}

/// A vote on an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vote {
    Solved,
    Unhelpful,
}

/// Every metric of a process, registered once.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    messages: Counter,
    replies: Family<TierLabel, Counter>,
    silences: Family<ReasonLabel, Counter>,
    latency: Histogram,
    commands: Family<CommandLabel, Counter>,
    escalations: Family<EventLabel, Counter>,
    votes: Family<VoteLabel, Counter>,
    record_errors: Counter,
    kb_entries: Family<TierLabel, Gauge>,
    shards_connected: Gauge,
}

/// Event → reply latency buckets, in seconds: 5 ms to 10 s.
const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0,
];

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("errmedic");
        let m = Metrics {
            messages: Counter::default(),
            replies: Family::default(),
            silences: Family::default(),
            latency: Histogram::new(LATENCY_BUCKETS),
            commands: Family::default(),
            escalations: Family::default(),
            votes: Family::default(),
            record_errors: Counter::default(),
            kb_entries: Family::default(),
            shards_connected: Gauge::default(),
            registry: Registry::default(),
        };
        registry.register("messages", "Messages read", m.messages.clone());
        registry.register(
            "replies",
            "Unprompted replies posted, by tier",
            m.replies.clone(),
        );
        registry.register(
            "silences",
            "Messages read and left unanswered, by reason",
            m.silences.clone(),
        );
        registry.register(
            "reply_latency_seconds",
            "From the event received to the reply sent",
            m.latency.clone(),
        );
        registry.register("commands", "Commands run, by name", m.commands.clone());
        registry.register(
            "escalations",
            "Escalations opened and closed",
            m.escalations.clone(),
        );
        registry.register("votes", "Votes on answers", m.votes.clone());
        registry.register(
            "record_errors",
            "Operations on the record that failed",
            m.record_errors.clone(),
        );
        registry.register(
            "kb_entries",
            "Entries in the knowledge base served, by tier",
            m.kb_entries.clone(),
        );
        registry.register(
            "shards_connected",
            "Gateway shards of this process connected",
            m.shards_connected.clone(),
        );
        Metrics { registry, ..m }
    }

    pub fn message_read(&self) {
        self.messages.inc();
    }

    pub fn replied(&self, tier: Tier, latency: std::time::Duration) {
        self.replies.get_or_create(&TierLabel { tier }).inc();
        self.latency.observe(latency.as_secs_f64());
    }

    /// A message left unanswered; `reason` is one of a fixed set (the gate's vetoes, "below
    /// threshold", the adapter's own reasons).
    pub fn silent(&self, reason: &'static str) {
        self.silences.get_or_create(&ReasonLabel { reason }).inc();
    }

    /// A command run; `name` is the command's qualified name (a fixed set).
    pub fn command(&self, name: &str) {
        self.commands
            .get_or_create(&CommandLabel {
                command: name.to_string(),
            })
            .inc();
    }

    pub fn escalation(&self, event: Escalation) {
        let event = match event {
            Escalation::Opened => "opened",
            Escalation::Closed => "closed",
        };
        self.escalations.get_or_create(&EventLabel { event }).inc();
    }

    pub fn vote(&self, vote: Vote) {
        let vote = match vote {
            Vote::Solved => "solved",
            Vote::Unhelpful => "unhelpful",
        };
        self.votes.get_or_create(&VoteLabel { vote }).inc();
    }

    pub fn record_error(&self) {
        self.record_errors.inc();
    }

    pub fn kb_entries(&self, curated: usize, reference: usize) {
        for (tier, n) in [(Tier::curated, curated), (Tier::reference, reference)] {
            self.kb_entries
                .get_or_create(&TierLabel { tier })
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
    }

    pub fn shards_connected(&self, n: usize) {
        self.shards_connected
            .set(i64::try_from(n).unwrap_or(i64::MAX));
    }

    /// The metrics in Prometheus' text format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_metric_is_named_and_counts() {
        let m = Metrics::new();
        m.message_read();
        m.replied(Tier::curated, std::time::Duration::from_millis(12));
        m.silent("below_threshold");
        m.command("fix");
        m.escalation(Escalation::Opened);
        m.vote(Vote::Solved);
        m.record_error();
        m.kb_entries(22, 500);
        m.shards_connected(1);
        let text = m.encode();
        for line in [
            "errmedic_messages_total 1",
            "errmedic_replies_total{tier=\"curated\"} 1",
            "errmedic_silences_total{reason=\"below_threshold\"} 1",
            "errmedic_reply_latency_seconds_count 1",
            "errmedic_reply_latency_seconds_bucket{le=\"0.02\"} 1",
            "errmedic_commands_total{command=\"fix\"} 1",
            "errmedic_escalations_total{event=\"opened\"} 1",
            "errmedic_votes_total{vote=\"solved\"} 1",
            "errmedic_record_errors_total 1",
            "errmedic_kb_entries{tier=\"reference\"} 500",
            "errmedic_shards_connected 1",
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
    }
}
