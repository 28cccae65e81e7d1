// Package delivery sends lingpao's e-mail: it composes MIME messages whose Chinese subjects, names
// and attachment file names survive every mail client (RFC 2047 encoded words, RFC 2231 parameters),
// and sends them over SMTP with STARTTLS or implicit TLS and AUTH. The queue that makes delivery
// reliable — a row per recipient, retried with backoff until sent — lives in the store and is drained
// by the deliver job (package jobs).
package delivery

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"mime"
	"net/mail"
	"path/filepath"
	"strings"
	"time"

	"lingpao"
)

// Attachment is a file attached to a message.
type Attachment struct {
	// Name is the file name the recipient sees (Chinese is fine).
	Name string
	// ContentType defaults to the type of Name's extension.
	ContentType string
	Data        []byte
}

// Message is one e-mail.
type Message struct {
	// From is the sender, e.g. 石家庄市工业和信息化局 <jxj@example.gov.cn>.
	From        string
	To          []string
	Subject     string
	Body        string // plain text
	Attachments []Attachment
	Date        time.Time
}

// Compose renders m as an RFC 5322 message: headers in ASCII with Chinese in RFC 2047 encoded words,
// a UTF-8 text body and attachments in base64, each attachment's file name given both as an RFC 2231
// parameter (filename*= in UTF-8, which standard clients read) and as an RFC 2047 encoded word (which
// older clients and several webmail services read).
func Compose(m Message) (_ []byte, err error) {
	defer lingpao.Wrap(&err, "delivery.Compose(%s)", m.Subject)
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return nil, lingpao.Errorf(lingpao.EINVALID, "发件人地址「%s」无效：%v", m.From, err)
	}
	var to []string
	for _, a := range m.To {
		addr, err := mail.ParseAddress(a)
		if err != nil {
			return nil, lingpao.Errorf(lingpao.EINVALID, "收件人地址「%s」无效：%v", a, err)
		}
		to = append(to, formatAddress(addr))
	}
	if len(to) == 0 {
		return nil, lingpao.Errorf(lingpao.EINVALID, "邮件「%s」没有收件人。", m.Subject)
	}
	date := m.Date
	if date.IsZero() {
		date = time.Now()
	}
	boundary := randomHex(16)
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", formatAddress(from))
	header("To", strings.Join(to, ",\r\n "))
	header("Subject", encodeWord(m.Subject))
	header("Date", date.In(lingpao.Beijing).Format(time.RFC1123Z))
	header("Message-ID", fmt.Sprintf("<%s@%s>", randomHex(16), domainOf(from.Address)))
	header("MIME-Version", "1.0")
	header("Content-Type", fmt.Sprintf("multipart/mixed; boundary=\"%s\"", boundary))
	b.WriteString("\r\n")

	fmt.Fprintf(&b, "--%s\r\n", boundary)
	b.WriteString("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	writeBase64(&b, []byte(strings.ReplaceAll(strings.ReplaceAll(m.Body, "\r\n", "\n"), "\n", "\r\n")))
	for _, a := range m.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = ContentType(a.Name)
		}
		fmt.Fprintf(&b, "--%s\r\n", boundary)
		fmt.Fprintf(&b, "Content-Type: %s;\r\n name=\"%s\"\r\n", ct, quoted(encodeWord(a.Name)))
		fmt.Fprintf(&b, "Content-Disposition: attachment;\r\n filename=\"%s\"", quoted(encodeWord(a.Name)))
		if !isASCII(a.Name) {
			fmt.Fprintf(&b, ";\r\n filename*=UTF-8''%s", percentEncode(a.Name))
		}
		b.WriteString("\r\nContent-Transfer-Encoding: base64\r\n\r\n")
		writeBase64(&b, a.Data)
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes(), nil
}

// ContentType returns the MIME type of a file name's extension: PDF, XLSX, text, else octet-stream.
func ContentType(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pdf":
		return "application/pdf"
	case ".xlsx":
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	case ".txt":
		return "text/plain; charset=UTF-8"
	case ".json":
		return "application/json"
	}
	return "application/octet-stream"
}

// formatAddress renders an address with its display name in one B-encoded word where it fits:
// mail.Address.String splits a Chinese name into several Q-encoded words, which some readers (Python's
// email package among them) join with a space.
func formatAddress(a *mail.Address) string {
	if a.Name == "" || isASCII(a.Name) {
		return a.String()
	}
	return mime.BEncoding.Encode("UTF-8", a.Name) + " <" + a.Address + ">"
}

// encodeWord encodes s as RFC 2047 B-encoded words when it is not plain ASCII, folding long headers
// between words.
func encodeWord(s string) string {
	if isASCII(s) {
		return s
	}
	return strings.ReplaceAll(mime.BEncoding.Encode("UTF-8", s), " =?", "\r\n =?")
}

// quoted escapes a quoted-string's quotes and backslashes.
func quoted(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

// percentEncode encodes s as an RFC 2231 extended value: attribute characters as they are, every
// other byte as %XX.
func percentEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return false
		}
	}
	return true
}

// writeBase64 writes data in base64 lines of 76 characters.
func writeBase64(b *bytes.Buffer, data []byte) {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	b.WriteString("\r\n")
}

func randomHex(n int) string {
	p := make([]byte, n)
	rand.Read(p)
	return hex.EncodeToString(p)
}

func domainOf(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return addr[i+1:]
	}
	return "lingpao.invalid"
}
