package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
	"lingpao/reports"
	"lingpao/sqlite"
)

// reviseBulletin records a second edition of the demo's quarterly bulletin in which one county's
// figure changed, as a late correction would make it, and returns both editions.
func (st *site) reviseBulletin() (first, second sqlite.Edition) {
	st.t.Helper()
	ctx := context.Background()
	eds, err := st.w.Store.FindEditions(ctx, sqlite.EditionFilter{Kind: "quarterly", Period: "2025Q1"})
	if err != nil || len(eds) != 1 {
		st.t.Fatalf("editions of the bulletin: %v, %v", eds, err)
	}
	first = eds[0]
	var figs []reports.Figure
	if err := json.Unmarshal(first.Figures, &figs); err != nil {
		st.t.Fatal(err)
	}
	changed := -1
	for i, f := range figs {
		if f.Name == "赞皇县" && !strings.HasSuffix(f.Item, "目标") && f.Text != "未报送" {
			figs[i].Text = "999" + f.Text
			changed = i
			break
		}
	}
	if changed < 0 {
		st.t.Fatal("no figure of 赞皇县 in the bulletin")
	}
	second = first
	second.ID, second.Edition, second.Files = 0, 2, nil
	second.Figures, _ = json.Marshal(figs)
	second.Digest = reports.Digest(figs)
	for _, f := range first.Files {
		ext := filepath.Ext(f)
		rel := strings.TrimSuffix(f, ext) + "_第2版" + ext
		b, err := os.ReadFile(filepath.Join(st.dir, filepath.FromSlash(f)))
		if err != nil {
			st.t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(st.dir, filepath.FromSlash(rel)), b, 0o644); err != nil {
			st.t.Fatal(err)
		}
		second.Files = append(second.Files, rel)
	}
	if err := st.w.Store.SaveEdition(ctx, &second); err != nil {
		st.t.Fatal(err)
	}
	return first, second
}

// TestEditionsChangesAndSending: the reports page filters by kind and period and links each file to
// its edition; the edition page lists what changed since the edition before; staff send it to the
// leaders and the counties through the delivery queue (a county's scorecard to that county only),
// never twice to one address; without mail nothing is queued; leaders cannot send.
func TestEditionsChangesAndSending(t *testing.T) {
	st := newSite(t, Options{})
	_, second := st.reviseBulletin()
	leader := st.login(leaderName)
	list := leader.get("/reports?kind=quarterly")
	if list.code != http.StatusOK || !strings.Contains(list.body, "季度通报_石家庄市_2025年第一季度_第2版.pdf") || strings.Contains(list.body, "月调度表_") {
		t.Errorf("reports filtered by kind: %d", list.code)
	}
	if !strings.Contains(list.body, "/reports/editions/"+itoa(second.ID)) || !strings.Contains(list.body, "第2版 · 看更正") {
		t.Error("the bulletin's file does not link to its edition")
	}
	if res := leader.get("/reports?folder=2024"); !strings.Contains(res.body, "年终考核_石家庄市_2024年.pdf") || strings.Contains(res.body, "季度通报_") {
		t.Error("reports filtered by period")
	}
	if res := leader.get("/reports?q=第2版"); !strings.Contains(res.body, "共 2 条") {
		t.Error("reports by keyword: want the two files of the second edition")
	}
	page := leader.get("/reports/editions/" + itoa(second.ID))
	for _, want := range []string{"与第1版", "1 处更正", "赞皇县", "999", "只能查看和下载"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("edition page lacks %q", want)
		}
	}
	tok := leader.token("/reports")
	if res := leader.post("/reports/editions/"+itoa(second.ID)+"/send", url.Values{"csrf": {tok}, "to": {"leaders"}}); res.code != http.StatusForbidden {
		t.Errorf("a leader sends: %d", res.code)
	}

	staff := st.login(staffName)
	tok = staff.token("/reports")
	send := func(id int64, to ...string) response {
		return staff.post("/reports/editions/"+itoa(id)+"/send", url.Values{"csrf": {tok}, "to": to, "note": {"请审阅。"}})
	}
	if res := send(second.ID, "leaders"); res.code != http.StatusBadRequest || !strings.Contains(res.body, "尚未配置邮件服务器") {
		t.Errorf("send without mail: %d", res.code)
	}
	st.w.Config.Mail.SMTP.Host = "smtp.example.gov.cn"
	st.w.Config.Mail.Recipients = lingpao.Recipients{Leaders: []string{"leader@example.gov.cn", "deputy@example.gov.cn"},
		Counties: map[string][]string{"赞皇县": {"zanhuang@example.gov.cn"}, "130102": {"changan@example.gov.cn"}}}
	res := send(second.ID, "leaders", "county")
	if res.code != http.StatusOK || !strings.Contains(res.body, "已把 4 封邮件加入发送队列") {
		t.Fatalf("send: %d\n%s", res.code, res.body)
	}
	if res := send(second.ID, "leaders"); !strings.Contains(res.body, "已把 0 封邮件") || !strings.Contains(res.body, "2 个地址此前已发送过本版") {
		t.Errorf("send again: %d", res.code)
	}
	if res := send(second.ID, "staff"); res.code != http.StatusBadRequest || !strings.Contains(res.body, "工作人员没有配置邮箱") {
		t.Errorf("send to a group without addresses: %d", res.code)
	}
	if res := send(second.ID, "../../x"); res.code != http.StatusBadRequest {
		t.Errorf("unknown group: %d", res.code)
	}
	ds, err := st.w.Store.FindDeliveriesByKey(context.Background(), editionKey(second.ID))
	if err != nil || len(ds) != 4 {
		t.Fatalf("queued: %v, %v", ds, err)
	}
	for _, d := range ds {
		if len(d.Attachments) != 2 || !strings.Contains(d.Subject, "第2版") || !strings.HasPrefix(d.Body, "各位领导、同志：\n\n请审阅。") || d.Status != lingpao.DeliveryPending {
			t.Errorf("mail %+v", d)
		}
	}
	// A county's scorecard goes to that county only.
	cards, err := st.w.Store.FindEditions(context.Background(), sqlite.EditionFilter{Kind: "scorecard", Period: "2025-03", Scope: st.county("赞皇县")})
	if err != nil || len(cards) != 1 {
		t.Fatalf("scorecard of 赞皇县: %v, %v", cards, err)
	}
	if res := send(cards[0].ID, "county"); !strings.Contains(res.body, "已把 1 封邮件") {
		t.Errorf("send a scorecard: %d", res.code)
	}
	ds, _ = st.w.Store.FindDeliveriesByKey(context.Background(), editionKey(cards[0].ID))
	if len(ds) != 1 || ds[0].To != "zanhuang@example.gov.cn" {
		t.Errorf("the scorecard went to %v", ds)
	}
	// The page lists what was sent; the file downloads, and the download is audited.
	if page := staff.get("/reports/editions/" + itoa(second.ID)); !strings.Contains(page.body, "leader@example.gov.cn") || !strings.Contains(page.body, "待发送") {
		t.Error("the edition page does not list its mails")
	}
	if res := staff.get("/reports/editions/" + itoa(second.ID) + "/files/0"); res.code != http.StatusOK || !strings.HasPrefix(res.body, "%PDF") {
		t.Errorf("download: %d", res.code)
	}
	for _, n := range []string{"2", "-1", "..%2F..%2Flingpao.yaml"} {
		if res := staff.get("/reports/editions/" + itoa(second.ID) + "/files/" + n); res.code != http.StatusNotFound {
			t.Errorf("file %s: %d", n, res.code)
		}
	}
	acts := st.auditActions()
	if acts["send"] != 3 || acts["download"] != 1 {
		t.Errorf("audit log: %v", acts)
	}
}
