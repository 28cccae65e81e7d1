package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"lingpao"
	"lingpao/templates"
)

// prepared is a stable file after the part of its processing that needs no store: read, archived
// under its SHA-256, parsed and checked against where it was dropped. Files are prepared on several
// workers at once (pipeline.go).
type prepared struct {
	c            candidate
	inboxPath    string
	folder, name string
	size         int64
	sha          string
	// gone is set when the file was taken away between the poll and now.
	gone     bool
	ret      *templates.Return
	findings []lingpao.Finding
}

// prepare archives the file — before anything parses it — and parses it.
func (in *Ingester) prepare(c candidate) (prepared, error) {
	p := prepared{c: c, inboxPath: in.Config.Path(lingpao.InboxDir, c.rel), name: filepath.Base(c.rel)}
	if dir := filepath.Dir(c.rel); dir != "." {
		p.folder = dir
	}
	data, sha, err := in.archive(p.inboxPath)
	if os.IsNotExist(err) {
		p.gone = true
		return p, nil
	} else if err != nil {
		return p, err
	}
	p.size, p.sha = int64(len(data)), sha
	p.ret, p.findings = in.parse(data, p.name)
	if p.ret != nil {
		p.findings = append(p.findings, in.checkPlacement(p.ret, p.folder, p.name)...)
	}
	return p, nil
}

// commit takes a prepared file through the store, in inbox order: the same bytes seen before are
// answered from the store (again); otherwise the return is validated against the store and saved in
// one transaction. fresh reports a new submission whose receipts are still to be written (finish).
// Each step is durable before the next begins, and every step after the archive can be redone from
// the archive and the store, so a crash anywhere leaves the file in the inbox and the next pass
// finishes it (see TestCrashAndRestart in cmd/lingpao).
func (in *Ingester) commit(ctx context.Context, p prepared) (res Result, fresh bool, err error) {
	res = Result{Path: p.c.rel}
	if p.gone {
		return res, false, nil
	}
	if prev, err := in.Store.FindSubmissionBySHA(ctx, p.sha); err == nil {
		retry, err := in.movedAsAsked(ctx, prev, p.folder, p.name)
		if err != nil {
			return res, false, err
		}
		if !retry {
			res, err = in.again(ctx, res, prev, p.inboxPath, p.folder, p.name)
			return res, false, err
		}
	} else if lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		return res, false, err
	}

	sub := lingpao.Submission{SHA256: p.sha, FileName: p.name, Folder: p.folder, Size: p.size, ReceivedAt: in.now()}
	ret, findings := p.ret, append([]lingpao.Finding(nil), p.findings...)
	var values []lingpao.Value
	var ents []lingpao.Enterprise
	var issues []lingpao.Issue
	if ret != nil {
		sub.Org, sub.Period, sub.Contact, sub.Phone = ret.Org, ret.Period, ret.Contact, ret.Phone
		more, err := in.validate(ctx, ret)
		if err != nil {
			return res, false, err
		}
		findings = append(findings, more...)
		values = append(ret.Values, lingpao.RosterValues(in.Catalog, ret.Org, ret.Period, ret.Enterprises)...)
		ents, issues = ret.Enterprises, ret.Issues
	} else if u, err := in.Catalog.Tree.Find(p.folder); p.folder != "" && err == nil {
		sub.Org = u.Code // unreadable file: at least answer in the county's receipts folder
	}
	sub.Findings = findings
	sub.Status = lingpao.SubAccepted
	if ret == nil || lingpao.HasErrors(findings) {
		sub.Status = lingpao.SubRejected
		sub.Reason = firstError(findings)
	}
	if err := in.Store.SaveSubmission(ctx, &sub, values, ents, issues); err != nil {
		return res, false, err
	}
	in.checkpoint(StepCommit)
	res.Submission = sub
	return res, true, nil
}

// finish writes the receipts of a new submission and takes its file out of the inbox.
func (in *Ingester) finish(ctx context.Context, res Result, inboxPath string) error {
	if err := in.writeReceipts(ctx, res.Submission); err != nil {
		return err
	}
	return in.remove(inboxPath)
}

// again handles a file whose bytes were received before. The same file under the same name in the
// same folder is a pass that crashed after storing it: its receipts are completed and it is cleared
// from the inbox as if processed now. Under another name or folder it is a duplicate: nothing new is
// stored, and a one-line notice beside the original receipt says so.
func (in *Ingester) again(ctx context.Context, res Result, prev lingpao.Submission, inboxPath, folder, name string) (Result, error) {
	full, err := in.Store.FindSubmission(ctx, prev.ID)
	if err != nil {
		return res, err
	}
	res.Submission = full
	if err := in.writeReceipts(ctx, full); err != nil {
		return res, err
	}
	if full.FileName != name || full.Folder != folder {
		res.Duplicate = true
		if err := in.writeDuplicateNotice(full, folder, name); err != nil {
			return res, err
		}
	}
	return res, in.remove(inboxPath)
}

// movedAsAsked handles the same bytes arriving under another folder or name after they were rejected
// only for where they were put or what they were called: the county did what the receipt asked. The
// rejection gives way to a fresh look (its receipt stays on disk) and movedAsAsked reports true; a
// crash between the two leaves the file in the inbox, to be taken as new.
func (in *Ingester) movedAsAsked(ctx context.Context, prev lingpao.Submission, folder, name string) (bool, error) {
	if prev.Status != lingpao.SubRejected || (prev.Folder == folder && prev.FileName == name) {
		return false, nil
	}
	full, err := in.Store.FindSubmission(ctx, prev.ID)
	if err != nil {
		return false, err
	}
	for _, f := range full.Findings {
		if f.Severity == lingpao.SevError && !strings.HasPrefix(f.Rule, "placement.") {
			return false, nil
		}
	}
	if err := in.Store.DeleteRejected(ctx, prev.ID); err != nil {
		return false, err
	}
	in.checkpoint(StepCommit)
	return true, nil
}

// remove takes a processed file out of the inbox.
func (in *Ingester) remove(path string) error {
	if err := removeFromInbox(path); err != nil {
		return err
	}
	in.checkpoint(StepRemove)
	return nil
}

func (in *Ingester) now() time.Time {
	if in.Now == nil {
		return time.Now()
	}
	return in.Now()
}

func firstError(fs []lingpao.Finding) string {
	for _, f := range fs {
		if f.Severity == lingpao.SevError {
			return f.Message
		}
	}
	return ""
}

// archive copies the file's bytes into archive/<sha[:2]>/<sha><ext> (atomically, once per content)
// before anything parses them, and returns the bytes and their SHA-256.
func (in *Ingester) archive(path string) ([]byte, string, error) {
	max := int64(in.Config.Inbox.MaxFileMB) << 20
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	ext := strings.ToLower(filepath.Ext(path))
	if len(ext) > 8 {
		ext = ""
	}
	dst := in.Config.Path(lingpao.ArchiveDir, sha[:2], sha+ext)
	if _, err := os.Stat(dst); os.IsNotExist(err) {
		if err := lingpao.WriteFileBytesAtomic(dst, data); err != nil {
			return nil, "", err
		}
		in.checkpoint(StepArchive)
	}
	return data, sha, nil
}

// ArchivePath returns where the original bytes of submission s are kept.
func ArchivePath(cfg lingpao.Config, s lingpao.Submission) string {
	ext := strings.ToLower(filepath.Ext(s.FileName))
	if len(ext) > 8 {
		ext = ""
	}
	return cfg.Path(lingpao.ArchiveDir, s.SHA256[:2], s.SHA256+ext)
}

func (in *Ingester) parse(data []byte, name string) (*templates.Return, []lingpao.Finding) {
	if int64(len(data)) > int64(in.Config.Inbox.MaxFileMB)<<20 {
		return nil, []lingpao.Finding{{Severity: lingpao.SevError, Rule: "file.too_large",
			Message: fmt.Sprintf("文件超过 %d MB 的上限：请删除无关内容（如图片）后重新保存再报送。", in.Config.Inbox.MaxFileMB)}}
	}
	ret, fs, err := templates.Read(data, name, in.Catalog, in.Config.Secret, in.limits())
	if err != nil {
		return nil, []lingpao.Finding{{Severity: lingpao.SevError, Rule: "file.unreadable", Message: "文件无法读取：请用 Excel 打开确认无误后重新保存再报送。"}}
	}
	return ret, fs
}

// limits are the reader's unzip limits under the workspace configuration.
func (in *Ingester) limits() templates.Limits {
	lim := templates.DefaultLimits()
	if mb := in.Config.Validation.MaxUnzipMB; mb > 0 {
		lim.UnzipSize = int64(mb) << 20
		lim.UnzipXMLSize = min(lim.UnzipXMLSize, lim.UnzipSize)
	}
	return lim
}

var (
	periodDash    = regexp.MustCompile(`(20\d{2})[-_.年](\d{1,2})(?:月|\D|$)`)
	periodCompact = regexp.MustCompile(`(?:^|\D)(20\d{2})(0[1-9]|1[0-2])(?:\D|$)`)
)

// checkPlacement cross-checks the metadata with where the file was dropped and what it is called: a
// county's sub-folder must be that county's, and a period or county in the file name must agree.
func (in *Ingester) checkPlacement(ret *templates.Return, folder, name string) []lingpao.Finding {
	var fs []lingpao.Finding
	own := in.Catalog.Tree.Name(ret.Org)
	if folder != "" {
		if u, err := in.Catalog.Tree.Find(folder); err == nil && u.Code != ret.Org {
			fs = append(fs, lingpao.Finding{Severity: lingpao.SevError, Rule: "placement.folder", Value: folder,
				Message: fmt.Sprintf("文件放在「%s」的文件夹中，但模板属于「%s」：请使用本单位的模板，或把文件放入本单位的文件夹。", u.Name, own)})
		}
	}
	stem := originalStem(name)
	for _, u := range in.Catalog.Tree.Counties(in.Config.City) {
		if u.Code != ret.Org && strings.Contains(stem, u.Name) && !strings.Contains(stem, own) {
			fs = append(fs, lingpao.Finding{Severity: lingpao.SevError, Rule: "placement.name", Value: name,
				Message: fmt.Sprintf("文件名写的是「%s」，但模板属于「%s」：可能用错了模板或放错了文件，请核对后重新报送。", u.Name, own)})
			break
		}
	}
	if now := in.now(); ret.Period.Start().After(now) {
		fs = append(fs, lingpao.Finding{Severity: lingpao.SevError, Rule: "placement.future", Value: ret.Period.String(),
			Message: fmt.Sprintf("模板是 %s 的，该期间尚未开始，不能报送：请使用本期（%s）的模板填报。", ret.Period.Label(), lingpao.MonthOfTime(now).Add(-1).Label())})
	}
	if y, m, ok := periodInName(stem); ok && (y != ret.Period.Year || m != ret.Period.N) {
		fs = append(fs, lingpao.Finding{Severity: lingpao.SevError, Rule: "placement.period", Value: name,
			Message: fmt.Sprintf("文件名中的期间是 %d年%d月，但模板是 %s 的：请使用本期模板填报，或更正文件名。", y, m, ret.Period.Label())})
	}
	return fs
}

func periodInName(s string) (int, int, bool) {
	for _, re := range []*regexp.Regexp{periodDash, periodCompact} {
		if m := re.FindStringSubmatch(s); m != nil {
			y, _ := strconv.Atoi(m[1])
			mo, _ := strconv.Atoi(m[2])
			if mo >= 1 && mo <= 12 {
				return y, mo, true
			}
		}
	}
	return 0, 0, false
}
