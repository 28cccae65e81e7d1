package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/jobs"
)

// TestReportCommand runs `lingpao report` on a workspace with two September returns: a county's
// 体检表, an ad-hoc monthly bulletin at a given cut-off (twice: the same edition), and the mistakes a
// user makes.
func TestReportCommand(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"init", "--dir", dir}, &out, &errb); err != nil {
		t.Fatalf("init: %v\n%s", err, errb.String())
	}
	w, err := jobs.Open(ctx, dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	sep := lingpao.MonthOf(2025, 9)
	for i, org := range []string{"130110", "130111"} { // 鹿泉区, 栾城区
		sub := &lingpao.Submission{SHA256: org, Org: org, Period: sep, FileName: org + ".xlsx", ReceivedAt: time.Date(2025, 10, 8, 10+i, 0, 0, 0, lingpao.Beijing), Status: lingpao.SubAccepted}
		vs := []lingpao.Value{{Org: org, Cluster: org + "-01", Indicator: "srdi_sme", V: float64(60 + i)}}
		if err := w.Store.SaveSubmission(ctx, sub, vs, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()

	report := func(args ...string) (string, error) {
		out.Reset()
		errb.Reset()
		err := run(ctx, append([]string{"report"}, append(args, "--dir", dir)...), &out, &errb)
		return strings.TrimSpace(out.String()), err
	}
	got, err := report("scorecard", "--period", "2025-09", "--county", "鹿泉区")
	if err != nil || !strings.HasSuffix(got, "outbox/2025-09/体检表/体检表_鹿泉区_2025年9月.pdf") {
		t.Fatalf("scorecard: %q, %v %s", got, err, errb.String())
	}
	if _, err := os.Stat(got); err != nil {
		t.Fatal(err)
	}
	first, err := report("quarterly", "--period", "2025-09", "--format", "pdf", "--cutoff", "2025-10-15T09:00")
	if err != nil || !strings.HasSuffix(first, "outbox/2025-09/月度通报_石家庄市_2025年9月.pdf") {
		t.Fatalf("monthly bulletin: %q, %v %s", first, err, errb.String())
	}
	b1, _ := os.ReadFile(first)
	again, err := report("quarterly", "--period", "2025-09", "--format", "pdf", "--cutoff", "2025-10-15T09:00")
	if b2, _ := os.ReadFile(again); err != nil || again != first || !bytes.Equal(b1, b2) {
		t.Errorf("the same bulletin again is not the same edition: %q %v", again, err)
	}

	for _, c := range []struct {
		args []string
		want string // in the message; "" for a usage error
	}{
		{nil, ""},
		{[]string{"monthly"}, ""},
		{[]string{"monthly", "--period", "2025-09", "--format", "pdf"}, "月调度表只有 xlsx 格式"},
		{[]string{"weekly", "--period", "2025-09"}, "usage:没有「weekly」这个操作"},
		{[]string{"half", "--period", "2025Q3"}, "usage:这里要半年，如 2025H1"},
		{[]string{"monthly", "--period", "2025-09", "--county", "鹿泉区"}, "usage:没有参数 --county"},
		{[]string{"scorecard", "--period", "2025-09", "--county", "高阳县"}, "「高阳县」不是本市的县（市、区）"},
		{[]string{"annual", "--period", "2025", "--cutoff", "2025-10-15T09:00"}, "2025年尚未结束"},
		{[]string{"quarterly", "--period", "2025Q3", "--cutoff", "十月"}, "usage:--cutoff「十月」格式不对"},
	} {
		_, err := report(c.args...)
		usage := strings.HasPrefix(c.want, "usage:")
		c.want = strings.TrimPrefix(c.want, "usage:")
		switch {
		case (c.want == "" || usage) && !errors.Is(err, errUsage):
			t.Errorf("report %v: %v, want a usage error", c.args, err)
		case c.want != "" && (lingpao.ErrorCode(err) != lingpao.EINVALID || !strings.Contains(lingpao.ErrorMessage(err), c.want)):
			t.Errorf("report %v: %v, want %q", c.args, err, c.want)
		}
	}
}
