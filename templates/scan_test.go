package templates

import (
	"strings"
	"testing"
	"testing/iotest"
)

// scanText returns the character data of a document as the scanner reads it, or its error. A reader
// giving one byte at a time makes every token straddle buffer refills.
func scanText(doc string, oneByte bool) (string, error) {
	var r = strings.NewReader(doc)
	sc := newScanner(r, nil)
	if oneByte {
		sc = newScanner(iotest.OneByteReader(strings.NewReader(doc)), make([]byte, 0, 32<<10))
	}
	var b strings.Builder
	for {
		switch sc.next() {
		case tokEOF:
			return b.String(), nil
		case tokError:
			return "", sc.err
		case tokText:
			b.Write(sc.text)
		case tokStart:
			b.WriteString("<" + string(sc.local) + ">")
		case tokEnd:
			b.WriteString("</" + string(sc.local) + ">")
		}
	}
}

func TestScanner(t *testing.T) {
	for _, tc := range []struct {
		doc, want string
	}{
		{`<?xml version="1.0" encoding="UTF-8"?><a>x</a>`, "<a>x</a>"},
		{`<a b='1' c="2"d="3"/>`, "<a></a>"},
		{`<x:a xmlns:x="u"><x:b>1</x:b></x:a>`, "<a><b>1</b></a>"},
		{"<a>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#xD800;</a>", "<a><>&'\"AB\uFFFD</a>"},
		{"<a>l1\r\nl2\rl3\n</a>", "<a>l1\nl2\nl3\n</a>"},
		{"<a><![CDATA[<&>\r\n]]></a>", "<a><&>\n</a>"},
		{"<a><!-- c --><?pi d?>t<!DOCTYPE x [<!ENTITY y 'z'>]></a>", "<a>t</a>"},
		{`<a title="x>y">z</a>`, "<a>z</a>"},
		{"\uFEFF<a>中文</a>", "\uFEFF<a>中文</a>"},
	} {
		for _, oneByte := range []bool{false, true} {
			got, err := scanText(tc.doc, oneByte)
			if err != nil || got != tc.want {
				t.Errorf("scan %q (one byte %v) = %q, %v; want %q", tc.doc, oneByte, got, err, tc.want)
			}
			if !wellFormed([]byte(tc.doc)) {
				t.Errorf("encoding/xml rejects %q: the case is not well formed", tc.doc)
			}
		}
	}
	for _, doc := range []string{
		"<a></b>", "<a>", "</a>", "<a>&nbsp;</a>", "<a>&#0;</a>", "<a>\x01</a>", "<a>\xff</a>", `<a b=1/>`, `<a b="1</a>`,
		`<a b="<"/>`, "<a><!-- x -- y --></a>", "<1a/>", `<?xml version="1.0" encoding="GBK"?><a/>`, "<a><![CDATA[x</a>", "<a>&#x110000;</a>",
	} {
		if _, err := scanText(doc, false); err == nil {
			t.Errorf("scan %q: no error", doc)
		}
		if wellFormed([]byte(doc)) {
			t.Errorf("encoding/xml accepts %q: the case is not malformed", doc)
		}
	}
}

func TestUnescapeXstring(t *testing.T) {
	for in, want := range map[string]string{
		"plain": "plain", "a_x000D_b": "a\rb", "_x005F_x0041_": "_x0041_", "_x0041__x0042_": "AB", "_xD83D_": "", "_x004": "_x004",
		"_X0041_": "_X0041_", "_x00e9_": "é", "__x0041_": "_A",
	} {
		if got := unescapeXstring(in); got != want {
			t.Errorf("unescapeXstring(%q) = %q, want %q", in, got, want)
		}
	}
}
