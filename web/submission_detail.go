package web

import (
	"net/http"
	"os"
	"path/filepath"
	"sort"

	"lingpao"
	"lingpao/ingest"
	"lingpao/sqlite"
)

// receiptKinds are the receipt files of a submission a user may download, by the {kind} of the URL:
// a fixed list, so the request never names a file.
var receiptKinds = []struct {
	Kind, Ext, Label string
}{
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

// valueChange is one number that differs from the previous accepted version.
type valueChange struct {
	Cluster, Indicator, Before, After, Cell string
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
			if sub.Status == lingpao.SubAccepted && o.Status == lingpao.SubAccepted && o.Version == sub.Version-1 {
				v.Previous = &o
			}
		}
	}
	cur, err := s.w.Store.SubmissionValues(ctx, sub.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, val := range cur {
		v.Values = append(v.Values, s.valueRow(val))
	}
	if v.Previous != nil {
		prev, err := s.w.Store.SubmissionValues(ctx, v.Previous.ID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		v.Changes = s.changes(prev, cur)
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

// changes lists the numbers that differ between two versions, added and removed ones included.
func (s *Server) changes(prev, cur []lingpao.Value) []valueChange {
	type key struct{ cluster, indicator string }
	before := map[key]lingpao.Value{}
	for _, v := range prev {
		before[key{v.Cluster, v.Indicator}] = v
	}
	var out []valueChange
	seen := map[key]bool{}
	for _, v := range cur {
		k := key{v.Cluster, v.Indicator}
		seen[k] = true
		b, ok := before[k]
		if ok && b.V == v.V {
			continue
		}
		row := s.valueRow(v)
		c := valueChange{Cluster: row.Cluster, Indicator: row.Indicator, Before: "（未填）", After: row.Value, Cell: row.Cell}
		if ok {
			c.Before = s.valueRow(b).Value
		}
		out = append(out, c)
	}
	for _, b := range prev {
		if k := (key{b.Cluster, b.Indicator}); !seen[k] {
			row := s.valueRow(b)
			out = append(out, valueChange{Cluster: row.Cluster, Indicator: row.Indicator, Before: row.Value, After: "（未填）", Cell: row.Cell})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Cluster < out[j].Cluster })
	return out
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
