package web

import (
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"

	"lingpao"
	"lingpao/ingest"
	"lingpao/sqlite"
	"lingpao/templates"
)

// receiptKinds are the receipt files of a submission a user may download, by the {kind} of the URL:
// a fixed list, so the request never names a file.
var receiptKinds = []struct {
	Kind, Ext, Label string
}{
	{"annotated", ingest.AnnotatedSuffix, "批注版报表（红色单元格标出问题，县里改好后可直接放回）"},
	{"xlsx", ".xlsx", "回执明细（Excel）"},
	{"txt", ".txt", "回执（一句话）"},
	{"json", ".json", "回执数据（JSON）"},
}

type receiptLink struct {
	Kind, Label string
}

// valueRow is one stored number with the cell it came from.
type valueRow struct {
	Cluster, Indicator, Value, Cell string
}

// valueChange is one difference from the previous accepted version: a number of the cluster sheet or
// a row or field of the enterprise roster.
type valueChange struct {
	Item, Before, After, Cell string
}

type submissionView struct {
	Sub      lingpao.Submission
	OrgName  string
	Summary  string
	Errors   int
	Warnings int
	Original bool
	Receipts []receiptLink
	History  []submissionRow
	// Previous is the accepted version this one replaced, Changes what differs from it.
	Previous *lingpao.Submission
	Changes  []valueChange
	Values   []valueRow
	// Uploaded is set when the page follows an upload on behalf of the county.
	Uploaded bool
	// Review is where the review (审核) of the file stands.
	Review reviewState
}

// submissionDetail shows one file: its outcome in plain Chinese, every finding with its sheet and
// cell, the downloads, the other versions for the county and period, and what changed.
func (s *Server) submissionDetail(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sub, err := s.findSubmission(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "报送详情", "submissions")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	v := submissionView{Sub: sub, OrgName: s.orgName(sub.Org), Summary: ingest.Summary(s.w.Catalog, sub), Uploaded: r.URL.Query().Get("uploaded") != ""}
	for _, f := range sub.Findings {
		if f.Severity == lingpao.SevError {
			v.Errors++
		} else {
			v.Warnings++
		}
	}
	if _, err := os.Stat(ingest.ArchivePath(s.w.Config, sub)); err == nil {
		v.Original = true
	}
	for _, k := range receiptKinds {
		if _, err := os.Stat(s.receiptPath(sub, k.Ext)); err == nil {
			v.Receipts = append(v.Receipts, receiptLink{Kind: k.Kind, Label: k.Label})
		}
	}
	if sub.Org != "" && !sub.Period.IsZero() {
		all, err := s.w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Org: sub.Org, Period: sub.Period.String()})
		if err != nil {
			s.error(w, r, err)
			return
		}
		for i := range all {
			o := all[i]
			v.History = append(v.History, submissionRow{Submission: o, OrgName: v.OrgName, Superseded: o.SupersededBy != 0})
			// The version this one replaced: a version returned since (审核退回) is skipped.
			if sub.Status == lingpao.SubAccepted && o.Status == lingpao.SubAccepted && o.SupersededBy == sub.ID {
				v.Previous = &o
			}
		}
	}
	rv, err := s.reviewView(ctx, sub)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Review, v.Summary = rv.State, rv.Summary
	cur, err := s.w.Store.SubmissionValues(ctx, sub.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, val := range cur {
		v.Values = append(v.Values, s.valueRow(val))
	}
	if v.Previous != nil {
		cs, err := s.w.Store.FindChanges(ctx, sub.ID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		v.Changes = s.describeChanges(sub.Org, cs)
	}
	p.Title = v.OrgName + " " + sub.FileName
	p.Data = v
	s.render(w, r, http.StatusOK, "submission", p)
}

// findSubmission returns the submission of the {id} path segment.
func (s *Server) findSubmission(r *http.Request) (lingpao.Submission, error) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return lingpao.Submission{}, err
	}
	return s.w.Store.FindSubmission(r.Context(), id)
}

// receiptPath is where the receipt file with extension ext of sub is.
func (s *Server) receiptPath(sub lingpao.Submission, ext string) string {
	return filepath.Join(ingest.ReceiptDir(s.w.Config, s.w.Catalog, sub), ingest.ReceiptBase(sub)+ext)
}

func (s *Server) valueRow(v lingpao.Value) valueRow {
	ind, _ := s.w.Catalog.Indicator(v.Indicator)
	row := valueRow{Cluster: "全县", Indicator: ind.Name, Value: ind.Format(v.V), Cell: cellRef(v)}
	if ind.Name == "" {
		row.Indicator = v.Indicator
	}
	if v.Cluster != "" {
		row.Cluster = s.clusterName(v.Cluster)
	}
	return row
}

func cellRef(v lingpao.Value) string {
	switch {
	case v.Cell == "":
		return "由企业名录汇总"
	case v.Sheet == "":
		return v.Cell
	}
	return v.Sheet + "!" + v.Cell
}

func (s *Server) clusterName(code string) string {
	for _, c := range s.w.Catalog.Clusters {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// describeChanges names each recorded change for people: the cluster and indicator with the number
// formatted in its unit, or the enterprise and roster field, with the cell in the later version.
func (s *Server) describeChanges(org string, cs []sqlite.Change) []valueChange {
	roster := templates.Layout(s.w.Catalog)[lingpao.ScopeRoster].Fields
	fieldName := map[string]string{"tags": "标签"}
	for code, f := range roster {
		fieldName[code] = f.Name
	}
	clusters := map[string]string{}
	for _, c := range s.w.Catalog.ClustersOf(org) {
		clusters[c.Code] = c.Name
	}
	show := func(v any, format func(float64) string) string {
		switch x := v.(type) {
		case nil:
			return "（未填）"
		case float64:
			return format(x)
		case int64:
			return format(float64(x))
		case string:
			if name, ok := clusters[x]; ok {
				return name
			}
			if x == "" {
				return "（空）"
			}
			return x
		}
		return fmt.Sprint(v)
	}
	plain := func(x float64) string { return lingpao.FormatNumber(x, decimalsOf(x)) }
	out := make([]valueChange, 0, len(cs))
	for _, c := range cs {
		vc := valueChange{Cell: c.Cell}
		switch c.Kind {
		case sqlite.ChangeValue:
			ind, _ := s.w.Catalog.Indicator(c.Field)
			vc.Item = clusters[c.Subject] + " · " + ind.Name
			vc.Before, vc.After = show(c.Old, ind.Format), show(c.New, ind.Format)
			if c.Sheet != "" {
				vc.Cell = c.Sheet + "!" + c.Cell
			}
		case sqlite.ChangeEnterprise:
			vc.Item = c.Subject + " · " + fieldName[c.Field]
			vc.Before, vc.After = show(c.Old, plain), show(c.New, plain)
			vc.Cell = fmt.Sprintf("%s 第%d行", c.Sheet, c.Row)
		case sqlite.ChangeEnterpriseAdded:
			vc.Item, vc.Before, vc.After = "新增企业 "+c.Subject, "—", show(c.New, plain)
			vc.Cell = fmt.Sprintf("%s 第%d行", c.Sheet, c.Row)
		case sqlite.ChangeEnterpriseRemoved:
			vc.Item, vc.Before, vc.After = "删除企业 "+c.Subject, show(c.Old, plain), "—"
			vc.Cell = fmt.Sprintf("原第%d行", c.Row)
		default:
			vc.Item, vc.Before, vc.After = c.Subject+" · "+c.Field, show(c.Old, plain), show(c.New, plain)
		}
		out = append(out, vc)
	}
	return out
}

// decimalsOf shows as many decimals as a stored number has, at most four.
func decimalsOf(v float64) int {
	for d := 0; d < 4; d++ {
		if r := math.Pow(10, float64(d)); math.Abs(math.Round(v*r)-v*r) < 1e-9 {
			return d
		}
	}
	return 4
}

// downloadOriginal sends the original bytes of a submission from the archive, under the name the
// county gave the file.
func (s *Server) downloadOriginal(w http.ResponseWriter, r *http.Request) {
	sub, err := s.findSubmission(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.serveFile(w, r, ingest.ArchivePath(s.w.Config, sub), sub.FileName)
}

// downloadReceipt sends one of the receipt files of a submission; {kind} picks from receiptKinds.
func (s *Server) downloadReceipt(w http.ResponseWriter, r *http.Request) {
	sub, err := s.findSubmission(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, k := range receiptKinds {
		if k.Kind == r.PathValue("kind") {
			s.serveFile(w, r, s.receiptPath(sub, k.Ext), ingest.ReceiptBase(sub)+k.Ext)
			return
		}
	}
	s.error(w, r, lingpao.Errorf(lingpao.ENOTFOUND, "没有这种回执文件：请从报送详情页下载。"))
}
