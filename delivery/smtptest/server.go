// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on loopback for tests, the
// way net/http/httptest runs an HTTP server: STARTTLS with a certificate made for the test, AUTH
// PLAIN/LOGIN required, every accepted message kept. It can be stopped and started again on the same
// address to test retries, made to refuse recipients permanently (550), and made to stall (accept
// the connection and stop answering) to test timeouts.
package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	// TLS and Auth record that the message came over TLS from an authenticated client.
	TLS  bool
	Auth string
}

// Server is a running test SMTP server.
type Server struct {
	// Host and Port are where it listens (127.0.0.1 and a free port).
	Host string
	Port int
	// Username and Password are the credentials it accepts.
	Username, Password string
	// ClientTLS trusts the server's certificate; CertPEM is that certificate, for a program started by
	// the test (SSL_CERT_FILE).
	ClientTLS *tls.Config
	CertPEM   []byte
	// ImplicitTLS makes it speak TLS from the first byte (port 465 style) instead of STARTTLS.
	ImplicitTLS bool

	t        testing.TB
	tls      *tls.Config
	mu       sync.Mutex
	srv      *smtp.Server
	messages []Message
	refused  map[string]bool
	stalled  chan struct{} // non-nil while stalling: closed to let stalled sessions go
	stalls   int
}

// Refuse makes the server answer RCPT TO addr with a permanent 550 (no such mailbox).
func (s *Server) Refuse(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refused == nil {
		s.refused = map[string]bool{}
	}
	s.refused[addr] = true
}

// Stall makes the server stop answering at MAIL FROM until Unstall or Stop: a client waits for its
// timeout.
func (s *Server) Stall() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stalled == nil {
		s.stalled = make(chan struct{})
	}
}

// Unstall lets stalled sessions go on and answers normally again.
func (s *Server) Unstall() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stalled != nil {
		close(s.stalled)
		s.stalled = nil
	}
}

// Stalls counts the sessions that stalled.
func (s *Server) Stalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stalls
}

// New starts a server with STARTTLS and AUTH required; it is stopped when the test ends.
func New(t testing.TB) *Server { return start(t, false, true) }

// NewTLS starts a server speaking implicit TLS.
func NewTLS(t testing.TB) *Server { return start(t, true, true) }

// NewWithoutTLS starts a server that offers neither TLS nor (therefore) AUTH.
func NewWithoutTLS(t testing.TB) *Server { return start(t, false, false) }

func start(t testing.TB, implicit, withTLS bool) *Server {
	t.Helper()
	cert, pool := certificate(t)
	s := &Server{Host: "127.0.0.1", Username: "lingpao", Password: "s3cret-密码", ImplicitTLS: implicit, t: t,
		ClientTLS: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"},
		CertPEM:   pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})}
	if withTLS {
		s.tls = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Port = l.Addr().(*net.TCPAddr).Port
	s.serve(l)
	t.Cleanup(s.Stop)
	return s
}

// Addr returns host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

func (s *Server) serve(l net.Listener) {
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	srv.Domain = "smtptest.local"
	srv.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are expected in tests
	srv.TLSConfig = s.tls
	srv.AllowInsecureAuth = false
	srv.ReadTimeout, srv.WriteTimeout = 30*time.Second, 30*time.Second
	srv.MaxMessageBytes = 64 << 20
	if s.ImplicitTLS {
		l = tls.NewListener(l, s.tls)
	}
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(l)
}

// Stop closes the server; connections are refused until Start.
func (s *Server) Stop() {
	s.Unstall()
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// Start listens again on the same address after Stop.
func (s *Server) Start() {
	s.t.Helper()
	var l net.Listener
	var err error
	for i := 0; i < 50; i++ { // the port may take a moment to be free again
		if l, err = net.Listen("tcp", s.Addr()); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatalf("smtptest: listen again on %s: %v", s.Addr(), err)
	}
	s.serve(l)
}

// Messages returns the messages accepted so far.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.messages...)
}

type session struct {
	s    *Server
	conn *smtp.Conn
	auth string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain, sasl.Login} }

func (ss *session) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != ss.s.Username || pass != ss.s.Password {
			return errors.New("invalid credentials")
		}
		ss.auth = mech
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
	case sasl.Login:
		return newLoginServer(check), nil
	}
	return nil, errors.New("unsupported mechanism")
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.auth == "" {
		return smtp.ErrAuthRequired
	}
	ss.s.mu.Lock()
	stall := ss.s.stalled
	if stall != nil {
		ss.s.stalls++
	}
	ss.s.mu.Unlock()
	if stall != nil {
		<-stall
		return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "Timeout, closing"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.auth == "" {
		return smtp.ErrAuthRequired
	}
	ss.s.mu.Lock()
	refused := ss.s.refused[to]
	ss.s.mu.Unlock()
	if refused {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "Mailbox unavailable: no such user"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	_, isTLS := ss.conn.TLSConnectionState()
	ss.s.mu.Lock()
	ss.s.messages = append(ss.s.messages, Message{From: ss.from, To: ss.to, Data: b, TLS: isTLS, Auth: ss.auth})
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// loginServer is the server side of AUTH LOGIN (go-sasl has only the client).
type loginServer struct {
	check      func(user, pass string) error
	step       int
	user, pass string
}

func newLoginServer(check func(user, pass string) error) sasl.Server {
	return &loginServer{check: check}
}

func (l *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch l.step {
	case 0:
		l.step = 1
		if response != nil {
			l.user, l.step = string(response), 2
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		l.user, l.step = string(response), 2
		return []byte("Password:"), false, nil
	default:
		l.pass = string(response)
		return nil, true, l.check(l.user, l.pass)
	}
}

// certificate makes a self-signed certificate for 127.0.0.1 and a pool that trusts it.
func certificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "smtptest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}, pool
}
