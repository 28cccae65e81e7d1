package main

import (
	"errors"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"lingpao"
)

// checkListenAddr checks --addr before anything listens: host:port with a port from 0 to 65535 and
// a host that is empty (every interface), an IP address or a host name.
func checkListenAddr(addr string) error {
	if addr == "off" {
		return nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return lingpao.Errorf(lingpao.EINVALID, "监听地址写成 主机:端口，如 127.0.0.1:8080、:8080（所有网卡）或 [::1]:8080；不开网页用 --addr off。")
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return lingpao.Errorf(lingpao.EINVALID, "端口「%s」不对：应为 0 至 65535 的数字，如 127.0.0.1:8080。", port)
	}
	if host == "" || net.ParseIP(host) != nil {
		return nil
	}
	if strings.Trim(host, "0123456789.") == "" || strings.Contains(host, ":") {
		return lingpao.Errorf(lingpao.EINVALID, "「%s」不是有效的 IP 地址：IPv4 地址是 0 至 255 的四个数，如 127.0.0.1（本机）或 0.0.0.0（所有网卡）。", host)
	}
	for _, label := range strings.Split(strings.TrimSuffix(host, "."), ".") {
		if label == "" || len(label) > 63 || strings.Trim(label, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != "" {
			return lingpao.Errorf(lingpao.EINVALID, "「%s」不是有效的主机名或 IP 地址：如 127.0.0.1（本机）、0.0.0.0（所有网卡）或 localhost。", host)
		}
	}
	return nil
}

// listen listens on addr (checked by checkListenAddr), saying in Chinese what went wrong and what to
// do: a host name that does not resolve, an address this machine does not have, a port taken or
// reserved.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	host, port, _ := net.SplitHostPort(addr)
	var dns *net.DNSError
	switch {
	case errors.As(err, &dns):
		return nil, lingpao.Errorf(lingpao.EINVALID, "无法监听 %s：找不到主机「%s」。请用本机的 IP 地址，如 --addr 127.0.0.1:%s（只许本机访问）或 --addr 0.0.0.0:%s（所有网卡）。", addr, host, port, port)
	case errors.Is(err, syscall.EADDRINUSE) || isWinsock(err, wsaeaddrinuse):
		return nil, lingpao.Errorf(lingpao.ECONFLICT, "无法监听 %s：端口 %s 已被其他程序占用。请换一个端口（如 --addr %s），或用 --addr off 不开网页。", addr, port, net.JoinHostPort(host, "8081"))
	case errors.Is(err, syscall.EADDRNOTAVAIL) || isWinsock(err, wsaeaddrnotavail):
		return nil, lingpao.Errorf(lingpao.EINVALID, "无法监听 %s：本机没有地址 %s。请用本机的地址，如 --addr 127.0.0.1:%s 或 --addr 0.0.0.0:%s。", addr, host, port, port)
	case errors.Is(err, syscall.EACCES) || errors.Is(err, os.ErrPermission) || isWinsock(err, wsaeacces):
		return nil, lingpao.Errorf(lingpao.EUNAUTHORIZED, "无法监听 %s：没有权限使用端口 %s（1024 以下的端口需要管理员权限）。请换一个 1024 以上的端口，如 --addr %s。", addr, port, net.JoinHostPort(host, "8080"))
	}
	return nil, lingpao.Errorf(lingpao.EINVALID, "无法监听 %s（%v）：请检查 --addr，或用 --addr off 不开网页。", addr, err)
}

// Winsock's error numbers for the cases listen explains (syscall's EADDRINUSE and the like are
// other numbers on Windows).
const (
	wsaeacces        = 10013
	wsaeaddrinuse    = 10048
	wsaeaddrnotavail = 10049
)

func isWinsock(err error, n syscall.Errno) bool {
	return runtime.GOOS == "windows" && errors.Is(err, n)
}
