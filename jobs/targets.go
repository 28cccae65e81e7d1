package jobs

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"lingpao"
	"lingpao/allocation"
)

// ExportTargets writes the allocation workbook (目标分解表, PRODUCT §5.3) of the city's targets in force,
// for the years from fromYear on (0: the current year), to path, atomically. It returns what the
// workbook holds.
func (w *Workspace) ExportTargets(ctx context.Context, path string, fromYear int) (_ allocation.Spec, err error) {
	defer lingpao.Wrap(&err, "jobs.ExportTargets(%s)", path)
	if fromYear == 0 {
		fromYear = w.now().In(lingpao.Beijing).Year()
	}
	spec, err := allocation.Plan(w.Catalog, w.Config.City, fromYear)
	if err != nil {
		return spec, err
	}
	spec.TargetsVersion, spec.Generated, spec.Secret, spec.IssuingUnit = w.TargetsVersion, w.now(), w.Config.Secret, w.Config.IssuingUnit
	return spec, lingpao.WriteFileAtomic(path, func(wr io.Writer) error { return allocation.Write(wr, spec) })
}

// TargetsImport is the outcome of importing an allocation workbook.
type TargetsImport struct {
	File     string                   `json:"file"`
	Findings []lingpao.Finding        `json:"findings"`
	Blocks   []allocation.BlockResult `json:"blocks"`
	// Version is the new targets version; 0 when the workbook was rejected. Shares counts the county
	// targets it set.
	Version int `json:"version"`
	Shares  int `json:"shares"`
}

// Errors counts the error findings.
func (r *TargetsImport) Errors() int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == lingpao.SevError {
			n++
		}
	}
	return n
}

// ImportTargets reads a filled allocation workbook and checks it against the targets in force. With
// any error finding it changes nothing and returns the findings with an EINVALID error; otherwise it
// records a new targets version — the version in force with the workbook's shares in place of the
// ones it covers (sqlite.SaveAllocation) — and the workspace measures against it from now on.
func (w *Workspace) ImportTargets(ctx context.Context, path string) (_ *TargetsImport, err error) {
	defer lingpao.Wrap(&err, "jobs.ImportTargets(%s)", path)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, lingpao.Errorf(lingpao.ENOTFOUND, "无法读取文件 %s：请检查路径。", path)
	}
	name := filepath.Base(path)
	now := w.now()
	source := fmt.Sprintf("市工信局任务分解（%s，%s导入）", name, lingpao.FormatDate(now))
	release := w.ReadTargets()
	res, findings, err := allocation.Read(data, w.Catalog, w.Config.City, w.Config.Secret, w.TargetsVersion, source)
	release()
	if err != nil {
		return nil, err
	}
	out := &TargetsImport{File: name, Findings: findings}
	if res != nil {
		out.Blocks = res.Blocks
	}
	if res == nil || lingpao.HasErrors(findings) {
		return out, lingpao.Errorf(lingpao.EINVALID, "目标分解表 %s 未通过校验（%d 处错误），未导入：请按上列单元格逐项改正后重新导入。", name, out.Errors())
	}
	if len(res.Covered) == 0 {
		return out, lingpao.Errorf(lingpao.EINVALID, "目标分解表 %s 中没有任何分解值，未导入。", name)
	}
	note := fmt.Sprintf("导入目标分解表 %s：%d 项目标、%d 个县级分解值", name, len(res.Covered), len(res.Shares))
	out.Version, err = w.Store.SaveAllocation(ctx, name, note, res.Covered, res.Shares)
	if err != nil {
		return out, err
	}
	out.Shares = len(res.Shares)
	ts, v, err := w.Store.Targets(ctx)
	if err != nil {
		return out, err
	}
	w.targets.Lock()
	w.Catalog.SetTargets(ts)
	w.TargetsVersion = v
	w.targets.Unlock()
	return out, nil
}
