package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"lingpao"
	"lingpao/jobs"
)

// This file is the plumbing every subcommand shares: its flags, read with Chinese messages; --help;
// the count of its arguments; --dir and opening the workspace; usage errors (exit code 2); and the
// dispatch of commands that take an action (jobs list, user add …).

// errUsage is matched (errors.Is) by every usage error: exit code 2, the message printed already.
var errUsage = errors.New("usage")

// errHelp ends a command whose help was asked for and printed: exit code 0.
var errHelp = errors.New("help")

// usageError is a mistake in how a command was called. run prints it with the command's synopsis
// and where its help is; the exit code is 2. Its chain holds a lingpao.Error (EINVALID) with the
// message, so ErrorMessage works on it too.
type usageError struct {
	path, synopsis string
	err            *lingpao.Error
}

func (u *usageError) Error() string        { return "usage: " + u.err.Message }
func (u *usageError) Unwrap() error        { return u.err }
func (u *usageError) Is(target error) bool { return target == errUsage }

// write prints the error for the user: what is wrong, the synopsis, where the help is.
func (u *usageError) write(w io.Writer) {
	fmt.Fprintf(w, "错误：%s\n", u.err.Message)
	cmd := strings.TrimSpace("lingpao " + u.path)
	if u.synopsis != "" {
		fmt.Fprintf(w, "用法：%s %s\n", cmd, u.synopsis)
	}
	fmt.Fprintf(w, "查看说明：%s --help\n", cmd)
}

// command is a subcommand, or an action of one (jobs list). run gets the process's environment with
// the command's path and summary set, and the arguments after its name.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// sub returns the environment of command c under e.
func (e *env) sub(c command) *env {
	s := *e
	s.path = strings.TrimSpace(e.path + " " + c.name)
	s.about = c.summary
	return &s
}

// usagef returns a usage error of the command e runs, with synopsis.
func (e *env) usagef(synopsis, format string, args ...any) error {
	return &usageError{path: e.path, synopsis: synopsis, err: lingpao.Errorf(lingpao.EINVALID, format, args...)}
}

func isHelp(arg string) bool {
	switch arg {
	case "-h", "--help", "-help", "help":
		return true
	}
	return false
}

// group returns the runner of a command made of actions (`lingpao jobs list`, `lingpao jobs run`):
// the first argument names the action, --help lists them.
func group(actions func() []command) func(ctx context.Context, e *env, args []string) error {
	return func(ctx context.Context, e *env, args []string) error {
		cmds := actions()
		var names []string
		for _, c := range cmds {
			names = append(names, c.name)
		}
		synopsis := strings.Join(names, "|") + " [参数]"
		switch {
		case len(args) == 0:
			return e.usagef(synopsis, "lingpao %s 要跟一个操作：%s。", e.path, strings.Join(names, "、"))
		case isHelp(args[0]):
			writeGroupHelp(e, cmds)
			return errHelp
		case strings.HasPrefix(args[0], "-"):
			return e.usagef(synopsis, "请先写操作（%s），再写参数：如 lingpao %s %s %s。", strings.Join(names, "、"), e.path, names[0], args[0])
		}
		for _, c := range cmds {
			if c.name == args[0] {
				return c.run(ctx, e.sub(c), args[1:])
			}
		}
		msg := fmt.Sprintf("lingpao %s 没有「%s」这个操作：可用 %s。", e.path, args[0], strings.Join(names, "、"))
		if s := closest(args[0], names); s != "" {
			msg += fmt.Sprintf("是不是 %s？", s)
		}
		return e.usagef(synopsis, "%s", msg)
	}
}

func writeGroupHelp(e *env, cmds []command) {
	fmt.Fprintf(e.stdout, "用法：lingpao %s <操作> [参数]\n", e.path)
	if e.about != "" {
		fmt.Fprintf(e.stdout, "\n%s\n", e.about)
	}
	fmt.Fprintln(e.stdout, "\n操作：")
	rows := make([][]string, 0, len(cmds))
	for _, c := range cmds {
		rows = append(rows, []string{"  " + c.name, c.summary})
	}
	writeColumns(e.stdout, e.width, rows)
	fmt.Fprintf(e.stdout, "\n各操作的参数：lingpao %s <操作> --help\n", e.path)
}

// flags are a command's flags. The flag.FlagSet holds their definitions; parse reads the command
// line itself, so that every mistake is answered in Chinese, names the flag and the command, and is a
// usage error. Flags and positional arguments may come in any order; -x and --x are the same flag;
// "--" ends the flags.
type flags struct {
	*flag.FlagSet
	e        *env
	synopsis string
	dir      *string
}

// newFlags returns the flags of the command e runs; synopsis is its usage after the command's name,
// as help and usage errors show it.
func newFlags(e *env, synopsis string) *flags {
	fs := flag.NewFlagSet(e.path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flags{FlagSet: fs, e: e, synopsis: synopsis}
}

// usagef returns a usage error of the command.
func (f *flags) usagef(format string, args ...any) error {
	return f.e.usagef(f.synopsis, format, args...)
}

// Dir defines --dir, the workspace: $LINGPAO_DIR, else the current directory.
func (f *flags) Dir() *string {
	f.dir = f.Check("dir", defaultDir(), "工作目录（默认 $LINGPAO_DIR，否则当前目录）", func(s string) error {
		if strings.TrimSpace(s) == "" {
			return lingpao.Errorf(lingpao.EINVALID, "工作目录不能为空：如 --dir /srv/lingpao；当前目录写 --dir .。")
		}
		return nil
	})
	return f.dir
}

// open opens the workspace of --dir.
func (f *flags) open(ctx context.Context) (*jobs.Workspace, error) {
	return jobs.Open(ctx, *f.dir, f.e.version)
}

// checked is a flag whose value is checked as it is set: check returns the value to keep or a
// lingpao.Error saying what is wrong.
type checked[T any] struct {
	v     *T
	text  string
	check func(string) (T, error)
}

func (c *checked[T]) String() string { return c.text }
func (c *checked[T]) Set(s string) error {
	v, err := c.check(s)
	if err != nil {
		return err
	}
	*c.v, c.text = v, s
	return nil
}

// define defines flag name with check; def, when not "", is its default (checked too).
func define[T any](f *flags, name, def, usage string, check func(string) (T, error)) *T {
	v := new(T)
	c := &checked[T]{v: v, check: check}
	if def != "" {
		if err := c.Set(def); err != nil {
			panic(fmt.Sprintf("flag --%s: default %q: %v", name, def, err))
		}
	}
	f.Var(c, name, usage)
	return v
}

// Enum defines a string flag that takes one of allowed.
func (f *flags) Enum(name, def, usage string, allowed ...string) *string {
	return define(f, name, def, usage, func(s string) (string, error) {
		if slices.Contains(allowed, s) {
			return s, nil
		}
		return "", lingpao.Errorf(lingpao.EINVALID, "可选 %s。", strings.Join(allowed, "、"))
	})
}

// Format defines --format, the output format: def or one of the others.
func (f *flags) Format(def string, others ...string) *string {
	all := append([]string{def}, others...)
	return f.Enum("format", def, fmt.Sprintf("输出格式：%s", strings.Join(all, " 或 ")), all...)
}

// Check defines a string flag whose value check accepts.
func (f *flags) Check(name, def, usage string, check func(string) error) *string {
	return define(f, name, def, usage, func(s string) (string, error) { return s, check(s) })
}

// Period defines a period flag (2025-09, 2025Q3, 2025H1, 2025) of one of kinds (any when none);
// unset, it is the zero period.
func (f *flags) Period(name, def, usage string, kinds ...lingpao.PeriodKind) *lingpao.Period {
	return define(f, name, def, usage, func(s string) (lingpao.Period, error) {
		p, err := lingpao.ParsePeriod(s)
		if err != nil {
			return p, err
		}
		if len(kinds) > 0 && !slices.Contains(kinds, p.Kind) {
			return p, lingpao.Errorf(lingpao.EINVALID, "这里要%s，如 %s。", periodKindsText(kinds), periodExample(kinds[0]))
		}
		return p, nil
	})
}

// Time defines a time flag read by parse; unset, it is the zero time.
func (f *flags) Time(name, usage string, parse func(string) (time.Time, error)) *time.Time {
	return define(f, name, "", usage, parse)
}

// IntRange defines an integer flag from lo to hi.
func (f *flags) IntRange(name string, def, lo, hi int, usage string) *int {
	return define(f, name, strconv.Itoa(def), usage, func(s string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < lo || n > hi {
			return 0, lingpao.Errorf(lingpao.EINVALID, "应为 %d 至 %d 的整数。", lo, hi)
		}
		return n, nil
	})
}

var periodKindNames = map[lingpao.PeriodKind]string{lingpao.Month: "月份", lingpao.Quarter: "季度", lingpao.Half: "半年", lingpao.Year: "年份"}

func periodKindsText(kinds []lingpao.PeriodKind) string {
	var s []string
	for _, k := range kinds {
		s = append(s, periodKindNames[k])
	}
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], "、") + "或" + s[len(s)-1]
}

func periodExample(k lingpao.PeriodKind) string {
	return map[lingpao.PeriodKind]string{lingpao.Month: "2025-09", lingpao.Quarter: "2025Q3", lingpao.Half: "2025H1", lingpao.Year: "2025"}[k]
}

// parse reads args: the flags, and as many positional arguments as names (FILE, NAME …), each
// required. --help prints the help to stdout and returns errHelp.
func (f *flags) parse(args []string, names ...string) ([]string, error) {
	var pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		body := strings.TrimPrefix(a[1:], "-")
		name, value, hasValue := strings.Cut(body, "=")
		if name == "" || name[0] == '-' {
			return nil, f.usagef("「%s」不是参数的写法：参数写成 --名称 值 或 --名称=值。", a)
		}
		fl := f.Lookup(name)
		if fl == nil {
			if name == "h" || name == "help" {
				f.help(f.e.stdout)
				return nil, errHelp
			}
			return nil, f.unknown(name)
		}
		if isBoolFlag(fl) {
			if !hasValue {
				value = "true"
			}
		} else if !hasValue {
			if i+1 == len(args) || f.isFlag(args[i+1]) {
				return nil, f.usagef("lingpao %s 的参数 --%s 缺少值：应写成 --%s %s。", f.e.path, name, name, f.placeholder(fl))
			}
			i++
			value = args[i]
		}
		if err := f.Set(name, value); err != nil {
			problem := valueProblem(fl, err)
			if strings.Contains(problem, "「"+value+"」") { // the problem names the value itself
				return nil, f.usagef("lingpao %s 的参数 --%s 有误：%s", f.e.path, name, problem)
			}
			return nil, f.usagef("lingpao %s 的参数 --%s 的值「%s」不对：%s", f.e.path, name, value, problem)
		}
	}
	switch {
	case len(pos) > len(names):
		extra := pos[len(names):]
		if len(names) == 0 {
			return nil, f.usagef("lingpao %s 不需要「%s」：多余的参数。", f.e.path, strings.Join(extra, " "))
		}
		return nil, f.usagef("多余的参数「%s」：lingpao %s 只需要 %s。", strings.Join(extra, " "), f.e.path, strings.Join(names, " "))
	case len(pos) < len(names):
		return nil, f.usagef("lingpao %s 缺少 %s。", f.e.path, names[len(pos)])
	}
	return pos, nil
}

// unknown is the error for an undefined flag, with the nearest defined name when there is one.
func (f *flags) unknown(name string) error {
	var defined []string
	f.VisitAll(func(fl *flag.Flag) { defined = append(defined, fl.Name) })
	msg := fmt.Sprintf("lingpao %s 没有参数 --%s。", f.e.path, name)
	if s := closest(name, defined); s != "" {
		msg += fmt.Sprintf("是不是 --%s？", s)
	} else if len(defined) == 0 {
		msg = fmt.Sprintf("lingpao %s 不需要参数（--%s）。", f.e.path, name)
	}
	return f.usagef("%s", msg)
}

// isFlag reports whether arg names one of the flags: then it is not the value of the flag before it
// (--dir --period 2025-09 is a --dir without its value, not a directory named --period).
func (f *flags) isFlag(arg string) bool {
	if !strings.HasPrefix(arg, "-") || len(arg) < 2 {
		return false
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(arg[1:], "-"), "=")
	return strings.HasPrefix(arg, "--") || f.Lookup(name) != nil || name == "h" || name == "help"
}

// placeholder is the name the synopsis gives flag fl's value (--period P → P), else 值.
func (f *flags) placeholder(fl *flag.Flag) string {
	s := f.synopsis
	for {
		i := strings.Index(s, "--"+fl.Name+" ")
		if i < 0 {
			return "值"
		}
		rest := s[i+len(fl.Name)+3:]
		if i > 0 && s[i-1] != ' ' && s[i-1] != '[' && s[i-1] != '(' && s[i-1] != '|' {
			s = rest
			continue
		}
		end := strings.IndexAny(rest, " ]")
		if end < 0 {
			end = len(rest)
		}
		if end == 0 {
			return "值"
		}
		return rest[:end]
	}
}

type boolFlag interface{ IsBoolFlag() bool }

func isBoolFlag(fl *flag.Flag) bool {
	b, ok := fl.Value.(boolFlag)
	return ok && b.IsBoolFlag()
}

// valueProblem says in Chinese why a flag's value was refused: the message of a lingpao.Error, or
// what the flag's type takes.
func valueProblem(fl *flag.Flag, err error) string {
	if lingpao.ErrorCode(err) != lingpao.EINTERNAL {
		return lingpao.ErrorMessage(err)
	}
	if g, ok := fl.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case bool:
			return "应为 true 或 false（只写 --" + fl.Name + " 即为 true）。"
		case int, int64:
			return "应为整数。"
		case uint, uint64:
			return "应为非负整数。"
		case float64:
			return "应为数字。"
		case time.Duration:
			return "应为时长，如 30s、10m、2h。"
		}
	}
	return "格式不对。"
}

// help prints the command's help: usage, what it does, its flags.
func (f *flags) help(w io.Writer) {
	fmt.Fprintf(w, "用法：lingpao %s %s\n", f.e.path, f.synopsis)
	if f.e.about != "" {
		fmt.Fprintf(w, "\n%s\n", f.e.about)
	}
	// The flags in the order of the synopsis, then the others by name.
	var all []*flag.Flag
	f.VisitAll(func(fl *flag.Flag) { all = append(all, fl) })
	at := func(fl *flag.Flag) int {
		if i := strings.Index(f.synopsis, "--"+fl.Name); i >= 0 {
			return i
		}
		return len(f.synopsis)
	}
	slices.SortStableFunc(all, func(a, b *flag.Flag) int { return at(a) - at(b) })
	var rows [][]string
	for _, fl := range all {
		name := "  --" + fl.Name
		if !isBoolFlag(fl) {
			name += " " + f.placeholder(fl)
		}
		usage := fl.Usage
		if fl.DefValue != "" && fl.DefValue != "false" && fl.DefValue != "0" && !strings.Contains(usage, "默认") {
			usage += "（默认 " + fl.DefValue + "）"
		}
		rows = append(rows, []string{name, usage})
	}
	if len(rows) > 0 {
		fmt.Fprintln(w, "\n参数：")
		writeColumns(w, f.e.width, rows)
	}
	fmt.Fprintln(w, "\n退出码：0 成功，1 出错，2 用法有误。")
}

// closest returns the word of words nearest to s (at most two edits, or a prefix), or "".
func closest(s string, words []string) string {
	best, bestD := "", 3
	for _, w := range words {
		d := editDistance(s, w)
		if strings.HasPrefix(w, s) && len(s) >= 2 {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = w, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}
