package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"lingpao"
)

// Fonts holds the two faces a document embeds. The byte slices are shared with a process-wide cache
// and must not be modified.
type Fonts struct {
	Regular, Bold         []byte
	RegularPath, BoldPath string
	// BoldFromRegular is true when no bold face was found: bold text is then set in the regular face
	// (never a synthesised "fake bold"), and Bold and BoldPath are those of the regular face.
	BoldFromRegular bool

	// cuts are the faces cut down to the characters used so far (fontcut.go), guarded by cutMu.
	cuts *fontCuts
}

// noFontMessage is what a user reads when no usable font was found: what to install, or where to
// configure one.
const noFontMessage = "未找到可用的中文 TrueType 字体。请安装：sudo apt-get install fonts-lxgw-wenkai（Debian/Ubuntu），" +
	"或在 lingpao.yaml 的 fonts.regular 中填写 .ttf 字体路径，或设置环境变量 LINGPAO_FONT。" +
	"注意：.ttc 和 OTF(CFF) 字体不能使用。"

// fontPair is a well-known regular face and the bold face of the same family ("" when it has none).
type fontPair struct{ regular, bold string }

// wellKnownFonts lists the places CJK TrueType fonts are usually installed on goos, best first.
// Collections (.ttc) and CFF-outline fonts are listed too, so that a user who has only those
// installed is told why they were skipped.
func wellKnownFonts(goos string) []fontPair {
	switch goos {
	case "windows":
		dir := os.Getenv("WINDIR")
		if dir == "" {
			dir = `C:\Windows`
		}
		f := func(name string) string { return dir + `\Fonts\` + name }
		// 仿宋 for the body and 黑体 for bold text is the GB/T 9704 look of official documents.
		return []fontPair{
			{f("simfang.ttf"), f("simhei.ttf")},
			{f("simkai.ttf"), f("simhei.ttf")},
			{f("simhei.ttf"), ""},
		}
	case "linux", "freebsd", "openbsd", "netbsd":
		return []fontPair{
			{"/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Bold.ttf"},
			{"/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSansSC-Bold.ttf"},
			{"/usr/share/fonts/truetype/noto/NotoSerifSC-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSerifSC-Bold.ttf"},
			{"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"},
			{"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"},
			{"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", ""},
			{"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", ""},
			{"/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc", ""},
			{"/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc", ""},
			{"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", ""},
		}
	}
	// macOS ships its CJK faces as collections (.ttc), which gofpdf cannot read.
	return nil
}

// ResolveFonts finds the regular and bold faces for PDFs. Each face is looked for, in order, at the
// path given (the workspace config's fonts.regular and fonts.bold), then at $LINGPAO_FONT and
// $LINGPAO_FONT_BOLD, then at the well-known places of the platform. A path that is given but
// cannot be used is an error, not skipped. The bold face falls back to the bold sibling of the
// regular file (…-Regular.ttf → …-Bold.ttf) and finally to the regular face itself.
//
// Relative paths are taken from the current directory; callers resolve them against the workspace.
// Only TrueType-outline (glyf) fonts work: collections (.ttc) and OTF with CFF outlines are refused
// with a message that says so. Font files are read once per process.
func ResolveFonts(regularPath, boldPath string) (*Fonts, error) {
	f, err := resolveFonts(regularPath, boldPath, os.Getenv("LINGPAO_FONT"), os.Getenv("LINGPAO_FONT_BOLD"), wellKnownFonts(runtime.GOOS))
	if err != nil {
		return nil, fmt.Errorf("pdf.ResolveFonts: %w", err)
	}
	return f, nil
}

func resolveFonts(regularPath, boldPath, envRegular, envBold string, known []fontPair) (*Fonts, error) {
	var f Fonts
	var pairedBold string
	switch {
	case regularPath != "":
		if err := f.setRegular(regularPath, "lingpao.yaml 的 fonts.regular"); err != nil {
			return nil, err
		}
	case envRegular != "":
		if err := f.setRegular(envRegular, "环境变量 LINGPAO_FONT"); err != nil {
			return nil, err
		}
	default:
		var skipped []string
		for _, p := range known {
			b, err := readFont(p.regular)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			} else if err != nil {
				skipped = append(skipped, fmt.Sprintf("%s（%s）", p.regular, fontReason(err)))
				continue
			}
			f.Regular, f.RegularPath, pairedBold = b, p.regular, p.bold
			break
		}
		if f.Regular == nil {
			msg := noFontMessage
			if len(skipped) > 0 {
				msg += "已跳过：" + strings.Join(skipped, "；") + "。"
			}
			return nil, lingpao.Errorf(lingpao.EINVALID, "%s", msg)
		}
	}

	switch {
	case boldPath != "":
		return &f, f.setBold(boldPath, "lingpao.yaml 的 fonts.bold")
	case envBold != "":
		return &f, f.setBold(envBold, "环境变量 LINGPAO_FONT_BOLD")
	}
	candidates := []string{pairedBold, boldSibling(f.RegularPath)}
	for _, p := range candidates {
		if p == "" || p == f.RegularPath {
			continue
		}
		if b, err := readFont(p); err == nil {
			f.Bold, f.BoldPath = b, p
			return &f, nil
		}
	}
	f.Bold, f.BoldPath, f.BoldFromRegular = f.Regular, f.RegularPath, true
	return &f, nil
}

func (f *Fonts) setRegular(path, source string) error {
	b, err := readFont(path)
	if err != nil {
		return badFontError(path, source, err)
	}
	f.Regular, f.RegularPath = b, path
	return nil
}

func (f *Fonts) setBold(path, source string) error {
	b, err := readFont(path)
	if err != nil {
		return badFontError(path, source, err)
	}
	f.Bold, f.BoldPath = b, path
	return nil
}

// badFontError says why a font the user named cannot be used, and what would work instead.
func badFontError(path, source string, err error) error {
	return fmt.Errorf("%w: %w", lingpao.Errorf(lingpao.EINVALID,
		"%s 指定的字体“%s”不能使用：%s。请改为 TrueType（.ttf）字体的路径，例如 sudo apt-get install fonts-lxgw-wenkai 后填写 "+
			"/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf。注意：.ttc 和 OTF(CFF) 字体不能使用。",
		source, path, fontReason(err)), err)
}

// boldSibling guesses the bold file of a family from its regular file: …-Regular.ttf → …-Bold.ttf.
func boldSibling(path string) string {
	dir, base := filepath.Split(path)
	for _, pair := range [][2]string{{"Regular", "Bold"}, {"regular", "bold"}, {"REGULAR", "BOLD"}} {
		if strings.Contains(base, pair[0]) {
			return dir + strings.Replace(base, pair[0], pair[1], 1)
		}
	}
	return ""
}

// Reasons a font file is refused. fontReason turns them into Chinese for the user.
var (
	errCollection = errors.New("font is a TrueType/OpenType collection (.ttc)")
	errCFF        = errors.New("font has CFF outlines (OTF)")
	errWebFont    = errors.New("font is a compressed web font (WOFF)")
	errNotFont    = errors.New("file is not a TrueType font")
)

func fontReason(err error) string {
	switch {
	case errors.Is(err, errCollection):
		return "这是 .ttc 字体集合，不能使用"
	case errors.Is(err, errCFF):
		return "这是 CFF 轮廓的 OpenType（OTF）字体，只能使用 TrueType（glyf）轮廓的字体"
	case errors.Is(err, errWebFont):
		return "这是网页字体（WOFF），不能使用"
	case errors.Is(err, errNotFont):
		return "文件不是 TrueType 字体"
	case errors.Is(err, fs.ErrNotExist):
		return "文件不存在"
	case errors.Is(err, fs.ErrPermission):
		return "没有读取权限"
	}
	return "无法读取：" + err.Error()
}

// checkFontHeader reports whether the first four bytes of a font file announce TrueType outlines,
// the only kind gofpdf can embed.
func checkFontHeader(magic []byte) error {
	switch {
	case bytes.Equal(magic, []byte{0, 1, 0, 0}), bytes.Equal(magic, []byte("true")):
		return nil
	case bytes.Equal(magic, []byte("ttcf")):
		return errCollection
	case bytes.Equal(magic, []byte("OTTO")):
		return errCFF
	case bytes.Equal(magic, []byte("wOFF")), bytes.Equal(magic, []byte("wOF2")):
		return errWebFont
	}
	return errNotFont
}

// fontCache holds the font files this process has read, by absolute path. It is the package's only
// mutable state, kept because a CJK font is 10–20 MB and a server renders many documents: each
// file is read once per process. Failures are not cached, so installing a font needs no restart;
// replacing a font file that was already read does.
var fontCache struct {
	mu    sync.Mutex
	files map[string]*fontFile
}

type fontFile struct {
	mu   sync.Mutex
	data []byte
}

// readFont returns the bytes of the TrueType font at path, from the cache when it was read before.
func readFont(path string) ([]byte, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("readFont(%s): %w", path, err)
	}
	fontCache.mu.Lock()
	if fontCache.files == nil {
		fontCache.files = make(map[string]*fontFile)
	}
	ff := fontCache.files[abs]
	if ff == nil {
		ff = new(fontFile)
		fontCache.files[abs] = ff
	}
	fontCache.mu.Unlock()

	// One mutex per file: two documents starting at once read a file once, and reading one font
	// does not hold up the lookup of another.
	ff.mu.Lock()
	defer ff.mu.Unlock()
	if ff.data != nil {
		return ff.data, nil
	}
	data, err := loadFont(abs)
	if err != nil {
		return nil, fmt.Errorf("readFont(%s): %w", path, err)
	}
	ff.data = data
	return data, nil
}

// loadFont reads a font file after checking its header, so that a 20 MB collection is refused
// without being read.
func loadFont(path string) ([]byte, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	magic := make([]byte, 4)
	if _, err := io.ReadFull(fh, magic); err != nil {
		return nil, fmt.Errorf("%w: %w", errNotFont, err)
	}
	if err := checkFontHeader(magic); err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	data := make([]byte, st.Size())
	if n, err := fh.ReadAt(data, 0); n < len(data) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return data, nil
}
