package delivery_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net/mail"
	"os/exec"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/delivery"
	"lingpao/delivery/smtptest"
	"lingpao/internal/tooltest"
)

// attachments are binary files with Chinese names: every byte value occurs, so any transfer-encoding
// damage shows.
func attachments() []delivery.Attachment {
	rng := rand.New(rand.NewPCG(1, 2))
	pdf := make([]byte, 300_000)
	for i := range pdf {
		pdf[i] = byte(rng.IntN(256))
	}
	copy(pdf, "%PDF-1.4\n")
	xlsx := make([]byte, 70_001)
	for i := range xlsx {
		xlsx[i] = byte(i)
	}
	return []delivery.Attachment{
		{Name: "季度通报_石家庄市_2025年第三季度.pdf", Data: pdf},
		{Name: "月调度表_石家庄市_2025年9月（修订版）.xlsx", Data: xlsx},
		{Name: `report "v2".txt`, Data: []byte("plain\r\nascii\n")},
	}
}

func message() delivery.Message {
	return delivery.Message{
		From:    "石家庄市工业和信息化局 <jxj@example.gov.cn>",
		To:      []string{"王局长 <leader@example.gov.cn>", "staff@example.gov.cn"},
		Subject: "【季度通报】石家庄市县域特色产业集群工作简报 2025年第三季度（第3期）——请审阅附件中的通报全文与调度表",
		Body:    "各位领导：\n\n附件为2025年第三季度通报，截至9月底全市专精特新中小企业达到612家。\n\n石家庄市工业和信息化局",
		Date:    time.Date(2025, 10, 10, 9, 0, 0, 0, lingpao.Beijing),
	}
}

func mailer(s *smtptest.Server) *delivery.Mailer {
	sec := lingpao.SMTPStartTLS
	if s.ImplicitTLS {
		sec = lingpao.SMTPTLS
	}
	return &delivery.Mailer{Host: s.Host, Port: s.Port, Security: sec, Username: s.Username, Password: s.Password, Timeout: 10 * time.Second, TLS: s.ClientTLS}
}

// read parses a received message with the standard library: subject, body, and each attachment's
// file name (RFC 2231 as multipart reads it, and the RFC 2047 form) and bytes.
type received struct {
	Subject, From, Body string
	Names, Names2047    []string
	Data                [][]byte
}

func read(t *testing.T, raw []byte) received {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var dec mime.WordDecoder
	var r received
	if r.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		t.Fatal(err)
	}
	from, err := m.Header.AddressList("From")
	if err != nil {
		t.Fatal(err)
	}
	r.From = from[0].Name
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for i := 0; ; i++ {
		p, err := mr.NextPart() // decodes Content-Transfer-Encoding: base64? No: only quoted-printable.
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		data, err := decodeBase64(b)
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if i == 0 {
			r.Body = string(data)
			continue
		}
		r.Names = append(r.Names, p.FileName())
		_, cd, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
		_ = cd
		n2047, err := dec.DecodeHeader(rawParam(p.Header.Get("Content-Disposition"), "filename"))
		if err != nil {
			t.Fatal(err)
		}
		r.Names2047 = append(r.Names2047, n2047)
		r.Data = append(r.Data, data)
	}
	return r
}

// rawParam returns the quoted value of parameter name (not name*) in a header, unescaped.
func rawParam(h, name string) string {
	i := strings.Index(h, name+`="`)
	if i < 0 {
		return ""
	}
	rest := h[i+len(name)+2:]
	var b strings.Builder
	for j := 0; j < len(rest); j++ {
		switch rest[j] {
		case '\\':
			j++
			b.WriteByte(rest[j])
		case '"':
			return b.String()
		default:
			b.WriteByte(rest[j])
		}
	}
	return b.String()
}

func TestSendOverSTARTTLS(t *testing.T) {
	srv := smtptest.New(t)
	msg := message()
	msg.Attachments = attachments()
	if err := mailer(srv).Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("%d messages", len(got))
	}
	m := got[0]
	if !m.TLS || m.Auth != "PLAIN" || m.From != "jxj@example.gov.cn" || strings.Join(m.To, ",") != "leader@example.gov.cn,staff@example.gov.cn" {
		t.Errorf("envelope: TLS %v auth %q from %q to %v", m.TLS, m.Auth, m.From, m.To)
	}
	r := read(t, m.Data)
	if r.Subject != msg.Subject || r.From != "石家庄市工业和信息化局" {
		t.Errorf("subject %q from %q", r.Subject, r.From)
	}
	if want := strings.ReplaceAll(msg.Body, "\n", "\r\n"); r.Body != want {
		t.Errorf("body %q, want %q", r.Body, want)
	}
	for i, a := range msg.Attachments {
		if r.Names[i] != a.Name || r.Names2047[i] != a.Name {
			t.Errorf("attachment %d named %q (RFC 2231) / %q (RFC 2047), want %q", i, r.Names[i], r.Names2047[i], a.Name)
		}
		if !bytes.Equal(r.Data[i], a.Data) {
			t.Errorf("attachment %s: %d bytes arrived, differing from the %d sent", a.Name, len(r.Data[i]), len(a.Data))
		}
	}
	// No header line is longer than RFC 5322's 998 characters; all of it is 7-bit.
	for _, line := range strings.Split(string(m.Data), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line of %d characters", len(line))
		}
	}
	for _, c := range m.Data {
		if c >= 0x80 {
			t.Fatal("8-bit byte in the message")
		}
	}

	// A second reader: Python's email package (policy.default) decodes the same subject, names and bytes.
	py := `import email, email.policy, hashlib, json, sys
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
atts = [{"name": p.get_filename(), "sha256": hashlib.sha256(p.get_payload(decode=True)).hexdigest()} for p in m.iter_attachments()]
print(json.dumps({"subject": str(m["subject"]), "from": m["from"].addresses[0].display_name, "body": m.get_body(("plain",)).get_content(), "atts": atts}, ensure_ascii=False))`
	cmd := exec.Command(tooltest.PythonWith(t, "email.policy"), "-c", py)
	cmd.Stdin = bytes.NewReader(m.Data)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("python email: %v", err)
	}
	var pr struct {
		Subject, From, Body string
		Atts                []struct{ Name, Sha256 string }
	}
	if err := json.Unmarshal(out, &pr); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if pr.Subject != msg.Subject || pr.From != "石家庄市工业和信息化局" || !strings.Contains(pr.Body, "专精特新中小企业达到612家") || len(pr.Atts) != 3 {
		t.Errorf("python reads %+v", pr)
	}
	for i, a := range pr.Atts {
		sum := sha256.Sum256(msg.Attachments[i].Data)
		if a.Name != msg.Attachments[i].Name || a.Sha256 != hex.EncodeToString(sum[:]) {
			t.Errorf("python attachment %d: %q %s", i, a.Name, a.Sha256)
		}
	}
}

func TestSendOverImplicitTLS(t *testing.T) {
	srv := smtptest.NewTLS(t)
	msg := message()
	msg.Attachments = attachments()[:1]
	if err := mailer(srv).Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if got := srv.Messages(); len(got) != 1 || !got[0].TLS || !bytes.Equal(read(t, got[0].Data).Data[0], msg.Attachments[0].Data) {
		t.Fatalf("messages %d", len(got))
	}
}

func TestSendFailures(t *testing.T) {
	ctx := context.Background()
	srv := smtptest.New(t)
	m := mailer(srv)
	m.Password = "wrong"
	err := m.Send(ctx, message())
	if !strings.Contains(lingpao.ErrorMessage(err), "认证失败") {
		t.Errorf("wrong password: %v", err)
	}
	// A server without STARTTLS: the password is not sent in clear.
	plain := smtptest.NewWithoutTLS(t)
	if err := mailer(plain).Send(ctx, message()); !strings.Contains(lingpao.ErrorMessage(err), "STARTTLS") || len(plain.Messages()) != 0 {
		t.Errorf("server without STARTTLS: %v", err)
	}
	// An untrusted certificate is refused.
	m = mailer(srv)
	m.TLS = nil
	if err := m.Send(ctx, message()); err == nil {
		t.Error("sent to a server whose certificate is not trusted")
	}
	srv.Stop()
	if err := mailer(srv).Send(ctx, message()); !strings.Contains(lingpao.ErrorMessage(err), "连接邮件服务器") || !errors.Is(err, delivery.ErrUnreachable) {
		t.Errorf("server down: %v", err)
	}
	if len(srv.Messages()) != 0 {
		t.Error("a message was accepted")
	}
}

// TestTimeoutIsNotRefusal: a server that stops answering is a timeout — retried, never called a
// refusal; a 550 to the recipient is a permanent refusal; a caller that gives up (the service
// stopping) gets its answer at once, not after the timeout.
func TestTimeoutIsNotRefusal(t *testing.T) {
	ctx := context.Background()
	srv := smtptest.New(t)
	m := mailer(srv)
	m.Timeout = 300 * time.Millisecond

	srv.Stall()
	err := m.Send(ctx, message())
	msg := lingpao.ErrorMessage(err)
	if !errors.Is(err, delivery.ErrTimeout) || errors.Is(err, delivery.ErrPermanent) || !strings.Contains(msg, "超时") || strings.Contains(msg, "拒收，") || strings.HasPrefix(msg, "邮件服务器 "+srv.Addr()+" 拒收") {
		t.Errorf("stalled server: %v (%q)", err, msg)
	}
	if srv.Stalls() != 1 {
		t.Errorf("%d stalled sessions, want 1", srv.Stalls())
	}

	// The service stops while the server stalls: the send returns within moments of the cancel.
	m.Timeout = 30 * time.Second
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	err = m.Send(cctx, message())
	if d := time.Since(start); d > 5*time.Second || !errors.Is(err, delivery.ErrInterrupted) {
		t.Errorf("cancelled send returned after %s: %v", d, err)
	}
	srv.Unstall()

	srv.Refuse("staff@example.gov.cn")
	err = m.Send(ctx, message())
	if !errors.Is(err, delivery.ErrPermanent) || errors.Is(err, delivery.ErrTimeout) || !strings.Contains(lingpao.ErrorMessage(err), "拒收") ||
		!strings.Contains(lingpao.ErrorMessage(err), "550") {
		t.Errorf("refused recipient: %v", err)
	}
	if len(srv.Messages()) != 0 {
		t.Errorf("%d messages accepted", len(srv.Messages()))
	}
	one := message()
	one.To = one.To[:1]
	if err := m.Send(ctx, one); err != nil {
		t.Errorf("another recipient: %v", err)
	}
}
