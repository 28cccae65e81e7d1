package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"lingpao"
	"lingpao/ingest"
)

// runIngest makes one pass over the inbox and prints what happened to each file.
func runIngest(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "[--dir D] [--format table|json]")
	f.Dir()
	format := f.Format("table", "json")
	if _, err := f.parse(args); err != nil {
		return err
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	fmt.Fprintf(e.stderr, "检查收件箱（文件需在 %g 秒内大小不变才会读取）…\n", w.Config.Inbox.PollSeconds)
	in := w.Ingester()
	in.Checkpoint = killAt(os.Getenv(killAtEnv))
	var bar *progress
	in.Progress = func(done, total int) {
		if bar == nil || done == 1 || bar.total != total { // a new pass
			bar.stop()
			bar = e.progress("处理收件箱中的报表", total)
		}
		bar.set(done)
	}
	start := w.Now()
	results, err := in.Once(ctx)
	bar.stop()
	sum := summarize(w.Catalog, results, start)
	if *format == "json" {
		if jerr := writeJSON(e.stdout, sum); jerr != nil {
			return jerr
		}
		return err
	}
	writeIngestSummary(e, sum)
	return err
}

// ingestSummary is what a pass did, file by file, as `lingpao ingest` prints it.
type ingestSummary struct {
	Files     []ingestFile `json:"files"`
	Accepted  int          `json:"accepted"`
	Rejected  int          `json:"rejected"`
	Duplicate int          `json:"duplicate"`
}

// ingestFile is one file of a pass.
type ingestFile struct {
	Path string `json:"path"`
	// Result is accepted, rejected or duplicate: duplicate when its bytes had been received before
	// (under this name or another), so that nothing new was stored.
	Result     string    `json:"result"`
	Label      string    `json:"label"`
	Org        string    `json:"org,omitempty"`
	OrgName    string    `json:"org_name,omitempty"`
	Period     string    `json:"period,omitempty"`
	Submission int64     `json:"submission,omitempty"`
	Version    int       `json:"version,omitempty"`
	ReceivedAt time.Time `json:"received_at"`
	Errors     int       `json:"errors"`
	Warnings   int       `json:"warnings"`
}

// summarize counts the results of a pass that started at start. A file is a duplicate when its bytes
// were stored before the pass: under another name (Result.Duplicate), or dropped again under the
// same name — which the pass answers like a file whose earlier pass stopped before clearing it from
// the inbox, with the submission received then.
func summarize(cat *lingpao.Catalog, results []ingest.Result, start time.Time) ingestSummary {
	sum := ingestSummary{Files: []ingestFile{}}
	for _, r := range results {
		s := r.Submission
		f := ingestFile{Path: filepath.ToSlash(r.Path), Org: s.Org, Submission: s.ID, Version: s.Version, ReceivedAt: s.ReceivedAt}
		if s.Org != "" {
			f.OrgName = cat.Tree.Name(s.Org)
		}
		if !s.Period.IsZero() {
			f.Period = s.Period.String()
		}
		for _, x := range s.Findings {
			if x.Severity == lingpao.SevError {
				f.Errors++
			} else {
				f.Warnings++
			}
		}
		earlier := !s.ReceivedAt.IsZero() && s.ReceivedAt.Before(start)
		switch {
		case r.Duplicate || earlier:
			f.Result = "duplicate"
			f.Label = fmt.Sprintf("重复：%s 已收到，%s", s.ReceivedAt.In(lingpao.Beijing).Format("2006-01-02 15:04"), s.Status.Label())
			if s.Status == lingpao.SubAccepted {
				f.Label = fmt.Sprintf("重复：%s 已收到（第%d版）", s.ReceivedAt.In(lingpao.Beijing).Format("2006-01-02 15:04"), s.Version)
			}
			sum.Duplicate++
		case s.Status == lingpao.SubAccepted:
			f.Result, f.Label = "accepted", fmt.Sprintf("已受理（第%d版）", s.Version)
			sum.Accepted++
		default:
			f.Result, f.Label = "rejected", s.Status.Label()
			sum.Rejected++
		}
		sum.Files = append(sum.Files, f)
	}
	return sum
}

func writeIngestSummary(e *env, sum ingestSummary) {
	if len(sum.Files) == 0 {
		fmt.Fprintln(e.stdout, "收件箱中没有可处理的文件。")
		return
	}
	t := newTable("文件", "单位", "期间", "结果", "错误", "警告").alignRight(4, 5)
	for _, f := range sum.Files {
		t.add(f.Path, orDash(f.OrgName), orDash(f.Period), f.Label, strconv.Itoa(f.Errors), strconv.Itoa(f.Warnings))
	}
	t.write(e.stdout, e.width)
	fmt.Fprintf(e.stdout, "\n共 %d 个文件：受理 %d，退回 %d，重复 %d。", len(sum.Files), sum.Accepted, sum.Rejected, sum.Duplicate)
	if sum.Duplicate > 0 {
		fmt.Fprint(e.stdout, "重复的文件此前已收到，本次不重复计入；如需更正，请修改后重新报送。")
	}
	fmt.Fprintln(e.stdout, "回执已写入 receipts/ 各单位文件夹。")
}

// killAtEnv names the test-only setting that makes `lingpao ingest` kill itself at its Nth durable
// step (archive write, commit, receipt file, receipt mark, inbox removal, poll save): the crash test
// (crash_test.go) restarts it and checks that nothing was lost or stored twice.
const killAtEnv = "LINGPAO_TEST_KILL_AT"

// killAt returns the checkpoint hook for killAtEnv's value n: at the nth step the process sends
// itself SIGKILL — no deferred cleanup, no flush, as a power cut — and waits for it. Empty or invalid:
// no hook.
func killAt(n string) func(step string) {
	at, err := strconv.Atoi(n)
	if err != nil || at <= 0 {
		return nil
	}
	count := 0
	return func(step string) {
		if count++; count == at {
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				p.Kill()
			}
			time.Sleep(time.Hour) // the signal is on its way
		}
	}
}
