//! Counts of applications and cases in a normalised sentence: a number and its unit.
//!
//! Takes a sentence as [`super::sentences::normalise`] writes it; gives each count it states
//! — Arabic digits (`42件`, `1,234件`) or Chinese numerals (`一件`, `两件`, `十二件`,
//! `一百零五件`, read by the `chinese-number` crate) followed by a unit of applications or
//! cases (件, 宗, 起, 例, 份: 收到8份申请) — with its position and whether it is only approximate (`500余件`,
//! `约30件`, `30多件`, `10件以上`). Numbers without such a unit (dates, percentages, 条 of
//! information, 次 of training, 〔2021〕30号) are not counts of anything the tables hold, and
//! are never returned.

use chinese_number::{ChineseCountMethod, ChineseToNumber};
use regex::Regex;
use std::sync::LazyLock;

/// One count in a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Count {
    /// Byte offset of the number's first character (after any 约/近 …).
    pub start: usize,
    /// Byte offset just after the unit.
    pub end: usize,
    /// The number.
    pub value: i64,
    /// 余, 多, 约, 近, 以上 …: not a count to compare.
    pub approximate: bool,
}

/// A number (Arabic, possibly with thousands separators, or a Chinese numeral starting with a
/// digit character) and an application/case unit, with the hedges around it.
static COUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<pre>约|近|逾|超过|大约|将近|接近)?",
        r"(?P<num>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万]*)",
        r"(?P<more>余|多)?(?P<wan>万)?(?P<unit>件|宗|起|例|份)(?P<post>以上|左右|之多)?"
    ))
    .expect("static regex")
});

/// Every count in `norm`, in order.
pub(crate) fn counts(norm: &str) -> Vec<Count> {
    COUNT
        .captures_iter(norm)
        .filter_map(|c| {
            let num = c.name("num")?;
            // Part of a longer token: 第3件, 3-5件, 12345热线…件 cannot start mid-number.
            let before = norm[..num.start()].chars().next_back();
            if c.name("pre").is_none()
                && before
                    .is_some_and(|b| b == '第' || b == '-' || b == '~' || b == '至' || b == '.')
            {
                return None;
            }
            let text = num.as_str();
            let unit = c.name("unit")?;
            let chinese = !text.starts_with(|ch: char| ch.is_ascii_digit());
            // 一起 (together), 一件事 (a slogan: 高效办成一件事) are not counts.
            if chinese && unit.as_str() == "起" || norm[unit.end()..].starts_with('事') {
                return None;
            }
            let (value, exact) = if text.starts_with(|ch: char| ch.is_ascii_digit()) {
                let digits: String = text.chars().filter(|ch| *ch != ',').collect();
                match digits.parse::<i64>() {
                    Ok(v) => (v, true),
                    // A decimal (1.5万件): approximate by nature.
                    Err(_) => (0, false),
                }
            } else {
                let v: u64 = text.to_number(ChineseCountMethod::TenThousand).ok()?;
                (i64::try_from(v).ok()?, true)
            };
            let approximate = !exact
                || c.name("pre").is_some()
                || c.name("more").is_some()
                || c.name("wan").is_some()
                || c.name("post").is_some();
            Some(Count {
                start: num.start(),
                end: unit.end(),
                value,
                approximate,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(s: &str) -> Vec<(i64, bool)> {
        counts(s)
            .into_iter()
            .map(|c| (c.value, c.approximate))
            .collect()
    }

    #[test]
    fn arabic_and_chinese_counts() {
        assert_eq!(values("新受理政府信息公开申请42件"), vec![(42, false)]);
        assert_eq!(
            values("受理申请3119件,答复3050件"),
            vec![(3119, false), (3050, false)]
        );
        assert_eq!(values("共1,234件"), vec![(1234, false)]);
        assert_eq!(values("收到申请一件"), vec![(1, false)]);
        assert_eq!(values("收到申请两件"), vec![(2, false)]);
        assert_eq!(values("收到申请十二件"), vec![(12, false)]);
        assert_eq!(values("收到申请一百零五件"), vec![(105, false)]);
        assert_eq!(values("行政复议案件2起"), vec![(2, false)]);
        assert_eq!(values("其他处理0件"), vec![(0, false)]);
    }

    #[test]
    fn hedged_counts_are_approximate() {
        assert_eq!(values("咨询投诉500余件"), vec![(500, true)]);
        assert_eq!(values("各类事项10932余件"), vec![(10932, true)]);
        assert_eq!(values("约30件"), vec![(30, true)]);
        assert_eq!(values("30多件"), vec![(30, true)]);
        assert_eq!(values("10件以上"), vec![(10, true)]);
        assert_eq!(values("近2万件"), vec![(2, true)]);
        assert_eq!(values("1.5万件"), vec![(0, true)]);
    }

    #[test]
    fn numbers_without_a_count_unit_are_not_counts() {
        for s in [
            "主动公开政府信息3800余条",
            "发布解读信息24条",
            "政策解读24篇",
            "培训3次",
            "(国办公开办函〔2021〕30号)",
            "2024年1月1日至12月31日",
            "占申请总数的78%",
            "收取信息处理费650元",
            "两个政务新媒体",
            "公开政府常务会议7期",
            "第3件",
            "3-5件",
            "会同相关部门一起研究",
            "推进高效办成一件事",
        ] {
            assert_eq!(values(s), vec![], "{s}");
        }
    }
}
