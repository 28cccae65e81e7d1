package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingpao"
)

// tab drives one headless Chromium at 1366×768 over a site, keeping screenshots.
type tab struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
}

func (st *site) tab(t *testing.T) *tab {
	return &tab{t: t, ctx: chrome(t), base: st.srv.URL, shots: screenshots(t)}
}

func (b *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		// Say where the page was: the step that failed is easier to find.
		url, _ := chromedp.Run(b.ctx, chromedp.Location())
		text, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS("body")))
		b.t.Fatalf("%s: %v\nat %s:\n%.1500s", what, err, url, text)
	}
}

// submit clicks sel, which leaves the page (a link, a form's button), and waits for the next page to
// load: the old page is marked, and the wait ends when a page without the mark is complete.
func (b *tab) submit(what, sel string, before ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	b.do(what, append(before, chromedp.Evaluate[chromedp.Void](`window.__leaving = true`), chromedp.Click(chromedp.CSS(sel)))...)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		// Evaluating while the page is being replaced fails: try again.
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!window.__leaving && document.readyState === "complete"`))
		if err == nil && ok {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.t.Fatalf("%s: the page did not change", what)
}

func (b *tab) open(path, waitFor string) {
	b.t.Helper()
	b.do("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

// number evaluates a JavaScript expression that gives a number.
func (b *tab) number(js string) float64 {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[float64](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (b *tab) shot(name string, full bool) {
	b.t.Helper()
	var png []byte
	var err error
	if full {
		png, err = chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	} else {
		png, err = chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	}
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

func (b *tab) login(name, pw string) {
	b.t.Helper()
	b.open("/login", `input[name=name]`)
	b.submit("log in as "+name, `button[type=submit]`,
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), name),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), pw))
}

// fits checks that nothing is wider than the 1366-pixel window: no horizontal scrolling.
func (b *tab) fits(what string) {
	b.t.Helper()
	if w := b.number(`document.documentElement.scrollWidth`); w > 1366 {
		b.t.Errorf("%s is %.0f px wide at 1366×768: it scrolls sideways", what, w)
	}
}

// TestClerkListsInChromium: the long lists a clerk reads — every return of every period, the
// escalation record, the audit log, the job history — come a page at a time, filter by keyword and
// date, and fit the screen, even with a 95-character Latin file name; the upload form's file button
// speaks Chinese.
func TestClerkListsInChromium(t *testing.T) {
	st := newSite(t, Options{})
	b := st.tab(t)
	b.login(staffName, password)

	// The upload form: a Chinese file button; a file with a long Latin name.
	b.open("/upload?org="+st.county("赞皇县"), `#upload-form`)
	if s := b.text("#upload-form"); !strings.Contains(s, "选择文件") || !strings.Contains(s, "未选择文件") || strings.Contains(s, "Choose") {
		t.Errorf("the file picker:\n%s", s)
	}
	long := filepath.Join(t.TempDir(), "Zanhuang_County_Featured_Industry_Cluster_Monthly_Return_March_2025_final_revised_v3_check.xlsx")
	if n := len(filepath.Base(long)); n != 95 {
		t.Fatalf("the long name has %d characters", n)
	}
	if err := os.WriteFile(long, zipLike, 0o644); err != nil {
		t.Fatal(err)
	}
	b.do("choose the file", chromedp.SetUploadFiles(chromedp.CSS(`#upload-form input[type=file]`), []string{long}))
	if s := b.text(".file-name"); s != filepath.Base(long) {
		t.Errorf("the chosen file shows as %q", s)
	}
	b.shot("20-upload-picker", false)
	b.fits("the upload form with a long file name")
	b.submit("upload", `#upload-form button[type=submit]`)
	b.fits("the page of a file with a long name")

	// Every return of every period, 20 a page.
	b.open("/submissions?period=2025-03&all=1&size=20", `table.list`)
	if s := b.text(".pager"); !strings.Contains(s, "第 1–20 条") || !strings.Contains(s, "下一页") || !strings.Contains(s, "导出 Excel") {
		t.Errorf("pager:\n%s", s)
	}
	b.fits("the list of every return")
	if h := b.number(`document.documentElement.scrollHeight`); h > 2200 {
		t.Errorf("one page of 20 returns is %.0f px high", h)
	}
	b.shot("21-submissions-all", true)
	b.submit("next page", `.pager a[rel=next]`)
	if s := b.text(".pager .current"); s != "2" {
		t.Errorf("after 下一页 the current page is %q", s)
	}
	// Search by keyword and date.
	b.submit("search", `form.filters button[type=submit]`, chromedp.SetValue(chromedp.CSS(`form.filters input[name=q]`), "赞皇县"))
	rows := b.text("table.list tbody")
	if !strings.Contains(rows, "赞皇县") || strings.Contains(rows, "鹿泉区") {
		t.Errorf("search 赞皇县:\n%.300s", rows)
	}
	b.shot("22-submissions-search", false)

	// The escalation record at full width, a page at a time.
	b.open("/escalations?period=2025-03&size=20", `#steps`)
	stepsWidth := b.number(`document.querySelector('#steps').getBoundingClientRect().width`)
	mainWidth := b.number(`document.querySelector('main').getBoundingClientRect().width`)
	if stepsWidth < mainWidth*0.9 {
		t.Errorf("the escalation record is %.0f px wide in a %.0f px page", stepsWidth, mainWidth)
	}
	if h := b.number(`document.documentElement.scrollHeight`); h > 4000 {
		t.Errorf("the escalations page is %.0f px high with 20 steps a page", h)
	}
	b.fits("the escalations page")
	b.do("scroll to the record", chromedp.ScrollIntoView(chromedp.CSS(`#steps`)))
	b.shot("23-escalation-record", false)

	// The job history: the frequent runs summed up.
	b.open("/jobs", `main h1`)
	b.shot("24-jobs", false)
}

// TestAccountsInChromium: the admin adds an account on the page and reads its one-time password; the
// new user logs in with it, is taken to the password form, is refused a common password, sets a
// good one and reaches the page asked for; the audit log shows it all, filtered by user.
func TestAccountsInChromium(t *testing.T) {
	st := newSite(t, Options{})
	admin := st.tab(t)
	admin.login(adminName, password)
	admin.open("/users", `main h1`)
	admin.do("type", chromedp.SendKeys(chromedp.CSS(`form[method=post][action="/users"] input[name=name]`), "赵科员"))
	admin.do("choose", chromedp.SetValue(chromedp.CSS(`form[method=post][action="/users"] select[name=role]`), "staff"))
	admin.submit("add an account", `form[method=post][action="/users"] button[type=submit]`)
	oneTime := admin.text(".one-time .password")
	if len(oneTime) != 12 {
		t.Fatalf("one-time password %q", oneTime)
	}
	admin.shot("30-users-added", false)
	admin.fits("the accounts page")

	user := st.tab(t)
	user.open("/submissions", `input[name=name]`)
	user.submit("first login", `button[type=submit]`,
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), "赵科员"),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), oneTime))
	if s := user.text("main"); !strings.Contains(s, "一次性密码") {
		t.Errorf("the first login does not ask for a new password:\n%.300s", s)
	}
	user.shot("31-first-login", false)
	set := func(pw string) {
		user.submit("set "+pw, `form[method=post][action="/account/password"] button[type=submit]`,
			chromedp.SetValue(chromedp.CSS(`input[name=current]`), oneTime),
			chromedp.SetValue(chromedp.CSS(`input[name=new]`), pw),
			chromedp.SetValue(chromedp.CSS(`input[name=confirm]`), pw))
	}
	set("Password2025!")
	if s := user.text("main"); !strings.Contains(s, "常见密码") {
		t.Errorf("a common password was not refused:\n%.300s", s)
	}
	user.shot("32-common-password-refused", false)
	set("铁塔-雪松-47-蓝鲸")
	if s := user.text("main h1"); s != "报送记录" {
		t.Errorf("after the change the user is on %q, want the page asked for", s)
	}

	admin.open("/audit?user="+"赵科员", `main h1`)
	if s := admin.text("main table"); !strings.Contains(s, "修改密码") || !strings.Contains(s, "登录") {
		t.Errorf("the audit log by user:\n%s", s)
	}
	admin.shot("33-audit-by-user", false)
	admin.fits("the audit log")
}

// TestReportsInChromium: the reports page filters by kind; an edition's page shows what changed since
// the edition before and sends it to the leaders through the mail queue.
func TestReportsInChromium(t *testing.T) {
	st := newSite(t, Options{})
	_, second := st.reviseBulletin()
	st.w.Config.Mail.SMTP.Host = "smtp.example.gov.cn"
	st.w.Config.Mail.Recipients = lingpao.Recipients{Leaders: []string{"leader@example.gov.cn"}}
	b := st.tab(t)
	b.login(staffName, password)
	b.open("/reports?kind=quarterly", `main h1`)
	if s := b.text("section.panel:last-of-type table"); !strings.Contains(s, "第2版") || strings.Contains(s, "月调度表") {
		t.Errorf("reports of one kind:\n%s", s)
	}
	b.shot("40-reports-filtered", true)
	b.fits("the reports page")
	b.submit("open the edition", `a[href="/reports/editions/`+itoa(second.ID)+`"]`)
	if s := b.text("main"); !strings.Contains(s, "1 处更正") || !strings.Contains(s, "赞皇县") {
		t.Errorf("the edition page:\n%.500s", s)
	}
	b.submit("send to the leaders", `#send button[type=submit]`, chromedp.Click(chromedp.CSS(`input[name=to][value=leaders]`)))
	if s := b.text("#send"); !strings.Contains(s, "leader@example.gov.cn") || !strings.Contains(s, "待发送") {
		t.Errorf("the sent mails:\n%s", s)
	}
	b.shot("41-edition-sent", true)
	b.fits("the edition page")
}

// TestLoginThrottleInChromium shows what the attacking address sees, and the owner getting in.
func TestLoginThrottleInChromium(t *testing.T) {
	st := newSite(t, Options{})
	now := st.now()
	for i := 0; i < clientFree; i++ {
		st.s.login.fail("127.0.0.1", "guess"+itoa(int64(i)), false, "", now)
	}
	b := st.tab(t)
	b.open("/login", `input[name=name]`)
	b.submit("try", `button[type=submit]`,
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), staffName),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password))
	if s := b.text(".alert-error"); !strings.Contains(s, "登录失败次数过多") {
		t.Errorf("throttled: %q", s)
	}
	b.shot("50-login-throttled", false)
	// The owner elsewhere is not affected.
	if res := st.browserFrom("127.0.0.2").tryLogin(staffName, password); res.code != 303 {
		t.Errorf("the owner from 127.0.0.2: %d", res.code)
	}
}
