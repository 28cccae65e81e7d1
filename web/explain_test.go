package web

import (
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFiguresLinkToTheirExplanation follows the dashboard's figures to /explain: every heat-map cell
// and every headline figure links to the page, which shows the figure, its formula, every cell it is
// made of with its return file, and the target's citation — as any role may read it.
func TestFiguresLinkToTheirExplanation(t *testing.T) {
	st := newSite(t, Options{})
	b := st.login(leaderName)
	dash := b.get("/?period=2025-03")
	if dash.code != http.StatusOK {
		t.Fatalf("dashboard: %d", dash.code)
	}
	links := regexp.MustCompile(`<a class="fig" href="([^"]+)"`).FindAllStringSubmatch(dash.body, -1)
	cells := strings.Count(dash.body, `<td class="st-`)
	if len(links) == 0 || len(links) < cells {
		t.Fatalf("%d figure links for %d heat-map cells", len(links), cells)
	}
	var city, county string
	for _, l := range links {
		href := html.UnescapeString(l[1])
		if !strings.HasPrefix(href, "/explain?") || !strings.Contains(href, "period=2025-03") {
			t.Fatalf("figure link %q", href)
		}
		u, err := url.Parse(href)
		if err != nil {
			t.Fatal(err)
		}
		switch q := u.Query(); {
		case q.Get("org") == "130100" && q.Get("indicator") == "srdi_sme":
			city = href
		case q.Get("org") == "130110" && q.Get("indicator") == "srdi_sme":
			county = href
		}
	}
	if city == "" || county == "" {
		t.Fatalf("no link for the city's or 鹿泉区's 专精特新: %v", links[:3])
	}
	page := b.get(city)
	if page.code != http.StatusOK {
		t.Fatalf("%s: %d\n%s", city, page.code, page.body)
	}
	for _, want := range []string{"石家庄市 · 专精特新中小企业数", "存量：各县（市、区）各集群本月末数值之和", "怎样算出", "数据来源", "鹿泉电子信息", "2025-03_鹿泉区.xlsx", "集群指标!", "石政办函〔2022〕44号", "序时进度", "自2024年1月1日至2025年12月31日"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("%s lacks %q", city, want)
		}
	}
	if page := b.get(county); page.code != http.StatusOK || !strings.Contains(page.body, "鹿泉区 · 专精特新中小企业数") || strings.Contains(page.body, "栾城区") {
		t.Errorf("%s: %d, or other counties' cells on a county's page", county, page.code)
	}
	for _, bad := range []string{"/explain?period=2025-03&org=130110", "/explain?period=2025-03&org=高阳县&indicator=srdi_sme", "/explain?period=2025-03&org=130110&indicator=nope", "/explain?period=x&org=130110&indicator=srdi_sme"} {
		if res := b.get(bad); res.code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, res.code)
		}
	}
	if res := st.browser().get(city); res.code != http.StatusSeeOther {
		t.Errorf("without a session: %d, want the login page", res.code)
	}

	// In Chromium: a click on a heat-map figure opens its explanation.
	ctx := chrome(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(st.srv.URL+"/login"), chromedp.WaitVisible(chromedp.CSS(`input[name=name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), staffName), chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(`table.heat`)),
		chromedp.Navigate(st.srv.URL+"/?period=2025-03"), chromedp.WaitVisible(chromedp.CSS(`table.heat`)),
		chromedp.Click(chromedp.CSS(`tr.heat-total a.fig`)), chromedp.WaitVisible(chromedp.CSS(`dl.facts`))); err != nil {
		t.Fatal(err)
	}
	h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	if err != nil || !strings.HasPrefix(h1, "石家庄市 · ") {
		t.Errorf("the first city figure opens %q (%v)", h1, err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshots(t), "explain.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
}
