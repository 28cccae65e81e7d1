package templates

import (
	"archive/zip"
	"bytes"
	"errors"
	"path/filepath"
	"strings"

	"lingpao"
)

// fileFinding is a finding about the whole file.
func fileFinding(rule, msg string) lingpao.Finding {
	return lingpao.Finding{Severity: lingpao.SevError, Rule: rule, Message: msg}
}

// oleMagic starts an OLE compound file: legacy .xls, WPS .et, and any password-protected Office file.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// sniff recognises what a file really is from its bytes, whatever its name says; the name's extension
// only tells apart formats that share a container (.xls and .et).
func sniff(b []byte, name string) (lingpao.Finding, bool) {
	ext := strings.ToLower(filepath.Ext(name))
	switch {
	case len(b) == 0:
		return fileFinding("file.empty", "文件是空的（0 字节），可能复制未完成或保存失败：请在 Excel 中重新保存后再放入收件箱。"), false
	case bytes.HasPrefix(b, oleMagic):
		switch {
		case bytes.Contains(b, utf16("EncryptionInfo")) || bytes.Contains(b, utf16("EncryptedPackage")):
			return fileFinding("file.encrypted", "文件设置了打开密码，系统无法读取：请在 Excel 中取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码；WPS：文件→文档加密→密码加密，清空）后保存为 .xlsx 重新报送。"), false
		case ext == ".et" || ext == ".ett":
			return fileFinding("file.et", "这是 WPS 表格（.et）格式的文件：请在 WPS 中打开，选择“文件→另存为”，文件类型选“Microsoft Excel 文件（*.xlsx）”，再重新报送。"), false
		}
		return fileFinding("file.xls", "这是旧版 Excel 97-2003（.xls）格式的文件：请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）格式，再重新报送。"), false
	case bytes.HasPrefix(b, []byte("PK\x03\x04")), bytes.HasPrefix(b, []byte("PK\x05\x06")):
		return lingpao.Finding{}, true
	case looksLikeText(b):
		return fileFinding("file.csv", "这是文本（CSV）文件，不是 Excel 工作簿，可能只是改了扩展名：请在下发的 .xlsx 模板中填报，用 Excel 保存为 .xlsx 后重新报送。"), false
	}
	return fileFinding("file.unknown", "无法识别的文件格式（不是 Excel .xlsx 工作簿）：请使用下发的模板填报并保存为 .xlsx 格式。"), false
}

func utf16(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

// looksLikeText reports text: UTF-16 with a byte-order mark (Excel's "Unicode text"), or bytes
// without control characters other than tab and line breaks — UTF-8 and GBK CSV files alike.
func looksLikeText(b []byte) bool {
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		return true
	}
	for _, c := range b[:min(len(b), 4096)] {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7F {
			return false
		}
	}
	return true
}

// bombRatio is the compression ratio beyond which a large part is taken for a zip bomb; real sheets
// compress 5–50 times.
const bombRatio = 200

// checkZip looks inside the zip before anything decompresses it: a truncated file (copy interrupted),
// a corrupt one, a zip bomb (declared sizes beyond the limit, or an absurd compression ratio), and zips
// that are not workbooks (.ods, .docx renamed) each get their own explanation.
func checkZip(b []byte, lim Limits) (*zip.Reader, lingpao.Finding, bool) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tail := b[max(0, len(b)-65557):]
		if !bytes.Contains(tail, []byte("PK\x05\x06")) {
			return nil, fileFinding("file.truncated", "文件不完整（结尾缺失），可能是复制或下载中断：请重新复制完整的文件，或在 Excel 中重新保存后再放入收件箱。"), false
		}
		return nil, corrupt(), false
	}
	var total uint64
	names := map[string]bool{}
	for _, f := range zr.File {
		names[strings.ToLower(f.Name)] = true
		total += f.UncompressedSize64
		if f.UncompressedSize64 > 1<<20 && (f.CompressedSize64 == 0 || f.UncompressedSize64/f.CompressedSize64 > bombRatio) {
			return nil, bomb(), false
		}
	}
	if total > uint64(lim.UnzipSize) {
		return nil, bomb(), false
	}
	switch {
	case names["mimetype"] && names["content.xml"]:
		return nil, fileFinding("file.ods", "这是 OpenDocument（.ods）表格：请用 WPS、LibreOffice 或 Excel“另存为”Excel 工作簿（*.xlsx）格式后重新报送。"), false
	case names["word/document.xml"]:
		return nil, fileFinding("file.not_xlsx", "这是 Word 文档（.docx），不是 Excel 工作簿：请在下发的 .xlsx 模板中填报。"), false
	case !names["xl/workbook.xml"] && !names["[content_types].xml"]:
		return nil, fileFinding("file.not_xlsx", "文件不是 Excel 工作簿（可能是其他压缩包改了扩展名）：请在下发的 .xlsx 模板中填报。"), false
	}
	return zr, lingpao.Finding{}, true
}

func corrupt() lingpao.Finding {
	return fileFinding("file.corrupt", "文件已损坏，无法读取（压缩包数据出错）：请用 Excel 打开确认无误后重新保存，再放入收件箱；如打不开，请重新填报。")
}

func bomb() lingpao.Finding {
	return fileFinding("file.bomb", "文件解压后异常巨大（疑似“压缩炸弹”或粘贴了大量无关内容），系统拒绝读取：请使用下发的模板重新填报，不要粘贴图片或整表数据。")
}

// packageFailure explains why a zip-shaped file could not be read as a workbook.
func packageFailure(err error) lingpao.Finding {
	if errors.Is(err, errTooLarge) {
		return bomb()
	}
	if errors.Is(err, errPackage) && strings.Contains(err.Error(), "missing part") {
		return fileFinding("file.not_xlsx", "文件不是有效的 Excel 工作簿（.xlsx），缺少必要的组成部分：请用 Excel 或 WPS 打开模板填报后另存为 .xlsx 重新报送。")
	}
	return corrupt()
}
