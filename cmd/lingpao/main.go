// Command lingpao runs the reporting cycle of county featured-industry clusters: county returns in,
// validated and aggregated against the plans' targets, workbooks and bulletins out.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "time/tzdata" // CRON_TZ=Asia/Shanghai must resolve on machines without a zoneinfo database

	"lingpao"
)

// Version is lingpao's version, printed in every report. Set at build time with
// -ldflags "-X main.Version=…".
var Version = "0.1.0-dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	stopProfiles := startProfiles(os.Stderr)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stopProfiles()
	os.Exit(exitCode(err, os.Stderr))
}

// errUsage marks a usage error (exit code 2); the message has been printed already.
var errUsage = errors.New("usage")

// exitCode prints err for the user and maps it to the process exit code: 0 ok, 1 error, 2 usage.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
		return 2
	case lingpao.ErrorCode(err) == lingpao.EINTERNAL:
		fmt.Fprintf(stderr, "错误：%v\n", err)
		return 1
	default:
		fmt.Fprintf(stderr, "错误：%s\n", lingpao.ErrorMessage(err))
		return 1
	}
}

// command is one subcommand. Each has its own flag set and runs with the process's streams.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what every subcommand gets: output streams and the version.
type env struct {
	stdout, stderr io.Writer
	version        string
}

func commands() []command {
	return []command{
		{"init", "创建工作目录（lingpao.yaml、inbox/、archive/、receipts/、outbox/、data.db）", runInit},
		{"demo", "生成演示工作目录：模拟各县报表、入库、生成全部报告", runDemo},
		{"template", "生成县级报表模板（--describe 输出模板结构 JSON）", runTemplate},
		{"ingest", "处理一遍收件箱中的报表并写回执", runIngest},
		{"status", "报送率与各县报送状态、进度、督办：--period P", runStatus},
		{"report", "生成报告：monthly|quarterly|half|annual|scorecard", runReport},
		{"targets", "目标任务：list | export FILE（分解表）| import FILE | versions", runTargets},
		{"jobs", "计划任务：list | run NAME [--now T] | plan（全年计划）| rerun ID | ack ID", runJobs},
		{"problems", "需要处理的问题（与 /healthz 相同）：list | ack ID", runProblems},
		{"deliveries", "邮件队列：list | retry ID… | cancel ID…", runDeliveries},
		{"serve", "服务模式：定时轮询收件箱、催报、生成并发送报告（+ 网页）", runServe},
		{"user", "网页账号：add --name N --role admin|staff|leader | passwd --name N | list", runUser},
	}
}

// run is the testable body of main.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{stdout: stdout, stderr: stderr, version: Version}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if args[0] == "version" || args[0] == "--version" {
		fmt.Fprintf(stdout, "lingpao %s\n", Version)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] {
			// A full or read-only disk is said in Chinese, naming what is full, by every command.
			return lingpao.ExplainDisk(c.run(ctx, e, args[1:]), "")
		}
	}
	fmt.Fprintf(stderr, "未知命令「%s」。\n\n", args[0])
	usage(stderr)
	return errUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "lingpao（领跑）— 县域特色产业集群月调度、季通报、半年总结、年终考核")
	fmt.Fprintln(w, "\n用法：lingpao <命令> [参数]\n\n命令：")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\n各命令的参数：lingpao <命令> -h")
}

// newFlagSet returns a flag set that reports usage errors as errUsage rather than exiting.
func newFlagSet(e *env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "用法：lingpao %s %s\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags parses args and maps a parse failure to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return flag.ErrHelp
		}
		return errUsage
	}
	return nil
}

// defaultDir is --dir's default: $LINGPAO_DIR, else the current directory.
func defaultDir() string {
	if d := os.Getenv("LINGPAO_DIR"); d != "" {
		return d
	}
	return "."
}
