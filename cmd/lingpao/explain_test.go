package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/jobs"
)

// TestExplainCommand runs `lingpao explain` on a workspace with two September returns: the text
// names the figure, its cells with their files and the target's citation; --format json gives the
// same as data; mistakes get a usage error or a message that says what to write.
func TestExplainCommand(t *testing.T) {
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
		sub := &lingpao.Submission{SHA256: strings.Repeat(org[5:], 64), Org: org, Period: sep, FileName: org + ".xlsx", ReceivedAt: time.Date(2025, 10, 8, 10+i, 0, 0, 0, lingpao.Beijing), Status: lingpao.SubAccepted}
		vs := []lingpao.Value{{Org: org, Cluster: org + "-01", Indicator: "srdi_sme", V: float64(60 + i), Sheet: "集群指标", Cell: "F5"}}
		if err := w.Store.SaveSubmission(ctx, sub, vs, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	w.Close()
	explain := func(args ...string) (string, error) {
		out.Reset()
		errb.Reset()
		err := run(ctx, append([]string{"explain"}, append(args, "--dir", dir)...), &out, &errb)
		return out.String(), err
	}
	got, err := explain("--period", "2025-09", "--org", "鹿泉区", "--indicator", "专精特新中小企业数", "--cutoff", "2025-10-15T09:00")
	if err != nil {
		t.Fatalf("explain: %v %s", err, errb.String())
	}
	for _, want := range []string{"鹿泉区 2025-09 专精特新中小企业数（数据截至 2025年10月15日 09:00）", "数字：60家", "鹿泉电子信息", "130110.xlsx", "集群指标!F5", "000000000000…", "依据：示例分解（非文件内容）：依据 《石家庄市县域特色产业集群“领跑者”企业培育行动实施方案》（石政办函〔2022〕44号）一、主要目标", "序时进度："} {
		if !strings.Contains(got, want) {
			t.Errorf("explain lacks %q:\n%s", want, got)
		}
	}
	got, err = explain("--period", "2025-09", "--org", "石家庄市", "--indicator", "srdi_sme", "--format", "json", "--cutoff", "2025-10-15T09:00")
	if err != nil {
		t.Fatal(err)
	}
	var ex struct {
		Figure        string `json:"figure"`
		Contributions []struct {
			OrgName string `json:"org_name"`
			Cell    string `json:"cell"`
			File    string `json:"file"`
		} `json:"contributions"`
	}
	if err := json.Unmarshal([]byte(got), &ex); err != nil {
		t.Fatal(err)
	}
	if ex.Figure != "121家" || len(ex.Contributions) != 24 || ex.Contributions[6].OrgName != "鹿泉区" || ex.Contributions[6].Cell != "F5" || ex.Contributions[6].File != "130110.xlsx" {
		t.Errorf("json: %s %+v", ex.Figure, ex.Contributions)
	}
	if _, err := explain("--period", "2025-09", "--org", "鹿泉区"); !errors.Is(err, errUsage) {
		t.Errorf("without --indicator: %v, want a usage error", err)
	}
	if _, err := explain("--period", "2025-09", "--org", "高阳县", "--indicator", "srdi_sme"); lingpao.ErrorCode(err) != lingpao.EINVALID || !strings.Contains(lingpao.ErrorMessage(err), "不是本市或本市的县") {
		t.Errorf("another city's county: %v", err)
	}
}
