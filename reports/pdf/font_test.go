package pdf

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
)

// copyFont copies the regular test font to dir/name, so that a test owns a file it may delete.
func copyFont(t *testing.T, src, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// writeFile writes a small file with the given content, such as a font header.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestResolveFontsWellKnown(t *testing.T) {
	f := fontsForTest(t)
	if len(f.Regular) == 0 || f.RegularPath == "" {
		t.Fatalf("ResolveFonts found no regular face: %+v", f.RegularPath)
	}
	got, err := resolveFonts("", "", "", "", wellKnownFonts("linux"))
	if err != nil {
		t.Fatalf("%v; %s", err, installHint)
	}
	if !strings.HasSuffix(got.RegularPath, "LXGWWenKai-Regular.ttf") || !strings.HasSuffix(got.BoldPath, "LXGWWenKai-Bold.ttf") || got.BoldFromRegular {
		t.Errorf("well-known fonts: regular %s, bold %s (from regular: %v); want LXGW WenKai Regular and Bold",
			got.RegularPath, got.BoldPath, got.BoldFromRegular)
	}
}

func TestResolveFontsOrder(t *testing.T) {
	src := fontsForTest(t).RegularPath
	dir := t.TempDir()
	config := copyFont(t, src, dir, "Config-Regular.ttf")
	env := copyFont(t, src, dir, "Env.ttf")
	known := []fontPair{{src, ""}}

	f, err := resolveFonts(config, "", env, "", known)
	if err != nil || f.RegularPath != config {
		t.Fatalf("config path given: got %v, %v; want %s", f, err, config)
	}
	f, err = resolveFonts("", "", env, "", known)
	if err != nil || f.RegularPath != env {
		t.Fatalf("env set: got %v, %v; want %s", f, err, env)
	}
	// No bold anywhere: the regular face is used for bold, and says so.
	if !f.BoldFromRegular || f.BoldPath != env || &f.Bold[0] != &f.Regular[0] {
		t.Errorf("no bold face: BoldFromRegular %v, BoldPath %s", f.BoldFromRegular, f.BoldPath)
	}
	// A bold sibling of the configured regular file is found.
	bold := copyFont(t, src, dir, "Config-Bold.ttf")
	f, err = resolveFonts(config, "", "", "", known)
	if err != nil || f.BoldPath != bold || f.BoldFromRegular {
		t.Errorf("bold sibling: got %s (from regular %v), %v; want %s", f.BoldPath, f.BoldFromRegular, err, bold)
	}
	// The public function reads the environment.
	t.Setenv("LINGPAO_FONT", env)
	t.Setenv("LINGPAO_FONT_BOLD", bold)
	f, err = ResolveFonts("", "")
	if err != nil || f.RegularPath != env || f.BoldPath != bold {
		t.Errorf("ResolveFonts with LINGPAO_FONT and LINGPAO_FONT_BOLD: got %+v, %v", f, err)
	}
}

func TestResolveFontsRefused(t *testing.T) {
	dir := t.TempDir()
	ttc := writeFile(t, dir, "collection.ttc", "ttcf\x00\x02\x00\x00")
	otf := writeFile(t, dir, "cff.otf", "OTTO\x00\x0a")
	txt := writeFile(t, dir, "notes.ttf", "hello")
	missing := filepath.Join(dir, "missing.ttf")

	tests := []struct {
		name, path, reason string
	}{
		{"collection", ttc, "这是 .ttc 字体集合"},
		{"cff", otf, "CFF 轮廓的 OpenType（OTF）字体"},
		{"not a font", txt, "文件不是 TrueType 字体"},
		{"missing", missing, "文件不存在"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := resolveFonts(tt.path, "", "", "", nil)
			if lingpao.ErrorCode(err) != lingpao.EINVALID {
				t.Fatalf("error %v, want a lingpao EINVALID error", err)
			}
			msg := lingpao.ErrorMessage(err)
			for _, want := range []string{"lingpao.yaml 的 fonts.regular", tt.path, tt.reason, "fonts-lxgw-wenkai"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
			_, err = resolveFonts("", tt.path, "", "", []fontPair{{fontsForTest(t).RegularPath, ""}})
			if msg := lingpao.ErrorMessage(err); !strings.Contains(msg, "lingpao.yaml 的 fonts.bold") || !strings.Contains(msg, tt.reason) {
				t.Errorf("bad bold path: message %q", msg)
			}
		})
	}

	t.Run("none usable", func(t *testing.T) {
		_, err := resolveFonts("", "", "", "", []fontPair{{missing, ""}, {ttc, ""}, {otf, ""}})
		if lingpao.ErrorCode(err) != lingpao.EINVALID {
			t.Fatalf("error %v, want a lingpao EINVALID error", err)
		}
		msg := lingpao.ErrorMessage(err)
		if !strings.HasPrefix(msg, noFontMessage) {
			t.Errorf("message %q does not start with the install advice", msg)
		}
		if !strings.Contains(msg, ttc+"（这是 .ttc 字体集合") || !strings.Contains(msg, otf+"（这是 CFF") || strings.Contains(msg, missing) {
			t.Errorf("message %q should list the refused fonts with reasons and not the absent one", msg)
		}
		if want := "未找到可用的中文 TrueType 字体。请安装：sudo apt-get install fonts-lxgw-wenkai（Debian/Ubuntu），或在 lingpao.yaml 的 fonts.regular 中填写 .ttf 字体路径，或设置环境变量 LINGPAO_FONT。注意：.ttc 和 OTF(CFF) 字体不能使用。"; noFontMessage != want {
			t.Errorf("noFontMessage = %q", noFontMessage)
		}
	})
}

func TestWellKnownFontsWindows(t *testing.T) {
	t.Setenv("WINDIR", `C:\Windows`)
	got := wellKnownFonts("windows")
	want := []string{`C:\Windows\Fonts\simfang.ttf`, `C:\Windows\Fonts\simkai.ttf`, `C:\Windows\Fonts\simhei.ttf`}
	for i, w := range want {
		if got[i].regular != w {
			t.Errorf("windows font %d = %s, want %s", i, got[i].regular, w)
		}
	}
	if got[0].bold != `C:\Windows\Fonts\simhei.ttf` {
		t.Errorf("bold for 仿宋 = %s, want 黑体", got[0].bold)
	}
	if wellKnownFonts("darwin") != nil {
		t.Error("macOS has no usable well-known fonts (its CJK fonts are .ttc)")
	}
}

// TestFontReadOnce shows that a font file is read once per process: after the file is deleted, a
// second resolution and a second document still work, from the cached bytes.
func TestFontReadOnce(t *testing.T) {
	dir := t.TempDir()
	path := copyFont(t, fontsForTest(t).RegularPath, dir, "Once.ttf")
	f1, err := ResolveFonts(path, path)
	if err != nil {
		t.Fatal(err)
	}
	d1, err := New(f1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d1.Paragraph("第一份文档。", ParagraphStyle{})
	if _, err := d1.WriteTo(io.Discard); err != nil {
		t.Fatal(err)
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	f2, err := ResolveFonts(path, path)
	if err != nil {
		t.Fatalf("second ResolveFonts read the deleted file: %v", err)
	}
	if &f2.Regular[0] != &f1.Regular[0] {
		t.Error("second ResolveFonts returned a new copy of the font bytes")
	}
	d2, err := New(f2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	d2.Paragraph("第二份文档。", ParagraphStyle{})
	if _, err := d2.WriteTo(io.Discard); err != nil {
		t.Fatal(err)
	}
}

// TestNewBadFont checks that a file with a TrueType header that gofpdf cannot parse is an error
// that names the file, not a document with no text.
func TestNewBadFont(t *testing.T) {
	path := writeFile(t, t.TempDir(), "Broken.ttf", "\x00\x01\x00\x00"+strings.Repeat("\x00", 64))
	f, err := ResolveFonts(path, "")
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(f, Options{})
	if lingpao.ErrorCode(err) != lingpao.EINVALID || !strings.Contains(lingpao.ErrorMessage(err), path) {
		t.Fatalf("New with a broken font: %v", err)
	}
}

func TestNewNoFonts(t *testing.T) {
	if _, err := New(nil, Options{}); lingpao.ErrorMessage(err) != noFontMessage {
		t.Fatalf("New(nil): %v", err)
	}
}
