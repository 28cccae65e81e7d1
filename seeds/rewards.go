package seeds

import (
	"io/fs"

	"lingpao"
)

// Reward is a support policy with an amount (奖补政策): reference data quoted by the annual assessment,
// never a target. Amounts are in 万元.
type Reward struct {
	ID string `yaml:"id" json:"id"`
	// Org is the code of the level that pays.
	Org string `yaml:"org" json:"org"`
	// Item is what is rewarded; Condition what it takes; Recipient who receives it when it is not the
	// enterprise itself.
	Item      string `yaml:"item" json:"item"`
	Condition string `yaml:"condition,omitempty" json:"condition,omitempty"`
	Recipient string `yaml:"recipient,omitempty" json:"recipient,omitempty"`
	// Amount is a fixed sum, Max a cap (不超过/最高), both 万元; Percent a share of the eligible spend.
	Amount  *float64 `yaml:"amount,omitempty" json:"amount"`
	Max     *float64 `yaml:"max,omitempty" json:"max"`
	Percent *float64 `yaml:"percent,omitempty" json:"percent"`
	// Citation is built from the entry's doc and clause.
	Citation string `yaml:"citation,omitempty" json:"citation"`
	Note     string `yaml:"note,omitempty" json:"note,omitempty"`
}

type rewardsFile struct {
	Rewards []rewardEntry `yaml:"rewards"`
}

type rewardEntry struct {
	Reward `yaml:",inline"`
	Doc    string `yaml:"doc"`
	Clause string `yaml:"clause"`
}

// Rewards reads rewards.yaml of fsys (with documents.yaml and orgs.yaml for citations and units) and
// checks it: unique ids, known units and documents, non-negative figures, and a figure unless the note
// says the document gives none.
func Rewards(fsys fs.FS) ([]Reward, error) {
	var (
		docsF documentsFile
		orgsF orgsFile
		rf    rewardsFile
	)
	for _, f := range []struct {
		name string
		v    any
	}{{FileDocuments, &docsF}, {FileOrgs, &orgsF}, {FileRewards, &rf}} {
		if err := decode(fsys, f.name, f.v); err != nil {
			return nil, err
		}
	}
	var p problems
	docs := checkDocuments(&p, fileLabel(fsys, FileDocuments), docsF.Documents)
	tree, err := lingpao.NewOrgTree(orgsF.Units)
	if err != nil {
		return nil, lingpao.Errorf(lingpao.EINVALID, "%s：%s", fileLabel(fsys, FileOrgs), lingpao.ErrorMessage(err))
	}
	l := &loader{p: &p, docs: docs, tree: tree}
	file := fileLabel(fsys, FileRewards)
	var out []Reward
	ids := map[string]bool{}
	for i, e := range rf.Rewards {
		r := e.Reward
		what := "奖补 " + r.ID
		if r.ID == "" || r.Item == "" {
			p.addf("%s：第 %d 条奖补缺少 id 或 item。", file, i+1)
			continue
		}
		if ids[r.ID] {
			p.addf("%s：奖补 id %s 重复。", file, r.ID)
		}
		ids[r.ID] = true
		if u, ok := l.org(file, what, r.Org); ok {
			r.Org = u.Code
		}
		for _, v := range []*float64{r.Amount, r.Max, r.Percent} {
			if v != nil && *v < 0 {
				p.addf("%s：%s 的金额或比例不能为负。", file, what)
			}
		}
		if r.Amount == nil && r.Max == nil && r.Percent == nil && r.Note == "" {
			p.addf("%s：%s 没有 amount、max 或 percent：文件未给金额时请在 note 中说明。", file, what)
		}
		r.Citation = l.cite(file, what, e.Doc, e.Clause, r.Citation)
		if r.Citation == "" {
			p.addf("%s：%s 没有出处：请填写 doc 和 clause。", file, what)
		}
		out = append(out, r)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return out, nil
}
