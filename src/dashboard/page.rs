//! The dashboard page: plain HTML from a server's view, no script, one stylesheet of our own
//! (`style.css`), every link and download relative to the page. Everything from the record is
//! escaped. Pure.

use super::chart;
use super::home::{Home, STALE_DAYS};
pub use super::html::escape;
use super::tables::{draft_command, span, when};
use crate::store::server::{ServerView, DAYS};

/// The stylesheet, served beside the page.
pub const STYLE: &str = include_str!("style.css");

/// The page for one server's view (and the home server's part, on its page).
pub fn render(view: &ServerView, home: Option<&Home>) -> String {
    let mut p = String::with_capacity(32 * 1024);
    let t = &view.totals;
    p.push_str(&format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"referrer\" content=\"no-referrer\">\
         <title>errmedic · server {guild}</title>\
         <link rel=\"stylesheet\" href=\"style.css\"></head><body>\
         <header><h1>errmedic</h1><p>Server <strong>{guild}</strong> · last {DAYS} days (UTC) · as of {at}</p></header><main>",
        guild = escape(&view.guild),
        at = when(view.generated_at),
    ));
    p.push_str("<section aria-labelledby=\"h-summary\"><h2 id=\"h-summary\">In short</h2><dl class=\"cards\">");
    for (label, value) in [
        ("Replies", t.replies_curated + t.replies_reference),
        ("of them from the reference tier", t.replies_reference),
        ("Errors left unanswered", t.silences),
        ("/fix lookups", t.lookups),
        ("Escalations opened", t.escalations_opened),
        ("Escalations closed", t.escalations_closed),
        ("Open now", view.open_count),
    ] {
        p.push_str(&format!(
            "<div><dt>{}</dt><dd data-figure=\"{}\">{value}</dd></div>",
            escape(label),
            slug(label)
        ));
    }
    p.push_str("</dl></section>");

    p.push_str(
        "<section aria-labelledby=\"h-activity\"><h2 id=\"h-activity\">Activity</h2><figure>",
    );
    p.push_str(&chart::svg(&view.activity));
    p.push_str("<figcaption>");
    p.push_str(&chart::legend());
    p.push_str("</figcaption></figure>");
    p.push_str("<details><summary>Activity by day, as a table</summary>");
    table(
        &mut p,
        "activity",
        "Activity by day",
        &[
            "Day",
            "Curated replies",
            "Reference replies",
            "Silences",
            "Lookups",
            "Escalations opened",
            "Escalations closed",
        ],
        view.activity.iter().map(|d| {
            vec![
                escape(&d.day),
                d.replies_curated.to_string(),
                d.replies_reference.to_string(),
                d.silences.to_string(),
                d.lookups.to_string(),
                d.escalations_opened.to_string(),
                d.escalations_closed.to_string(),
            ]
        }),
        "",
    );
    p.push_str("</details>");
    downloads(&mut p, "activity");
    p.push_str("</section>");

    p.push_str("<section aria-labelledby=\"h-unanswered\"><h2 id=\"h-unanswered\">Errors nothing answered</h2>\
        <p class=\"hint\">The entries to write next: most frequent first. Run the line on the bot's machine to start a draft.</p>");
    table(
        &mut p,
        "unanswered",
        "Errors nothing answered, the 25 most frequent",
        &[
            "Error",
            "Times",
            "First seen",
            "Last seen",
            "Last excerpt",
            "Draft it",
        ],
        view.unanswered.iter().map(|u| {
            vec![
                format!("<code>{}</code>", escape(&u.signature)),
                u.count.to_string(),
                when(u.first_at),
                when(u.last_at),
                format!("<q>{}</q>", escape(&u.last_excerpt)),
                format!("<code>{}</code>", escape(&draft_command(&u.signature))),
            ]
        }),
        "No unanswered errors in these days.",
    );
    downloads(&mut p, "unanswered");
    p.push_str("</section>");

    p.push_str(
        "<section aria-labelledby=\"h-entries\"><h2 id=\"h-entries\">Entries by helpfulness</h2>\
        <p class=\"hint\">The ones that most often did not help first.</p>",
    );
    table(
        &mut p,
        "entries",
        "Entries by helpfulness",
        &["Entry", "Shown", "Solved", "Didn't help", "Escalated"],
        view.entries.iter().map(|e| {
            vec![
                format!("<code>{}</code>", escape(&e.entry)),
                e.shown.to_string(),
                e.solved.to_string(),
                e.unhelpful.to_string(),
                e.escalated.to_string(),
            ]
        }),
        "No answers shown in these days.",
    );
    downloads(&mut p, "entries");
    p.push_str("</section>");

    let thread = |id: &str| {
        format!(
            "<a href=\"https://discord.com/channels/{}/{}\">{}</a>",
            escape(&view.guild),
            escape(id),
            escape(id)
        )
    };
    p.push_str("<section aria-labelledby=\"h-open\"><h2 id=\"h-open\">Open escalations</h2>");
    table(
        &mut p,
        "open_escalations",
        "Open escalations, the 100 oldest first",
        &["Thread", "Opened", "Age", "Entry"],
        view.open_escalations.iter().map(|e| {
            vec![
                thread(&e.thread_id),
                when(e.opened_at),
                span(e.age_secs),
                escape(e.entry.as_deref().unwrap_or("—")),
            ]
        }),
        "No open escalations.",
    );
    downloads(&mut p, "open_escalations");
    p.push_str("</section>");

    p.push_str("<section aria-labelledby=\"h-closed\"><h2 id=\"h-closed\">Closed escalations</h2>");
    table(
        &mut p,
        "closed_escalations",
        "Closed escalations, the last 50 closed first",
        &["Thread", "Opened", "Closed", "Time to close", "Entry"],
        view.closed_escalations.iter().map(|e| {
            vec![
                thread(&e.thread_id),
                when(e.opened_at),
                when(e.closed_at),
                span(e.secs_to_close),
                escape(e.entry.as_deref().unwrap_or("—")),
            ]
        }),
        "No escalations closed in these days.",
    );
    downloads(&mut p, "closed_escalations");
    p.push_str("</section>");

    if let Some(home) = home {
        p.push_str("<section aria-labelledby=\"h-drafts\"><h2 id=\"h-drafts\">Drafts waiting for review</h2>");
        table(
            &mut p,
            "drafts",
            "Drafts waiting for review",
            &["Draft", "Title", "From"],
            home.drafts.iter().map(|d| {
                vec![
                    format!("<code>{}</code>", escape(&d.id)),
                    escape(&d.title),
                    escape(&d.origin),
                ]
            }),
            "No drafts waiting.",
        );
        downloads(&mut p, "drafts");
        p.push_str("</section>");
        p.push_str(&format!(
            "<section aria-labelledby=\"h-stale\"><h2 id=\"h-stale\">Entries not reviewed in {STALE_DAYS} days</h2>"
        ));
        table(
            &mut p,
            "stale_entries",
            "Entries due for review",
            &["Entry", "Title", "Last reviewed"],
            home.stale.iter().map(|e| {
                vec![
                    format!("<code>{}</code>", escape(&e.id)),
                    escape(&e.title),
                    escape(&e.reviewed),
                ]
            }),
            "Every entry was reviewed recently.",
        );
        downloads(&mut p, "stale_entries");
        p.push_str("</section>");
    }
    p.push_str("</main><footer><p>This link is yours: it shows this server only and expires. Ask <code>/errmedic dashboard</code> for a new one.</p></footer></body></html>\n");
    p
}

fn slug(label: &str) -> String {
    label
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => Some(c.to_ascii_lowercase()),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

/// A table whose cells are HTML already; `empty` is said instead of an empty table.
fn table(
    p: &mut String,
    id: &str,
    caption: &str,
    headers: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
    empty: &str,
) {
    let rows: Vec<Vec<String>> = rows.collect();
    if rows.is_empty() && !empty.is_empty() {
        p.push_str(&format!(
            "<p class=\"empty\" id=\"t-{id}\">{}</p>",
            escape(empty)
        ));
        return;
    }
    p.push_str(&format!(
        "<div class=\"scroll\" role=\"region\" aria-label=\"{c}\" tabindex=\"0\"><table id=\"t-{id}\" role=\"table\"><caption>{c}</caption><thead role=\"rowgroup\"><tr role=\"row\">",
        c = escape(caption)
    ));
    for h in headers {
        p.push_str(&format!(
            "<th scope=\"col\" role=\"columnheader\">{}</th>",
            escape(h)
        ));
    }
    // Explicit roles: on a phone the rows are laid out as cards, which would otherwise lose
    // their table semantics for screen readers.
    p.push_str("</tr></thead><tbody role=\"rowgroup\">");
    for r in rows {
        p.push_str("<tr role=\"row\">");
        for (i, c) in r.iter().enumerate() {
            if i == 0 {
                p.push_str(&format!("<th scope=\"row\" role=\"rowheader\">{c}</th>"));
            } else {
                // The header again, for narrow screens where a row reads as a card.
                let label = escape(headers.get(i).copied().unwrap_or(""));
                p.push_str(&format!(
                    "<td role=\"cell\" data-label=\"{label}\">{c}</td>"
                ));
            }
        }
        p.push_str("</tr>");
    }
    p.push_str("</tbody></table></div>");
}

fn downloads(p: &mut String, table: &str) {
    p.push_str(&format!(
        "<p class=\"downloads\">Download: <a href=\"?format=csv&amp;table={table}\" download>CSV</a> · <a href=\"?format=json&amp;table={table}\">JSON</a></p>"
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::server::{ActivityDay, EntryHelp, OpenEscalation};
    use crate::store::Unanswered;

    fn view() -> ServerView {
        ServerView {
            guild: "42".into(),
            generated_at: 1_764_806_400,
            days: DAYS,
            activity: vec![ActivityDay {
                day: "2025-12-04".into(),
                replies_curated: 3,
                ..ActivityDay::default()
            }],
            totals: ActivityDay {
                day: "total".into(),
                replies_curated: 3,
                ..ActivityDay::default()
            },
            unanswered: vec![Unanswered {
                signature: "AADSTS700016".into(),
                count: 2,
                first_at: 0,
                last_at: 60,
                last_excerpt: "<script>alert('x')</script> AADSTS700016".into(),
            }],
            entries: vec![EntryHelp {
                entry: "token-expired".into(),
                shown: 3,
                solved: 1,
                unhelpful: 1,
                escalated: 0,
            }],
            open_escalations: vec![OpenEscalation {
                thread_id: "777".into(),
                opened_at: 0,
                age_secs: 7_200,
                entry: None,
            }],
            closed_escalations: Vec::new(),
            open_count: 1,
        }
    }

    #[test]
    fn the_record_s_text_is_escaped_and_nothing_is_fetched_elsewhere() {
        let html = render(&view(), None);
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
        // No script at all, no inline style, nothing from another origin but thread links.
        assert!(!html.contains("style=\""));
        assert!(!html.contains("src="), "a source attribute: {html}");
        let external: Vec<&str> = html
            .split("href=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap())
            .filter(|h| h.starts_with("http") || h.starts_with("//"))
            .collect();
        assert!(
            external
                .iter()
                .all(|h| h.starts_with("https://discord.com/channels/42/")),
            "{external:?}"
        );
    }

    #[test]
    fn the_page_shows_the_figures_and_home_tables_only_at_home() {
        let html = render(&view(), None);
        assert!(
            html.contains("<dd data-figure=\"replies\">3</dd>"),
            "{html}"
        );
        assert!(html.contains("https://discord.com/channels/42/777"));
        assert!(html.contains("2 h 0 min"));
        assert!(html.contains("errmedic kb draft --signature &#39;AADSTS700016&#39;"));
        assert!(!html.contains("Drafts waiting"));
        let home = Home::default();
        let html = render(&view(), Some(&home));
        assert!(html.contains("Drafts waiting for review"));
        assert!(html.contains("No drafts waiting."));
        // Headings and table headers for screen readers.
        assert!(html.contains("<th scope=\"col\" role=\"columnheader\">Times</th>"));
        assert!(
            html.contains("<th scope=\"row\" role=\"rowheader\"><code>token-expired</code></th>")
        );
    }
}
