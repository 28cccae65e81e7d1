package web

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/seeds"
	"lingpao/sqlite"
)

// selectedPeriod is the period the page's period picker has selected.
var selectedPeriod = regexp.MustCompile(`<option value="([0-9-]+)" selected>`)

// TestDefaultMonthIsTheMonthDue: a return sent early for a month not yet over does not move the
// landing page to that month; the month whose returns are due stays.
func TestDefaultMonthIsTheMonthDue(t *testing.T) {
	st := newSite(t, Options{})
	b := st.login(staffName)
	// The demo workspace is idle since March 2025: the latest month with returns.
	if h := b.get("/").body; !strings.Contains(h, "<h1>2025年3月 工作台</h1>") {
		t.Errorf("idle workspace: heading %q", regexp.MustCompile(`<h1>[^<]*</h1>`).FindString(h))
	}
	// On 8 April 2025 the March returns are due; one county sends its April return early.
	st.mu.Lock()
	st.offset = time.Until(time.Date(2025, 4, 8, 10, 0, 0, 0, lingpao.Beijing))
	st.mu.Unlock()
	early := lingpao.Submission{SHA256: strings.Repeat("e", 64), Org: st.county("鹿泉区"), Period: lingpao.MonthOf(2025, 4), FileName: "2025-04_鹿泉区.xlsx",
		Folder: "鹿泉区", Size: 1000, ReceivedAt: st.now(), Status: lingpao.SubRejected, Reason: "期间未到"}
	if err := st.w.Store.SaveSubmission(context.Background(), &early, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	b = st.login(staffName)
	if h := b.get("/").body; !strings.Contains(h, "<h1>2025年3月 工作台</h1>") {
		t.Errorf("after an early April return: heading %q", regexp.MustCompile(`<h1>[^<]*</h1>`).FindString(h))
	}
	// The early month can still be chosen.
	if h := b.get("/?period=2025-04").body; !strings.Contains(h, "<h1>2025年4月 工作台</h1>") {
		t.Error("April cannot be chosen")
	}
}

// TestPagesAreHeadedWithTheirOwnMonth: a February return's page selects February in the period
// picker and links back to February's list, whatever the default month; the account page has the
// picker too.
func TestPagesAreHeadedWithTheirOwnMonth(t *testing.T) {
	st := newSite(t, Options{})
	b := st.login(staffName)
	feb, err := st.w.Store.FindSubmissions(context.Background(), sqlite.SubmissionFilter{Period: "2025-02", Current: true})
	if err != nil || len(feb) == 0 {
		t.Fatalf("February returns: %v", err)
	}
	page := b.get("/submissions/" + itoa(feb[0].ID)).body
	if m := selectedPeriod.FindStringSubmatch(page); m == nil || m[1] != "2025-02" {
		t.Errorf("a February return's page selects %v", m)
	}
	if !strings.Contains(page, "period=2025-02") {
		t.Error("the February return's page links to another month")
	}
	if page := b.get("/account").body; !strings.Contains(page, `id="period"`) {
		t.Error("the account page has no period picker")
	}
}

// TestRulesHaveChineseNames: every rule code of seeds/rules.yaml and every code the reader and the
// inbox write has a Chinese name, and a return's page shows the names, not the codes.
func TestRulesHaveChineseNames(t *testing.T) {
	st := newSite(t, Options{})
	rules, err := seeds.Rules(seeds.Embedded(), st.w.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]bool{}
	for _, r := range rules {
		codes[r.Code] = true
	}
	literal := regexp.MustCompile(`"((?:cell|file|sheet|meta|placement|cluster|roster|template|required|bounds|integer|part_whole|period)\.[a-z_]+)"`)
	for _, dir := range []string{"../ingest", "../templates"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
				codes[m[1]] = true
			}
		}
	}
	if len(codes) < 40 {
		t.Fatalf("found only %d rule codes", len(codes))
	}
	for c := range codes {
		if _, ok := ruleNames[c]; !ok {
			t.Errorf("rule %s has no Chinese name", c)
		}
	}
	sub := st.rejected()
	page := st.login(staffName).get("/submissions/" + itoa(sub.ID)).body
	for _, f := range sub.Findings {
		if strings.Contains(page, ">"+f.Rule+"<") {
			t.Errorf("the page shows the code %s", f.Rule)
		}
		if !strings.Contains(page, ">"+ruleName(f.Rule)+"<") {
			t.Errorf("the page lacks the name of %s", f.Rule)
		}
	}
}

// TestTargetsPageSpeaksToPeople: no note on the targets page names a field or a type of the code, or
// a document by its key in the seed data.
func TestTargetsPageSpeaksToPeople(t *testing.T) {
	st := newSite(t, Options{})
	page := st.login(staffName).get("/targets?org=all").body
	dev := regexp.MustCompile(`[A-Z][a-z]+\.[A-Z][A-Za-z]+|\b(start|end|due|from_year|to_year|baseline|form|kind)\b|\b[a-z]+20\d\d\b`)
	for _, m := range regexp.MustCompile(`<span class="sub">([^<]*)</span>`).FindAllStringSubmatch(page, -1) {
		if dev.MatchString(m[1]) {
			t.Errorf("a developer's note on the targets page: %q", m[1])
		}
	}
}

// TestReportingStepsSayWhatTheyAre: a step of the reporting ladder (a late or missing return) is
// listed as 报送不及时, never as 按时报送.
func TestReportingStepsSayWhatTheyAre(t *testing.T) {
	st := newSite(t, Options{})
	if _, err := st.w.UpdateLadder(context.Background(), lingpao.MonthOf(2025, 3)); err != nil {
		t.Fatal(err)
	}
	steps, err := st.w.Store.FindEscalations(context.Background(), sqlite.EscalationFilter{Reporting: true, Revoked: true})
	if err != nil || len(steps) == 0 {
		t.Skipf("the demo has no reporting steps: %v", err)
	}
	last := steps[len(steps)-1]
	page := st.login(staffName).get("/escalations?period=" + last.Month.String() + "&q=" + st.w.Catalog.Tree.Name(last.Org))
	if page.code != http.StatusOK || strings.Contains(page.body, "<td>按时报送</td>") || !strings.Contains(page.body, "<td>"+reportingItem+"</td>") {
		t.Errorf("reporting steps of %s: %d", last.Month, page.code)
	}
}
