package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// runMain runs the command line as main does: the exit code and what went to stdout and stderr.
func runMain(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	code = exitCode(err, &errb)
	return code, out.String(), errb.String()
}

// goFlagPhrases are what the flag package prints in English; none may reach the user.
var goFlagPhrases = []string{"flag provided but not defined", "flag needs an argument", "invalid value", "invalid boolean",
	"bad flag syntax", "Usage of", "help requested", "usage:", "no such flag", "parse error", "out of range"}

// goFlagName is a flag written the flag package's way, -dir: ours are written --dir.
var goFlagName = regexp.MustCompile(`(^|[\s:：])-[a-z]{2,}`)

func checkChinese(t *testing.T, what, s string) {
	t.Helper()
	for _, p := range goFlagPhrases {
		if strings.Contains(s, p) {
			t.Errorf("%s: English flag text %q:\n%s", what, p, s)
		}
	}
	if m := goFlagName.FindString(s); m != "" {
		t.Errorf("%s: a flag written %q, not --name:\n%s", what, m, s)
	}
	han := false
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han = true
			break
		}
	}
	if !han {
		t.Errorf("%s: no Chinese in %q", what, s)
	}
}

// TestCommandLineContract runs every command and action with --help, -h, an undefined flag, a flag
// without its value, a bad value and an extra argument, and checks the exit code (0 help, 2 usage),
// where the text goes, that it is Chinese, names the flag and the command and points at the help.
func TestCommandLineContract(t *testing.T) {
	t.Chdir(t.TempDir()) // nothing a refused command line does may write anywhere
	for _, c := range []struct {
		path []string // the command and its action
		pos  []string // the positional arguments it takes
		bad  []string // a flag with a value refused before anything runs; nil when it has none
		want string   // in the bad value's message
	}{
		{[]string{"init"}, nil, []string{"--dir="}, "工作目录不能为空"},
		{[]string{"demo"}, nil, []string{"--months", "13"}, "1 至 12"},
		{[]string{"template"}, nil, []string{"--period", "2025Q3"}, "月份"},
		{[]string{"ingest"}, nil, []string{"--format", "xml"}, "table、json"},
		{[]string{"status"}, nil, []string{"--period", "2025-13"}, "期间「2025-13」格式不对"},
		{[]string{"report", "monthly"}, nil, []string{"--period", "2025Q3"}, "月份"},
		{[]string{"report", "quarterly"}, nil, []string{"--format", "docx"}, "xlsx、pdf"},
		{[]string{"report", "half"}, nil, []string{"--period", "2025"}, "半年"},
		{[]string{"report", "annual"}, nil, []string{"--cutoff", "十月"}, "--cutoff「十月」格式不对"},
		{[]string{"report", "scorecard"}, nil, []string{"--all=maybe"}, "true 或 false"},
		{[]string{"targets", "list"}, nil, []string{"--format", "xml"}, "table、csv、json"},
		{[]string{"targets", "export"}, []string{"分解表.xlsx"}, []string{"--from", "二〇二五"}, "整数"},
		{[]string{"targets", "import"}, []string{"分解表.xlsx"}, []string{"--format", "csv"}, "table、json"},
		{[]string{"targets", "versions"}, nil, []string{"--format", "csv"}, "table、json"},
		{[]string{"jobs", "list"}, nil, []string{"--now", "明天"}, "--now「明天」格式不对"},
		{[]string{"jobs", "run"}, []string{"monthly"}, []string{"--now", "2025-13-08T09:00"}, "2025-10-08T09:00"},
		{[]string{"serve"}, nil, []string{"--addr", "999.1.1.1:80"}, "「999.1.1.1」不是有效的 IP 地址"},
		{[]string{"user", "add"}, nil, []string{"--role", "boss"}, "角色「boss」不存在"},
		{[]string{"user", "passwd"}, nil, []string{"--password-stdin=2"}, "true 或 false"},
		{[]string{"user", "list"}, nil, []string{"--format", "yaml"}, "table、json"},
	} {
		cmd := strings.Join(c.path, " ")
		t.Run(cmd, func(t *testing.T) {
			for _, h := range []string{"--help", "-h", "-help"} {
				code, stdout, stderr := runMain(t, append(c.path, h)...)
				if code != 0 || !strings.HasPrefix(stdout, "用法：lingpao "+cmd) || stderr != "" {
					t.Errorf("%s %s: exit %d, stdout %q, stderr %q; want 0 and the help on stdout", cmd, h, code, stdout, stderr)
				}
				checkChinese(t, cmd+" "+h, stdout)
				if !strings.Contains(stdout, "--dir") {
					t.Errorf("%s %s: the help does not list --dir:\n%s", cmd, h, stdout)
				}
			}
			usage := func(what string, args []string, want ...string) {
				t.Helper()
				code, stdout, stderr := runMain(t, append(append(append([]string{}, c.path...), c.pos...), args...)...)
				if code != 2 || stdout != "" {
					t.Errorf("%s %s: exit %d, stdout %q; want 2 and nothing on stdout", cmd, what, code, stdout)
				}
				checkChinese(t, cmd+" "+what, stderr)
				for _, w := range append(want, "lingpao "+cmd+" --help") {
					if !strings.Contains(stderr, w) {
						t.Errorf("%s %s: stderr lacks %q:\n%s", cmd, what, w, stderr)
					}
				}
			}
			usage("an undefined flag", []string{"--bogus"}, "lingpao "+cmd+" 没有参数 --bogus")
			usage("an undefined flag with a value", []string{"-bogus=1"}, "没有参数 --bogus")
			usage("a flag without its value", []string{"--dir"}, "lingpao "+cmd+" 的参数 --dir 缺少值")
			usage("a flag followed by a flag", []string{"--dir", "--help"}, "--dir 缺少值")
			usage("an extra argument", []string{"多余"}, "多余", "「多余」")
			if c.bad != nil {
				usage("a bad value", c.bad, c.want, "lingpao "+cmd+" 的参数 "+strings.SplitN(c.bad[0], "=", 2)[0])
			}
			if entries, _ := os.ReadDir("."); len(entries) > 0 {
				t.Fatalf("%s: a refused command line wrote %v", cmd, entries)
			}
		})
	}
}

func TestCommandGroups(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		out  string // on stdout
		err  string // on stderr
	}{
		{[]string{"--help"}, 0, "用法：lingpao <命令>", ""},
		{[]string{"help"}, 0, "各命令的参数", ""},
		{[]string{"help", "jobs", "run"}, 0, "用法：lingpao jobs run NAME", ""},
		{nil, 2, "", "用法：lingpao <命令>"},
		{[]string{"statu"}, 2, "", "没有命令「statu」。是不是 status？"},
		{[]string{"--dir", "x"}, 2, "", "请先写命令"},
		{[]string{"version"}, 0, "lingpao ", ""},
		{[]string{"jobs"}, 2, "", "lingpao jobs 要跟一个操作：list、run"},
		{[]string{"jobs", "--help"}, 0, "用法：lingpao jobs <操作>", ""},
		{[]string{"jobs", "lst"}, 2, "", "是不是 list？"},
		{[]string{"jobs", "--now", "2025-10-08T09:00", "list"}, 2, "", "请先写操作"},
		{[]string{"report"}, 2, "", "monthly、quarterly、half、annual、scorecard"},
		{[]string{"report", "weekly", "--period", "2025-09"}, 2, "", "lingpao report 没有「weekly」这个操作"},
		{[]string{"report", "-h"}, 0, "scorecard", ""},
		{[]string{"report", "monthly", "--county", "鹿泉区"}, 2, "", "lingpao report monthly 没有参数 --county"},
		{[]string{"report", "monthly"}, 2, "", "请用 --period 指定期间"},
		{[]string{"report", "scorecard", "--period", "2025-09", "--county", "鹿泉区", "--all"}, 2, "", "--county 和 --all 只能用一个"},
		{[]string{"targets", "export"}, 2, "", "lingpao targets export 缺少 FILE"},
		{[]string{"targets", "export", "a.xlsx", "b.xlsx"}, 2, "", "多余的参数「b.xlsx」"},
		{[]string{"targets", "export", "a.csv"}, 2, "", "请存为 .xlsx"},
		{[]string{"targets", "list", "--perod", "x"}, 2, "", "没有参数 --perod"},
		{[]string{"status", "--perod", "2025-09"}, 2, "", "是不是 --period？"},
		{[]string{"status"}, 2, "", "请用 --period 指定期间"},
		{[]string{"template", "--period", "2025-09"}, 2, "", "请用 --county 指定"},
		{[]string{"template", "--period", "2025-09", "--all", "--county", "鹿泉区"}, 2, "", "只能用一个"},
		{[]string{"jobs", "run"}, 2, "", "lingpao jobs run 缺少 NAME"},
		{[]string{"user"}, 2, "", "add、passwd、list"},
		{[]string{"user", "add", "--name", "张科长"}, 2, "", "用 --role 指定角色"},
		{[]string{"user", "add", "--name", "李 干事", "--role", "staff"}, 2, "", "不能含空格"},
		{[]string{"user", "passwd"}, 2, "", "请用 --name 指定用户名"},
		{[]string{"serve", "--addr", "localhost:65536"}, 2, "", "端口「65536」不对"},
		{[]string{"serve", "--addr", "8080"}, 2, "", "主机:端口"},
		{[]string{"status", "---period", "2025-09"}, 2, "", "不是参数的写法"},
	} {
		t.Chdir(t.TempDir())
		code, stdout, stderr := runMain(t, c.args...)
		if code != c.code || !strings.Contains(stdout, c.out) || !strings.Contains(stderr, c.err) || (c.out == "") != (stdout == "") {
			t.Errorf("lingpao %s: exit %d, stdout %q, stderr %q; want %d, %q, %q", strings.Join(c.args, " "), code, stdout, stderr, c.code, c.out, c.err)
		}
		if len(c.args) == 0 || c.args[0] != "version" {
			checkChinese(t, strings.Join(c.args, " "), stdout+stderr)
		}
	}
}

// Flags and positional arguments may come in any order, and -x is --x.
func TestFlagsAnyOrder(t *testing.T) {
	t.Chdir(t.TempDir())
	dir := filepath.Join(t.TempDir(), "ws")
	for _, args := range [][]string{
		{"init", "-dir", dir},
		{"targets", "export", "--dir", dir, "a.xlsx", "--from=2025"},
		{"targets", "export", "b.xlsx", "-dir=" + dir},
		{"targets", "export", "--dir", dir, "--", "-c.xlsx"},
	} {
		if code, _, stderr := runMain(t, args...); code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
	for _, f := range []string{"a.xlsx", "b.xlsx", "-c.xlsx"} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s not written: %v", f, err)
		}
	}
}

func TestCheckListenAddr(t *testing.T) {
	for addr, ok := range map[string]bool{
		"127.0.0.1:8080": true, ":8080": true, "0.0.0.0:80": true, "[::1]:8080": true, "localhost:8080": true,
		"lingpao.example.gov.cn:443": true, "off": true,
		"999.1.1.1:80": false, "1.2.3:80": false, "127.0.0.1": false, "127.0.0.1:http": false, "127.0.0.1:-1": false,
		"127.0.0.1:70000": false, "foo_bar:80": false, "[::1:8080": false, "::1:8080": false,
	} {
		if err := checkListenAddr(addr); (err == nil) != ok {
			t.Errorf("checkListenAddr(%q) = %v, want ok %v", addr, err, ok)
		}
	}
}
