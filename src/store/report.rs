//! The report as text, for a support lead.

use super::{EntryVotes, Report};

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "Entries by helpfulness (solved / didn't help):")?;
        for e in &self.entries {
            writeln!(f, "  {:<36} {:>4} / {}", e.entry, e.solved, e.unhelpful)?;
        }
        if self.entries.is_empty() {
            writeln!(f, "  (no votes yet)")?;
        }
        let mut worst: Vec<&EntryVotes> = self.entries.iter().filter(|e| e.unhelpful > 0).collect();
        worst.sort_by(|a, b| b.unhelpful.cmp(&a.unhelpful).then(a.entry.cmp(&b.entry)));
        if !worst.is_empty() {
            writeln!(f, "\nMost often didn't help (the entries to improve):")?;
            for e in worst.iter().take(10) {
                writeln!(f, "  {:<36} {:>4}", e.entry, e.unhelpful)?;
            }
        }
        writeln!(
            f,
            "\nEscalations: {} open, {} closed",
            self.escalations_open, self.escalations_closed
        )?;
        writeln!(
            f,
            "\nMost frequent errors nothing answered (the entries to write next):"
        )?;
        for u in &self.unanswered {
            writeln!(
                f,
                "  {:>4}× {} — since {}, last {} — {}",
                u.count,
                u.signature,
                crate::text::dates::civil(u.first_at.div_euclid(86_400)),
                crate::text::dates::civil(u.last_at.div_euclid(86_400)),
                u.last_excerpt
            )?;
        }
        if self.unanswered.is_empty() {
            writeln!(f, "  (none recorded)")?;
        }
        Ok(())
    }
}
