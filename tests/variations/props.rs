//! The variation generator: random portals (family × page shape × announcement wording ×
//! notice kind × title truncation), each crawled by the built binary, must export exactly
//! their planted reports: records = reports planted, no record of a page that is no report, no
//! duplicate record, every planted URL (detail page and attachment) in its report's record,
//! `published` and agency as planted.
//!
//! Each case starts a portal and a crawl, so the default is 4 cases (about half a minute);
//! `NIANBAO_VARIATION_CASES=N` runs N for a measurement, and the totals are printed.

use std::sync::Mutex;

use mock_portal::{
    Family, Item, ItemKind, Junk, Neighbour, Notice, SiteSpec, Truncation, Variations,
};
use proptest::prelude::*;

use super::{crawl, start, tally, Tally};

fn family() -> impl Strategy<Value = Family> {
    prop::sample::select(Family::ALL.to_vec())
}

fn kind() -> impl Strategy<Value = ItemKind> {
    prop_oneof![
        3 => any::<bool>().prop_map(|attached| ItemKind::HtmlReport { attached }),
        1 => Just(ItemKind::SplitReport),
        4 => (1u8..=3, any::<bool>()).prop_map(|(files, title_in_file)| ItemKind::Announcement {
            files,
            title_in_file
        }),
        4 => prop::sample::select(vec![
            Notice::Training,
            Notice::Meeting,
            Notice::Correction,
            Notice::Explanation,
            Notice::Summary
        ])
        .prop_map(ItemKind::Notice),
        1 => prop::sample::select(vec![Junk::Redirect, Junk::HtmlAsPdf]).prop_map(ItemKind::Junk),
        2 => prop::sample::select(vec![
            Neighbour::Interpretation,
            Neighbour::Graphic,
            Neighbour::WorkPoints,
            Neighbour::Template,
            Neighbour::StatsTable,
            Neighbour::English,
            Neighbour::ListingAsDetail,
            Neighbour::GovAffairsReport,
            Neighbour::GovAffairsSummary,
        ])
        .prop_map(ItemKind::Neighbour),
    ]
}

fn item() -> impl Strategy<Value = Item> {
    (
        kind(),
        0u32..64,
        prop::sample::select(vec![
            Truncation::Full,
            Truncation::AfterReport,
            Truncation::Ellipsis,
        ]),
    )
        .prop_map(|(kind, wording, truncation)| Item {
            kind,
            wording,
            truncation,
        })
}

fn variations() -> impl Strategy<Value = Variations> {
    prop::collection::vec(
        (family(), prop::collection::vec(item(), 1..9))
            .prop_map(|(family, items)| SiteSpec { family, items }),
        1..4,
    )
    .prop_map(|sites| Variations { sites })
}

fn cases() -> u32 {
    std::env::var("NIANBAO_VARIATION_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4)
}

/// Totals over every case run (printed after each case).
static TOTAL: Mutex<(u32, Option<Tally>)> = Mutex::new((0, None));

/// Crawl one generated portal and compare its export with the ground truth.
fn run(spec: Variations) -> Tally {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let p = start(spec, 20).await;
        let w = crawl(&p).await;
        let t = tally(&p.expected(), &w.export());
        p.shutdown().await;
        t
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        // Each case is a crawl: shrink a little, not for minutes.
        max_shrink_iters: 16,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_portals_export_exactly_their_planted_reports(spec in variations()) {
        let t = run(spec.clone());
        if let Ok(mut total) = TOTAL.lock() {
            total.0 += 1;
            let n = total.0;
            let sum = total.1.get_or_insert_with(Tally::default);
            sum.add(&t);
            eprintln!("variations after {n} portals: {}", sum.line());
        }
        prop_assert!(t.exact(), "{}\n{}\n{spec:?}", t.line(), t.problems.join("\n"));
    }
}
