package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"os"
	"strings"

	"lingpao"
	"lingpao/sqlite"
	"lingpao/web"
)

// userActions are the actions of `lingpao user`: the accounts of the staff web page.
func userActions() []command {
	return []command{
		{"add", "建立账号：--name N --role admin|staff|leader；显示一次随机初始密码（或 --password-stdin）", runUserAdd},
		{"passwd", "重设账号的密码：--name N；其所有登录随之失效", runUserPasswd},
		{"list", "列出账号、角色和状态", runUserList},
	}
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
	f := newFlags(e, "--name N --role admin|staff|leader [--password-stdin] [--dir D]")
	dir := f.Dir()
	name := f.Check("name", "", "登录用户名，如 张科长", func(s string) error { return lingpao.ValidateUserName(strings.TrimSpace(s)) })
	role := define(f, "role", "", "角色：admin（管理员）、staff（工作人员）或 leader（领导，只读）", lingpao.ParseRole)
	fromStdin := f.Bool("password-stdin", false, "从标准输入读取密码（第一行）；不加此参数则生成随机初始密码并显示一次")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *name == "" || *role == "" {
		return f.usagef("请用 --name 指定用户名，用 --role 指定角色，如 lingpao user add --name 张科长 --role admin。")
	}
	u := lingpao.User{Name: strings.TrimSpace(*name), Role: *role}
	pw, hash, generated, err := password(*fromStdin, os.Stdin)
	if err != nil {
		return err
	}
	db, err := openStore(*dir)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateUser(ctx, &u, hash); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已建立账号「%s」（%s）。\n", u.Name, u.Role.Label())
	if generated {
		fmt.Fprintf(e.stdout, "初始密码：%s\n请妥善转交本人，登录后在“我的账号”中修改。此密码不会再次显示。\n", pw)
	}
	return nil
}

func runUserPasswd(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "--name N [--password-stdin] [--dir D]")
	dir := f.Dir()
	name := f.String("name", "", "登录用户名")
	fromStdin := f.Bool("password-stdin", false, "从标准输入读取新密码（第一行）；不加此参数则生成随机密码并显示一次")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return f.usagef("请用 --name 指定用户名，如 lingpao user passwd --name 张科长。")
	}
	pw, hash, generated, err := password(*fromStdin, os.Stdin)
	if err != nil {
		return err
	}
	db, err := openStore(*dir)
	if err != nil {
		return err
	}
	defer db.Close()
	u, _, err := db.FindUserByName(ctx, strings.TrimSpace(*name))
	if lingpao.ErrorCode(err) == lingpao.ENOTFOUND {
		return lingpao.Errorf(lingpao.ENOTFOUND, "没有名为「%s」的账号：用 lingpao user list 查看已有账号（注意用户名要完全一致），或用 lingpao user add --name %s --role staff 新建。",
			strings.TrimSpace(*name), strings.TrimSpace(*name))
	} else if err != nil {
		return err
	}
	if err := db.SetPassword(ctx, u.ID, hash, ""); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已重设「%s」的密码，其所有登录已失效。\n", u.Name)
	if generated {
		fmt.Fprintf(e.stdout, "新密码：%s\n请妥善转交本人，登录后在“我的账号”中修改。此密码不会再次显示。\n", pw)
	}
	return nil
}

func runUserList(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "[--dir D] [--format table|json]")
	dir := f.Dir()
	format := f.Format("table", "json")
	if _, err := f.parse(args); err != nil {
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
	if *format == "json" {
		type user struct {
			Name      string       `json:"name"`
			Role      lingpao.Role `json:"role"`
			RoleLabel string       `json:"role_label"`
			CreatedAt string       `json:"created_at"`
			Disabled  bool         `json:"disabled"`
		}
		out := make([]user, 0, len(users))
		for _, u := range users {
			out = append(out, user{u.Name, u.Role, u.Role.Label(), rfc3339(u.CreatedAt), u.Disabled})
		}
		return writeJSON(e.stdout, out)
	}
	if len(users) == 0 {
		fmt.Fprintln(e.stdout, "还没有账号：用 lingpao user add --name 姓名 --role admin 建立第一个管理员。")
		return nil
	}
	t := newTable("用户名", "角色", "建立时间", "状态")
	for _, u := range users {
		state := "正常"
		if u.Disabled {
			state = "已停用"
		}
		t.add(u.Name, u.Role.Label(), u.CreatedAt.In(lingpao.Beijing).Format("2006-01-02 15:04"), state)
	}
	return t.write(e.stdout, e.width)
}

// password reads the password from the first line of stdin, or makes a random one (generated true),
// and returns it with its hash.
func password(fromStdin bool, stdin io.Reader) (pw, hash string, generated bool, err error) {
	if !fromStdin {
		pw, generated = randomPassword(), true
	} else {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", "", false, fmt.Errorf("read password: %w", err)
		}
		pw = strings.TrimRight(line, "\r\n")
		if pw == "" {
			return "", "", false, lingpao.Errorf(lingpao.EINVALID, "标准输入中没有密码：例如 echo '新密码' | lingpao user add … --password-stdin。")
		}
		if err := lingpao.ValidatePassword(pw); err != nil {
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
