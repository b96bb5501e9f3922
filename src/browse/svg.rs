//! Bar charts as server-rendered SVG (no JavaScript, no chart library): stacked or grouped
//! bars over categories (years), with axis ticks, a legend and a `<title>` tooltip per bar.
//! Hand-written because the charts are few and simple and a plotting crate would pull in a
//! rendering stack for what is a few dozen `<rect>`s.

use maud::{html, Markup};

/// One series of a chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// Legend text.
    pub label: String,
    /// Fill colour (CSS).
    pub color: &'static str,
    /// One value per category.
    pub values: Vec<f64>,
}

/// Colours for series, in order.
pub const PALETTE: &[&str] = &[
    "#1f5fae", "#e08a1e", "#2e9c5a", "#b3261e", "#7a4fb3", "#14a3a3", "#c2559a", "#7d7d2a",
    "#5d6677",
];

const W: f64 = 600.0;
const H: f64 = 280.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 10.0;
const BOTTOM: f64 = 26.0;
const LEGEND_ROW: f64 = 18.0;

/// A step of 1, 2 or 5 × 10ⁿ giving about four ticks up to `max`.
fn tick_step(max: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    if step < 1.0 {
        1.0
    } else {
        step
    }
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The non-zero segments of category `i` stacked: (series, base, value).
fn stack(
    series: &[Series],
    i: usize,
    value: impl Fn(&Series, usize) -> f64,
) -> Vec<(&Series, f64, f64)> {
    let mut base = 0.0;
    let mut out = Vec::new();
    for s in series {
        let v = value(s, i);
        if v > 0.0 {
            out.push((s, base, v));
            base += v;
        }
    }
    out
}

/// A bar chart; `stacked` stacks the series, otherwise bars stand side by side. `unit` follows
/// values in tooltips (`%`, or empty); `description` is the accessible name.
pub fn bars(
    categories: &[String],
    series: &[Series],
    stacked: bool,
    unit: &str,
    description: &str,
) -> Markup {
    let value = |s: &Series, i: usize| {
        s.values
            .get(i)
            .copied()
            .filter(|v| v.is_finite() && *v > 0.0)
            .unwrap_or(0.0)
    };
    let max = (0..categories.len())
        .map(|i| {
            if stacked {
                series.iter().map(|s| value(s, i)).sum::<f64>()
            } else {
                series.iter().map(|s| value(s, i)).fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max);
    let step = tick_step(max);
    let top = ((max / step).ceil() * step).max(step);
    let legend_rows = series.len().div_ceil(3) as f64;
    let plot_top = 8.0 + legend_rows * LEGEND_ROW;
    let plot_h = H - plot_top - BOTTOM;
    let plot_w = W - LEFT - RIGHT;
    let y = |v: f64| plot_top + plot_h * (1.0 - v / top);
    let band = plot_w / categories.len().max(1) as f64;
    let gap = band * 0.2;
    let ticks: Vec<f64> = (0..=((top / step).round() as usize).min(10))
        .map(|k| k as f64 * step)
        .collect();
    html! {
        svg xmlns="http://www.w3.org/2000/svg" viewBox={ "0 0 " (W) " " (H) } width="100%" role="img" aria-label=(description) {
            title { (description) }
            @for (k, s) in series.iter().enumerate() {
                @let lx = LEFT + (k % 3) as f64 * 180.0;
                @let ly = 8.0 + (k / 3) as f64 * LEGEND_ROW;
                rect x=(lx) y=(ly) width="11" height="11" fill=(s.color) {}
                text x=(lx + 15.0) y=(ly + 10.0) font-size="12" { (s.label) }
            }
            @for t in &ticks {
                line x1=(LEFT) x2=(W - RIGHT) y1=(y(*t)) y2=(y(*t)) stroke="#e3e7ee" {}
                text x=(LEFT - 6.0) y=(y(*t) + 4.0) font-size="11" text-anchor="end" fill="#5d6677" { (fmt(*t)) (unit) }
            }
            @for (i, cat) in categories.iter().enumerate() {
                @let x0 = LEFT + band * i as f64 + gap / 2.0;
                @let inner = band - gap;
                text x=(x0 + inner / 2.0) y=(H - 8.0) font-size="11" text-anchor="middle" fill="#5d6677" { (cat) }
                @if stacked {
                    @for (s, base, v) in stack(series, i, value) {
                        rect x=(x0) y=(y(base + v)) width=(inner) height=(y(base) - y(base + v)) fill=(s.color) {
                            title { (cat) " · " (s.label) ": " (fmt(v)) (unit) }
                        }
                    }
                } @else {
                    @let w = inner / series.len().max(1) as f64;
                    @for (k, s) in series.iter().enumerate() {
                        @let v = value(s, i);
                        rect x=(x0 + w * k as f64) y=(y(v)) width=(w.max(1.0)) height=(y(0.0) - y(v)) fill=(s.color) {
                            title { (cat) " · " (s.label) ": " (fmt(v)) (unit) }
                        }
                    }
                }
            }
            line x1=(LEFT) x2=(W - RIGHT) y1=(y(0.0)) y2=(y(0.0)) stroke="#9aa3b2" {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round() {
        assert_eq!(tick_step(0.0), 1.0);
        assert_eq!(tick_step(f64::NAN), 1.0);
        assert_eq!(tick_step(100.0), 50.0);
        assert_eq!(tick_step(7.0), 2.0);
        assert_eq!(tick_step(3.0), 1.0);
    }

    #[test]
    fn labels_are_escaped_and_bars_drawn() {
        let s = vec![
            Series {
                label: "<b>x</b>".into(),
                color: PALETTE[0],
                values: vec![1.0, 3.0],
            },
            Series {
                label: "y".into(),
                color: PALETTE[1],
                values: vec![2.0, f64::NAN],
            },
        ];
        let out = bars(&["2023".into(), "2024".into()], &s, true, "", "test").into_string();
        assert!(out.contains("&lt;b&gt;x&lt;/b&gt;"), "{out}");
        assert_eq!(out.matches("<rect").count(), 2 + 3, "{out}");
        let grouped = bars(&["2023".into()], &s, false, "%", "t").into_string();
        assert!(grouped.contains("2023 · y: 2%"), "{grouped}");
        assert!(!bars(&[], &[], true, "", "empty")
            .into_string()
            .contains("NaN"));
    }
}
