//! What an agency name looks like, so that a sentence fragment is never taken for one.
//!
//! Titles and report texts name the publishing body right before the year
//! ("云溪县民政局2023年…"), but a pattern that takes "the characters before the year" also takes
//! "办公室编制了", "结合我局" or "现发布云溪县农业农村局" out of prose. [`agency_name`] cuts a
//! candidate after the last word that cannot be inside a name (verbs such as 发布, 编制了;
//! particles such as 的, 了, 由), rejects what is left when it is a pronoun phrase (我局, 本单位)
//! or does not end like a body's name (局, 委员会, 人民政府, 管委会, a region 区/县/市 …), and
//! says `None` rather than guess.

/// Words after which a name starts: the text before them is a sentence, not a name. Longest
/// first where one contains another. Not 编制 alone (机构编制委员会办公室), nor 将 alone (将乐县).
const FRAGMENT_MARKERS: &[&str] = &[
    "编制完成",
    "编制了",
    "编制的",
    "根据",
    "按照",
    "依据",
    "结合",
    "关于",
    "现将",
    "现予",
    "特此",
    "印发",
    "转发",
    "发布",
    "公布",
    "召开",
    "由",
    "的",
    "了",
    "对",
    "向",
    "为",
    "是",
    "请",
    "与",
];

/// Pronoun phrases and generic words that are not a body's name.
const GENERIC: &[&str] = &[
    "本机关",
    "本单位",
    "本部门",
    "本局",
    "本委",
    "本办",
    "本院",
    "本级",
    "本县",
    "本市",
    "本区",
    "全区",
    "全县",
    "全市",
    "全省",
    "全镇",
    "各单位",
    "各部门",
    "办公室",
    "人民政府",
    "政府",
    "县政府",
    "市政府",
    "区政府",
];

/// How names of public bodies end (regions name their governments: "湟中区").
const ENDINGS: &[&str] = &[
    "人民政府办公室",
    "人民政府办公厅",
    "人民政府",
    "政府办",
    "办公室",
    "办公厅",
    "委员会",
    "管委会",
    "办事处",
    "街道",
    "中心",
    "局",
    "委",
    "办",
    "厅",
    "院",
    "会",
    "室",
    "处",
    "所",
    "站",
    "署",
    "部",
    "馆",
    "队",
    "社",
    "行",
    "府",
    "区",
    "县",
    "市",
    "省",
    "旗",
    "州",
    "盟",
    "镇",
    "乡",
];

/// Meetings end in 会 like 委员会 and 管委会 do.
const MEETINGS: &[&str] = &[
    "培训会",
    "推进会",
    "部署会",
    "座谈会",
    "工作会",
    "调度会",
    "动员会",
    "研讨会",
    "发布会",
    "交流会",
    "评审会",
    "会议",
];

/// Characters a name never holds (punctuation of a sentence; digits of a date).
fn foreign(c: char) -> bool {
    c.is_ascii_digit()
        || c.is_whitespace()
        || "，,。；;：:！？!?“”\"'‘’、《》<>〈〉【】[]…".contains(c)
}

/// `candidate` as a body's name, or `None` when it is a fragment of a sentence.
///
/// The candidate is cut after the last [`FRAGMENT_MARKERS`] word and trimmed of brackets and
/// numbering; what is left must be 2–40 characters of a name, not a pronoun phrase, and end
/// like a body's name.
pub fn agency_name(candidate: &str) -> Option<String> {
    let mut s: &str = candidate.trim();
    // After the last sentence break or marker.
    if let Some(i) = s.rfind(foreign) {
        let c = s[i..].chars().next().map_or(1, char::len_utf8);
        s = &s[i + c..];
    }
    loop {
        let cut = FRAGMENT_MARKERS
            .iter()
            .filter_map(|m| s.rfind(m).map(|i| i + m.len()))
            .max();
        match cut {
            Some(end) if end <= s.len() => s = &s[end..],
            _ => break,
        }
    }
    let s = s.trim_matches(|c: char| "()（）·-—_".contains(c) || c.is_whitespace());
    let n = s.chars().count();
    if !(2..=40).contains(&n)
        || s.starts_with('我')
        || s.starts_with('该')
        || GENERIC.contains(&s)
        || s.contains("报告")
        || s.contains("信息公开")
        || s.contains("年度")
        || !ENDINGS.iter().any(|e| s.ends_with(e))
        || MEETINGS.iter().any(|e| s.ends_with(e))
    {
        return None;
    }
    Some(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_kept() {
        for name in [
            "云溪县民政局",
            "西夏区人民政府办公室",
            "淮安市洪泽区人民政府",
            "北海高新区管委会",
            "湟中区",
            "中共云溪县委机构编制委员会办公室",
            "将乐县人民政府",
            "本溪市人民政府",
            "云溪县人力资源和社会保障局",
            "上海市人民政府办公厅",
        ] {
            assert_eq!(agency_name(name).as_deref(), Some(name), "{name}");
        }
    }

    #[test]
    fn fragments_are_not_names() {
        for fragment in [
            "办公室编制了",
            "结合我局",
            "我局",
            "本单位",
            "全年共收到",
            "根据条例要求",
            "2023年",
            "政府信息公开",
            "编制工作培训会",
        ] {
            assert_eq!(agency_name(fragment), None, "{fragment}");
        }
    }

    #[test]
    fn verbs_in_front_are_cut() {
        assert_eq!(
            agency_name("现发布云溪县农业农村局").as_deref(),
            Some("云溪县农业农村局")
        );
        assert_eq!(
            agency_name("根据条例要求，现将云溪县民政局").as_deref(),
            Some("云溪县民政局")
        );
        assert_eq!(
            agency_name("本报告由云溪县人民政府办公室").as_deref(),
            Some("云溪县人民政府办公室")
        );
        assert_eq!(
            agency_name("关于云溪县教育局").as_deref(),
            Some("云溪县教育局")
        );
    }
}
