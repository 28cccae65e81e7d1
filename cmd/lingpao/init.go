package main

import (
	"context"
	"fmt"

	"lingpao"
	"lingpao/jobs"
)

// runInit creates a workspace.
func runInit(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "[--dir D]")
	dir := f.Dir()
	if _, err := f.parse(args); err != nil {
		return err
	}
	cfg, err := jobs.Init(*dir)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已创建工作目录 %s：\n", cfg.Dir)
	var rows [][]string
	for _, p := range []struct{ name, what string }{
		{lingpao.ConfigFile, "配置（本市、发文单位、截止日、模板密钥）"},
		{lingpao.InboxDir + "/", "收件箱：各县（市、区）把报表放入自己的子文件夹"},
		{lingpao.ArchiveDir + "/", "原件存档（按 SHA-256 保存，永不删除）"},
		{lingpao.ReceiptsDir + "/", "回执：按县（市、区）分文件夹"},
		{lingpao.OutboxDir + "/", "生成的报告"},
		{lingpao.DBFile, "数据库"},
	} {
		rows = append(rows, []string{"  " + p.name, p.what})
	}
	writeColumns(e.stdout, e.width, rows)
	fmt.Fprintf(e.stdout, "\n下一步：lingpao template --dir %s --period 2025-09 --all --out 模板  生成各县报表模板。\n", cfg.Dir)
	return nil
}
