package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"lingpao"
	"lingpao/jobs"
	"lingpao/scheduler"
	"lingpao/web"
)

// runServe runs service mode: the scheduler (inbox poll, 催报, reports, mail) and the HTTP listener
// (/healthz, and the web page once it is mounted), until SIGINT or SIGTERM; then it lets the jobs in
// progress finish and exits.
func runServe(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "[--addr 127.0.0.1:8080] [--dir D] [--secure-cookies]")
	dir := f.Dir()
	addr := f.Check("addr", "127.0.0.1:8080", "网页与健康检查（/healthz）的监听地址 主机:端口；off 表示不监听", checkListenAddr)
	secure := f.Bool("secure-cookies", false, "登录 Cookie 只经 HTTPS 发送：在前面有 HTTPS 反向代理时打开")
	if _, err := f.parse(args); err != nil {
		return err
	}
	log := newLogger(e.stderr)
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	holder := scheduler.ThisProcess("lingpao serve", time.Now())
	lock, err := scheduler.LockServe(*dir, holder)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	inst, err := scheduler.NewInstance(*dir, holder)
	if err != nil {
		return err
	}
	defer inst.Close()
	svc, err := w.NewService(inst, log)
	if err != nil {
		return err
	}
	if err := svc.Scheduler.Start(ctx); err != nil {
		return err
	}
	abs, _ := filepath.Abs(*dir)
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
	if *addr != "off" && *addr != "" {
		web, closeWeb, err := newWebHandler(w, svc, log, *secure)
		if err != nil {
			return err
		}
		if closeWeb != nil {
			defer closeWeb()
		}
		ln, err := listen(*addr)
		if err != nil {
			return err
		}
		srv = &http.Server{Handler: serveMux(svc, web), ReadHeaderTimeout: 10 * time.Second}
		log.Info("网页已启动", "addr", "http://"+ln.Addr().String()+"/", "healthz", "http://"+ln.Addr().String()+"/healthz")
		go func() { httpDone <- srv.Serve(ln) }()
	}

	go func() {
		<-ctx.Done()
		log.Info("收到停止信号：等待正在运行的任务完成后退出（再按一次 Ctrl-C 立即退出）")
		signal.Reset(os.Interrupt, syscall.SIGTERM) // a second signal ends the process at once
	}()
	runErr := svc.Scheduler.Run(ctx)
	if srv != nil {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
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
