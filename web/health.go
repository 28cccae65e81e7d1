package web

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"

	"lingpao"
	"lingpao/jobs"
)

// healthz answers a monitor: 200 "ok" while service mode is healthy, 503 "unavailable" while
// something needs attention. Only a logged-in admin gets the details (which jobs failed and why):
// job names and error lines are not for anyone who can reach the port.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	var details bool
	if sess, err := s.session(r); err == nil && sess.User.Role.CanAdmin() && !sess.User.MustChangePassword {
		details = true
	}
	serveHealth(w, r, s.opt.Health, details, s.log.Error)
}

// serveHealth writes the answer of /healthz from health (nil: nothing to check, healthy).
func serveHealth(w http.ResponseWriter, r *http.Request, health func(context.Context) (jobs.Health, error), details bool, logError func(string, ...any)) {
	h := jobs.Health{OK: true, Problems: []lingpao.Alarm{}, Acknowledged: []lingpao.Alarm{}}
	if health != nil {
		var err error
		if h, err = health(r.Context()); err != nil {
			logError("healthz", "err", err)
			h = jobs.Health{OK: false, Acknowledged: []lingpao.Alarm{}, Problems: []lingpao.Alarm{{Problem: lingpao.Problem{
				Key: "healthz", Title: "无法读取运行状态", Detail: lingpao.ErrorMessage(err), Action: "请查看 lingpao serve 的日志。"}}}}
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusOK
	if !h.OK {
		status = http.StatusServiceUnavailable
	}
	if !details {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		if h.OK {
			w.Write([]byte("ok\n"))
		} else {
			w.Write([]byte("unavailable\n"))
		}
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(h)
}

// HealthHandler serves /healthz alone — for service mode without the web page — with the security
// headers and host check of the page; it never gives details (there is nobody logged in).
func HealthHandler(health func(context.Context) (jobs.Health, error), allowedHosts []string, logError func(string, ...any)) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		serveHealth(w, r, health, false, logError)
	})
	hosts := hostSet(allowedHosts)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		securityHeaders(w.Header())
		if !hosts.allows(r.Host) {
			refuseHost(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// securityHeaders are set on every response of the page, /healthz included.
func securityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
}

// hosts is the allow-list of host names the page answers to; empty allows every name.
type hosts map[string]bool

// hostSet normalizes an allow-list: lower case, without a port.
func hostSet(list []string) hosts {
	if len(list) == 0 {
		return nil
	}
	h := hosts{}
	for _, e := range list {
		if e = strings.TrimSpace(e); e != "" {
			h[normalHost(e)] = true
		}
	}
	return h
}

// normalHost is a Host header's name without its port or IPv6 brackets, in lower case.
func normalHost(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	return strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
}

// allows reports whether the Host header names a host of the list. A browser sent to this server by
// a DNS name the list lacks (DNS rebinding: an attacker's name resolving to this address) is refused.
func (h hosts) allows(host string) bool {
	return h == nil || h[normalHost(host)]
}

// refuseHost answers a request for a host name the server does not serve.
func refuseHost(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusMisdirectedRequest)
	w.Write([]byte("421 本服务不接受以该名称访问（" + clip(r.Host, 80) + "）：请使用管理员提供的网址；管理员可在 lingpao.yaml 的 web.allowed_hosts 或 serve 的 --allowed-hosts 中加入此名称。\n"))
}

// LoopbackHosts are the names a server listening on a loopback address answers to when no
// allow-list is configured.
var LoopbackHosts = []string{"localhost", "127.0.0.1", "::1"}
