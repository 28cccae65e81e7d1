package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
)

func TestIngestCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	ctx := context.Background()
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"init", "--dir", dir}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	cfg, err := lingpao.ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Inbox.PollSeconds = 0.01
	b, _ := lingpao.MarshalConfig(cfg)
	os.WriteFile(cfg.Path(lingpao.ConfigFile), b, 0o644)
	os.WriteFile(cfg.Path(lingpao.InboxDir, "鹿泉区", "汇总.xlsx"), []byte("集群,营业收入\n"), 0o644)
	os.WriteFile(cfg.Path(lingpao.InboxDir, "鹿泉区", "~$汇总.xlsx"), []byte("lock"), 0o644)
	stdout.Reset()
	if err := run(ctx, []string{"ingest", "--dir", dir}, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	got := stdout.String()
	for _, want := range []string{"鹿泉区/汇总.xlsx", "已退回", "共 1 个文件：受理 0，退回 1，重复 0"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if _, err := os.Stat(cfg.Path(lingpao.InboxDir, "鹿泉区", "~$汇总.xlsx")); err != nil {
		t.Errorf("the lock file was touched: %v", err)
	}
}
