package web

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"lingpao/sqlite"
)

// TestClerkMonthInChromium walks the clerk's month in the page at 1366×768, as staff: the reporting
// grid of the year; 催报 of the county that has not reported and its contacts; the templates of next
// month; a problem of the ledger assigned, handled and closed; a corrected return reviewed (its
// 情况说明 accepted) and returned; the county page's tabs. Each step is screenshotted
// ($LINGPAO_SCREENSHOTS keeps them).
func TestClerkMonthInChromium(t *testing.T) {
	st := newSite(t, Options{})
	shots := screenshots(t)
	ctx := chrome(t)
	base := st.srv.URL
	// do runs a step within 30 seconds; a step that fails leaves a screenshot of where it stood.
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			if b, serr := chromedp.Run(ctx, chromedp.CaptureScreenshot()); serr == nil {
				os.WriteFile(filepath.Join(shots, "failed.png"), b, 0o644)
			}
			t.Fatalf("%s: %v (screenshot failed.png in %s)", what, err, shots)
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
	// noOverflow fails when the page is wider than the window: nothing may push a column off screen.
	noOverflow := func(where string) {
		t.Helper()
		w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if w > 1366 {
			t.Errorf("%s is %d px wide, wider than the 1366 px screen", where, w)
		}
	}
	// clearAlerts removes the page's notices before a form is sent, so that waiting for the notice
	// waits for the next page.
	clearAlerts := chromedp.Evaluate[chromedp.Void](`document.querySelectorAll(".alert").forEach(function (e) { e.remove(); })`)
	open := func(path, waitFor string) {
		t.Helper()
		do(path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(waitFor)))
	}
	// A corrected return of 鹿泉区 with a warning it explains, uploaded before the walk.
	v1 := st.current("鹿泉区")
	staff := st.login(staffName)
	if res := staff.upload(v1.Org, "2025-03_鹿泉区（更正）.xlsx", warningReturn(t, st, "鹿泉区"), staff.token("/upload")); res.code != 303 {
		t.Fatalf("upload: %d", res.code)
	}
	v2 := st.current("鹿泉区")

	do("log in", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), staffName), chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`table.heat`)))

	// The year at a glance.
	open("/grid?period=2025-03", "table.rgrid")
	if g := text("table.rgrid"); !strings.Contains(g, "井陉矿区") || !strings.Contains(g, "未报") || !strings.Contains(g, "逾期") {
		t.Errorf("grid:\n%.500s", g)
	}
	noOverflow("the reporting grid")
	shot("clerk-01-grid", false)

	// 催报: the county that has not reported comes first; remind it now.
	open("/remind?period=2025-03", "main table.list")
	if first := text("main table.list tbody tr"); !strings.Contains(first, "井陉矿区") || !strings.Contains(first, "未报送") {
		t.Errorf("first row of 催报: %q", first)
	}
	noOverflow("催报")
	shot("clerk-02-remind", false)
	do("立即催报", clearAlerts, chromedp.Click(chromedp.CSS(`main table.list tbody tr:first-child button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`.alert`)))
	if a := text(".alert"); !strings.Contains(a, "已向 1 个单位发出催报") {
		t.Errorf("after 立即催报: %q", a)
	}
	shot("clerk-03-remind-done", false)

	// Its contacts: a wrong address is refused with what to fix, then saved.
	jk := st.county("井陉矿区")
	open("/remind/"+jk+"?period=2025-03", "form input[name=name_0]")
	do("fill contacts",
		chromedp.SendKeys(chromedp.CSS(`input[name=name_0]`), "赵敏"),
		chromedp.SendKeys(chromedp.CSS(`input[name=title_0]`), "填报人"),
		chromedp.SendKeys(chromedp.CSS(`input[name=phone_0]`), "0311-82011234"),
		chromedp.SetValue(chromedp.CSS(`input[name=email_0]`), "zhaomin-at-example"),
		chromedp.SendKeys(chromedp.CSS(`input[name=name_1]`), "钱局长"),
		chromedp.SendKeys(chromedp.CSS(`input[name=title_1]`), "分管负责人"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("main form[action*=contacts]").noValidate = true`),
		chromedp.Click(chromedp.CSS(`main form[action*=contacts] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert-error`)))
	if e := text(".alert-error"); !strings.Contains(e, "邮箱“zhaomin-at-example”格式不对") {
		t.Errorf("contact error: %q", e)
	}
	shot("clerk-04-contacts-error", false)
	do("fix the address", clearAlerts,
		chromedp.SetValue(chromedp.CSS(`input[name=email_0]`), "zhaomin@example.gov.cn"),
		chromedp.Click(chromedp.CSS(`main form[action*=contacts] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert-ok`)))
	if h := text("main"); !strings.Contains(h, "催报邮件发往：zhaomin@example.gov.cn") || !strings.Contains(h, "立即催报") || !strings.Contains(h, staffName) {
		t.Errorf("contacts page after saving:\n%.1500s", h)
	}
	noOverflow("contacts")
	shot("clerk-05-contacts-saved", false)

	// Next month's templates.
	open("/templates?period=2025-03&month=2025-04", "main table.list")
	if s := text("main"); !strings.Contains(s, "2025-04_鹿泉区.xlsx") || !strings.Contains(s, "下载全部 24 个单位") {
		t.Errorf("templates page:\n%.800s", s)
	}
	noOverflow("templates")
	shot("clerk-06-templates", false)

	// The issue ledger: 交办, 办理意见, 办结销号 through the forms.
	open("/issues?period=2025-03", "main table.list")
	shot("clerk-07-issues", false)
	cases, _, err := st.w.Store.FindIssueCases(context.Background(), sqlite.IssueCaseFilter{Org: v1.Org})
	if err != nil || len(cases) != 1 {
		t.Fatalf("鹿泉区's cases: %v %v", cases, err)
	}
	issue := fmt.Sprintf("/issues/%d?period=2025-03", cases[0].ID)
	open(issue, "main form[action*=assign]")
	do("交办",
		chromedp.SetValue(chromedp.CSS(`main form[action*=assign] input[name=department]`), "市自然资源和规划局"),
		chromedp.SendKeys(chromedp.CSS(`main form[action*=assign] textarea[name=note]`), "请会同县政府协调用地指标，10个工作日内反馈。"),
		chromedp.Click(chromedp.CSS(`main form[action*=assign] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert-ok`)))
	if a := text(".alert-ok"); !strings.Contains(a, "已交办给 市自然资源和规划局") {
		t.Errorf("after 交办: %q", a)
	}
	do("办理意见", clearAlerts,
		chromedp.SendKeys(chromedp.CSS(`main form[action*=opinion] textarea[name=note]`), "已与鹿泉区对接，拟从市级储备指标中调剂30亩。"),
		chromedp.Click(chromedp.CSS(`main form[action*=opinion] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert-ok`)))
	noOverflow("the issue page")
	shot("clerk-08-issue-handling", false)
	do("办结销号",
		chromedp.SendKeys(chromedp.CSS(`main form[action*=close] textarea[name=note]`), "已调剂用地指标30亩，项目于本月开工。"),
		chromedp.Click(chromedp.CSS(`main form[action*=close] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`main form[action*=reopen]`)))
	if tl := text("ol.timeline"); strings.Count(tl, "市自然资源和规划局") < 1 || !strings.Contains(tl, "办结销号") || !strings.Contains(tl, "分解交办") {
		t.Errorf("timeline:\n%s", tl)
	}
	shot("clerk-09-issue-closed", true)

	// Review: the queue, the 情况说明 accepted, the return with its comment.
	open("/review?period=2025-03", "main table.list")
	noOverflow("the review queue")
	shot("clerk-10-review-queue", false)
	open(fmt.Sprintf("/submissions/%d/review?period=2025-03", v2.ID), "form.inline-note")
	shot("clerk-11-review", false)
	do("认可说明", chromedp.Click(chromedp.CSS(`form.inline-note button`)), chromedp.WaitVisible(chromedp.CSS(`.ok-mark`)))
	do("退回", clearAlerts,
		chromedp.SendKeys(chromedp.CSS(`textarea[name=comment]`), "规上工业企业数较上月增加78家，与企业名录不符，请核对后重报。"),
		chromedp.Click(chromedp.CSS(`input[name=confirm]`)),
		chromedp.Click(chromedp.CSS(`button.btn-danger`)),
		chromedp.WaitVisible(chromedp.CSS(`.alert-ok`)))
	if s := text("main"); !strings.Contains(s, "已退回") || !strings.Contains(s, "【审核退回】") || !strings.Contains(s, "按此前受理的第 1 版") {
		t.Errorf("after the return:\n%.1500s", s)
	}
	noOverflow("the review page")
	shot("clerk-12-returned", true)
	if cur := st.current("鹿泉区"); cur.ID != v1.ID {
		t.Errorf("version 1 is not in force again: %d", cur.ID)
	}

	// The county page, each tab.
	for _, tab := range []struct{ key, name, want string }{
		{"", "clerk-13-county", "报送情况"},
		{"trend", "clerk-14-county-trend", "专精特新中小企业数"},
		{"roster&q=专精特新", "clerk-15-county-roster", "专精特新"},
		{"returns", "clerk-16-county-returns", "已退回"},
		{"escalations", "clerk-17-county-escalations", "督办"},
	} {
		open("/counties/"+v1.Org+"?period=2025-03&tab="+tab.key, "nav.tabs")
		if s := text("main"); !strings.Contains(s, tab.want) {
			t.Errorf("county tab %q lacks %q", tab.key, tab.want)
		}
		noOverflow("county tab " + tab.key)
		shot(tab.name, false)
	}
	t.Logf("screenshots in %s", shots)
}
