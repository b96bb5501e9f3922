//! Which links lead to 年报 columns rather than to reports: the folder names of 年报 columns
//! (year folders, unit-type folders, "年报汇总") and the path segments that name them. What a
//! report's own title looks like is [`crate::title`].

use std::sync::LazyLock;

use regex::Regex;

use crate::title::{compact, has_companion_word};

/// Compiles a constant pattern; the patterns are literals exercised by the unit tests, so a
/// failure here is a programming error, never a consequence of input.
fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("constant regex")
}

static YEAR_FOLDER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:19|20)\d{2}(?:年度?|年度?年报|年度报告|n|nb|年报)?$"));
/// Generic names of 年报 columns (an agency name in front makes it an item, not a column).
static COLUMN: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:政府|政务)?(?:信息)?(?:公开)?(?:工作)?(?:年度报告|年报)(?:汇总|专栏|栏目|目录|查询)?$")
});
static UNIT_FOLDER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:省|市|区|县|旗)?(?:政府|人民政府|政府办|政府办公室|政府部门|部门|委办局|乡镇|街道|镇街|乡镇\(?街道\)?|乡镇街道|苏木乡镇|开发区|园区|管委会|区政府|县政府|市政府)(?:年报|年度报告)?)$",
    )
});

/// A link to a 年报 column or one of its folders: "政府信息公开年报", "年报汇总", a year folder
/// ("2023年", "2023年度", "2023n"), a unit-type folder ("部门", "乡镇(街道)", "区政府").
pub fn is_column_title(title: &str) -> bool {
    let t = compact(title);
    if t.is_empty() || t.chars().count() > 24 {
        return false;
    }
    if has_companion_word(&t) {
        return false;
    }
    COLUMN.is_match(&t) || YEAR_FOLDER.is_match(&t) || UNIT_FOLDER.is_match(&t)
}

/// Path segments that name 年报 columns (`zfxxgknb`, `xxgknb`, `gknb`, `ndbg`, `2023nb`).
pub fn is_report_column_path(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.split('/').any(|seg| {
        seg.contains("gknb")
            || seg.contains("ndbg")
            || seg == "nb"
            || seg.contains("xxgknb")
            || seg.contains("zfxxgk_nb")
            || (seg.len() == 6 && seg.starts_with("20") && seg.ends_with("nb"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_and_columns() {
        for t in [
            "2023年",
            "2022年度",
            "2023n",
            "部门",
            "乡镇(街道)",
            "区政府",
            "年报汇总",
            "政府信息公开年报",
        ] {
            assert!(is_column_title(t), "{t}");
        }
        for t in [
            "首页",
            "2023年政府信息公开工作年度报告",
            "年报通知",
            "机构职能",
        ] {
            assert!(!is_column_title(t), "{t}");
        }
        assert!(is_report_column_path("/zfxxgk/zfxxgknb/2022n/"));
        assert!(is_report_column_path("/zfxxgkzl/gknb/2023nb/"));
        assert!(!is_report_column_path("/xwzx/tzgg/"));
    }
}
