package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// reportFile is one file of the outbox. ID is derived from its place in the outbox; a download looks
// the ID up in a fresh listing, so the request never names a path.
type reportFile struct {
	ID      string
	Name    string
	Folder  string
	Period  string
	Kind    string
	Size    int64
	ModTime time.Time
	path    string
	// EditionID and Edition name the recorded edition the file belongs to (0 when none).
	EditionID int64
	Edition   int
}

// reportKinds are the reports "generate now" offers, with their names and an example period.
var reportKinds = []struct {
	Kind, Label, Example string
}{
	{"monthly", "月调度表", "2025-09"},
	{"quarterly", "季度通报", "2025Q3"},
	{"half", "半年总结", "2025H1"},
	{"annual", "年终考核", "2025"},
	{"scorecard", "县域体检表", "2025-09"},
}

type reportListView struct {
	Files   []reportFile
	Tasks   []sqlite.ReportTask
	Kinds   []option
	Periods []string
	Month   lingpao.Period
	Quarter string
	// Kind and Folder are the list's filters: a report kind and an outbox period folder.
	Kind, Folder string
	Folders      []option
	List         listQuery
	Pager        pager
	// Mail is set when mail is configured: editions can be sent from the page.
	Mail bool
}

// reportList lists the reports in the outbox, newest period first — filtered by kind, period,
// keyword and date, a page at a time — with the "generate now" form and the latest generations.
// Each file of a recorded edition links to the edition: what changed, and sending it.
func (s *Server) reportList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "报告档案", "reports")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	lq, err := parseListQuery(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	files, err := s.outbox()
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.markEditions(r.Context(), files); err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	v := reportListView{Month: p.Period, Kind: q.Get("kind"), Folder: q.Get("folder"), Mail: s.w.Config.Mail.Enabled()}
	label := ""
	if v.Kind != "" {
		if label = kindLabel(v.Kind); label == v.Kind {
			s.error(w, r, lingpao.Errorf(lingpao.EINVALID, "报告类型「%s」不存在：请从列表中选择。", clip(v.Kind, 20)))
			return
		}
	}
	v.Folders = []option{{"", "全部期间"}}
	seen := map[string]bool{}
	var shown []reportFile
	for _, f := range files {
		top := strings.SplitN(f.Folder, "/", 2)[0]
		if top != "" && !seen[top] {
			seen[top] = true
			v.Folders = append(v.Folders, option{top, periodLabel(top)})
		}
		if label != "" && f.Kind != label {
			continue
		}
		if v.Folder != "" && top != v.Folder {
			continue
		}
		if lq.within(f.ModTime) && lq.matches(f.Name, f.Folder, f.Period, f.Kind) {
			shown = append(shown, f)
		}
	}
	if v.Folder != "" && !seen[v.Folder] {
		v.Folders = append(v.Folders, option{v.Folder, periodLabel(v.Folder)})
	}
	if lq.Export {
		t := exportTable{Sheet: "报告档案", Title: "报告档案（发件箱）", Columns: cols("期间", "报告", "版次", "文件名", "位置", "大小（字节）", "生成时间")}
		for _, f := range shown {
			ed := any(nil)
			if f.Edition > 0 {
				ed = f.Edition
			}
			t.Rows = append(t.Rows, []any{f.Period, f.Kind, ed, f.Name, "outbox/" + f.Folder, f.Size, f.ModTime})
		}
		s.sendXLSX(w, r, "报告档案", t)
		return
	}
	v.Files, v.Pager = paginate(r, &lq, shown)
	v.List = lq
	tasks, err := s.w.Store.FindReportTasks(r.Context(), 10)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Tasks = tasks
	for _, k := range reportKinds {
		v.Kinds = append(v.Kinds, option{k.Kind, k.Label})
	}
	m := p.Period
	qt := lingpao.Period{Year: m.Year, Kind: lingpao.Quarter, N: (m.N-1)/3 + 1}
	v.Quarter = qt.String()
	v.Periods = []string{m.String(), qt.String(), lingpao.Period{Year: m.Year, Kind: lingpao.Half, N: (m.N-1)/6 + 1}.String(), lingpao.Period{Year: m.Year, Kind: lingpao.Year}.String()}
	p.Hidden = map[string]string{"kind": v.Kind, "folder": v.Folder, "q": lq.Q, "from": lq.From, "to": lq.To}
	p.Data = v
	s.render(w, r, http.StatusOK, "reports", p)
}

// markEditions links each file to the recorded edition that wrote it.
func (s *Server) markEditions(ctx context.Context, files []reportFile) error {
	eds, err := s.w.Store.EditionFiles(ctx)
	if err != nil {
		return err
	}
	byPath := map[string]sqlite.EditionFile{}
	for _, e := range eds {
		byPath[e.Path] = e
	}
	for i := range files {
		rel := path.Join(lingpao.OutboxDir, files[i].Folder, files[i].Name)
		if e, ok := byPath[rel]; ok {
			files[i].EditionID, files[i].Edition = e.EditionID, e.Edition
		}
	}
	return nil
}

// outbox lists the report files under outbox/, newest folder first. Temporary files of a write in
// progress, hidden files and anything not a regular file are left out.
func (s *Server) outbox() ([]reportFile, error) {
	root := s.w.Config.Path(lingpao.OutboxDir)
	var out []reportFile
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return fs.SkipAll // no outbox yet: nothing to list
			}
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") && path != root {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return nil
		}
		folder := filepath.Dir(rel)
		if folder == "." {
			folder = ""
		}
		f := reportFile{ID: fileID(rel), Name: d.Name(), Folder: filepath.ToSlash(folder), Size: info.Size(), ModTime: info.ModTime(), path: path, Kind: kindOf(d.Name())}
		if p, err := lingpao.ParsePeriod(strings.SplitN(f.Folder, "/", 2)[0]); err == nil {
			f.Period = p.Label()
		}
		out = append(out, f)
		return nil
	})
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Folder != out[j].Folder {
			return out[i].Folder > out[j].Folder
		}
		return out[i].Name < out[j].Name
	})
	return out, err
}

// fileID names an outbox file by the SHA-256 of its path relative to the outbox.
func fileID(rel string) string {
	h := sha256.Sum256([]byte(filepath.ToSlash(rel)))
	return hex.EncodeToString(h[:16])
}

// kindOf names the report a file is, from the start of its name.
func kindOf(name string) string {
	for _, k := range reportKinds {
		if strings.HasPrefix(name, k.Label) {
			return k.Label
		}
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf":
		return "PDF"
	case ".xlsx":
		return "Excel"
	}
	return "其他"
}

// downloadReport sends an outbox file found by its ID in a fresh listing.
func (s *Server) downloadReport(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	files, err := s.outbox()
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, f := range files {
		if f.ID == id {
			s.serveFile(w, r, f.path, f.Name)
			return
		}
	}
	s.error(w, r, lingpao.Errorf(lingpao.ENOTFOUND, "报告文件不存在或已被移走：请回到报告档案重新选择。"))
}
