//! The activity chart: stacked bars per day as SVG, drawn on the server (the page needs no
//! script). Colours come from the stylesheet's classes (`s0`…`s5`); each bar has a title, and
//! the figure a text alternative.

use super::html::escape;
use crate::store::server::ActivityDay;

/// The series, bottom first: (class, legend).
pub const SERIES: [(&str, &str); 6] = [
    ("s0", "curated replies"),
    ("s1", "reference replies"),
    ("s2", "silences"),
    ("s3", "/fix lookups"),
    ("s4", "escalations opened"),
    ("s5", "escalations closed"),
];

fn values(d: &ActivityDay) -> [i64; 6] {
    [
        d.replies_curated,
        d.replies_reference,
        d.silences,
        d.lookups,
        d.escalations_opened,
        d.escalations_closed,
    ]
}

const W: i64 = 720;
const H: i64 = 240;
const LEFT: i64 = 44;
const BOTTOM: i64 = 28;
const TOP: i64 = 12;

/// The chart of `days` (oldest first) as an `<svg>` element.
pub fn svg(days: &[ActivityDay]) -> String {
    let max = days
        .iter()
        .map(|d| values(d).iter().sum::<i64>())
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_h = H - TOP - BOTTOM;
    let slot = (W - LEFT) as f64 / days.len().max(1) as f64;
    let bar = (slot * 0.7).max(1.0);
    let total: i64 = days.iter().map(|d| values(d).iter().sum::<i64>()).sum();
    let mut out = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\">\
         <title id=\"chart-title\">Activity per day, last {} days</title>\
         <desc id=\"chart-desc\">{total} events in all; the busiest day had {max}. The table below the chart holds every value.</desc>",
        days.len()
    );
    // Axis: 0 and the maximum, and a base line.
    let base = H - BOTTOM;
    out.push_str(&format!(
        "<line class=\"axis\" x1=\"{LEFT}\" y1=\"{base}\" x2=\"{W}\" y2=\"{base}\"/>\
         <line class=\"grid\" x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{W}\" y2=\"{TOP}\"/>\
         <text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>\
         <text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text>",
        LEFT - 6,
        base,
        LEFT - 6,
        TOP + 10,
    ));
    for (i, d) in days.iter().enumerate() {
        let x = LEFT as f64 + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = base as f64;
        for (v, (class, name)) in values(d).into_iter().zip(SERIES) {
            if v == 0 {
                continue;
            }
            let h = v as f64 * plot_h as f64 / max as f64;
            y -= h;
            out.push_str(&format!(
                "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\"><title>{}: {v} {name}</title></rect>",
                escape(&d.day)
            ));
        }
        // Dates under the first, middle and last bars.
        if i == 0 || i + 1 == days.len() || i == days.len() / 2 {
            // The first and last labels stay inside the chart.
            let (anchor, at) = if i == 0 {
                ("start", x)
            } else if i + 1 == days.len() {
                ("end", x + bar)
            } else {
                ("middle", x + bar / 2.0)
            };
            out.push_str(&format!(
                "<text class=\"tick\" x=\"{at:.1}\" y=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                H - 8,
                escape(d.day.get(5..).unwrap_or(&d.day))
            ));
        }
    }
    out.push_str("</svg>");
    out
}

/// The legend, as a list.
pub fn legend() -> String {
    let mut out = String::from("<ul class=\"legend\">");
    for (class, name) in SERIES {
        out.push_str(&format!(
            "<li><svg class=\"key\" viewBox=\"0 0 10 10\" aria-hidden=\"true\"><rect class=\"{class}\" width=\"10\" height=\"10\"/></svg>{name}</li>"
        ));
    }
    out.push_str("</ul>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(n: i64) -> ActivityDay {
        ActivityDay {
            day: format!("2026-12-{n:02}"),
            replies_curated: n,
            silences: 1,
            ..ActivityDay::default()
        }
    }

    #[test]
    fn bars_scale_to_the_busiest_day_and_every_value_has_a_title() {
        let days: Vec<ActivityDay> = (1..=4).map(day).collect();
        let s = svg(&days);
        assert!(s.contains("the busiest day had 5"), "{s}");
        // Four curated bars, four silence bars.
        assert_eq!(s.matches("<rect class=\"s0\"").count(), 4);
        assert_eq!(s.matches("<rect class=\"s2\"").count(), 4);
        assert!(s.contains("<title>2026-12-04: 4 curated replies</title>"));
        // The busiest day's bar reaches the top of the plot.
        assert!(s.contains(&format!("y=\"{TOP}.0\"")), "{s}");
    }

    #[test]
    fn an_empty_month_draws_no_bars() {
        let days: Vec<ActivityDay> = (1..=30)
            .map(|n| ActivityDay {
                day: format!("2026-11-{n:02}"),
                ..ActivityDay::default()
            })
            .collect();
        let s = svg(&days);
        assert!(!s.contains("<rect"));
        assert!(s.contains("0 events in all"));
    }
}
