//! Sentences → [`Claim`]s: which cell each count of a sentence states.
//!
//! Takes the prose sentences of a report ([`super::sentences`]); gives, for every count
//! ([`super::numbers`]) that the words around it tie to a table cell, a claim. A count is read
//! in three windows: the clause before it up to the last hard delimiter (，；：（）。) or the
//! previous count (`far`), the part of that after the last 、 (`near`), and the words after it
//! up to the next delimiter (`post`: 13件予以公开). Then, in order:
//!
//! 1. an `appeals` result (结果维持 72 件) with the group named before it in the clause or
//!    earlier in the sentence (政府信息公开行政复议 351 件，其中…);
//! 2. an `appeals` group (行政复议 7 件, 诉讼 9 件 = both 行政诉讼 groups);
//! 3. an applicant (其中自然人申请 741 件) with the row named in the clause or earlier in the
//!    sentence;
//! 4. a `requests` row or group (不予公开 35 件; a reason with its group, 因本机关不掌握等原因
//!    无法提供, is the group; 上年结转, 顺延到下年度);
//! 5. a verb with 申请 as its object: 收到/受理 → received, 办结/答复 → processed, 办理/处理 →
//!    either (an ambiguous claim).
//!
//! Nothing is claimed for an approximate count, a change (较上年增加), one count for several
//! cells (各 1 件), a part named by channel, manner or topic (网络申请, 延期答复, 涉及征地的;
//! 涉及 … 等 is a whole), another object (留言, 信件, 事项), two unrelated rows in one clause,
//! or a sentence off the topic: `requests` claims need 申请 in the sentence or the one before,
//! `appeals` claims need 信息公开/依申请 (or a `requests` sentence just before).
//!
//! Zero statements are read too: 未收到…申请 → received 0; 未发生…行政复议或行政诉讼 → both 0
//! (not when the clause speaks of 纠错, 败诉, 撤销 …).

use super::keywords::{hits, Hit, Kw, RowKw, LITIGATION};
use super::numbers::{counts, Count};
use super::sentences::Sentence;
use super::Claim;
use crate::model::{CellPath, TableName};
use regex::Regex;
use std::sync::LazyLock;

/// What a clause's words say a count is, before the column is known.
#[derive(Debug, Clone, PartialEq)]
enum Base {
    /// 收到/受理 申请: new_received (or, as some reports count, with carried_over).
    Received,
    /// 办结/答复: total_processed.
    Processed,
    /// 办理/处理 申请: received or processed.
    Handled,
    /// Named rows: the primary reading and other readings (a reason named with its group).
    Rows(&'static [&'static str], Vec<&'static [&'static str]>),
    /// An `appeals` group.
    Appeals(&'static [&'static str]),
}

/// Delimiters that end a clause.
const HARD: &[char] = &[
    '，', ',', '；', ';', '。', '：', ':', '（', '）', '(', ')', '！', '!', '？', '?', '【', '】',
];

/// The claims of `sentences`, in order.
pub(crate) fn read(sentences: &[Sentence]) -> Vec<Claim> {
    let mut out = Vec::new();
    let mut prev_requests = false;
    let mut prev_appeals = false;
    let mut prev_row: Option<Base> = None;
    for s in sentences {
        let requests_here = s.norm.contains("申请");
        let appeals_here =
            s.norm.contains("信息公开") || s.norm.contains("依申请") || s.norm.contains("公开申请");
        let reader = SentenceReader {
            s,
            hits: hits(&s.norm),
            requests_topic: requests_here || prev_requests,
            appeals_topic: appeals_here || prev_requests || prev_appeals,
        };
        let before = out.len();
        // 其中… continues the previous sentence's row (全年收到申请10件。其中自然人…).
        let inherited = if s.norm.starts_with("其中") {
            prev_row.take()
        } else {
            None
        };
        prev_row = reader.read(&mut out, inherited);
        zeros(s, &mut out);
        dedup(&mut out, before);
        prev_requests = requests_here;
        prev_appeals = appeals_here;
    }
    out
}

struct SentenceReader<'a> {
    s: &'a Sentence,
    hits: Vec<Hit>,
    requests_topic: bool,
    appeals_topic: bool,
}

/// The three windows around one count.
struct Windows {
    far: (usize, usize),
    near: (usize, usize),
    post: (usize, usize),
}

impl SentenceReader<'_> {
    /// Pushes the sentence's claims; gives the last row it named, for a sentence that
    /// continues it.
    fn read(&self, out: &mut Vec<Claim>, inherited: Option<Base>) -> Option<Base> {
        let norm = &self.s.norm;
        let cs = counts(norm);
        let mut row_ctx: Option<Base> = inherited;
        let mut group_ctx: Option<&'static [&'static str]> = None;
        for (i, c) in cs.iter().enumerate() {
            let prev_end = if i == 0 { 0 } else { cs[i - 1].end };
            let next_start = cs.get(i + 1).map_or(norm.len(), |n| n.start);
            let w = windows(norm, c, prev_end, next_start);
            if c.approximate || self.blocked(&w) {
                continue;
            }
            let scoped = self.any(w.far, |k| k == Kw::Scope);
            let Some((base, columns)) = self.base(&w, &mut row_ctx, &mut group_ctx) else {
                continue;
            };
            if let Some(claim) = claim(&base, columns, c.value, scoped, &self.s.printed) {
                out.push(claim);
            }
        }
        row_ctx
    }

    /// Words that make the count something no cell holds.
    fn blocked(&self, w: &Windows) -> bool {
        self.any(w.near, |k| {
            matches!(k, Kw::Change | Kw::NotACount | Kw::Ambiguous)
        }) || self.any(w.post, |k| matches!(k, Kw::Change | Kw::NotACount))
    }

    /// What the count is, and for which columns (`None`: the total column).
    fn base(
        &self,
        w: &Windows,
        row_ctx: &mut Option<Base>,
        group_ctx: &mut Option<&'static [&'static str]>,
    ) -> Option<(Base, Option<&'static [&'static str]>)> {
        let result = self
            .last(w.near, |k| matches!(k, Kw::Result(_)))
            .or_else(|| self.first(w.post, |k| matches!(k, Kw::Result(_))));
        let groups = self.distinct_groups(w.far);
        if let Some(Kw::Result(col)) = result {
            let group = match groups.as_slice() {
                [g] => Some(*g),
                [] => *group_ctx,
                _ => None,
            }?;
            if !self.appeals_topic {
                return None;
            }
            *group_ctx = Some(group);
            return Some((Base::Appeals(group), Some(one(col))));
        }
        if !groups.is_empty() || self.any(w.post, |k| matches!(k, Kw::Group(_))) {
            let group = match groups.as_slice() {
                [g] => Some(*g),
                [] => match self.first(w.post, |k| matches!(k, Kw::Group(_))) {
                    Some(Kw::Group(g)) => Some(g),
                    _ => None,
                },
                _ => None,
            }?;
            if !self.appeals_topic || self.any(w.near, |k| matches!(k, Kw::Row(_))) {
                return None;
            }
            *group_ctx = Some(group);
            return Some((Base::Appeals(group), None));
        }
        if !self.requests_topic {
            return None;
        }
        let applicant = match self
            .last(w.near, |k| matches!(k, Kw::Applicant(_)))
            .or_else(|| self.first(w.post, |k| matches!(k, Kw::Applicant(_))))
        {
            Some(Kw::Applicant(cols)) => Some(cols),
            _ => None,
        };
        let named = self.named_rows(w).or_else(|| {
            // 受理…42件，共办理40件: once the sentence gave the received count, 办理 is the
            // processed one.
            self.verb(w).map(|b| match (b, row_ctx.as_ref()) {
                (Base::Handled, Some(Base::Received)) => Base::Processed,
                (b, _) => b,
            })
        });
        if let Some(cols) = applicant {
            let base = named.or_else(|| row_ctx.clone())?;
            return Some((base, Some(cols)));
        }
        let base = named?;
        *row_ctx = Some(base.clone());
        Some((base, None))
    }

    /// Rows the clause names: in `near`, else right after the count, else earlier in the
    /// clause (申请人逾期不补正、行政机关不再处理的 3 件).
    fn named_rows(&self, w: &Windows) -> Option<Base> {
        let rows_in = |r: (usize, usize)| -> Vec<RowKw> {
            self.in_range(r)
                .filter_map(|h| match h.kw {
                    Kw::Row(r) => Some(r),
                    _ => None,
                })
                .collect()
        };
        let mut found = rows_in(w.near);
        if found.is_empty() {
            found = rows_in(w.post).into_iter().take(1).collect();
        }
        if found.is_empty() {
            found = rows_in(w.far);
        }
        let first = found.first()?;
        if found.iter().any(|r| r.family != first.family) {
            return None;
        }
        let group = found.iter().find(|r| r.group);
        let mut reasons: Vec<&'static [&'static str]> = Vec::new();
        for r in found.iter().filter(|r| !r.group) {
            if !reasons.contains(&r.rows) {
                reasons.push(r.rows);
            }
        }
        match (group, reasons.as_slice()) {
            (Some(g), []) => Some(Base::Rows(g.rows, Vec::new())),
            // 因本机关不掌握等原因无法提供: the group.
            (Some(g), _) if self.any(w.near, |k| k == Kw::Etc) => {
                Some(Base::Rows(g.rows, Vec::new()))
            }
            (Some(g), [r]) => Some(Base::Rows(g.rows, vec![*r])),
            (None, [r]) => Some(Base::Rows(r, Vec::new())),
            _ => None,
        }
    }

    /// A verb with 申请 as its object (in the clause, or the sentence's topic when the verb
    /// stands right before the count: 全年办结40件).
    fn verb(&self, w: &Windows) -> Option<Base> {
        let far = w.far;
        if self.any(far, |k| matches!(k, Kw::Subset | Kw::OtherObject))
            || self.any(w.post, |k| matches!(k, Kw::Subset | Kw::OtherObject))
            || self.partial_topic(far)
        {
            return None;
        }
        let receive = self.last_at(far, Kw::Receive);
        let finish = self.last_at(far, Kw::Finish);
        let handle = self.last_at(far, Kw::Handle);
        let noun = self.last_at(w.near, Kw::ReceivedNoun);
        let object = self.any(far, |k| k == Kw::Object) || self.any(w.post, |k| k == Kw::Object);
        // Without 申请 in the clause, the verb must stand right before the count and the
        // sentence's last object before it be 申请 (受理信访事项45件，办结43件 is not).
        let object_before = self
            .hits
            .iter()
            .rev()
            .filter(|h| h.end <= far.1)
            .find(|h| matches!(h.kw, Kw::Object | Kw::ReceivedNoun | Kw::OtherObject))
            .is_some_and(|h| h.kw != Kw::OtherObject);
        // The count follows the verb or its object directly (办理流程图 1 件 is not 办理 1 件).
        let last_word = self
            .in_range(far)
            .filter(|h| matches!(h.kw, Kw::Object | Kw::Receive | Kw::Finish | Kw::Handle))
            .last()
            .map_or(far.1, |h| h.end);
        let close = adjacent(&self.s.norm[last_word..far.1]);
        let tied = |verb: Option<Hit>| {
            verb.is_some_and(|v| {
                close && (object || object_before && adjacent(&self.s.norm[v.end..far.1]))
            })
        };
        match (receive, finish, handle) {
            (Some(_), None, None) if tied(receive) => Some(Base::Received),
            (None, Some(_), None) if tied(finish) => Some(Base::Processed),
            (None, None, Some(_)) if tied(handle) => Some(Base::Handled),
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) if object => Some(Base::Handled),
            (None, None, None) if noun.is_some_and(|n| adjacent(&self.s.norm[n.end..far.1])) => {
                Some(Base::Received)
            }
            _ => None,
        }
    }

    /// 涉及 without a following 等 before the count: a part by topic.
    fn partial_topic(&self, far: (usize, usize)) -> bool {
        let Some(t) = self.last_at(far, Kw::Topical) else {
            return false;
        };
        !self.any((t.end, far.1), |k| k == Kw::Etc)
    }

    fn in_range(&self, (a, b): (usize, usize)) -> impl Iterator<Item = &Hit> + '_ {
        self.hits.iter().filter(move |h| h.start >= a && h.end <= b)
    }

    fn any(&self, r: (usize, usize), f: impl Fn(Kw) -> bool) -> bool {
        self.in_range(r).any(|h| f(h.kw))
    }

    fn last(&self, r: (usize, usize), f: impl Fn(Kw) -> bool) -> Option<Kw> {
        self.in_range(r).filter(|h| f(h.kw)).last().map(|h| h.kw)
    }

    fn first(&self, r: (usize, usize), f: impl Fn(Kw) -> bool) -> Option<Kw> {
        self.in_range(r).find(|h| f(h.kw)).map(|h| h.kw)
    }

    fn last_at(&self, r: (usize, usize), kw: Kw) -> Option<Hit> {
        self.in_range(r).filter(|h| h.kw == kw).last().copied()
    }

    /// The `appeals` groups named in `r`; 行政诉讼 named beside 未经复议直接起诉 or 复议后起诉
    /// is that group.
    fn distinct_groups(&self, r: (usize, usize)) -> Vec<&'static [&'static str]> {
        let mut out: Vec<&'static [&'static str]> = Vec::new();
        for h in self.in_range(r) {
            if let Kw::Group(g) = h.kw {
                if !out.contains(&g) {
                    out.push(g);
                }
            }
        }
        if out.len() > 1 && out.iter().any(|g| g.len() == 1 && g[0] != "review") {
            out.retain(|g| *g != LITIGATION);
        }
        out
    }
}

/// Only filler between a verb and its count: 共, 了, 的, 共计 …
fn adjacent(between: &str) -> bool {
    static FILLER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?:了|的|共|共计|合计|总计|累计|完成|完毕|为|达|计|政府信息|信息)*$")
            .expect("static regex")
    });
    FILLER.is_match(between)
}

fn one(col: &'static str) -> &'static [&'static str] {
    match col {
        "upheld" => &["upheld"],
        "corrected" => &["corrected"],
        "other" => &["other"],
        "pending" => &["pending"],
        _ => &["total"],
    }
}

/// The windows of count `c` in `norm`.
fn windows(norm: &str, c: &Count, prev_end: usize, next_start: usize) -> Windows {
    let before = &norm[prev_end..c.start];
    let hard_end = last_boundary(before, true).map_or(prev_end, |e| prev_end + e);
    let soft_end =
        last_boundary(&norm[hard_end..c.start], false).map_or(hard_end, |e| hard_end + e);
    let after = &norm[c.end..next_start];
    let post_end = after
        .char_indices()
        .find(|(_, ch)| HARD.contains(ch) || *ch == '、')
        .map_or(next_start, |(i, _)| c.end + i);
    Windows {
        far: (hard_end, c.start),
        near: (soft_end, c.start),
        post: (c.end, post_end),
    }
}

/// Byte offset just after the last clause boundary in `s` (hard: ，；… and 其中; soft: 、 too).
fn last_boundary(s: &str, hard_only: bool) -> Option<usize> {
    let punct = s
        .char_indices()
        .rev()
        .find(|(_, ch)| HARD.contains(ch) || !hard_only && *ch == '、')
        .map(|(i, ch)| i + ch.len_utf8());
    let of_which = s.rfind("其中").map(|i| i + "其中".len());
    punct.max(of_which)
}

/// The claim `base` and `columns` make of `value`.
fn claim(
    base: &Base,
    columns: Option<&'static [&'static str]>,
    value: i64,
    scoped: bool,
    sentence: &str,
) -> Option<Claim> {
    let cols = columns.unwrap_or(&["total"]);
    let req = |rows: &[&str]| CellPath::sum(TableName::Requests, rows, cols);
    let received = || req(&["new_received", "carried_over"]);
    let (cell, readings, tolerated) = match base {
        Base::Received => (req(&["new_received"])?, vec![], vec![received()?]),
        Base::Processed => (req(&["total_processed"])?, vec![], vec![]),
        Base::Handled => (
            req(&["new_received"])?,
            vec![req(&["total_processed"])?],
            vec![received()?],
        ),
        Base::Rows(rows, others) => (
            req(rows)?,
            others.iter().map(|r| req(r)).collect::<Option<Vec<_>>>()?,
            vec![],
        ),
        Base::Appeals(groups) => (
            CellPath::sum(TableName::Appeals, groups, cols)?,
            vec![],
            vec![],
        ),
    };
    Some(Claim {
        cell,
        readings,
        tolerated,
        value,
        scoped,
        sentence: sentence.to_string(),
    })
}

/// 未收到…申请; 未发生…行政复议/行政诉讼.
static ZERO_REQUESTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:未|没有)(?:收到|受理|接到)[^，,；;。：:]{0,24}?申请[^，,；;。：:]*")
        .expect("static regex")
});
static ZERO_APPEALS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:未|没有)(?:发生|出现|收到|产生|涉及|因|有)[^，,；;。：:]{0,30}|无(?:因|发生|涉及|任何)?[^，,；;。：:]{0,16}?(?:行政复议|行政诉讼)[^，,；;。：:]{0,20}")
        .expect("static regex")
});
/// What makes a zero statement about something else.
const NOT_ZERO: &[&str] = &[
    "纠",
    "败",
    "撤销",
    "违法",
    "赔偿",
    "被",
    "未经",
    "审结",
    "减少",
    "下降",
    "涉及第三方",
    "网上",
    "网络",
    "信函",
    "当面",
];

fn zeros(s: &Sentence, out: &mut Vec<Claim>) {
    let norm = &s.norm;
    let clean = |m: &str| !NOT_ZERO.iter().any(|w| m.contains(w));
    if let Some(m) = ZERO_REQUESTS.find(norm) {
        let m = m.as_str();
        if clean(m)
            && !["复议", "诉讼", "引发", "引起", "申请人"]
                .iter()
                .any(|w| m.contains(w))
        {
            out.extend(claim(&Base::Received, None, 0, false, &s.printed));
        }
    }
    for m in ZERO_APPEALS.find_iter(norm) {
        let m = m.as_str();
        if !clean(m) {
            continue;
        }
        let review = m.replace("复议后", "").contains("复议");
        let litigation = m.contains("诉讼");
        if review {
            out.extend(claim(
                &Base::Appeals(&["review"]),
                None,
                0,
                false,
                &s.printed,
            ));
        }
        if litigation {
            out.extend(claim(
                &Base::Appeals(LITIGATION),
                None,
                0,
                false,
                &s.printed,
            ));
        }
    }
}

/// Drops repeated claims (same cell and value) among those added since `from`.
fn dedup(out: &mut Vec<Claim>, from: usize) {
    let mut i = from;
    while i < out.len() {
        let dup = out[from..i]
            .iter()
            .any(|c| c.cell == out[i].cell && c.value == out[i].value);
        if dup {
            out.remove(i);
        } else {
            i += 1;
        }
    }
}
