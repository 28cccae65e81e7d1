package main

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lingpao"
)

// initWorkspace makes a workspace for a test.
func initWorkspace(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	if code, _, stderr := runMain(t, "init", "--dir", dir); code != 0 {
		t.Fatalf("init: %s", stderr)
	}
	return dir
}

func TestJobsListJSON(t *testing.T) {
	dir := initWorkspace(t)
	now := time.Date(2025, 9, 20, 8, 0, 0, 0, lingpao.Beijing)
	code, stdout, stderr := runMain(t, "jobs", "list", "--dir", dir, "--now", "2025-09-20T08:00", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var got struct {
		Serving bool `json:"serving"`
		Jobs    []struct {
			Name     string  `json:"name"`
			Title    string  `json:"title"`
			Schedule string  `json:"schedule"`
			Next     *string `json:"next"`
			Last     *struct {
				Outcome string `json:"outcome"`
			} `json:"last"`
			Open []json.RawMessage `json:"open"`
		} `json:"jobs"`
		Pending []json.RawMessage `json:"mail_pending"`
	}
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	names := map[string]bool{}
	for _, j := range got.Jobs {
		names[j.Name] = true
		if j.Title == "" || j.Schedule == "" || j.Next == nil || j.Last != nil || j.Open == nil {
			t.Errorf("job %+v", j)
			continue
		}
		next, err := time.Parse(time.RFC3339, *j.Next)
		if err != nil || !strings.HasSuffix(*j.Next, "+08:00") || !next.After(now) {
			t.Errorf("%s: next %q is not an RFC 3339 Beijing time after %s (%v)", j.Name, *j.Next, now, err)
		}
	}
	for _, want := range []string{"poll", "remind", "monthly", "quarterly", "deliver"} {
		if !names[want] {
			t.Errorf("no job %s in %s", want, stdout)
		}
	}
	if got.Serving || got.Pending == nil {
		t.Errorf("serving %v, pending %v", got.Serving, got.Pending)
	}
	// The table says the same.
	code, stdout, _ = runMain(t, "jobs", "list", "--dir", dir, "--now", "2025-09-20T08:00")
	if code != 0 || !strings.Contains(stdout, "lingpao serve 未在运行") || !strings.Contains(stdout, "下次运行") {
		t.Errorf("table: %d\n%s", code, stdout)
	}
}

func TestUserListJSONAndUnknownAccount(t *testing.T) {
	dir := initWorkspace(t)
	code, stdout, _ := runMain(t, "user", "list", "--dir", dir, "--format", "json")
	if code != 0 || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("no users: %d %q", code, stdout)
	}
	if code, _, stderr := runMain(t, "user", "add", "--dir", dir, "--name", "张科长", "--role", "admin"); code != 0 {
		t.Fatal(stderr)
	}
	code, stdout, _ = runMain(t, "user", "list", "--dir", dir, "--format", "json")
	var users []map[string]any
	if err := json.Unmarshal([]byte(stdout), &users); code != 0 || err != nil || len(users) != 1 {
		t.Fatalf("%d %v %s", code, err, stdout)
	}
	u := users[0]
	if u["name"] != "张科长" || u["role"] != "admin" || u["role_label"] != "管理员" || u["disabled"] != false {
		t.Errorf("user %v", u)
	}
	if _, err := time.Parse(time.RFC3339, u["created_at"].(string)); err != nil {
		t.Errorf("created_at: %v", err)
	}

	code, stdout, stderr := runMain(t, "user", "passwd", "--dir", dir, "--name", "不存在")
	if code != 1 || stdout != "" {
		t.Errorf("passwd of an unknown account: exit %d, stdout %q", code, stdout)
	}
	for _, want := range []string{"没有名为「不存在」的账号", "lingpao user list", "lingpao user add --name 不存在"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("passwd of an unknown account: stderr lacks %q:\n%s", want, stderr)
		}
	}
}

func TestTargetsVersionsJSON(t *testing.T) {
	dir := initWorkspace(t)
	code, stdout, stderr := runMain(t, "targets", "versions", "--dir", dir, "--format", "json")
	var vs []struct {
		Version int    `json:"version"`
		Current bool   `json:"current"`
		Source  string `json:"source"`
		Targets int    `json:"targets"`
	}
	if err := json.Unmarshal([]byte(stdout), &vs); code != 0 || err != nil || len(vs) != 1 {
		t.Fatalf("%d %v %s %s", code, err, stdout, stderr)
	}
	if vs[0].Version != 1 || !vs[0].Current || vs[0].Source != "seeds" || vs[0].Targets == 0 {
		t.Errorf("%+v", vs[0])
	}
}

// Files dropped again — the same bytes under the same name, after they were ingested — are
// duplicates, not new submissions; the table and the JSON say so.
func TestIngestSummaryDuplicates(t *testing.T) {
	dir := initWorkspace(t)
	cfg, err := lingpao.ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Inbox.PollSeconds = 0.01
	b, _ := lingpao.MarshalConfig(cfg)
	os.WriteFile(cfg.Path(lingpao.ConfigFile), b, 0o644)
	drop := func() {
		for _, name := range []string{"鹿泉区/汇总.xlsx", "栾城区/报表.xlsx"} {
			if err := os.WriteFile(cfg.Path(lingpao.InboxDir, name), []byte("集群,营业收入\n"+name), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	drop()
	code, stdout, stderr := runMain(t, "ingest", "--dir", dir)
	if code != 0 || !strings.Contains(stdout, "共 2 个文件：受理 0，退回 2，重复 0") {
		t.Fatalf("first pass: %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "处理收件箱中的报表：2/2") {
		t.Errorf("no progress line: %q", stderr)
	}
	drop()
	code, stdout, _ = runMain(t, "ingest", "--dir", dir)
	if code != 0 || !strings.Contains(stdout, "共 2 个文件：受理 0，退回 0，重复 2") || strings.Count(stdout, "重复：") != 2 ||
		!strings.Contains(stdout, "本次不重复计入") {
		t.Errorf("the same files again:\n%s", stdout)
	}
	drop()
	code, stdout, _ = runMain(t, "ingest", "--dir", dir, "--format", "json")
	var sum struct {
		Files []struct {
			Path       string    `json:"path"`
			Result     string    `json:"result"`
			OrgName    string    `json:"org_name"`
			ReceivedAt time.Time `json:"received_at"`
			Errors     int       `json:"errors"`
		} `json:"files"`
		Accepted, Rejected, Duplicate int
	}
	if err := json.Unmarshal([]byte(stdout), &sum); code != 0 || err != nil {
		t.Fatalf("%d %v\n%s", code, err, stdout)
	}
	if len(sum.Files) != 2 || sum.Duplicate != 2 || sum.Accepted != 0 || sum.Rejected != 0 {
		t.Fatalf("JSON: %+v", sum)
	}
	if f := sum.Files[0]; f.Path != "栾城区/报表.xlsx" || f.Result != "duplicate" || f.OrgName != "栾城区" || f.ReceivedAt.IsZero() || f.Errors == 0 {
		t.Errorf("JSON file: %+v", f)
	}
	code, stdout, _ = runMain(t, "ingest", "--dir", dir, "--format", "json")
	if code != 0 || !strings.Contains(stdout, `"files": []`) {
		t.Errorf("empty inbox JSON: %s", stdout)
	}
}

// Off a terminal, progress is a plain line at every tenth of the work.
func TestProgressPlainLines(t *testing.T) {
	var errb bytes.Buffer
	e := &env{stderr: &errb}
	p := e.progress("生成体检表", 24)
	for range 24 {
		p.step()
	}
	p.stop()
	lines := strings.Split(strings.TrimSpace(errb.String()), "\n")
	if len(lines) != 10 || lines[0] != "生成体检表：3/24" || lines[9] != "生成体检表：24/24" || strings.Contains(errb.String(), "\r") {
		t.Errorf("progress lines:\n%s", errb.String())
	}
	errb.Reset()
	stages := e.stages()
	stages("模拟", 1, 2)
	stages("模拟", 2, 2)
	stages("报告", 1, 1)
	if got := errb.String(); got != "模拟：1/2\n模拟：2/2\n报告：1/1\n" {
		t.Errorf("stages:\n%s", got)
	}
}

func TestListenSaysWhatIsWrong(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = listen(ln.Addr().String())
	if lingpao.ErrorCode(err) != lingpao.ECONFLICT || !strings.Contains(lingpao.ErrorMessage(err), "已被其他程序占用") {
		t.Errorf("a taken port: %v", err)
	}
	_, err = listen("192.0.2.1:0") // TEST-NET-1: an address no machine has
	if lingpao.ErrorCode(err) != lingpao.EINVALID || !strings.Contains(lingpao.ErrorMessage(err), "本机没有地址 192.0.2.1") {
		t.Errorf("an address not ours: %v", err)
	}
}
