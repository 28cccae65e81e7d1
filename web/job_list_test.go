package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// TestJobHistoryShowsTheLedger records runs as the scheduler does and reads them on the page: the
// outcome, the error of a failed run, and the outputs, downloadable from the store's paths only.
func TestJobHistoryShowsTheLedger(t *testing.T) {
	st := newSite(t, Options{})
	ctx := context.Background()
	at := time.Date(2025, 4, 8, 9, 0, 0, 0, lingpao.Beijing)
	record := func(job string, when time.Time, end sqlite.RunEnd) int64 {
		run, claimed, err := st.w.Store.ClaimRun(ctx, lingpao.JobRun{Job: job, Scheduled: when, Due: when, Trigger: lingpao.TriggerSchedule, Started: when, Owner: "test"}, nil)
		if err != nil || !claimed {
			t.Fatalf("claim %s: %v %v", job, claimed, err)
		}
		end.Ended = when.Add(time.Minute)
		if err := st.w.Store.FinishRun(ctx, run.ID, end); err != nil {
			t.Fatal(err)
		}
		return run.ID
	}
	ok := record(lingpao.JobMonthly, at, sqlite.RunEnd{Outcome: lingpao.RunOK, Summary: "月调度表已生成", Outputs: []string{"outbox/2025-03/月调度表_石家庄市_2025年3月.xlsx", "../../etc/passwd"}})
	record(lingpao.JobQuarterly, at.Add(time.Hour), sqlite.RunEnd{Outcome: lingpao.RunFailed, Error: "字体文件不存在"})
	record(lingpao.JobPoll, at.Add(2*time.Hour), sqlite.RunEnd{Outcome: lingpao.RunOK, Summary: "无新文件"})

	b := st.login(leaderName)
	page := b.get("/jobs")
	for _, want := range []string{"月调度表已生成", "月调度表_石家庄市_2025年3月.xlsx", "季度通报", "字体文件不存在", "失败", "有 1 次运行失败"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("/jobs lacks %q", want)
		}
	}
	if strings.Count(page.body, "无新文件") != 1 || !strings.Contains(page.body, "频繁运行的任务") {
		t.Error("/jobs lists uneventful inbox polls by default instead of summing them up")
	}
	if polls := b.get("/jobs?job=poll"); !strings.Contains(polls.body, "无新文件") {
		t.Error("/jobs?job=poll does not list the polls")
	}
	res := b.get("/jobs/runs/" + itoa(ok) + "/files/0")
	if res.code != http.StatusOK || !strings.HasPrefix(res.body, "PK") {
		t.Errorf("download output: %d", res.code)
	}
	for _, n := range []string{"1", "2", "-1", "..%2F..%2Flingpao.yaml"} {
		if res := b.get("/jobs/runs/" + itoa(ok) + "/files/" + n); res.code != http.StatusNotFound {
			t.Errorf("output %s: %d, want 404", n, res.code)
		}
	}
	if res := b.get("/jobs?job=../../x"); res.code != http.StatusBadRequest {
		t.Errorf("unknown job filter: %d", res.code)
	}
}

// TestJobHistoryIsNotBuriedByFrequentRuns: a mail-queue run every minute for two days (3,000 runs)
// do not push the monthly and quarterly runs off the first page; they are
// summed up, their failures listed, and each run is still there a page at a time.
func TestJobHistoryIsNotBuriedByFrequentRuns(t *testing.T) {
	st := newSite(t, Options{})
	ctx := context.Background()
	start := time.Date(2025, 4, 1, 0, 0, 0, 0, lingpao.Beijing)
	record := func(job string, when time.Time, end sqlite.RunEnd) {
		run, claimed, err := st.w.Store.ClaimRun(ctx, lingpao.JobRun{Job: job, Scheduled: when, Due: when, Trigger: lingpao.TriggerSchedule, Started: when, Owner: "test"}, nil)
		if err != nil || !claimed {
			t.Fatalf("claim %s: %v %v", job, claimed, err)
		}
		end.Ended = when.Add(time.Second)
		if err := st.w.Store.FinishRun(ctx, run.ID, end); err != nil {
			t.Fatal(err)
		}
	}
	record(lingpao.JobMonthly, start.Add(7*24*time.Hour+9*time.Hour), sqlite.RunEnd{Outcome: lingpao.RunOK, Summary: "2025年3月月调度表：生成 1 个文件"})
	record(lingpao.JobQuarterly, start.Add(9*24*time.Hour+9*time.Hour), sqlite.RunEnd{Outcome: lingpao.RunOK, Summary: "2025年第一季度季度通报：生成 2 个文件"})
	for i := 0; i < 3000; i++ {
		end := sqlite.RunEnd{Outcome: lingpao.RunOK, Summary: "没有待发送的邮件"}
		if i == 2000 {
			end = sqlite.RunEnd{Outcome: lingpao.RunFailed, Error: "连接邮件服务器失败：connection refused"}
		}
		record(lingpao.JobDeliver, start.Add(time.Duration(i)*time.Minute), end)
	}
	b := st.login(staffName)
	page := b.get("/jobs")
	for _, want := range []string{"2025年3月月调度表", "2025年第一季度季度通报", "连接邮件服务器失败", "频繁运行的任务"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("/jobs lacks %q", want)
		}
	}
	if n := strings.Count(page.body, "没有待发送的邮件"); n > 1 {
		t.Errorf("%d uneventful mail runs listed", n)
	}
	all := b.get("/jobs?job=deliver&size=100&page=3")
	if !strings.Contains(all.body, "共 3000 条，第 201–300 条") {
		i := strings.Index(all.body, "pager-count")
		t.Errorf("the mail runs a page at a time: %d %s", all.code, all.body[max(i, 0):min(len(all.body), max(i, 0)+300)])
	}
}
