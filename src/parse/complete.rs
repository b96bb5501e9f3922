//! The whole labels and headers of the two forms: a line of PDF text holding one has not
//! wrapped (`extract::pdf::wrap`), whatever its width.

use super::labels::{norm, strip_numbering};

/// Every label and header the two forms print, whole, numbering stripped and normalised
/// (`（二）部分公开` is not one: the form goes on with its parenthesis).
const COMPLETE_LABELS: &[&str] = &[
    // Table 二.
    "信息内容",
    "本年制发件数",
    "本年废止件数",
    "现行有效件数",
    "本年处理决定数量",
    "本年收费金额(单位:万元)",
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "本年增/减",
    "处理决定数量",
    "采购项目数量",
    "采购总金额",
    "规章",
    "行政规范性文件",
    "规范性文件",
    "行政许可",
    "其他对外管理服务事项",
    "行政处罚",
    "行政强制",
    "行政事业性收费",
    "政府集中采购",
    // Table 三.
    "申请人情况",
    "自然人",
    "法人或其他组织",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
    "本年新收政府信息公开申请数量",
    "上年结转政府信息公开申请数量",
    "本年度办理结果",
    "予以公开",
    "不予公开",
    "属于国家秘密",
    "其他法律行政法规禁止公开",
    "危及“三安全一稳定”",
    "保护第三方合法权益",
    "属于三类内部事务信息",
    "属于四类过程性信息",
    "属于行政执法案卷",
    "属于行政查询事项",
    "无法提供",
    "本机关不掌握相关政府信息",
    "没有现成信息需要另行制作",
    "补正后申请内容仍不明确",
    "不予处理",
    "信访举报投诉类申请",
    "重复申请",
    "要求提供公开出版物",
    "无正当理由大量反复申请",
    "要求行政机关确认或重新出具已获取信息",
    "其他处理",
    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "结转下年度继续办理",
    // Table 四.
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "未经复议直接起诉",
    "复议后起诉",
];

/// Whether `text` is a whole label or header of the forms (a caption 第二十条第（N）项
/// included): a line holding one has not wrapped, whatever its width.
pub(crate) fn is_complete_label(text: &str) -> bool {
    if text.len() > 200 {
        return false;
    }
    let n = norm(text);
    let bare = strip_numbering(&n);
    if bare.is_empty() {
        return false;
    }
    if let Some(item) = bare.strip_prefix("第二十条第(") {
        return item
            .strip_suffix(")项")
            .is_some_and(|i| i.chars().count() <= 2);
    }
    COMPLETE_LABELS.contains(&bare)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complete_labels() {
        for t in [
            "规章",
            "行政 处罚",
            "（三）不予公开",
            "3.危及“三安全一稳定”",
            "第二十条第（六）项",
            "信息内容",
            "（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ] {
            assert!(is_complete_label(t), "{t}");
        }
        for t in [
            "（二）部分公开",
            "行政规范性",
            "2.其他法律行政法",
            "本年度办",
            "",
        ] {
            assert!(!is_complete_label(t), "{t}");
        }
    }
}
