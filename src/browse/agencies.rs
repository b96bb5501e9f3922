//! `/agencies/{agency}`: one agency's reports across years, its key figures with the change
//! since the previous year, and the cross-year check (this year's 上年结转 against last year's
//! 结转下年度).

use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};

use super::figures::{self, Agency};
use super::layout::{badge, delta, href, num, report_href, shell};
use super::{json, AppState, Error, Want};

/// `GET /agencies/{agency}` and `/agencies/{agency}.json`.
pub async fn page(
    State(state): State<AppState>,
    Path(segment): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, Error> {
    let (name, want) = Want::split(&segment, query.as_deref());
    let name = name.to_string();
    let agency = state
        .pool
        .run(move |a| Ok(figures::agency(a, &name)?))
        .await?
        .ok_or(Error::NotFound)?;
    if want == Want::Json {
        return Ok(json(&agency));
    }
    Ok(render(&agency).into_response())
}

fn delta_class(key: &str, d: Option<crate::model::Number>) -> Option<&'static str> {
    let v = d?.as_f64();
    // More refusals or appeals is the noteworthy direction; more grants the good one.
    let bad_when_up = matches!(
        key,
        "refused" | "unavailable" | "not_processed" | "review" | "litigation"
    );
    match (v > 0.0, v < 0.0, bad_when_up) {
        (true, _, true) | (_, true, false) if key != "received" => Some("pos"),
        (true, _, false) | (_, true, true) if key != "received" => Some("neg"),
        _ => None,
    }
}

fn render(ag: &Agency) -> Markup {
    let body = html! {
        h1 { (ag.agency) }
        p.muted {
            (ag.years.len()) " report years · "
            a href=(href("/reports", &[("agency", ag.agency.clone())])) { "all its reports in the list" }
            " · " a href={ (super::layout::agency_href(&ag.agency)) ".json" } { "JSON" }
        }
        h2 { "Key figures by year" }
        p.small.muted { "Totals column of 三、收到和处理政府信息公开申请情况 and 四、行政复议/行政诉讼; the line under each value is the change since the previous year." }
        div style="overflow-x:auto" {
            table.list {
                tr {
                    th { "Year" } th { "Report" }
                    @for l in &ag.figure_labels { th.n { (l) } }
                    th { "Checks" } th { "Cross-year" }
                }
                @for y in &ag.years {
                    tr {
                        td { (y.year.map(|y| y.to_string()).unwrap_or_else(|| "?".into())) }
                        td {
                            a href=(report_href(&y.id)) { (y.format.as_deref().unwrap_or("not parsed")) }
                            @for o in &y.others { br; a.small href=(report_href(o)) { "another version" } }
                        }
                        @for ((f, d), key) in y.figures.iter().zip(&y.deltas).zip(&ag.figure_keys) {
                            td.n {
                                (num(*f))
                                @if d.is_some() { br; span.small class=[delta_class(key, *d)] { (delta(*d)) } }
                            }
                        }
                        td { (badge(y.check_status)) }
                        td.small {
                            @match &y.cross_year {
                                Some(c) if c.ok => { "✓ 上年结转 " (c.left) " = 去年结转下年 " (c.right) }
                                Some(c) => { span.pos { "✗ 上年结转 " (c.left) " ≠ 去年结转下年 " (c.right) } }
                                None => { span.muted { "–" } }
                            }
                        }
                    }
                }
            }
        }
    };
    shell(&ag.agency, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Number;

    #[test]
    fn deltas_are_coloured_by_meaning() {
        assert_eq!(delta_class("refused", Some(Number::Int(2))), Some("pos"));
        assert_eq!(delta_class("granted", Some(Number::Int(2))), Some("neg"));
        assert_eq!(delta_class("granted", Some(Number::Int(-2))), Some("pos"));
        assert_eq!(delta_class("received", Some(Number::Int(5))), None);
        assert_eq!(delta_class("granted", Some(Number::Int(0))), None);
    }
}
