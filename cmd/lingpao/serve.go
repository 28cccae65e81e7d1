package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"lingpao"
	"lingpao/jobs"
	"lingpao/scheduler"
	"lingpao/web"
)

// runServe runs service mode: the scheduler (inbox poll, 催报, reports, mail) and the HTTP listener
// (/healthz, and the web page once it is mounted), until SIGINT or SIGTERM (or, as a Windows service,
// until the service is stopped); then it lets the jobs in progress finish — for at most --drain — and
// exits. On Windows, --install-service registers it as a service that starts with the machine.
func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "[--addr 127.0.0.1:8080] [--dir D] [--drain 30s] [--install-service | --uninstall-service]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	addr := fs.String("addr", "127.0.0.1:8080", "网页与健康检查（/healthz）的监听地址；off 表示不监听")
	secure := fs.Bool("secure-cookies", false, "登录 Cookie 只经 HTTPS 发送：在前面有 HTTPS 反向代理时打开")
	drain := fs.Duration("drain", scheduler.DefaultDrain, "停止时最多等待正在运行的任务多久（邮件在两封之间停下，报告写完）")
	install := fs.Bool("install-service", false, "Windows：把 lingpao serve（连同 --dir、--addr 等参数）注册为开机自动启动的 Windows 服务")
	uninstall := fs.Bool("uninstall-service", false, "Windows：删除已注册的 Windows 服务")
	name := fs.String("service-name", "lingpao", "Windows 服务名（同一台机器上有多个工作目录时各用一个）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *drain <= 0 || *drain > 10*time.Minute {
		return lingpao.Errorf(lingpao.EINVALID, "--drain %s 不合适：请在 1s 到 10m 之间，如 30s。", *drain)
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
	o := serveOptions{dir: *dir, addr: *addr, secure: *secure, drain: *drain}
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
	drain     time.Duration
}

// serve is service mode until ctx is cancelled, logging to logw.
func serve(ctx context.Context, e *env, o serveOptions, logw io.Writer) error {
	log := newLogger(logw)
	if err := checkAddr(o.addr); err != nil {
		return err
	}
	w, err := openWorkspace(ctx, e, o.dir)
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
		web, closeWeb, err := newWebHandler(w, svc, log, o.secure)
		if err != nil {
			return err
		}
		if closeWeb != nil {
			defer closeWeb()
		}
		srv = &http.Server{Handler: serveMux(svc, web), ReadHeaderTimeout: 10 * time.Second}
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

// checkAddr checks --addr before anything starts: host:port, the host an IP address or a name, the
// port a number.
func checkAddr(addr string) error {
	if addr == "off" || addr == "" {
		return nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return lingpao.Errorf(lingpao.EINVALID, "--addr「%s」格式不对：请写成 地址:端口，如 127.0.0.1:8080（只允许本机访问）或 0.0.0.0:8080（允许局域网访问）；不开网页用 --addr off。", addr)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return lingpao.Errorf(lingpao.EINVALID, "--addr「%s」的端口「%s」不对：端口应为 0–65535 之间的数字，如 8080。", addr, port)
	}
	if host != "" && net.ParseIP(host) == nil && strings.Trim(host, "0123456789.") == "" {
		return lingpao.Errorf(lingpao.EINVALID, "--addr「%s」中的 IP 地址「%s」无效：IPv4 地址是 4 段 0–255 的数字，如 127.0.0.1 或 192.168.1.10。", addr, host)
	}
	return nil
}

// listen opens the web page's listener, explaining in Chinese why it cannot: a name that does not
// resolve, an address this machine does not have, a port in use or reserved.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	host, port, _ := net.SplitHostPort(addr)
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return nil, lingpao.Errorf(lingpao.EINVALID, "--addr「%s」：找不到主机名「%s」。请写本机的 IP 地址，如 127.0.0.1（只允许本机访问）或 0.0.0.0（允许局域网访问）。", addr, host)
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, lingpao.Errorf(lingpao.EINVALID, "无法监听 %s：端口 %s 已被其他程序占用（可能是另一个 lingpao serve 或网页服务）。请换一个端口，如 --addr %s，或用 --addr off 不开网页。",
			addr, port, net.JoinHostPort(host, "8081"))
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return nil, lingpao.Errorf(lingpao.EINVALID, "无法监听 %s：本机没有 IP 地址 %s。请写本机的地址，如 127.0.0.1 或 0.0.0.0。", addr, host)
	case errors.Is(err, syscall.EACCES):
		return nil, lingpao.Errorf(lingpao.EINVALID, "无法监听 %s：没有权限使用端口 %s（1024 以下的端口需要管理员权限）。请换一个 1024 以上的端口，如 --addr %s。", addr, port, net.JoinHostPort(host, "8080"))
	}
	return nil, lingpao.Errorf(lingpao.EINVALID, "无法监听 %s（%v）：请换一个 --addr，或用 --addr off 不开网页。", addr, err)
}

// newWebHandler returns the staff web page to mount under /, over the workspace and the service: its
// uploads poll the inbox through svc.PollInbox, so the page and the scheduler never poll at once.
// Its Close waits for the reports it is generating.
func newWebHandler(w *jobs.Workspace, svc *jobs.Service, log *slog.Logger, secureCookies bool) (http.Handler, func() error, error) {
	s, err := web.New(w, web.Options{Poll: svc.PollInbox, Logger: log, SecureCookies: secureCookies})
	if err != nil {
		return nil, nil, err
	}
	return s, s.Close, nil
}

// serveMux mounts /healthz beside the web page (when there is one).
func serveMux(svc *jobs.Service, web http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(rw http.ResponseWriter, r *http.Request) {
		h, err := svc.Health(r.Context())
		if err != nil {
			http.Error(rw, "内部错误", http.StatusInternalServerError)
			return
		}
		rw.Header().Set("Content-Type", "application/json; charset=utf-8")
		if !h.OK {
			rw.WriteHeader(http.StatusServiceUnavailable)
		}
		enc := json.NewEncoder(rw)
		enc.SetEscapeHTML(false)
		enc.Encode(h)
	})
	if web != nil {
		mux.Handle("/", web)
	}
	return mux
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
