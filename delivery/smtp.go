package delivery

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/mail"
	"os"
	"strconv"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"lingpao"
)

// The kinds of failed sends, for errors.Is. Each error also carries a Chinese message naming the step
// and the server's reply.
var (
	// ErrUnreachable marks a send that failed before the server could answer: it could not be
	// reached, TLS could not be set up, or it refused our login. Every other mail to that server would
	// fail the same way just now.
	ErrUnreachable = errors.New("mail server unreachable")
	// ErrTimeout marks a server that stopped answering within the timeout (it stalls): not a refusal.
	// The mail is tried again later; the rest of the batch waits too.
	ErrTimeout = errors.New("mail server timed out")
	// ErrPermanent marks a permanent refusal of this mail (a 5xx reply to MAIL, RCPT or DATA: no such
	// mailbox, message refused): sending it again would fail the same way.
	ErrPermanent = errors.New("mail refused permanently")
	// ErrInterrupted marks a send cut off because the caller gave up (the service is stopping): the
	// mail may or may not have been accepted, and is sent again.
	ErrInterrupted = errors.New("send interrupted")
)

// Mailer sends messages through one SMTP server.
type Mailer struct {
	Host     string
	Port     int
	Security string // lingpao.SMTPStartTLS, SMTPTLS or SMTPNone
	Username string
	Password string
	// Timeout bounds connecting and each command; a whole send is bounded by four times it.
	Timeout time.Duration
	// TLS is the TLS configuration; nil means the system's roots, verifying Host.
	TLS *tls.Config
}

// NewMailer returns the mailer of the workspace's mail configuration, the password taken from
// the environment variable smtp.password_env when set (getenv is os.Getenv outside tests).
func NewMailer(c lingpao.MailConfig, getenv func(string) string) (*Mailer, error) {
	if !c.Enabled() {
		return nil, lingpao.Errorf(lingpao.EINVALID, "未配置邮件服务器（lingpao.yaml 的 mail.smtp.host）：邮件无法发出。")
	}
	m := &Mailer{Host: c.SMTP.Host, Port: c.SMTP.Port, Security: c.SMTP.Security, Username: c.SMTP.Username,
		Password: c.SMTP.Password, Timeout: time.Duration(c.SMTP.Timeout)}
	if c.SMTP.PasswordEnv != "" {
		if getenv == nil {
			getenv = os.Getenv
		}
		m.Password = getenv(c.SMTP.PasswordEnv)
		if m.Password == "" && m.Username != "" {
			return nil, lingpao.Errorf(lingpao.EINVALID, "环境变量 %s（mail.smtp.password_env）为空：请设置邮箱密码后重启 lingpao serve。", c.SMTP.PasswordEnv)
		}
	}
	return m, nil
}

// Addr returns host:port.
func (m *Mailer) Addr() string { return net.JoinHostPort(m.Host, strconv.Itoa(m.Port)) }

// Send composes msg and sends it to all its recipients in one SMTP transaction: connect, TLS
// (implicit, or STARTTLS — refused by a server that does not offer it, so credentials never travel in
// clear), AUTH (PLAIN, else LOGIN) when a username is set, MAIL, RCPT, DATA, QUIT. An error says in
// Chinese which step failed and the server's reply.
func (m *Mailer) Send(ctx context.Context, msg Message) (err error) {
	defer lingpao.Wrap(&err, "delivery.Send(%s)", msg.Subject)
	data, err := Compose(msg)
	if err != nil {
		return err
	}
	from, _ := mail.ParseAddress(msg.From)
	var rcpts []string
	for _, a := range msg.To {
		addr, _ := mail.ParseAddress(a)
		rcpts = append(rcpts, addr.Address)
	}
	timeout := m.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, 4*timeout)
	defer cancel()
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", m.Addr())
	if err != nil {
		if parent.Err() != nil {
			return interrupted(m.Addr(), err)
		}
		return unreachable(fail("连接邮件服务器 %s 失败", m.Addr(), err))
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	// A caller that gives up (the service stopping) closes the connection, so a stalled server does
	// not hold it for the whole timeout.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	// classify names the failure of a step: the caller gave up, the server stalled, or it answered.
	classify := func(format string, err error) error {
		switch {
		case parent.Err() != nil:
			return interrupted(m.Addr(), err)
		case isTimeout(err) || ctx.Err() != nil:
			return errors.Join(ErrTimeout, err, lingpao.Errorf(lingpao.EINVALID, "邮件服务器 %s 在 %s 内没有响应（超时）：服务器繁忙或网络不通，稍后自动重试。",
				m.Addr(), timeout))
		}
		return fail(format, m.Addr(), err)
	}
	cfg := m.TLS
	if cfg == nil {
		cfg = &tls.Config{}
	}
	cfg = cfg.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName = m.Host
	}
	var c *smtp.Client
	switch m.Security {
	case lingpao.SMTPTLS:
		tc := tls.Client(conn, cfg)
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return unreachable(classify("与邮件服务器 %s 建立 TLS 连接失败", err))
		}
		c = smtp.NewClient(tc)
	case lingpao.SMTPNone:
		c = smtp.NewClient(conn)
	default:
		if c, err = smtp.NewClientStartTLS(conn, cfg); err != nil {
			conn.Close()
			return unreachable(classify("邮件服务器 %s 的 STARTTLS 失败（为保护密码，不会以明文发送）", err))
		}
	}
	defer c.Close()
	c.CommandTimeout, c.SubmissionTimeout = timeout, 2*timeout
	if m.Username != "" {
		var auth sasl.Client
		switch {
		case c.SupportsAuth(sasl.Plain):
			auth = sasl.NewPlainClient("", m.Username, m.Password)
		case c.SupportsAuth(sasl.Login):
			auth = sasl.NewLoginClient(m.Username, m.Password)
		default:
			return fail("邮件服务器 %s 不支持 PLAIN 或 LOGIN 认证", m.Addr(), errors.New("no supported AUTH mechanism"))
		}
		if err := c.Auth(auth); err != nil {
			return unreachable(classify("邮件服务器 %s 认证失败（请检查 mail.smtp.username 和密码）", err))
		}
	}
	if err := c.SendMail(from.Address, rcpts, bytes.NewReader(data)); err != nil {
		var se *smtp.SMTPError
		switch {
		case parent.Err() != nil || isTimeout(err) || ctx.Err() != nil:
			return classify("", err)
		case errors.As(err, &se) && se.Code >= 500 && se.Code < 600:
			return errors.Join(ErrPermanent, fail("邮件服务器 %s 拒收（永久性错误，不再重试）", m.Addr(), err))
		case errors.As(err, &se) && se.Code >= 400 && se.Code < 500:
			return fail("邮件服务器 %s 暂时拒收（稍后自动重试）", m.Addr(), err)
		}
		return fail("邮件服务器 %s 发送中断（稍后自动重试）", m.Addr(), err)
	}
	if err := c.Quit(); err != nil {
		// The message was accepted at the final dot; a failed QUIT does not undo that.
		return nil
	}
	return nil
}

func unreachable(err error) error {
	if errors.Is(err, ErrInterrupted) {
		return err
	}
	return errors.Join(ErrUnreachable, err)
}

func interrupted(addr string, err error) error {
	return errors.Join(ErrInterrupted, err, lingpao.Errorf(lingpao.EINVALID, "向邮件服务器 %s 发送时被中断（服务正在停止）：下次启动后重新发送。", addr))
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout() || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded)
}

// fail returns an application error whose message names the step and keeps the server's reply.
func fail(format, addr string, err error) error {
	return errors.Join(err, lingpao.Errorf(lingpao.EINVALID, format+"：%v", addr, err))
}
