package lingpao

import (
	"fmt"
	"sort"
)

// OrgLevel is a level of the org tree: 省 → 市 → 县级单位.
type OrgLevel string

// The levels of the org tree. Returns are filed at county level, the leaves.
const (
	LevelProvince OrgLevel = "province"
	LevelCity     OrgLevel = "city"
	LevelCounty   OrgLevel = "county"
)

// OrgUnit is a node of the org tree (组织单元): the province, a city, or a county-level unit
// (县、县级市、区, and functional zones such as 高新区 and 经开区).
type OrgUnit struct {
	Code   string   `yaml:"code" json:"code"`
	Name   string   `yaml:"name" json:"name"`
	Level  OrgLevel `yaml:"level" json:"level"`
	Parent string   `yaml:"parent,omitempty" json:"parent,omitempty"`
	// Type is the unit's administrative type: 省, 市, 区, 县, 县级市, 功能区.
	Type string `yaml:"type,omitempty" json:"type,omitempty"`
	// CodeScheme says where Code comes from: "GB/T 2260" for national division codes, else the
	// documented local scheme.
	CodeScheme string `yaml:"code_scheme,omitempty" json:"code_scheme,omitempty"`
	Note       string `yaml:"note,omitempty" json:"note,omitempty"`
	// Example marks units that exist only for demonstrations and benchmarks.
	Example bool `yaml:"example,omitempty" json:"example,omitempty"`
}

// OrgTree is the org tree with lookups by code and name. Children keep the order of the seed data.
type OrgTree struct {
	units    []OrgUnit
	byCode   map[string]int
	byName   map[string]int
	children map[string][]int
	roots    []int
}

// NewOrgTree builds a tree from units listed parents first, and checks it: unique codes and names
// within a parent, known parents, levels that descend.
func NewOrgTree(units []OrgUnit) (*OrgTree, error) {
	t := &OrgTree{byCode: map[string]int{}, byName: map[string]int{}, children: map[string][]int{}}
	for _, u := range units {
		if u.Code == "" || u.Name == "" {
			return nil, Errorf(EINVALID, "组织单元缺少编码或名称：%+v", u)
		}
		if _, dup := t.byCode[u.Code]; dup {
			return nil, Errorf(EINVALID, "组织单元编码重复：%s", u.Code)
		}
		i := len(t.units)
		t.units = append(t.units, u)
		t.byCode[u.Code] = i
		if u.Parent == "" {
			t.roots = append(t.roots, i)
		} else {
			p, ok := t.byCode[u.Parent]
			if !ok {
				return nil, Errorf(EINVALID, "组织单元 %s（%s）的上级 %s 不存在或排在它之后", u.Name, u.Code, u.Parent)
			}
			if levelRank(t.units[p].Level) >= levelRank(u.Level) {
				return nil, Errorf(EINVALID, "组织单元 %s 的层级 %s 不低于上级 %s", u.Name, u.Level, t.units[p].Name)
			}
			t.children[u.Parent] = append(t.children[u.Parent], i)
		}
		// Names are unique in the tree so that a clerk can type 鹿泉区 instead of a code.
		if _, dup := t.byName[u.Name]; dup {
			return nil, Errorf(EINVALID, "组织单元名称重复：%s", u.Name)
		}
		t.byName[u.Name] = i
	}
	return t, nil
}

func levelRank(l OrgLevel) int {
	switch l {
	case LevelProvince:
		return 1
	case LevelCity:
		return 2
	case LevelCounty:
		return 3
	}
	return 0
}

// Units returns every unit, parents before children.
func (t *OrgTree) Units() []OrgUnit { return append([]OrgUnit(nil), t.units...) }

// Unit returns the unit with the given code.
func (t *OrgTree) Unit(code string) (OrgUnit, bool) {
	i, ok := t.byCode[code]
	if !ok {
		return OrgUnit{}, false
	}
	return t.units[i], true
}

// Find returns the unit whose code or name is s.
func (t *OrgTree) Find(s string) (OrgUnit, error) {
	if i, ok := t.byCode[s]; ok {
		return t.units[i], nil
	}
	if i, ok := t.byName[s]; ok {
		return t.units[i], nil
	}
	return OrgUnit{}, Errorf(ENOTFOUND, "找不到组织单元「%s」：请填写县（市、区）的全称（如 鹿泉区）或行政区划代码。", s)
}

// Name returns the name of the unit with the given code, or the code itself when unknown.
func (t *OrgTree) Name(code string) string {
	if u, ok := t.Unit(code); ok {
		return u.Name
	}
	return code
}

// Children returns the direct children of code in seed order.
func (t *OrgTree) Children(code string) []OrgUnit {
	var out []OrgUnit
	for _, i := range t.children[code] {
		out = append(out, t.units[i])
	}
	return out
}

// Counties returns the county-level units under code (code itself when it is a county), in seed order.
func (t *OrgTree) Counties(code string) []OrgUnit {
	u, ok := t.Unit(code)
	if !ok {
		return nil
	}
	if u.Level == LevelCounty {
		return []OrgUnit{u}
	}
	var out []OrgUnit
	for _, c := range t.Children(code) {
		out = append(out, t.Counties(c.Code)...)
	}
	return out
}

// Parent returns the parent of code.
func (t *OrgTree) Parent(code string) (OrgUnit, bool) {
	u, ok := t.Unit(code)
	if !ok || u.Parent == "" {
		return OrgUnit{}, false
	}
	return t.Unit(u.Parent)
}

// Ancestors returns code's ancestors, nearest first.
func (t *OrgTree) Ancestors(code string) []OrgUnit {
	var out []OrgUnit
	for p, ok := t.Parent(code); ok; p, ok = t.Parent(p.Code) {
		out = append(out, p)
	}
	return out
}

// IsUnder reports whether code is ancestor or code itself.
func (t *OrgTree) IsUnder(code, ancestor string) bool {
	if code == ancestor {
		return true
	}
	for _, a := range t.Ancestors(code) {
		if a.Code == ancestor {
			return true
		}
	}
	return false
}

// Cluster is a county featured-industry cluster (县域特色产业集群). It belongs to one county.
type Cluster struct {
	Code     string `yaml:"code" json:"code"`
	Name     string `yaml:"name" json:"name"`
	Org      string `yaml:"org" json:"org"`
	Industry string `yaml:"industry,omitempty" json:"industry,omitempty"`
	// Citation names the document that names the cluster; empty for example clusters.
	Citation string `yaml:"citation,omitempty" json:"citation,omitempty"`
	// ProvinceKey marks a 省级重点特色产业集群 (bonus points in the annual assessment).
	ProvinceKey bool `yaml:"province_key,omitempty" json:"province_key,omitempty"`
	// Example marks illustrative clusters that the documents do not name.
	Example bool `yaml:"example,omitempty" json:"example,omitempty"`
}

// ClustersOf returns the clusters of county org, sorted by code.
func ClustersOf(all []Cluster, org string) []Cluster {
	var out []Cluster
	for _, c := range all {
		if c.Org == org {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// String returns "name(code)".
func (u OrgUnit) String() string { return fmt.Sprintf("%s(%s)", u.Name, u.Code) }
