package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"lingpao"
	"lingpao/sqlite"
	"lingpao/web"
)

const userSynopsis = "add --name N --role admin|staff|leader [--password-stdin] | passwd --name N [--password-stdin] | list  [--dir D]"

// runUser is `lingpao user`: the accounts of the staff web page.
func runUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "用法：lingpao user %s\n", userSynopsis)
		return errUsage
	}
	switch args[0] {
	case "add":
		return runUserAdd(ctx, e, args[1:])
	case "passwd":
		return runUserPasswd(ctx, e, args[1:])
	case "list":
		return runUserList(ctx, e, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintf(e.stderr, "用法：lingpao user %s\n", userSynopsis)
		return nil
	}
	fmt.Fprintf(e.stderr, "未知操作「%s」。用法：lingpao user %s\n", args[0], userSynopsis)
	return errUsage
}

// openStore opens the workspace's store without loading the catalog: accounts need nothing else.
func openStore(dir string) (*sqlite.DB, error) {
	cfg, err := lingpao.ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	return sqlite.Open(cfg.Path(lingpao.DBFile))
}

func runUserAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "user add", "--name N --role admin|staff|leader [--password-stdin] [--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	name := fs.String("name", "", "登录用户名，如 张科长")
	role := fs.String("role", "", "角色：admin（管理员）、staff（工作人员）或 leader（领导，只读）")
	fromStdin := fs.Bool("password-stdin", false, "从标准输入读取密码（第一行）；不加此参数则生成随机初始密码并显示一次")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" || *role == "" {
		fmt.Fprintln(e.stderr, "请用 --name 指定用户名，用 --role 指定角色。")
		fs.Usage()
		return errUsage
	}
	u := lingpao.User{Name: strings.TrimSpace(*name)}
	if err := lingpao.ValidateUserName(u.Name); err != nil {
		return err
	}
	r, err := lingpao.ParseRole(*role)
	if err != nil {
		return err
	}
	u.Role = r
	pw, hash, generated, err := password(u.Name, *fromStdin, os.Stdin)
	if err != nil {
		return err
	}
	db, err := openStore(*dir)
	if err != nil {
		return err
	}
	defer db.Close()
	// The password was chosen by whoever runs this, not by the account's owner: it must be changed at
	// the first login.
	u.MustChangePassword = true
	if err := db.CreateUser(ctx, &u, hash); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已建立账号「%s」（%s）。\n", u.Name, u.Role.Label())
	if generated {
		fmt.Fprintf(e.stdout, "初始密码：%s\n请妥善转交本人。此密码不会再次显示。\n", pw)
	}
	fmt.Fprintln(e.stdout, "这是一次性密码：首次登录时须设置本人的新密码。")
	return nil
}

func runUserPasswd(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "user passwd", "--name N [--password-stdin] [--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	name := fs.String("name", "", "登录用户名")
	fromStdin := fs.Bool("password-stdin", false, "从标准输入读取新密码（第一行）；不加此参数则生成随机密码并显示一次")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *name == "" {
		fmt.Fprintln(e.stderr, "请用 --name 指定用户名。")
		fs.Usage()
		return errUsage
	}
	db, err := openStore(*dir)
	if err != nil {
		return err
	}
	defer db.Close()
	u, _, err := db.FindUserByName(ctx, strings.TrimSpace(*name))
	if err != nil {
		return err
	}
	pw, hash, generated, err := password(u.Name, *fromStdin, os.Stdin)
	if err != nil {
		return err
	}
	if err := db.SetPassword(ctx, u.ID, hash, "", true); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已重设「%s」的密码，其所有登录已失效。\n", u.Name)
	if generated {
		fmt.Fprintf(e.stdout, "新密码：%s\n请妥善转交本人。此密码不会再次显示。\n", pw)
	}
	fmt.Fprintln(e.stdout, "这是一次性密码：下次登录时须设置本人的新密码。")
	return nil
}

func runUserList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "user list", "[--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	db, err := openStore(*dir)
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := db.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(e.stdout, "还没有账号：用 lingpao user add --name 姓名 --role admin 建立第一个管理员。")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "用户名\t角色\t建立时间\t状态")
	for _, u := range users {
		state := "正常"
		if u.Disabled {
			state = "已停用"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Name, u.Role.Label(), u.CreatedAt.In(lingpao.Beijing).Format("2006-01-02 15:04"), state)
	}
	return tw.Flush()
}

// password reads the password of the account called name from the first line of stdin, or makes a
// random one (generated true), and returns it with its hash. A password read must pass the password
// policy (lingpao.ValidatePassword).
func password(name string, fromStdin bool, stdin io.Reader) (pw, hash string, generated bool, err error) {
	if !fromStdin {
		for pw = randomPassword(); lingpao.ValidatePassword(name, pw) != nil; pw = randomPassword() {
		}
		generated = true
	} else {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", "", false, fmt.Errorf("read password: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", "", false, lingpao.Errorf(lingpao.EINVALID, "标准输入中没有密码：例如 echo '新密码' | lingpao user add … --password-stdin。")
		}
		if err := lingpao.ValidatePassword(name, pw); err != nil {
			return "", "", false, err
		}
	}
	hash, err = web.HashPassword(pw)
	return pw, hash, generated, err
}

// randomPassword returns 12 characters from an alphabet without look-alikes (0/O, 1/l/I).
func randomPassword() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	const limit = 256 - 256%len(alphabet) // bytes at or above it would favour the first letters
	out := make([]byte, 0, 12)
	buf := make([]byte, 32)
	for len(out) < cap(out) {
		if _, err := rand.Read(buf); err != nil {
			panic(err) // crypto/rand does not fail on supported platforms
		}
		for _, c := range buf {
			if int(c) < limit && len(out) < cap(out) {
				out = append(out, alphabet[int(c)%len(alphabet)])
			}
		}
	}
	return string(out)
}
