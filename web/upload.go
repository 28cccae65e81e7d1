package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"lingpao"
)

type uploadView struct {
	Counties []lingpao.OrgUnit
	Org      string
	MaxMB    int
	Error    string
}

// zipMagic starts every .xlsx (a zip archive).
var zipMagic = []byte("PK\x03\x04")

// uploadPage shows the form to upload a return on behalf of a county.
func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request) {
	s.showUpload(w, r, http.StatusOK, uploadView{Org: r.URL.Query().Get("org")})
}

func (s *Server) showUpload(w http.ResponseWriter, r *http.Request, status int, v uploadView) {
	p := s.newPage(r, "代县上传报表", "upload")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	v.Counties, v.MaxMB = s.counties(), s.opt.MaxUploadMB
	p.Data = v
	s.render(w, r, status, "upload", p)
}

// uploadSubmit takes a return uploaded on behalf of a county: checks it is an .xlsx within the size
// limit, writes it atomically into the county's inbox folder — exactly as if the county had dropped
// it — and runs the inbox poll twice so that it is taken at once; then shows the outcome.
func (s *Server) uploadSubmit(w http.ResponseWriter, r *http.Request) {
	v := uploadView{Org: r.PostFormValue("org")}
	refuse := func(err error) {
		if lingpao.ErrorCode(err) != lingpao.EINVALID {
			s.error(w, r, err)
			return
		}
		v.Error = lingpao.ErrorMessage(err)
		s.showUpload(w, r, http.StatusBadRequest, v)
	}
	county, err := s.county(v.Org)
	if err != nil {
		refuse(err)
		return
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		refuse(lingpao.Errorf(lingpao.EINVALID, "请选择要上传的报表文件（.xlsx）。"))
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
		if errors.As(err, &big) {
			s.error(w, r, err)
			return
		}
		refuse(err)
		return
	}
	sum := sha256.Sum256(data)
	sha := hex.EncodeToString(sum[:])
	dir := s.w.Config.Path(lingpao.InboxDir, county.Name)
	dest, err := freeName(dir, name)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := lingpao.WriteFileBytesAtomic(dest, data); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "upload", fmt.Sprintf("代%s上传 %s（%s，SHA-256 %s）", county.Name, filepath.Base(dest), size(int64(len(data))), sha[:12]))
	s.pollTwice(r, dest)
	sub, err := s.w.Store.FindSubmissionBySHA(r.Context(), sha)
	switch lingpao.ErrorCode(err) {
	case "":
		http.Redirect(w, r, fmt.Sprintf("/submissions/%d?uploaded=1", sub.ID), http.StatusSeeOther)
	case lingpao.ENOTFOUND:
		http.Redirect(w, r, "/upload/pending/"+sha, http.StatusSeeOther)
	default:
		s.error(w, r, err)
	}
}

// pollTwice runs the inbox poll twice — the first look records the new file, the second finds it
// unchanged and takes it. A poll takes every file unchanged since the previous poll, so when other
// files wait in the inbox (a county's copy may still be running) the second poll comes only after
// the poll interval, as the scheduler's would: a partial copy is never read. Uploads wait for each
// other. A failed poll is logged: the file stays in the inbox for the scheduler, and the pending page
// says so.
func (s *Server) pollTwice(r *http.Request, mine string) {
	s.pollMu.Lock()
	defer s.pollMu.Unlock()
	for i := 0; i < 2; i++ {
		if i == 1 && s.othersInInbox(mine) {
			t := time.NewTimer(time.Duration(s.w.Config.Inbox.PollSeconds * float64(time.Second)))
			select {
			case <-r.Context().Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		if _, err := s.opt.Poll(r.Context()); err != nil {
			s.log.Error("upload: inbox poll", "err", err)
			return
		}
	}
}

// othersInInbox reports whether any file other than mine is in the inbox or a county folder of it.
func (s *Server) othersInInbox(mine string) bool {
	root := s.w.Config.Path(lingpao.InboxDir)
	found := false
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case found:
			return fs.SkipAll
		case err != nil:
			return nil // a folder gone mid-walk
		case d.IsDir() && path != root && filepath.Dir(path) != root:
			return fs.SkipDir // the inbox is read one level deep
		case !d.IsDir() && path != mine:
			found = true
		}
		return nil
	})
	return found
}

// checkUpload accepts only a non-empty .xlsx (by name and by its zip signature) within the limit.
func checkUpload(name string, data []byte, maxMB int) error {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case int64(len(data)) > int64(maxMB)<<20:
		return errTooLarge{lingpao.Errorf(lingpao.EINVALID, "文件超过 %d MB 的上限，未上传：请删除无关内容（如图片、多余的工作表）后重新保存，再上传。", maxMB)}
	case ext == ".xls" || ext == ".et" || ext == ".csv" || ext == ".ods":
		return lingpao.Errorf(lingpao.EINVALID, "「%s」是 %s 文件，只接受 .xlsx：请用 Excel 或 WPS 打开后“另存为 Excel 工作簿（*.xlsx）”，再上传。", name, ext)
	case ext != ".xlsx":
		return lingpao.Errorf(lingpao.EINVALID, "「%s」不是 .xlsx 文件：请上传本市下发模板填好的 Excel 工作簿（.xlsx）。", name)
	case len(data) == 0:
		return lingpao.Errorf(lingpao.EINVALID, "「%s」是空文件：请确认已保存后再上传。", name)
	case !bytes.HasPrefix(data, zipMagic):
		return lingpao.Errorf(lingpao.EINVALID, "「%s」虽然以 .xlsx 结尾，但不是 Excel 工作簿（可能是改了扩展名的 .xls、.csv，或文件已损坏、加了密码）：请用 Excel 打开后另存为 .xlsx，再上传。", name)
	}
	return nil
}

// cleanFileName keeps the base name of an uploaded file (browsers on Windows may send a whole path),
// without control characters, characters Windows forbids, or a leading dot or ~$ that would make the
// inbox skip it; at most 95 characters before the extension.
func cleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = name[strings.LastIndex(name, "/")+1:]
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError || strings.ContainsRune(`<>:"|?*`, r) {
			return -1
		}
		return r
	}, name)
	ext := filepath.Ext(name)
	if ext == "." {
		ext = ""
	}
	stem := strings.TrimLeft(strings.TrimSpace(strings.TrimSuffix(name, ext)), ".~$ ")
	if n := utf8.RuneCountInString(stem); n > 95 {
		stem = string([]rune(stem)[:95])
	}
	if stem == "" {
		stem = "网页上传"
	}
	return stem + ext
}

// freeName returns a path in dir for name that no file takes yet: 报表.xlsx, 报表（2）.xlsx, …
func freeName(dir, name string) (string, error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for i := 1; i < 1000; i++ {
		n := name
		if i > 1 {
			n = fmt.Sprintf("%s（%d）%s", stem, i, ext)
		}
		p := filepath.Join(dir, n)
		if _, err := os.Lstat(p); os.IsNotExist(err) {
			return p, nil
		}
	}
	return "", lingpao.Errorf(lingpao.ECONFLICT, "收件箱中同名文件过多：请先处理收件箱。")
}

var shaPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// uploadPending waits for an uploaded file the inbox poll has not taken yet (the scheduler's poll may
// have it, or a fault kept it in the inbox); the page refreshes itself until the submission exists.
func (s *Server) uploadPending(w http.ResponseWriter, r *http.Request) {
	sha := r.PathValue("sha")
	if !shaPattern.MatchString(sha) {
		s.error(w, r, lingpao.Errorf(lingpao.ENOTFOUND, "没有找到该上传记录。"))
		return
	}
	if sub, err := s.w.Store.FindSubmissionBySHA(r.Context(), sha); err == nil {
		http.Redirect(w, r, fmt.Sprintf("/submissions/%d?uploaded=1", sub.ID), http.StatusSeeOther)
		return
	} else if lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "正在处理上传的文件", "upload")
	p.Refresh = 3
	s.render(w, r, http.StatusOK, "upload_pending", p)
}
