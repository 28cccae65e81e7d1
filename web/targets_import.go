package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"lingpao"
	"lingpao/allocation"
	"lingpao/jobs"
)

// targetsExport sends the allocation workbook (目标分解表, PRODUCT §5.3) of the targets in force, for
// the selected period's year on: staff fill each county's share and import it back.
func (s *Server) targetsExport(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	tmp, err := os.MkdirTemp("", "lingpao-targets-")
	if err != nil {
		s.error(w, r, err)
		return
	}
	defer os.RemoveAll(tmp)
	name := fmt.Sprintf("目标分解表_%s_%d年起.xlsx", s.w.City().Name, p.Period.Year)
	path := filepath.Join(tmp, name)
	release := s.w.ReadTargets()
	_, err = s.w.ExportTargets(r.Context(), path, p.Period.Year)
	release()
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "targets_export", "导出"+name)
	f, err := os.Open(path)
	if err != nil {
		s.error(w, r, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.sendFile(w, r, f, info, name)
}

type importView struct {
	Result *jobs.TargetsImport
	// Error is the refusal in plain Chinese when nothing was imported.
	Error  string
	Blocks []importBlock
}

type importBlock struct {
	allocation.BlockResult
	Check, Sum, Diff string
}

// targetsImport takes a filled allocation workbook: the same type and size checks as a return, then
// the same validation as `lingpao targets import`. Nothing changes unless the whole workbook is
// right; then the workspace measures against the new targets version at once.
func (s *Server) targetsImport(w http.ResponseWriter, r *http.Request) {
	file, hdr, err := r.FormFile("file")
	if err != nil {
		s.showImport(w, r, http.StatusBadRequest, importView{Error: "请选择填好的目标分解表（.xlsx）。"})
		return
	}
	defer file.Close()
	name := cleanFileName(hdr.Filename)
	data, err := io.ReadAll(io.LimitReader(file, int64(s.opt.MaxUploadMB)<<20+1))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := checkUpload(name, data, s.opt.MaxUploadMB); err != nil {
		var big errTooLarge
		if errors.As(err, &big) || lingpao.ErrorCode(err) != lingpao.EINVALID {
			s.error(w, r, err)
			return
		}
		s.showImport(w, r, http.StatusBadRequest, importView{Error: lingpao.ErrorMessage(err)})
		return
	}
	tmp, err := os.MkdirTemp("", "lingpao-import-")
	if err != nil {
		s.error(w, r, err)
		return
	}
	defer os.RemoveAll(tmp)
	path := filepath.Join(tmp, name) // the name is recorded as the version's source
	if err := os.WriteFile(path, data, 0o600); err != nil {
		s.error(w, r, err)
		return
	}
	res, err := s.w.ImportTargets(r.Context(), path) // takes the workspace's targets lock itself
	v := importView{Result: res}
	switch {
	case res == nil:
		s.error(w, r, err)
		return
	case err != nil && lingpao.ErrorCode(err) != lingpao.EINVALID:
		s.error(w, r, err)
		return
	case err != nil:
		v.Error = lingpao.ErrorMessage(err)
		s.audit(r, "targets_import", fmt.Sprintf("导入%s未通过校验（%d 处错误）", name, res.Errors()))
	default:
		s.audit(r, "targets_import", fmt.Sprintf("导入%s，形成目标版本 %d（%d 个县级分解值）", name, res.Version, res.Shares))
	}
	for _, b := range res.Blocks {
		ib := importBlock{BlockResult: b, Check: "相符", Sum: lingpao.FormatNumber(b.Sum, decimalsOf(b.Sum)) + b.Unit, Diff: signed(b.Diff)}
		switch {
		case b.Cleared:
			ib.Check, ib.Sum, ib.Diff = "取消分解", "—", "—"
		case b.Invalid:
			ib.Check, ib.Sum, ib.Diff = "有误", "—", "—"
		case !b.OK:
			ib.Check = "不相符"
		}
		v.Blocks = append(v.Blocks, ib)
	}
	status := http.StatusOK
	if v.Error != "" {
		status = http.StatusBadRequest
	}
	s.showImport(w, r, status, v)
}

func (s *Server) showImport(w http.ResponseWriter, r *http.Request, status int, v importView) {
	p := s.newPage(r, "导入目标分解表", "targets")
	p.Path = "/targets" // the period picker goes to the targets page, not the import's address
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	p.Data = v
	s.render(w, r, status, "targets_import", p)
}

// signed renders a difference with its sign: +2, −0.5, 0.
func signed(v float64) string {
	s := lingpao.FormatNumber(v, decimalsOf(v))
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return "−" + s[1:]
	}
	return "0"
}
