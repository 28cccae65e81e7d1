// Command lingpao runs the reporting cycle of county featured-industry clusters: county returns in,
// validated and aggregated against the plans' targets, workbooks and bulletins out.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/mattn/go-runewidth"

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

// exitCode prints err for the user and maps it to the process exit code: 0 ok, 1 error, 2 usage
// (a usage error has been printed by run already).
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errUsage):
		return 2
	case lingpao.ErrorCode(err) == lingpao.EINTERNAL:
		// Not a mistake of the user's: the operator gets the whole chain to act on or pass on.
		fmt.Fprintf(stderr, "错误：lingpao 内部出错，操作没有完成。请把下面的信息告诉系统管理员：\n  %v\n", err)
		return 1
	default:
		fmt.Fprintf(stderr, "错误：%s\n", lingpao.ErrorMessage(err))
		return 1
	}
}

// env is what every subcommand gets: output streams, the version, the command it runs (path, as
// typed: "jobs list") with its summary, and how text is measured for tables.
type env struct {
	stdout, stderr io.Writer
	version        string
	path, about    string
	width          *runewidth.Condition
	// tty is true when stderr is a terminal: progress shows as a bar.
	tty bool
}

func commands() []command {
	return []command{
		{"init", "创建工作目录（lingpao.yaml、inbox/、archive/、receipts/、outbox/、data.db）", runInit},
		{"demo", "生成演示工作目录：模拟各县报表、入库、生成全部报告", runDemo},
		{"template", "生成县级报表模板（--describe 输出模板结构 JSON）", runTemplate},
		{"ingest", "处理一遍收件箱中的报表并写回执", runIngest},
		{"status", "报送率与各县报送状态、进度、督办：--period P", runStatus},
		{"report", "生成报告：monthly|quarterly|half|annual|scorecard", group(reportKinds)},
		{"explain", "解释报告中的一个数字：--period P --org O --indicator I", runExplain},
		{"targets", "目标任务：list | export FILE（分解表）| import FILE | versions", group(targetsActions)},
		{"jobs", "计划任务：list | run NAME [--now T] | plan（全年计划）| rerun ID | ack ID", group(jobsActions)},
		{"problems", "需要处理的问题（与 /healthz 相同）：list | ack ID", group(problemsActions)},
		{"deliveries", "邮件队列：list | retry ID… | cancel ID…", group(deliveriesActions)},
		{"serve", "服务模式：定时轮询收件箱、催报、生成并发送报告（+ 网页）", runServe},
		{"user", "网页账号：add --name N --role admin|staff|leader | passwd --name N | list", group(userActions)},
	}
}

// run is the testable body of main. Usage errors are printed here, to stderr; help goes to stdout
// and is no error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	e := &env{stdout: stdout, stderr: stderr, version: Version, width: displayWidth(), tty: isTerminal(stderr)}
	err := runCommand(ctx, e, args)
	var u *usageError
	if errors.As(err, &u) {
		u.write(stderr)
	}
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

func runCommand(ctx context.Context, e *env, args []string) error {
	switch {
	case len(args) == 0:
		usage(e, e.stderr)
		return errUsage
	case isHelp(args[0]):
		if len(args) > 1 { // lingpao help jobs run = lingpao jobs run --help
			return runCommand(ctx, e, append(args[1:], "--help"))
		}
		usage(e, e.stdout)
		return nil
	case args[0] == "version" || args[0] == "--version":
		fmt.Fprintf(e.stdout, "lingpao %s\n", Version)
		return nil
	}
	var names []string
	for _, c := range commands() {
		if c.name == args[0] {
			// A full or read-only disk is said in Chinese, naming what is full, by every command.
			return lingpao.ExplainDisk(c.run(ctx, e.sub(c), args[1:]), "")
		}
		names = append(names, c.name)
	}
	msg := fmt.Sprintf("没有命令「%s」。", args[0])
	if strings.HasPrefix(args[0], "-") {
		msg = fmt.Sprintf("请先写命令，再写参数（%s）：如 lingpao status --period 2025-09。", args[0])
	} else if s := closest(args[0], names); s != "" {
		msg += fmt.Sprintf("是不是 %s？", s)
	}
	return e.usagef("<命令> [参数]", "%s", msg)
}

func usage(e *env, w io.Writer) {
	fmt.Fprintln(w, "lingpao（领跑）— 县域特色产业集群月调度、季通报、半年总结、年终考核")
	fmt.Fprintln(w, "\n用法：lingpao <命令> [参数]\n\n命令：")
	var rows [][]string
	for _, c := range commands() {
		rows = append(rows, []string{"  " + c.name, c.summary})
	}
	writeColumns(w, e.width, rows)
	fmt.Fprintln(w, "\n各命令的参数：lingpao <命令> --help（或 lingpao help <命令>）")
	fmt.Fprintln(w, "工作目录：--dir D，默认 $LINGPAO_DIR，否则当前目录。退出码：0 成功，1 出错，2 用法有误。")
}

// defaultDir is --dir's default: $LINGPAO_DIR, else the current directory.
func defaultDir() string {
	if d := os.Getenv("LINGPAO_DIR"); d != "" {
		return d
	}
	return "."
}
