package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"lingpao"
	"lingpao/ingest"
)

// runIngest makes one pass over the inbox and prints what happened to each file.
func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "ingest", "[--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	fmt.Fprintf(e.stderr, "检查收件箱（文件需在 %g 秒内大小不变才会读取）…\n", w.Config.Inbox.PollSeconds)
	in := w.Ingester()
	in.Checkpoint = killAt(os.Getenv(killAtEnv))
	results, err := in.Once(ctx)
	printResults(e, w.Catalog, results)
	return err
}

func printResults(e *env, cat *lingpao.Catalog, results []ingest.Result) {
	if len(results) == 0 {
		fmt.Fprintln(e.stdout, "收件箱中没有可处理的文件。")
		return
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "文件\t单位\t期间\t结果\t错误\t警告")
	var acc, rej, dup int
	for _, r := range results {
		s := r.Submission
		org, period := "—", "—"
		if s.Org != "" {
			org = cat.Tree.Name(s.Org)
		}
		if !s.Period.IsZero() {
			period = s.Period.String()
		}
		nerr, nwarn := 0, 0
		for _, f := range s.Findings {
			if f.Severity == lingpao.SevError {
				nerr++
			} else {
				nwarn++
			}
		}
		result := s.Status.Label()
		switch {
		case r.Duplicate:
			result = "重复文件（已受理过）"
			dup++
		case s.Status == lingpao.SubAccepted:
			result = fmt.Sprintf("已受理（第%d版）", s.Version)
			acc++
		default:
			rej++
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\n", r.Path, org, period, result, nerr, nwarn)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "\n共 %d 个文件：受理 %d，退回 %d，重复 %d。回执已写入 receipts/ 各单位文件夹。\n", len(results), acc, rej, dup)
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
