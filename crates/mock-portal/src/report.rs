//! Report and companion-page bodies: generated 2021-format reports (six sections, the three
//! official tables, prose that quotes the table totals), the blank 格式 template, and the
//! non-report pages that share 年报 columns (通知, 解读, 上半年统计, 工作要点, 图解).
//!
//! A body is a list of [`Block`]s so the same report can be rendered as an HTML detail page
//! body or as the text lines of a generated PDF. Bodies copied from real documents live in
//! `seeds.rs`.

use nianbao_model::{TableName, Tables};

use super::table_render;
use super::tables::{self, CellStyle};
use super::util::{esc, Rng};

/// One block of a report body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A section heading (一、总体情况, （一）主动公开…).
    Heading(String),
    /// A paragraph.
    Para(String),
    /// One of the three tables (rendered from [`Body::tables`]).
    Table(TableName),
}

/// A report or companion page body.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Body {
    /// Blocks, the tables they show and the cell markup style.
    Blocks {
        blocks: Vec<Block>,
        tables: Option<Tables>,
        style: CellStyle,
    },
    /// HTML copied verbatim from a real page.
    Raw(&'static str),
}

impl Body {
    /// The body as HTML (what goes inside the family's content container).
    pub(crate) fn html(&self) -> String {
        match self {
            Body::Raw(s) => (*s).to_string(),
            Body::Blocks {
                blocks,
                tables,
                style,
            } => {
                let mut out = String::new();
                for b in blocks {
                    match b {
                        Block::Heading(t) => match style {
                            CellStyle::Word => out.push_str(&format!(
                                "<p class=\"MsoNormal\" style=\"text-indent:32.0pt\"><b><span style=\"font-family:黑体\">{}</span></b></p>\n",
                                esc(t)
                            )),
                            _ => out.push_str(&format!("<p style=\"text-indent:2em\"><strong>{}</strong></p>\n", esc(t))),
                        },
                        Block::Para(t) => out.push_str(&format!("<p style=\"text-indent:2em\">{}</p>\n", esc(t))),
                        Block::Table(name) => {
                            if let Some(t) = tables {
                                out.push_str(&table_render::table_html(t, *name, *style));
                                out.push('\n');
                            }
                        }
                    }
                }
                out
            }
        }
    }

    /// The body as text lines (for PDFs): tables one row per line.
    pub(crate) fn lines(&self) -> Vec<String> {
        match self {
            Body::Raw(s) => vec![strip_tags(s)],
            Body::Blocks { blocks, tables, .. } => {
                let mut out = Vec::new();
                for b in blocks {
                    match b {
                        Block::Heading(t) | Block::Para(t) => out.push(t.clone()),
                        Block::Table(name) => {
                            if let Some(t) = tables {
                                out.extend(table_render::table_lines(t, *name));
                            }
                        }
                    }
                }
                out
            }
        }
    }
}

/// Crude tag stripper for the PDF text of a raw HTML body (tags never nest in attributes here).
fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A telephone number unique to `n` within area code `area` (injective for n < 39,999,999).
pub(crate) fn phone(area: u16, n: u64) -> String {
    format!(
        "0{area}-{:08}",
        60_000_000 + (n % 39_999_999).wrapping_mul(104_729) % 39_999_999
    )
}

/// What a generated report is about.
#[derive(Debug, Clone)]
pub(crate) struct ReportSpec {
    /// Publishing agency.
    pub(crate) agency: String,
    /// Report year.
    pub(crate) year: i32,
    /// Seed for numbers and wording.
    pub(crate) seed: u64,
    /// Seed of the same agency's previous-year report (its carry-forward is this year's
    /// carry-over).
    pub(crate) prev_seed: u64,
    /// Contact telephone (unique per report: it is the text marker).
    pub(crate) phone: String,
    /// Contact person (GBK sites use names with GBK-only characters).
    pub(crate) contact: String,
    /// The portal's name, quoted in the introduction.
    pub(crate) site: String,
}

impl ReportSpec {
    /// The distinctive substring tests look for: `联系电话0731-6…`, or `联系人王堃` when the
    /// contact name holds a GBK-only character.
    pub(crate) fn marker(&self) -> String {
        if self.contact.chars().any(|c| "镕堃喆昇".contains(c)) {
            format!("联系人{}", self.contact)
        } else {
            format!("联系电话{}", self.phone)
        }
    }
}

const MANAGEMENT: &[&str] = &[
    "严格落实政府信息公开属性源头认定机制，公文拟制时同步明确公开属性，做到应公开尽公开。健全信息发布保密审查制度，坚持“先审查、后公开”和“一事一审”原则，全年未发生泄密事件。",
    "对照政府信息公开事项标准目录，动态更新主动公开基本目录，组织开展规范性文件清理，及时公开清理结果。建立政策解读与政策文件同步起草、同步审签、同步发布机制。",
    "健全政府信息公开发布、审核、更新、维护工作机制，明确专人负责政府信息管理工作，定期对已公开的政府信息进行梳理，对过时失效信息及时进行标注处理。",
];

const PLATFORM: &[&str] = &[
    "持续加强政府网站政府信息公开专栏建设，优化栏目设置，完善检索功能，提升信息查找便利度。统筹用好政务新媒体平台，及时转载上级重要政策信息，扩大政策传播覆盖面。",
    "以政府门户网站为第一平台，规范设置法定主动公开内容栏目，按时更新政府信息公开指南。依托政务服务大厅设立政府信息公开查阅点，为群众查阅政府信息提供便利。",
    "完成政府网站适老化与无障碍改造，开设重点领域信息公开专栏，规范政务新媒体账号管理，落实信息发布“三审三校”制度，确保发布内容准确无误。",
];

const OVERSIGHT: &[&str] = &[
    "成立政务公开工作领导小组，主要负责同志亲自部署，分管负责同志具体抓，明确专人负责日常工作。将政务公开工作纳入年度绩效考核，组织开展业务培训2次，全年未发生因政府信息公开工作引发的责任追究情况。",
    "加强政务公开工作组织保障，将政务公开经费纳入年度预算。通过政府网站、政务新媒体开展社会评议，广泛听取群众意见建议，全年未发生政务公开责任追究情况。",
    "落实政务公开工作考核和社会评议制度，定期开展自查自纠，对发现的问题及时整改到位。开展政务公开业务培训，提升工作人员业务能力。",
];

const PROBLEMS: &[&str] = &[
    "一是政策解读形式较为单一，图解、视频等多元化解读占比不高；二是部分栏目信息更新不够及时。下一步，将丰富政策解读形式，加强栏目日常巡查维护，确保信息及时准确更新。",
    "一是主动公开的深度和广度有待拓展；二是工作人员业务能力有待提升。下一步，将围绕群众关切拓展公开内容，加强业务培训，提高政务公开工作规范化水平。",
    "一是依申请公开答复的规范性仍需加强；二是基层政务公开标准化建设仍有差距。下一步，将严格执行依申请公开办理流程，加强对基层单位的指导，推动政务公开标准化规范化建设。",
];

/// A generated 2021-format report: its body, tables, and text marker.
pub(crate) fn generated(spec: &ReportSpec) -> (Body, Tables, String) {
    let tables = tables::generate(spec.seed, spec.prev_seed);
    let s = tables::summary(&tables);
    let mut r = Rng::new(spec.seed ^ 0xB0D1);
    let (a, y) = (&spec.agency, spec.year);
    let mut b = Vec::new();
    b.push(Block::Para(format!(
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，现发布{a}{y}年政府信息公开工作年度报告。本报告所列数据统计期限自{y}年1月1日起至{y}年12月31日止。本报告电子版可在{site}“政府信息公开”专栏查阅或下载。如对本报告有疑问，请与{a}办公室联系（联系人{c}，联系电话{p}）。",
        site = spec.site,
        c = spec.contact,
        p = spec.phone,
    )));
    b.push(Block::Heading("一、总体情况".into()));
    b.push(Block::Para(format!(
        "{y}年，{a}坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党中央、国务院关于全面推进政务公开的决策部署，认真贯彻实施《条例》，围绕中心工作，不断加大政府信息公开力度，切实保障人民群众的知情权、参与权、表达权和监督权。"
    )));
    let published = r.range(80, 2400);
    let policies = r.range(3, published / 6 + 3);
    b.push(Block::Heading("（一）主动公开".into()));
    b.push(Block::Para(format!(
        "全年通过政府门户网站主动公开政府信息{published}条，其中政策文件{policies}条、政策解读{}条、工作动态{}条；通过政务新媒体发布信息{}条。本年制发行政规范性文件{}件，废止{}件，现行有效{}件。",
        r.range(1, policies + 1),
        published - policies,
        r.range(50, 3000),
        s.issued,
        s.repealed,
        s.in_force
    )));
    b.push(Block::Heading("（二）依申请公开".into()));
    b.push(Block::Para(format!(
        "全年共收到政府信息公开申请{}件，上年结转{}件。已办结{}件，其中予以公开{}件，部分公开{}件，不予公开{}件，无法提供{}件，不予处理{}件，其他处理{}件；结转下年度继续办理{}件。全年因政府信息公开被申请行政复议、提起行政诉讼共{}件。",
        s.new_received, s.carried_over, s.processed, s.granted, s.partially, s.denied, s.unavailable, s.not_processed, s.other, s.forward, s.appeals
    )));
    b.push(Block::Heading("（三）政府信息管理".into()));
    b.push(Block::Para(r.pick(MANAGEMENT).to_string()));
    b.push(Block::Heading("（四）平台建设".into()));
    b.push(Block::Para(r.pick(PLATFORM).to_string()));
    b.push(Block::Heading("（五）监督保障".into()));
    b.push(Block::Para(r.pick(OVERSIGHT).to_string()));
    b.push(Block::Heading("二、主动公开政府信息情况".into()));
    b.push(Block::Table(TableName::Active));
    b.push(Block::Heading("三、收到和处理政府信息公开申请情况".into()));
    b.push(Block::Table(TableName::Requests));
    b.push(Block::Heading(
        "四、政府信息公开行政复议、行政诉讼情况".into(),
    ));
    b.push(Block::Table(TableName::Appeals));
    b.push(Block::Heading("五、存在的主要问题及改进情况".into()));
    b.push(Block::Para(r.pick(PROBLEMS).to_string()));
    b.push(Block::Heading("六、其他需要报告的事项".into()));
    let fee = if r.chance(0.2) {
        r.range(1, 30) * 10
    } else {
        0
    };
    b.push(Block::Para(if fee > 0 {
        format!(
            "根据《政府信息公开信息处理费管理办法》，{y}年{a}收取政府信息公开信息处理费{fee}元。"
        )
    } else {
        format!("{y}年，{a}未收取政府信息公开信息处理费。")
    }));
    let style = CellStyle::for_seed(spec.seed);
    let body = Body::Blocks {
        blocks: b,
        tables: Some(tables.clone()),
        style,
    };
    (body, tables, spec.marker())
}

/// The reposted 格式 notice: every heading and all three tables, every cell blank.
pub(crate) fn template() -> Body {
    let mut b = vec![Block::Para(
        "（国办公开办函〔2021〕30号附件）各地区、各部门应当严格按照本格式编制政府信息公开工作年度报告，表格中的数据项不得随意增减。".to_string(),
    )];
    b.push(Block::Heading("一、总体情况".into()));
    b.push(Block::Para(
        "（一）主动公开（二）依申请公开（三）政府信息管理（四）平台建设（五）监督保障".into(),
    ));
    b.push(Block::Heading("二、主动公开政府信息情况".into()));
    b.push(Block::Table(TableName::Active));
    b.push(Block::Heading("三、收到和处理政府信息公开申请情况".into()));
    b.push(Block::Table(TableName::Requests));
    b.push(Block::Heading(
        "四、政府信息公开行政复议、行政诉讼情况".into(),
    ));
    b.push(Block::Table(TableName::Appeals));
    b.push(Block::Heading("五、存在的主要问题及改进情况".into()));
    b.push(Block::Heading("六、其他需要报告的事项".into()));
    Body::Blocks {
        blocks: b,
        tables: Some(tables::blank()),
        style: CellStyle::Plain,
    }
}

/// Kinds of non-report pages found in 年报 columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")] // names in data/standard.toml
pub(crate) enum Companion {
    /// 关于做好…年度报告编制发布工作的通知.
    Notice,
    /// …年度报告解读.
    Interpretation,
    /// …上半年政府信息公开统计.
    HalfYear,
    /// …政务公开工作要点.
    WorkPoints,
    /// 一图读懂…年度报告 (图解).
    Graphic,
}

/// The body of a companion page for `agency` and `year`.
pub(crate) fn companion(kind: Companion, agency: &str, year: i32, seed: u64) -> Body {
    let mut r = Rng::new(seed);
    let next = year + 1;
    let paras: Vec<String> = match kind {
        Companion::Notice => vec![
            "各乡镇人民政府、街道办事处，各有关单位：".into(),
            format!("根据《中华人民共和国政府信息公开条例》规定，为做好{year}年度政府信息公开工作年度报告编制和发布工作，现将有关事项通知如下："),
            "一、严格按照《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求编制年度报告，确保数据准确、内容完整。".into(),
            format!("二、各部门应于{next}年1月31日前、各乡镇（街道）应于{next}年2月28日前在本单位政府信息公开专栏发布年度报告，并报{agency}备案。"),
            "三、年度报告发布前须履行保密审查程序，严禁出现涉密信息和个人隐私信息。".into(),
            format!("{agency}办公室"),
        ],
        Companion::Interpretation => vec![
            format!("近日，{agency}发布了{year}年政府信息公开工作年度报告。为便于社会公众更好地了解报告内容，现解读如下。"),
            format!("一是主动公开力度持续加大。全年主动公开政府信息{}条，较上年增长{}%。", r.range(300, 3000), r.range(2, 30)),
            format!("二是依申请公开办理规范高效。全年收到政府信息公开申请{}件，均在法定期限内答复。", r.range(5, 90)),
            "三是平台建设不断加强。持续优化政府信息公开专栏，提升政务新媒体传播力。".into(),
        ],
        Companion::HalfYear => vec![
            format!("{year}年1月至6月，{agency}主动公开政府信息{}条，其中政策文件{}条、政策解读{}条。", r.range(100, 900), r.range(5, 40), r.range(5, 40)),
            format!("上半年共收到政府信息公开申请{}件，办结{}件。", r.range(5, 40), r.range(1, 5)),
            "以上数据为阶段性统计，全年数据以年度报告为准。".into(),
        ],
        Companion::WorkPoints => vec![
            format!("为深入贯彻落实《中华人民共和国政府信息公开条例》，推进{year}年政务公开工作，制定本要点。"),
            "一、加强政策发布解读回应。严格落实政策文件与解读材料同步组织、同步审签、同步部署。".into(),
            "二、深化重点领域信息公开。做好财政预决算、重大建设项目、公共资源配置等领域信息公开。".into(),
            "三、提升政务公开平台效能。加强政府网站和政务新媒体建设管理。".into(),
            format!("四、做好年度报告编制工作。各单位应于{next}年1月31日前发布本单位政府信息公开工作年度报告。"),
        ],
        Companion::Graphic => vec![
            format!("一图读懂{agency}{year}年政府信息公开工作年度报告"),
            format!("【主动公开】全年主动公开政府信息{}条", r.range(100, 2000)),
            format!("【依申请公开】收到申请{}件，办结率100%", r.range(3, 60)),
            "【平台建设】政府网站、政务新媒体协同发布".into(),
        ],
    };
    Body::Blocks {
        blocks: paras.into_iter().map(Block::Para).collect(),
        tables: None,
        style: CellStyle::Plain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(seed: u64) -> ReportSpec {
        ReportSpec {
            agency: "云溪县民政局".into(),
            year: 2023,
            seed,
            prev_seed: seed + 1,
            phone: phone(731, seed),
            contact: "李明".into(),
            site: "云溪县人民政府网站".into(),
        }
    }

    #[test]
    fn generated_report_has_six_sections_three_tables_and_marker() {
        let (body, tables, marker) = generated(&spec(3));
        let html = body.html();
        for h in [
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        ] {
            assert!(html.contains(h), "{h}");
        }
        assert_eq!(html.matches("<table").count(), 3);
        assert!(html.contains(&marker));
        assert!(marker.starts_with("联系电话0731-"));
        let s = tables::summary(&tables);
        assert!(html.contains(&format!("全年共收到政府信息公开申请{}件", s.new_received)));
        let lines = body.lines();
        assert!(lines.iter().any(|l| l.contains(&marker)));
        assert!(lines
            .iter()
            .any(|l| l.starts_with("一、本年新收政府信息公开申请数量\t")));
        assert_eq!(generated(&spec(3)).0, body);
    }

    #[test]
    fn markers_and_phones_are_unique() {
        let phones: std::collections::HashSet<_> = (0..5000).map(|n| phone(731, n)).collect();
        assert_eq!(phones.len(), 5000);
        let mut s = spec(1);
        s.contact = "王堃".into();
        assert_eq!(s.marker(), "联系人王堃");
    }

    #[test]
    fn template_is_blank_and_companions_have_no_tables() {
        let html = template().html();
        assert_eq!(html.matches("<table").count(), 3);
        assert!(!html.contains("<td>0</td>"));
        let notice = companion(Companion::Notice, "云溪县人民政府办公室", 2023, 1).html();
        assert!(notice.contains("2024年1月31日前"));
        assert!(!notice.contains("<table"));
        assert!(strip_tags("<p>a<b>b</b></p>") == "ab");
    }
}
