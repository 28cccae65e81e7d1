package web

import "strings"

// ruleNames name the validation rules in Chinese, by the code findings carry (seeds/rules.yaml and
// the checks of the reader and the inbox). The code stays in the receipts' data for machines; people
// read the name.
var ruleNames = map[string]string{
	"required.contact":          "联系人必填",
	"required.cluster":          "集群指标必填",
	"required.roster":           "企业名录必填",
	"required.issue":            "问题台账必填",
	"bounds.cluster":            "数值范围",
	"bounds.roster":             "数值不能为负",
	"integer.cluster":           "应为整数",
	"part_whole.little_giant":   "部分不大于整体（小巨人≤专精特新）",
	"part_whole.digital_rd":     "分子不大于分母（数字化研发）",
	"part_whole.digital_mgmt":   "分子不大于分母（数字化管理）",
	"part_whole.cloud":          "分子不大于分母（上云）",
	"part_whole.ecommerce":      "分子不大于分母（电子商务）",
	"part_whole.diagnosed":      "分子不大于分母（诊断服务）",
	"part_whole.rev50":          "部分不大于整体（超50亿元企业）",
	"part_whole.rnd_revenue":    "研发投入不大于营业收入",
	"period.ytd_decrease":       "累计数不应减少",
	"period.stock_jump":         "存量数大幅变化",
	"roster.count_srdi":         "名录与集群表核对（专精特新）",
	"roster.count_little_giant": "名录与集群表核对（小巨人）",
	"roster.uscc":               "统一社会信用代码校验",
	"roster.uscc_number":        "统一社会信用代码格式",
	"roster.duplicate":          "名录重复企业",
	"roster.duplicate_name":     "名录重复名称",
	"roster.elsewhere":          "企业跨县重复报送",
	"roster.cluster":            "企业所属集群",
	"cell.approximate":          "估计数（约、左右）",
	"cell.chinese":              "中文数字",
	"cell.choice":               "下拉选项",
	"cell.date":                 "日期",
	"cell.date_format":          "日期格式",
	"cell.extra_row":            "多余的行",
	"cell.formula":              "公式",
	"cell.formula_error":        "公式错误",
	"cell.negative_parens":      "括号负数",
	"cell.number":               "数值格式",
	"cell.outside":              "模板外的单元格",
	"cell.percent":              "百分号",
	"cell.range":                "区间值",
	"cell.tag":                  "企业标签",
	"cell.unit":                 "计量单位",
	"cell.words":                "文字代替数值",
	"cluster.missing":           "缺少集群行",
	"cluster.unknown":           "未知集群",
	"file.bomb":                 "异常压缩文件",
	"file.corrupt":              "文件损坏",
	"file.csv":                  "CSV 文件",
	"file.empty":                "空文件",
	"file.encrypted":            "文件加密",
	"file.et":                   "WPS 表格文件",
	"file.not_xlsx":             "不是 Excel 工作簿",
	"file.ods":                  "ODS 文件",
	"file.too_large":            "文件过大",
	"file.truncated":            "文件不完整",
	"file.unknown":              "无法识别的文件",
	"file.unreadable":           "文件无法读取",
	"file.xls":                  "旧版 Excel 文件",
	"meta.hash":                 "模板校验",
	"meta.layout":               "模板结构被修改",
	"meta.missing":              "不是下发的模板",
	"meta.org":                  "模板所属单位",
	"meta.period":               "模板所属期间",
	"meta.version":              "模板版本",
	"placement.folder":          "放错文件夹",
	"placement.future":          "期间未到",
	"placement.name":            "文件名",
	"placement.period":          "期间",
	"sheet.extra":               "多余的工作表",
	"template.xlsx":             "模板格式",
}

// ruleGroups name a rule by the first part of its code when the code itself is not listed (a rule
// added to seeds/rules.yaml later).
var ruleGroups = map[string]string{
	"required": "必填项", "bounds": "数值范围", "integer": "应为整数", "part_whole": "部分不大于整体", "period": "与上期比较",
	"roster": "企业名录", "cell": "单元格内容", "cluster": "集群", "file": "文件", "meta": "模板", "placement": "报送位置",
	"sheet": "工作表", "template": "模板",
}

// ruleName names a rule in Chinese; a code neither table knows gets "校验规则", never the code.
func ruleName(code string) string {
	if n, ok := ruleNames[code]; ok {
		return n
	}
	group, _, _ := strings.Cut(code, ".")
	if n, ok := ruleGroups[group]; ok {
		return n
	}
	return "校验规则"
}
