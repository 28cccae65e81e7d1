package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"lingpao"
	"lingpao/jobs"
	"lingpao/scheduler"
	"lingpao/web"
)

// runServe runs service mode: the scheduler (inbox poll, 催报, reports, mail) and the HTTP listener
// (the web page and /healthz), until SIGINT or SIGTERM (or, as a Windows service,
// until the service is stopped); then it lets the jobs in progress finish — for at most --drain — and
// exits. On Windows, --install-service registers it as a service that starts with the machine.
func runServe(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "[--addr 127.0.0.1:8080] [--dir D] [--secure-cookies] [--allowed-hosts H,…] [--drain 30s] [--install-service | --uninstall-service] [--service-name lingpao]")
	dir := f.Dir()
	addr := f.Check("addr", "127.0.0.1:8080", "网页与健康检查（/healthz）的监听地址 主机:端口；off 表示不监听", checkListenAddr)
	secure := f.Bool("secure-cookies", false, "登录 Cookie 只经 HTTPS 发送：在前面有 HTTPS 反向代理时打开")
	hostList := f.String("allowed-hosts", "", "网页只接受以这些主机名访问（逗号分隔，如 lingpao.example.gov.cn,10.1.2.3），防止 DNS 重绑定；默认取 lingpao.yaml 的 web.allowed_hosts")
	drain := f.Duration("drain", scheduler.DefaultDrain, "停止时最多等待正在运行的任务多久（邮件在两封之间停下，报告写完），如 30s")
	install := f.Bool("install-service", false, "Windows：把 lingpao serve（连同 --dir、--addr 等参数）注册为开机自动启动的 Windows 服务")
	uninstall := f.Bool("uninstall-service", false, "Windows：删除已注册的 Windows 服务")
	name := f.String("service-name", "lingpao", "Windows 服务名（同一台机器上有多个工作目录时各用一个）")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if *drain < time.Second || *drain > 10*time.Minute {
		return f.usagef("lingpao serve 的参数 --drain 应在 1s 到 10m 之间，如 30s。")
	}
	switch {
	case *install:
		abs, err := filepath.Abs(*dir)
		if err != nil {
			return err
		}
		if _, err := lingpao.ReadConfig(abs); err != nil {
			return err
		}
		svcArgs := []string{"serve", "--dir", abs, "--addr", *addr, "--drain", drain.String(), "--service-name", *name}
		if *secure {
			svcArgs = append(svcArgs, "--secure-cookies")
		}
		if *hostList != "" {
			svcArgs = append(svcArgs, "--allowed-hosts", *hostList)
		}
		if err := installService(*name, abs, svcArgs); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "已注册 Windows 服务「%s」（工作目录 %s），开机自动启动；日志写入 %s。\n立即启动：sc start %s；停止：sc stop %s；删除：lingpao serve --uninstall-service --service-name %s\n",
			*name, abs, filepath.Join(abs, "logs", "serve.log"), *name, *name, *name)
		return nil
	case *uninstall:
		if err := uninstallService(*name); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "已删除 Windows 服务「%s」。\n", *name)
		return nil
	}
	o := serveOptions{dir: *dir, addr: *addr, secure: *secure, hosts: *hostList, drain: *drain}
	if runningAsService() {
		return runAsService(*name, *dir, func(ctx context.Context, log io.Writer) error {
			return serve(ctx, e, o, log)
		})
	}
	return serve(ctx, e, o, e.stderr)
}

// serveOptions are serve's flags.
type serveOptions struct {
	dir, addr string
	secure    bool
	hosts     string // --allowed-hosts
	drain     time.Duration
}

// serve is service mode until ctx is cancelled, logging to logw.
func serve(ctx context.Context, e *env, o serveOptions, logw io.Writer) error {
	log := newLogger(logw)
	w, err := jobs.Open(ctx, o.dir, e.version)
	if err != nil {
		return err
	}
	defer w.Close()
	holder := scheduler.ThisProcess("lingpao serve", time.Now())
	lock, err := scheduler.LockServe(o.dir, holder)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	// Listen before anything is recorded or announced: a taken port fails here, with nothing armed.
	var ln net.Listener
	if o.addr != "off" && o.addr != "" {
		if ln, err = listen(o.addr); err != nil {
			return err
		}
		defer ln.Close()
	}
	inst, err := scheduler.NewInstance(o.dir, holder)
	if err != nil {
		return err
	}
	defer inst.Close()
	svc, err := w.NewService(inst, log)
	if err != nil {
		return err
	}
	svc.Scheduler.Drain = o.drain
	if err := svc.Scheduler.Start(ctx); err != nil {
		return err
	}
	abs, _ := filepath.Abs(o.dir)
	log.Info("lingpao serve 已启动", "dir", abs, "pid", holder.PID, "version", e.version, "mail", svc.Mailer != nil)
	if st, err := svc.Scheduler.Status(ctx); err == nil {
		for _, x := range st {
			if !x.Job.Config.Disabled {
				log.Info("计划", "job", x.Job.Name, "title", x.Job.Title, "schedule", x.Job.Config.Schedule, "next", fmtTime(x.Next.Due), "missed", x.Missed)
			}
		}
	}

	var srv *http.Server
	httpDone := make(chan error, 1)
	if ln != nil {
		hosts := allowedHosts(o.hosts, w.Config.Web.AllowedHosts, ln.Addr())
		web, closeWeb, err := newWebHandler(w, svc, log, o.secure, hosts)
		if err != nil {
			return err
		}
		if closeWeb != nil {
			defer closeWeb()
		}
		srv = &http.Server{Handler: serveMux(svc, web, hosts, log), ReadHeaderTimeout: 10 * time.Second}
		log.Info("网页已启动", "addr", "http://"+ln.Addr().String()+"/", "healthz", "http://"+ln.Addr().String()+"/healthz")
		go func() { httpDone <- srv.Serve(ln) }()
	}

	go func() {
		<-ctx.Done()
		log.Info("收到停止信号：等待正在运行的任务完成后退出（再按一次 Ctrl-C 立即退出）", "drain", o.drain.String())
		signal.Reset(os.Interrupt, syscall.SIGTERM) // a second signal ends the process at once
	}()
	runErr := svc.Scheduler.Run(ctx)
	if errors.Is(runErr, scheduler.ErrDrainTimeout) {
		log.Warn("停止等待超时：仍在运行的任务被中断，下次启动时重新运行", "drain", o.drain.String())
		runErr = nil
	}
	if srv != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		if err := <-httpDone; err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("网页服务出错", "err", err)
		}
	}
	log.Info("lingpao serve 已停止")
	return runErr
}

// newWebHandler returns the staff web page to mount under /, over the workspace and the service: its
// uploads poll the inbox through svc.PollInbox, so the page and the scheduler never poll at once.
// Its Close waits for the reports it is generating.
func newWebHandler(w *jobs.Workspace, svc *jobs.Service, log *slog.Logger, secureCookies bool, hosts []string) (http.Handler, func() error, error) {
	s, err := web.New(w, web.Options{Poll: svc.PollInbox, Logger: log, SecureCookies: secureCookies, Health: svc.Health, AllowedHosts: hosts})
	if err != nil {
		return nil, nil, err
	}
	return s, s.Close, nil
}

// serveMux is what the listener serves: the web page, which answers /healthz itself; without the
// page, /healthz alone.
func serveMux(svc *jobs.Service, page http.Handler, hosts []string, log *slog.Logger) http.Handler {
	if page != nil {
		return page
	}
	return web.HealthHandler(svc.Health, hosts, log.Error)
}

// allowedHosts is the Host allow-list of the page: the flag's, else the configuration's, else — on a
// loopback address — the loopback names (a browser on this machine; DNS rebinding cannot reach it),
// else none (any name).
func allowedHosts(flag string, configured []string, addr net.Addr) []string {
	if flag != "" {
		var out []string
		for _, h := range strings.Split(flag, ",") {
			if h = strings.TrimSpace(h); h != "" {
				out = append(out, h)
			}
		}
		return out
	}
	if len(configured) > 0 {
		return configured
	}
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		return web.LoopbackHosts
	}
	return nil
}

// newLogger logs plain lines with Beijing times: what serve does, to stderr (or the service journal).
func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.String(slog.TimeKey, a.Value.Time().In(lingpao.Beijing).Format("2006-01-02 15:04:05"))
		}
		return a
	}}))
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(lingpao.Beijing).Format("2006-01-02 15:04")
}
