//go:build windows

package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/svc"
	"golang.org/x/sys/windows/svc/mgr"

	"lingpao"
)

// runningAsService reports whether the process was started by the Windows service manager.
func runningAsService() bool {
	ok, err := svc.IsWindowsService()
	return err == nil && ok
}

// runAsService runs serve under the service manager: it reports the service running, and on Stop or
// Shutdown cancels serve's context and reports StopPending (with the drain as wait hint) until serve
// has let the running job finish. The log goes to logs/serve.log in the workspace, as a service has
// no console.
func runAsService(name, dir string, serve func(ctx context.Context, log io.Writer) error) error {
	logDir := filepath.Join(dir, "logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(logDir, "serve.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	h := &serviceHandler{serve: serve, log: f}
	if err := svc.Run(name, h); err != nil {
		return err
	}
	return h.err
}

type serviceHandler struct {
	serve func(ctx context.Context, log io.Writer) error
	log   io.Writer
	err   error
}

// Execute is the service's life: start serve, answer the manager, stop gracefully.
func (h *serviceHandler) Execute(_ []string, req <-chan svc.ChangeRequest, status chan<- svc.Status) (bool, uint32) {
	status <- svc.Status{State: svc.StartPending}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- h.serve(ctx, h.log) }()
	status <- svc.Status{State: svc.Running, Accepts: svc.AcceptStop | svc.AcceptShutdown}
	for {
		select {
		case err := <-done:
			h.err = err
			if err != nil {
				return true, 1
			}
			return false, 0
		case c := <-req:
			switch c.Cmd {
			case svc.Interrogate:
				status <- c.CurrentStatus
			case svc.Stop, svc.Shutdown:
				status <- svc.Status{State: svc.StopPending, WaitHint: uint32((45 * time.Second).Milliseconds())}
				cancel()
				h.err = <-done
				if h.err != nil {
					return true, 1
				}
				return false, 0
			}
		}
	}
}

// installService registers lingpao serve with args as an automatic Windows service that restarts
// after a crash.
func installService(name, dir string, args []string) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	m, err := mgr.Connect()
	if err != nil {
		return lingpao.Errorf(lingpao.EINVALID, "无法连接 Windows 服务管理器（%v）：请以管理员身份运行命令提示符后重试。", err)
	}
	defer m.Disconnect()
	if s, err := m.OpenService(name); err == nil {
		s.Close()
		return lingpao.Errorf(lingpao.ECONFLICT, "Windows 服务「%s」已存在：如需重新注册，请先运行 lingpao serve --uninstall-service --service-name %s。", name, name)
	}
	s, err := m.CreateService(name, exe, mgr.Config{
		DisplayName: "lingpao 领跑（" + filepath.Base(dir) + "）",
		Description: "县域特色产业集群月调度、季通报：轮询收件箱、催报、生成并发送报告。工作目录 " + dir,
		StartType:   mgr.StartAutomatic,
	}, args...)
	if err != nil {
		if errors.Is(err, windows.ERROR_ACCESS_DENIED) {
			return lingpao.Errorf(lingpao.EINVALID, "没有权限注册 Windows 服务：请以管理员身份运行命令提示符后重试。")
		}
		return err
	}
	defer s.Close()
	return s.SetRecoveryActions([]mgr.RecoveryAction{{Type: mgr.ServiceRestart, Delay: time.Minute}}, uint32((24 * time.Hour).Seconds()))
}

// uninstallService removes the service.
func uninstallService(name string) error {
	m, err := mgr.Connect()
	if err != nil {
		return lingpao.Errorf(lingpao.EINVALID, "无法连接 Windows 服务管理器（%v）：请以管理员身份运行命令提示符后重试。", err)
	}
	defer m.Disconnect()
	s, err := m.OpenService(name)
	if err != nil {
		return lingpao.Errorf(lingpao.ENOTFOUND, "没有名为「%s」的 Windows 服务。", name)
	}
	defer s.Close()
	return s.Delete()
}
