package demo

import (
	"bytes"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"lingpao"
	"lingpao/seeds"
)

// Province-scale workspaces (`lingpao demo --scale province`) run the whole of Hebei: its 167
// county-level divisions (GB/T 2260 codes; 49 districts, 21 county-level cities, 91 counties and 6
// autonomous counties) under its 11 cities. The embedded seeds know 石家庄 and 保定 only; the demo
// writes a workspace override of orgs.yaml, clusters.yaml and allocation_example.yaml, all marked as
// example data. The functional zones of the embedded tree (高新区, 经开区, 白沟新城) are left out at
// this scale: they are not administrative divisions and report through their host districts.

// provinceCode is 河北省.
const provinceCode = "130000"

// otherCities are the Hebei cities the embedded seeds do not list, with their county-level units as
// "code name" pairs separated by "；". Two names also exist in 石家庄 (桥西区, 新华区); as names are
// unique in the tree, those two carry their city's name.
var otherCities = []struct{ code, name, units string }{
	{"130200", "唐山市", "130202 路南区；130203 路北区；130204 古冶区；130205 开平区；130207 丰南区；130208 丰润区；130209 曹妃甸区；" +
		"130224 滦南县；130225 乐亭县；130227 迁西县；130229 玉田县；130281 遵化市；130283 迁安市；130284 滦州市"},
	{"130300", "秦皇岛市", "130302 海港区；130303 山海关区；130304 北戴河区；130306 抚宁区；130321 青龙满族自治县；130322 昌黎县；130324 卢龙县"},
	{"130400", "邯郸市", "130402 邯山区；130403 丛台区；130404 复兴区；130406 峰峰矿区；130407 肥乡区；130408 永年区；130423 临漳县；" +
		"130424 成安县；130425 大名县；130426 涉县；130427 磁县；130430 邱县；130431 鸡泽县；130432 广平县；130433 馆陶县；" +
		"130434 魏县；130435 曲周县；130481 武安市"},
	{"130500", "邢台市", "130502 襄都区；130503 信都区；130505 任泽区；130506 南和区；130522 临城县；130523 内丘县；130524 柏乡县；" +
		"130525 隆尧县；130528 宁晋县；130529 巨鹿县；130530 新河县；130531 广宗县；130532 平乡县；130533 威县；130534 清河县；" +
		"130535 临西县；130581 南宫市；130582 沙河市"},
	{"130700", "张家口市", "130702 桥东区；130703 张家口市桥西区；130705 宣化区；130706 下花园区；130708 万全区；130709 崇礼区；" +
		"130722 张北县；130723 康保县；130724 沽源县；130725 尚义县；130726 蔚县；130727 阳原县；130728 怀安县；130730 怀来县；" +
		"130731 涿鹿县；130732 赤城县"},
	{"130800", "承德市", "130802 双桥区；130803 双滦区；130804 鹰手营子矿区；130821 承德县；130822 兴隆县；130824 滦平县；" +
		"130825 隆化县；130826 丰宁满族自治县；130827 宽城满族自治县；130828 围场满族蒙古族自治县；130881 平泉市"},
	{"130900", "沧州市", "130902 沧州市新华区；130903 运河区；130921 沧县；130922 青县；130923 东光县；130924 海兴县；130925 盐山县；" +
		"130926 肃宁县；130927 南皮县；130928 吴桥县；130929 献县；130930 孟村回族自治县；130981 泊头市；130982 任丘市；" +
		"130983 黄骅市；130984 河间市"},
	{"131000", "廊坊市", "131002 安次区；131003 广阳区；131022 固安县；131023 永清县；131024 香河县；131025 大城县；131026 文安县；" +
		"131028 大厂回族自治县；131081 霸州市；131082 三河市"},
	{"131100", "衡水市", "131102 桃城区；131103 冀州区；131121 枣强县；131122 武邑县；131123 武强县；131124 饶阳县；131125 安平县；" +
		"131126 故城县；131127 景县；131128 阜城县；131182 深州市"},
}

// unitType is the administrative type of a county-level unit, from its name.
func unitType(name string) string {
	switch {
	case strings.HasSuffix(name, "区"):
		return "区"
	case strings.HasSuffix(name, "市"):
		return "县级市"
	}
	return "县"
}

// provinceUnits returns the province's org tree: the embedded units of 石家庄 and 保定 without their
// functional zones, and the other nine cities, in code order.
func provinceUnits() ([]lingpao.OrgUnit, error) {
	var embedded struct {
		Units []lingpao.OrgUnit `yaml:"units"`
	}
	if err := decodeSeed(seeds.FileOrgs, &embedded); err != nil {
		return nil, err
	}
	byCity := map[string][]lingpao.OrgUnit{}
	var out []lingpao.OrgUnit
	for _, u := range embedded.Units {
		switch {
		case u.Level == lingpao.LevelProvince:
			out = append(out, u)
		case u.Level == lingpao.LevelCity:
			byCity[u.Code] = append([]lingpao.OrgUnit{u}, byCity[u.Code]...)
		case u.Type != "功能区":
			byCity[u.Parent] = append(byCity[u.Parent], u)
		}
	}
	if len(out) != 1 || out[0].Code != provinceCode {
		return nil, fmt.Errorf("demo: embedded %s has no province %s", seeds.FileOrgs, provinceCode)
	}
	for _, c := range otherCities {
		units := []lingpao.OrgUnit{{Code: c.code, Name: c.name, Level: lingpao.LevelCity, Parent: provinceCode, Type: "市", CodeScheme: "GB/T 2260",
			Note: "省级规模演示：本市及所辖县级单位取自国家行政区划代码，集群和任务分解为示例数据。"}}
		for _, s := range strings.Split(c.units, "；") {
			code, name, _ := strings.Cut(strings.TrimSpace(s), " ")
			u := lingpao.OrgUnit{Code: code, Name: name, Level: lingpao.LevelCounty, Parent: c.code, Type: unitType(name), CodeScheme: "GB/T 2260"}
			if strings.HasPrefix(name, c.name) {
				u.Note = "与石家庄市的同名区区分，名称前加市名。"
			}
			units = append(units, u)
		}
		byCity[c.code] = units
	}
	for _, code := range []string{"130100", "130200", "130300", "130400", "130500", "130600", "130700", "130800", "130900", "131000", "131100"} {
		if len(byCity[code]) == 0 || byCity[code][0].Code != code {
			return nil, fmt.Errorf("demo: city %s missing from the province tree", code)
		}
		out = append(out, byCity[code]...)
	}
	return out, nil
}

func decodeSeed(name string, v any) error {
	b, err := fs.ReadFile(seeds.Embedded(), name)
	if err != nil {
		return err
	}
	return yaml.Unmarshal(b, v)
}

// industries are the industries of the example clusters the province demo invents for counties the
// seeds give none.
var industries = []string{"装备制造", "食品加工", "纺织服装", "新型建材", "精细化工", "汽车零部件", "生物医药", "电子信息",
	"五金制品", "家具制造", "塑料制品", "钢铁深加工", "绿色建材", "新能源", "农机装备", "玻璃制品", "皮革皮具", "羊绒制品",
	"管道装备", "保温材料", "电线电缆", "体育用品", "乐器制造", "红木家具"}

// writeProvinceSeeds writes the province's seed overrides into dir/seeds: the org tree, the clusters
// (the embedded ones of the units kept, plus one to three example clusters for every other county)
// and the example allocation (the embedded 石家庄 shares of the units kept, plus the province's
// 2025 专精特新 milestone shared out among the counties outside 石家庄).
func writeProvinceSeeds(dir string) error {
	units, err := provinceUnits()
	if err != nil {
		return err
	}
	known := map[string]lingpao.OrgUnit{}
	var counties []lingpao.OrgUnit
	for _, u := range units {
		known[u.Code], known[u.Name] = u, u
		if u.Level == lingpao.LevelCounty {
			counties = append(counties, u)
		}
	}
	orgs := header("orgs.yaml — 省级规模演示的组织机构（覆盖内置文件）",
		"河北省 11 个设区市和 167 个县级行政区划（区、县、自治县、县级市），编码为国家行政区划代码（GB/T 2260）。",
		"内置文件中的高新区、经开区、白沟新城等功能区在省级规模演示中不单列，视为由所在区县报送。")
	if err := writeSeed(dir, seeds.FileOrgs, orgs, map[string]any{"units": units}); err != nil {
		return err
	}

	var cl struct {
		Clusters []map[string]any `yaml:"clusters"`
	}
	if err := decodeSeed(seeds.FileClusters, &cl); err != nil {
		return err
	}
	var clusters []map[string]any
	has, names := map[string]bool{}, map[string]bool{}
	for _, c := range cl.Clusters {
		u, ok := known[fmt.Sprint(c["org"])]
		if !ok {
			continue // a functional zone's cluster
		}
		for _, k := range keyClusters {
			if c["code"] == k {
				c["province_key"] = true
			}
		}
		has[u.Code], names[fmt.Sprint(c["name"])] = true, true
		clusters = append(clusters, c)
	}
	for _, u := range counties {
		if has[u.Code] {
			continue
		}
		n := 1 + int(hash("clusters", u.Code)%3)
		for i := 0; i < n; i++ {
			ind := industries[(hash("industry", u.Code)+uint64(i)*7)%uint64(len(industries))]
			name := shortName(u.Name) + ind
			if names[name] {
				continue
			}
			names[name] = true
			clusters = append(clusters, map[string]any{"code": fmt.Sprintf("%s-%02d", u.Code, i+1), "name": name, "org": u.Code,
				"industry": ind, "example": true})
		}
	}
	cf := header("clusters.yaml — 省级规模演示的特色产业集群（覆盖内置文件）",
		"内置文件中的集群（去掉功能区的），加上为其余每个县级单位虚构的 1—3 个示例集群（example: true）：",
		"名称和产业均为演示数据，不是文件内容。")
	if err := writeSeed(dir, seeds.FileClusters, cf, map[string]any{"clusters": clusters}); err != nil {
		return err
	}

	var al struct {
		Allocations []map[string]any `yaml:"allocations"`
	}
	if err := decodeSeed(seeds.FileAllocation, &al); err != nil {
		return err
	}
	for _, a := range al.Allocations {
		shares, _ := a["shares"].([]any)
		var kept []any
		for _, s := range shares {
			if m, ok := s.(map[string]any); ok {
				if _, ok := known[fmt.Sprint(m["org"])]; ok {
					kept = append(kept, s)
				}
			}
		}
		a["shares"] = kept
	}
	// The province's 2000 专精特新 enterprises by 2025: 石家庄 carries its own plan's 750, the rest
	// is shared out among the other counties by invented weights.
	var outside []lingpao.OrgUnit
	for _, u := range counties {
		if u.Parent != "130100" {
			outside = append(outside, u)
		}
	}
	weights := make([]float64, len(outside))
	for i, u := range outside {
		weights[i] = 1 + unit(0, "weight", u.Code)*3
	}
	var shares []any
	for i, v := range split(2000-750, weights, true) {
		shares = append(shares, map[string]any{"org": outside[i].Name, "value": v, "example": true})
	}
	al.Allocations = append(al.Allocations, map[string]any{"basis": "hb2021-srdi_sme-2025", "example": true,
		"note": "省级规模演示：全省目标扣除石家庄市自身规划的750家后，按虚构权重分到其余县级单位。", "shares": shares})
	af := header("allocation_example.yaml — 省级规模演示的任务分解（覆盖内置文件）",
		"!!! 示例数据，不是任何文件的内容 !!!",
		"内置的石家庄市分解（去掉功能区的份额），加上全省专精特新中小企业2025年目标在石家庄以外各县级单位的示例分解。")
	return writeSeed(dir, seeds.FileAllocation, af, map[string]any{"allocations": al.Allocations})
}

// header is the comment block at the top of an override file.
func header(lines ...string) string {
	var b strings.Builder
	for _, l := range append(lines, "由 lingpao demo --scale province 生成，仅供演示和基准测试。") {
		b.WriteString("# " + l + "\n")
	}
	return b.String()
}

func writeSeed(dir, name, head string, v any) error {
	var b bytes.Buffer
	b.WriteString(head)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("demo: encode %s: %w", name, err)
	}
	return lingpao.WriteFileBytesAtomic(filepath.Join(dir, "seeds", name), b.Bytes())
}
