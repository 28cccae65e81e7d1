package templates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// scanner is the XML tokenizer of the sheet and shared-string parts: it reads a part through a
// sliding buffer and hands out start tags, end tags and character data without building tokens, so
// that a roster of thousands of rows costs little more than decompressing it. It accepts every
// well-formed document encoding/xml accepts and yields the same character data (entities decoded,
// line ends normalised, CDATA as text); comments, processing instructions and directives are
// skipped. Malformed markup — an end tag that does not match, an unknown entity, a character XML
// forbids, a truncated part — is an error, as it is for encoding/xml.
type scanner struct {
	r        io.Reader
	buf      []byte
	pos, end int
	eof      bool
	err      error

	// The current token. name and local point into buf and are valid until the next call; so are
	// the attributes of a start tag, as spans of buf from tagAt.
	name, local []byte
	spans       []attrSpan
	tagAt       int
	selfClose   bool
	// pendingEnd makes the end of a self-closing start tag the next token.
	pendingEnd bool
	// text holds the current character data, decoded.
	text []byte

	// open is the stack of open element names, kept in one buffer.
	open  []byte
	opens []int
}

type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokStart
	tokEnd
	tokText
	tokError
)

// errXML marks malformed XML.
var errXML = errors.New("malformed XML")

func newScanner(r io.Reader, buf []byte) *scanner {
	if cap(buf) < 32<<10 {
		buf = make([]byte, 64<<10)
	}
	return &scanner{r: r, buf: buf[:cap(buf)]}
}

func (s *scanner) fail(format string, args ...any) tokenKind {
	if s.err == nil {
		s.err = fmt.Errorf("%w: %s", errXML, fmt.Sprintf(format, args...))
	}
	return tokError
}

// fill reads more input after the unconsumed bytes, moving them to the front and growing the buffer
// when it is full. It reports whether anything was read.
func (s *scanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if s.end == len(s.buf) {
		nb := make([]byte, 2*len(s.buf))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err == io.EOF {
			s.eof = true
			return n > 0
		} else if err != nil {
			s.err = err
			s.eof = true
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// find returns the index (from s.pos) of the first occurrence of sep at or after s.pos+from, reading
// more input as needed; -1 at the end of input.
func (s *scanner) find(from int, sep []byte) int {
	for {
		if s.pos+from <= s.end {
			if i := bytes.Index(s.buf[s.pos+from:s.end], sep); i >= 0 {
				return from + i
			}
		}
		from = max(from, s.end-s.pos-len(sep)+1)
		if !s.fill() {
			return -1
		}
	}
}

// need makes sure n bytes are available from s.pos, unless the input ends first.
func (s *scanner) need(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// next returns the next token.
func (s *scanner) next() tokenKind {
	if s.err != nil {
		return tokError
	}
	if s.pendingEnd {
		s.pendingEnd = false
		return s.pop()
	}
	for {
		if s.pos >= s.end && !s.fill() {
			if s.err != nil {
				return tokError
			}
			if len(s.opens) > 0 {
				return s.fail("unexpected EOF")
			}
			return tokEOF
		}
		if s.buf[s.pos] != '<' {
			return s.charData()
		}
		if !s.need(2) {
			return s.fail("unexpected EOF")
		}
		switch s.buf[s.pos+1] {
		case '/':
			return s.endTag()
		case '?':
			if k := s.skipPI(); k != tokEOF {
				return k
			}
		case '!':
			if k := s.bang(); k != tokEOF {
				return k
			}
		default:
			return s.startTag()
		}
	}
}

// charData reads text up to the next '<'.
func (s *scanner) charData() tokenKind {
	i := s.find(0, []byte{'<'})
	if i < 0 {
		i = s.end - s.pos
	}
	raw := s.buf[s.pos : s.pos+i]
	s.pos += i
	s.text = s.text[:0]
	for len(raw) > 0 {
		j := bytes.IndexAny(raw, "&\r")
		if j < 0 {
			s.text = append(s.text, raw...)
			break
		}
		s.text = append(s.text, raw[:j]...)
		if raw[j] == '\r' {
			s.text = append(s.text, '\n')
			raw = raw[j+1:]
			if len(raw) > 0 && raw[0] == '\n' {
				raw = raw[1:]
			}
			continue
		}
		n, ok := s.entity(raw[j:])
		if !ok {
			return s.fail("invalid character entity %q", truncate(raw[j:]))
		}
		raw = raw[j+n:]
	}
	if !validChars(s.text) {
		return s.fail("illegal character code in text")
	}
	return tokText
}

// entity decodes the reference at the start of b (b[0] == '&') onto s.text and returns its length.
func (s *scanner) entity(b []byte) (int, bool) {
	semi := bytes.IndexByte(b, ';')
	if semi < 2 {
		return 0, false
	}
	name := b[1:semi]
	if name[0] == '#' {
		var v uint64
		var err error
		if len(name) > 1 && name[1] == 'x' {
			v, err = strconv.ParseUint(string(name[2:]), 16, 32)
		} else {
			v, err = strconv.ParseUint(string(name[1:]), 10, 32)
		}
		if err != nil || v > unicode.MaxRune {
			return 0, false
		}
		// A surrogate becomes U+FFFD, as string(rune(v)) makes it; the character check of the
		// decoded text then applies, as in encoding/xml.
		s.text = utf8.AppendRune(s.text, rune(v))
		return semi + 1, true
	}
	switch string(name) {
	case "lt":
		s.text = append(s.text, '<')
	case "gt":
		s.text = append(s.text, '>')
	case "amp":
		s.text = append(s.text, '&')
	case "apos":
		s.text = append(s.text, '\'')
	case "quot":
		s.text = append(s.text, '"')
	default:
		return 0, false
	}
	return semi + 1, true
}

// attrSpan is an attribute of the current start tag: its name and its raw value, as offsets from
// the tag's '<'.
type attrSpan struct{ name, value [2]int }

// more makes byte i (from s.pos) available, reading more input as needed.
func (s *scanner) more(i int) bool {
	for s.pos+i >= s.end {
		if !s.fill() {
			return false
		}
	}
	return true
}

// nameAt returns the length of the name starting at byte i (from s.pos).
func (s *scanner) nameAt(i int) int {
	for {
		n := nameLen(s.buf[min(s.pos+i, s.end):s.end])
		if s.pos+i+n < s.end || !s.fill() {
			return n
		}
	}
}

// spaceAt skips white space from byte i (from s.pos) and returns the next byte's index.
func (s *scanner) spaceAt(i int) (int, bool) {
	for {
		if !s.more(i) {
			return i, false
		}
		if !isSpace(s.buf[s.pos+i]) {
			return i, true
		}
		i++
	}
}

// startTag reads <name attr="v" …> or <name …/> in one pass, keeping where each attribute is: a
// name, then name="value" or name='value' pairs (encoding/xml needs no space between them), a value
// with no '<' and only references encoding/xml knows.
func (s *scanner) startTag() tokenKind {
	s.spans = s.spans[:0]
	n := s.nameAt(1)
	if n == 0 {
		if !s.more(1) {
			return s.fail("unexpected EOF in a tag")
		}
		return s.fail("expected element name after <")
	}
	i := 1 + n
	for {
		var ok bool
		if i, ok = s.spaceAt(i); !ok {
			return s.fail("unexpected EOF in a tag")
		}
		c := s.buf[s.pos+i]
		if c == '>' {
			s.selfClose = false
			break
		}
		if c == '/' {
			if !s.more(i+1) || s.buf[s.pos+i+1] != '>' {
				return s.fail("expected /> in element")
			}
			s.selfClose = true
			i++
			break
		}
		var a attrSpan
		m := s.nameAt(i)
		if m == 0 {
			return s.fail("expected attribute name in element")
		}
		a.name = [2]int{i, i + m}
		if i, ok = s.spaceAt(i + m); !ok || s.buf[s.pos+i] != '=' {
			return s.fail("attribute name without = in element")
		}
		if i, ok = s.spaceAt(i + 1); !ok {
			return s.fail("unexpected EOF in a tag")
		}
		q := s.buf[s.pos+i]
		if q != '"' && q != '\'' {
			return s.fail("unquoted or missing attribute value in element")
		}
		j := -1
		for {
			if j = bytes.IndexByte(s.buf[s.pos+i+1:s.end], q); j >= 0 || !s.fill() {
				break
			}
		}
		if j < 0 {
			return s.fail("unexpected EOF in an attribute value")
		}
		v := s.buf[s.pos+i+1 : s.pos+i+1+j]
		if bytes.IndexByte(v, '<') >= 0 {
			return s.fail("unescaped < inside quoted string")
		}
		if !validRefs(v) {
			return s.fail("invalid character entity in attribute value")
		}
		a.value = [2]int{i + 1, i + 1 + j}
		s.spans = append(s.spans, a)
		i += j + 2
	}
	s.tagAt = s.pos
	s.name = s.buf[s.pos+1 : s.pos+1+n]
	s.local = localName(s.name)
	s.pos += i + 1
	s.opens = append(s.opens, len(s.open))
	s.open = append(s.open, s.name...)
	s.pendingEnd = s.selfClose
	return tokStart
}

// attrCount is the number of attributes of the current start tag.
func (s *scanner) attrCount() int { return len(s.spans) }

// attrLocal returns the local name of attribute i.
func (s *scanner) attrLocal(i int) []byte {
	a := s.spans[i]
	return localName(s.buf[s.tagAt+a.name[0] : s.tagAt+a.name[1]])
}

// attrValue returns the value of attribute i, references decoded and line ends normalised to "\n"
// as encoding/xml does (tabs stay), appended to dst[:0] — or the raw bytes when there is nothing to
// decode.
func (s *scanner) attrValue(i int, dst []byte) []byte {
	a := s.spans[i]
	v := s.buf[s.tagAt+a.value[0] : s.tagAt+a.value[1]]
	if bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, '\r') < 0 {
		return v
	}
	dst = dst[:0]
	for len(v) > 0 {
		j := bytes.IndexAny(v, "&\r")
		if j < 0 {
			dst = append(dst, v...)
			break
		}
		dst = append(dst, v[:j]...)
		if v[j] == '\r' {
			if j+1 < len(v) && v[j+1] == '\n' {
				j++
			}
			dst = append(dst, '\n')
			v = v[j+1:]
			continue
		}
		save := s.text
		s.text = dst
		k, _ := s.entity(v[j:]) // checked by startTag
		dst, s.text = s.text, save
		v = v[j+k:]
	}
	return dst
}

// attr returns the value of the current start tag's attribute with local name want (the first such),
// decoded as attrValue does.
func (s *scanner) attr(want string, dst []byte) ([]byte, bool) {
	for i := range s.spans {
		if string(s.attrLocal(i)) == want {
			return s.attrValue(i, dst), true
		}
	}
	return dst, false
}

// endTag reads </name>, which must close the innermost open element.
func (s *scanner) endTag() tokenKind {
	i := s.find(2, []byte{'>'})
	if i < 0 {
		return s.fail("unexpected EOF in an end tag")
	}
	tag := s.buf[s.pos+2 : s.pos+i]
	s.pos += i + 1
	n := nameLen(tag)
	if n == 0 || len(trimSpace(tag[n:])) != 0 {
		return s.fail("invalid end tag")
	}
	s.name = tag[:n]
	s.local = localName(s.name)
	if len(s.opens) == 0 {
		return s.fail("unexpected end element </%s>", s.name)
	}
	top := s.open[s.opens[len(s.opens)-1]:]
	if !bytes.Equal(top, s.name) {
		return s.fail("element <%s> closed by </%s>", top, s.name)
	}
	s.open = s.open[:s.opens[len(s.opens)-1]]
	s.opens = s.opens[:len(s.opens)-1]
	return tokEnd
}

// pop ends the innermost open element (a self-closing tag's end).
func (s *scanner) pop() tokenKind {
	at := s.opens[len(s.opens)-1]
	s.name = s.open[at:]
	s.local = localName(s.name)
	s.open = s.open[:at]
	s.opens = s.opens[:len(s.opens)-1]
	return tokEnd
}

// skipPI skips a processing instruction; an XML declaration must not declare an encoding other
// than UTF-8 (encoding/xml without a charset reader refuses those too).
func (s *scanner) skipPI() tokenKind {
	i := s.find(2, []byte("?>"))
	if i < 0 {
		return s.fail("unexpected EOF in a processing instruction")
	}
	body := s.buf[s.pos+2 : s.pos+i]
	s.pos += i + 2
	n := nameLen(body)
	if n == 0 {
		return s.fail("expected target name after <?")
	}
	if string(body[:n]) == "xml" {
		if k := bytes.Index(body, []byte("encoding=")); k >= 0 {
			v := body[k+len("encoding="):]
			if len(v) > 0 && (v[0] == '"' || v[0] == '\'') {
				if e := bytes.IndexByte(v[1:], v[0]); e >= 0 {
					enc := string(bytes.ToLower(v[1 : 1+e]))
					if enc != "utf-8" && enc != "" {
						return s.fail("encoding %q declared", enc)
					}
				}
			}
		}
	}
	return tokEOF // nothing to return: go on
}

// bang handles <!-- comments -->, <![CDATA[ sections ]]> and <!DIRECTIVES>.
func (s *scanner) bang() tokenKind {
	s.need(9)
	rest := s.buf[s.pos:s.end]
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		i := s.find(4, []byte("--"))
		if i < 0 {
			return s.fail("unexpected EOF in a comment")
		}
		if !s.need(i + 3) {
			return s.fail("unexpected EOF in a comment")
		}
		if s.buf[s.pos+i+2] != '>' {
			return s.fail(`invalid sequence "--" not allowed in comments`)
		}
		s.pos += i + 3
		return tokEOF
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		i := s.find(9, []byte("]]>"))
		if i < 0 {
			return s.fail("unexpected EOF in CDATA section")
		}
		raw := s.buf[s.pos+9 : s.pos+i]
		s.pos += i + 3
		s.text = s.text[:0]
		for len(raw) > 0 {
			j := bytes.IndexByte(raw, '\r')
			if j < 0 {
				s.text = append(s.text, raw...)
				break
			}
			s.text = append(s.text, raw[:j]...)
			s.text = append(s.text, '\n')
			raw = raw[j+1:]
			if len(raw) > 0 && raw[0] == '\n' {
				raw = raw[1:]
			}
		}
		if !validChars(s.text) {
			return s.fail("illegal character code in CDATA")
		}
		return tokText
	case len(rest) >= 3 && rest[2] == '[':
		return s.fail("invalid <![ sequence")
	}
	// A directive (<!DOCTYPE …>): skip to its '>', minding nested <…>, quotes and comments.
	depth, quote, i := 0, byte(0), 2
	for {
		if s.pos+i >= s.end && !s.fill() {
			return s.fail("unexpected EOF in a directive")
		}
		c := s.buf[s.pos+i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '<':
			if s.need(i+4) && bytes.HasPrefix(s.buf[s.pos+i:s.end], []byte("<!--")) {
				j := s.find(i+4, []byte("-->"))
				if j < 0 {
					return s.fail("unexpected EOF in a comment")
				}
				i = j + 2
				break
			}
			depth++
		case c == '>':
			if depth == 0 {
				s.pos += i + 1
				return tokEOF
			}
			depth--
		}
		i++
	}
}

// skip consumes the rest of the element just started, children included.
func (s *scanner) skip() bool {
	for depth := 1; depth > 0; {
		switch s.next() {
		case tokStart:
			depth++
		case tokEnd:
			depth--
		case tokEOF, tokError:
			if s.err == nil {
				s.fail("unexpected EOF")
			}
			return false
		}
	}
	return true
}

// ownText reads the element just started and returns the character data that is its own — not that
// of child elements, which are skipped (encoding/xml's rule for a string field) — appended to dst.
func (s *scanner) ownText(dst []byte) ([]byte, bool) {
	for {
		switch s.next() {
		case tokText:
			dst = append(dst, s.text...)
		case tokStart:
			if !s.skip() {
				return dst, false
			}
		case tokEnd:
			return dst, true
		default:
			if s.err == nil {
				s.fail("unexpected EOF")
			}
			return dst, false
		}
	}
}

func truncate(b []byte) []byte {
	if len(b) > 16 {
		return b[:16]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// nameLen returns the length of the XML name at the start of b: a letter, '_', ':' or any non-ASCII
// byte first, then also digits, '-' and '.'.
func nameLen(b []byte) int {
	if len(b) == 0 || !(b[0] >= 'a' && b[0] <= 'z' || b[0] >= 'A' && b[0] <= 'Z' || b[0] == '_' || b[0] == ':' || b[0] >= 0x80) {
		return 0
	}
	i := 1
	for i < len(b) {
		c := b[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':' || c == '-' || c == '.' || c >= 0x80 {
			i++
			continue
		}
		break
	}
	return i
}

// localName strips a namespace prefix as encoding/xml does: at the first ':', unless it is the first
// or last character.
func localName(name []byte) []byte {
	for i, c := range name {
		if c == ':' {
			if i >= 1 && i < len(name)-1 {
				return name[i+1:]
			}
			return name
		}
	}
	return name
}

// validChars reports whether b is UTF-8 made only of characters XML allows.
func validChars(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !isInCharacterRange(r) {
			return false
		}
		i += n
	}
	return true
}

// validRefs reports whether every '&' in an attribute value starts a reference encoding/xml knows.
func validRefs(b []byte) bool {
	var s scanner
	for {
		j := bytes.IndexByte(b, '&')
		if j < 0 {
			return true
		}
		n, ok := s.entity(b[j:])
		if !ok {
			return false
		}
		b = b[j+n:]
	}
}

// isInCharacterRange is XML's Char production (as in encoding/xml).
func isInCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
