package web

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"lingpao"
	"lingpao/ingest"
	"lingpao/internal/tooltest"
	"lingpao/sqlite"
)

// chrome starts headless Chromium with a fresh profile, sized like an office screen (1366×768).
func chrome(t *testing.T) context.Context {
	t.Helper()
	const exe = "/usr/bin/chromium"
	if _, err := os.Stat(exe); err != nil {
		t.Fatalf("%s not found: apt-get install chromium (make test installs it when run as root)", exe)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// screenshots is where the test keeps its screenshots: $LINGPAO_SCREENSHOTS, else a temporary
// folder.
func screenshots(t *testing.T) string {
	dir := os.Getenv("LINGPAO_SCREENSHOTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestStaffDayInChromium drives the page the way city staff use it during the cycle: log in, read
// the dashboard, open the rejected return and its findings, upload the county's corrected file and
// see it accepted, generate the quarterly bulletin and download it.
func TestStaffDayInChromium(t *testing.T) {
	st := newSite(t, Options{})
	shots := screenshots(t)
	ctx := chrome(t)
	base := st.srv.URL
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	shot := func(name string, full bool) {
		t.Helper()
		var b []byte
		var err error
		if full {
			b, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
		} else {
			b, err = chromedp.Run(ctx, chromedp.CaptureScreenshot())
		}
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// Log in.
	do("login page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)))
	shot("01-login", false)
	do("log in",
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), staffName),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`table.heat`)))

	// The dashboard of March 2025: 24 counties expected, 井陉矿区 missing, the status heat-map.
	if h := text("h1"); h != "2025年3月 工作台" {
		t.Errorf("dashboard heading %q", h)
	}
	kpis := text(".kpis")
	for _, want := range []string{"应报单位\n24", "未报送\n1"} {
		if !strings.Contains(kpis, want) {
			t.Errorf("reporting rate lacks %q:\n%s", want, kpis)
		}
	}
	if s := text(".two-col"); !strings.Contains(s, "井陉矿区") || !strings.Contains(s, "需要跟进") {
		t.Errorf("the counties to chase are not listed:\n%s", s)
	}
	heat := text("table.heat")
	if !strings.Contains(heat, "全市合计") || !strings.Contains(heat, "赞皇县") || !strings.Contains(heat, "未报") {
		t.Errorf("heat-map:\n%.400s", heat)
	}
	shot("02-dashboard", false)
	shot("02-dashboard-full", true)

	// The rejected return of 赞皇县 and what is wrong with it, cell by cell.
	bad := st.rejected()
	do("rejected submissions", chromedp.Navigate(base+"/submissions?period=2025-03&status=rejected"), chromedp.WaitVisible(chromedp.CSS(`table.list`)))
	shot("03-rejected-list", false)
	do("open the rejected return",
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`a[href="/submissions/%d"]`, bad.ID))),
		chromedp.WaitVisible(chromedp.CSS(`table.findings`)))
	findings := text("table.findings")
	for _, want := range []string{"集群指标", "C5", "约120亿", "G5", "企业名录", "C4", "统一社会信用代码"} {
		if !strings.Contains(findings, want) {
			t.Errorf("findings lack %q:\n%s", want, findings)
		}
	}
	if s := text(".receipt"); !strings.HasPrefix(s, "【已退回】") {
		t.Errorf("receipt line %q", s)
	}
	if s := text("ul.downloads"); !strings.Contains(s, "原始文件") || !strings.Contains(s, "批注版报表") || !strings.Contains(s, "回执明细") {
		t.Errorf("downloads of the rejected return:\n%s", s)
	}
	shot("04-rejected-findings", false)

	// The county corrects its file (written by openpyxl, not by our own code) and staff upload it.
	corrected, revenue := correctReturn(t, st, bad)
	do("upload the corrected file",
		chromedp.Navigate(base+"/upload?org="+bad.Org),
		chromedp.WaitVisible(chromedp.CSS(`input[type=file]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`input[type=file]`), []string{corrected}))
	shot("05-upload", false)
	do("submit the upload", chromedp.Click(chromedp.CSS(`#upload-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.receipt`)))
	receipt := text(".receipt")
	if !strings.HasPrefix(receipt, "【已受理】") || !strings.Contains(receipt, "第 2 版") {
		t.Errorf("the corrected file was not accepted as version 2: %q", receipt)
	}
	ind, _ := st.w.Catalog.Indicator("revenue_ytd")
	if s := text("body"); !strings.Contains(s, "与上一版") || !strings.Contains(s, ind.Format(revenue)) {
		t.Errorf("the page does not show the new revenue %s against version 1", ind.Format(revenue))
	}
	shot("06-accepted", true)
	cur, err := st.w.Store.FindSubmissions(context.Background(), sqlite.SubmissionFilter{Org: bad.Org, Period: "2025-03", Current: true})
	if err != nil || len(cur) != 1 || cur[0].Version != 2 || cur[0].FileName != filepath.Base(corrected) {
		t.Errorf("current submission of 赞皇县: %+v, %v", cur, err)
	}

	// The quarterly bulletin, generated now, in the background, then downloaded.
	dl := t.TempDir()
	progress := chromedp.Events(ctx, cdpbrowser.DownloadProgress)
	do("generate the bulletin",
		chromedp.Navigate(base+"/reports"),
		chromedp.WaitVisible(chromedp.CSS(`form.generate`)),
		chromedp.SetValue(chromedp.CSS(`select[name=kind]`), "quarterly"),
		chromedp.SetValue(chromedp.CSS(`input[name=period]`), "2025Q1"),
		chromedp.SetValue(chromedp.CSS(`select[name=format]`), "pdf"))
	shot("07-reports", false)
	do("start the generation", chromedp.Click(chromedp.CSS(`form.generate button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.task`)))
	shot("08-task-started", false)
	do("wait for the file", chromedp.WaitVisible(chromedp.CSS(`ul.downloads a`)))
	// The demo published 第1版 of the bulletin; 赞皇县's correction since makes this one 第2版.
	if s := text(".task"); !strings.Contains(s, "已完成") || !strings.Contains(s, "季度通报_石家庄市_2025年第一季度_第2版.pdf") {
		t.Errorf("task page:\n%s", s)
	}
	shot("09-task-done", false)
	do("download",
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
				Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dl, EventsEnabled: ptr(true)})
			return err
		}),
		chromedp.Click(chromedp.CSS(`ul.downloads a`)))
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == cdpbrowser.DownloadProgressStateCompleted {
			file = filepath.Join(dl, ev.GUID)
			break
		}
		if ev.State == cdpbrowser.DownloadProgressStateCanceled {
			t.Fatal("download canceled")
		}
	}
	pdf, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF")) || len(pdf) < 10000 {
		t.Errorf("downloaded bulletin: %d bytes starting %q", len(pdf), pdf[:min(8, len(pdf))])
	}
	// The other pages a staff member opens during the cycle render with data.
	for _, p := range []struct{ path, name, want string }{
		{"/targets", "10-targets", "石政办函"},
		{"/escalations?period=2025-03", "11-escalations", "督办台账"},
		{"/issues?period=2025-03", "12-issues", "用地"},
		{"/jobs", "13-jobs", "季度通报"},
	} {
		do(p.path, chromedp.Navigate(base+p.path), chromedp.WaitVisible(chromedp.CSS(`main h1`)))
		if s := text("main"); !strings.Contains(s, p.want) {
			t.Errorf("%s lacks %q", p.path, p.want)
		}
		shot(p.name, false)
	}
	t.Logf("screenshots in %s", shots)
}

// correctReturn fixes the three planted errors of the rejected return with openpyxl — another writer
// than ours, as a county's Excel would — taking the right figures from the county's accepted file and
// raising the revenue by 0.25 (a correction on top); it returns the file's path and the new revenue.
func correctReturn(t *testing.T, st *site, bad lingpao.Submission) (string, float64) {
	t.Helper()
	python := tooltest.Python(t)
	good, err := st.w.Store.FindSubmissions(context.Background(), sqlite.SubmissionFilter{Org: bad.Org, Period: "2025-03", Current: true})
	if err != nil || len(good) != 1 {
		t.Fatalf("accepted 赞皇县 return: %v, %v", good, err)
	}
	out := filepath.Join(t.TempDir(), "2025-03_赞皇县（改正）.xlsx")
	script := `import sys, openpyxl
bad = openpyxl.load_workbook(sys.argv[1])
good = openpyxl.load_workbook(sys.argv[2], data_only=True)
for sheet, cell in (("集群指标", "C5"), ("集群指标", "G5"), ("企业名录", "C4")):
    bad[sheet][cell].value = good[sheet][cell].value
bad["集群指标"]["C5"].value = round(good["集群指标"]["C5"].value + 0.25, 2)
print(bad["集群指标"]["C5"].value)
bad.save(sys.argv[3])`
	b, err := exec.Command(python, "-c", script, ingest.ArchivePath(st.w.Config, bad), ingest.ArchivePath(st.w.Config, good[0]), out).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, b)
	}
	revenue, err := strconv.ParseFloat(strings.TrimSpace(string(b)), 64)
	if err != nil {
		t.Fatalf("openpyxl printed %q", b)
	}
	return out, revenue
}

func ptr[T any](v T) *T { return &v }
