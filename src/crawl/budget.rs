//! The per-seed budget of listing pages: a crawler trap (an endless `?page=N` pager, a
//! calendar, ever-deeper folders) is an unbounded supply of listing pages that link nothing
//! new. Each listing page fetched counts for the seed it descends from; once
//! `barren_listings_per_seed` of a seed's listing pages in a row have added no new report link
//! (detail page or file), the seed's remaining listing pages are skipped for this run (state
//! `skipped`, tried again by the next run). A page that adds a report link resets the count,
//! so a long real column (50–200 pages of reports) is never cut. Only the count lives here;
//! the archive job of a listing page asks it ([`super::listing`]).

use std::collections::HashMap;
use std::sync::Mutex;

/// What a listing page's outcome means for its seed's paging.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// Go on.
    Go,
    /// This page spent the budget: skip the seed's queued listing pages.
    SpentNow,
    /// The budget was spent before: skip what this page links.
    Spent,
}

#[derive(Debug, Default)]
struct SeedPaging {
    barren_in_a_row: u32,
    spent: bool,
}

/// Barren listing pages per seed in this run.
#[derive(Debug, Default)]
pub struct ListingBudget {
    limit: Option<u32>,
    seeds: Mutex<HashMap<i64, SeedPaging>>,
    /// Seeds whose paging stopped, with the reason, for the summary.
    cut: Mutex<Vec<(String, String)>>,
}

impl ListingBudget {
    /// A budget of `limit` barren listing pages in a row per seed (`None`: unlimited).
    pub fn new(limit: Option<u32>) -> ListingBudget {
        ListingBudget {
            limit,
            ..Default::default()
        }
    }

    /// Count a listing page of `seed` that added `new_report_links` report links.
    pub fn record(&self, seed: i64, new_report_links: usize) -> Paging {
        let Some(limit) = self.limit else {
            return Paging::Go;
        };
        let Ok(mut seeds) = self.seeds.lock() else {
            return Paging::Go;
        };
        let s = seeds.entry(seed).or_default();
        if s.spent {
            return Paging::Spent;
        }
        if new_report_links > 0 {
            s.barren_in_a_row = 0;
            return Paging::Go;
        }
        s.barren_in_a_row += 1;
        if s.barren_in_a_row >= limit {
            s.spent = true;
            Paging::SpentNow
        } else {
            Paging::Go
        }
    }

    /// Why a seed's paging stopped, for the frontier and the log.
    pub fn reason(&self) -> String {
        format!(
            "listing budget: {} listing pages in a row added no new report link (barren_listings_per_seed)",
            self.limit.unwrap_or(0)
        )
    }

    /// Remember that paging of the seed at `url` stopped.
    pub fn note_cut(&self, url: String) {
        if let Ok(mut cut) = self.cut.lock() {
            cut.push((url, self.reason()));
        }
    }

    /// Seeds whose paging stopped in this run, with the reason.
    pub fn cut(&self) -> Vec<(String, String)> {
        self.cut.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barren_pages_in_a_row_spend_the_budget_and_productive_ones_reset_it() {
        let b = ListingBudget::new(Some(3));
        assert_eq!(b.record(1, 0), Paging::Go);
        assert_eq!(b.record(1, 0), Paging::Go);
        assert_eq!(b.record(1, 5), Paging::Go, "a page with new reports resets");
        assert_eq!(b.record(1, 0), Paging::Go);
        assert_eq!(b.record(2, 0), Paging::Go, "seeds count apart");
        assert_eq!(b.record(1, 0), Paging::Go);
        assert_eq!(b.record(1, 0), Paging::SpentNow);
        assert_eq!(
            b.record(1, 9),
            Paging::Spent,
            "spent for the rest of the run"
        );
        assert_eq!(b.record(2, 0), Paging::Go);
    }

    #[test]
    fn no_limit_never_stops() {
        let b = ListingBudget::new(None);
        assert!((0..10_000).all(|_| b.record(1, 0) == Paging::Go));
    }
}
