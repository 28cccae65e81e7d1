//go:build !windows

package main

import (
	"context"
	"io"

	"lingpao"
)

// runningAsService reports whether the process was started by the Windows service manager: never
// outside Windows.
func runningAsService() bool { return false }

func runAsService(name, dir string, serve func(ctx context.Context, log io.Writer) error) error {
	return serve(context.Background(), io.Discard)
}

func installService(name, dir string, args []string) error {
	return lingpao.Errorf(lingpao.EINVALID, "--install-service 只在 Windows 上可用。在 Linux 上请用 systemd 运行 lingpao serve（见 README 的“服务模式”一节）。")
}

func uninstallService(name string) error {
	return lingpao.Errorf(lingpao.EINVALID, "--uninstall-service 只在 Windows 上可用。")
}
