package pdf

// This file is the one place that reaches into gofpdf's unexported state, so that a TrueType face is
// parsed once per process instead of once per document.
//
// gofpdf's AddUTF8FontFromBytes parses the whole font — name, metrics, the cmap of every character
// and a 65,536-entry width table — about 25 ms for a 15 MB CJK face, twice per document with a bold
// face. The result is a value of gofpdf's unexported fontDefType, kept in the Fpdf's unexported
// fonts map. We keep a copy of that value from the first document that parses a face and put it into
// the fonts map of later documents, each with its own subset bookkeeping:
//
//   - usedRunes (the characters a document uses, which decide its subset) is a fresh map per
//     document, as gofpdf would make it;
//   - utf8File (the parser, whose GenerateCutFont cuts the subset when the document is written) is a
//     fresh shallow copy per document with its own fileReader over the same, never modified, font
//     bytes: GenerateCutFont moves the reader and replaces — never modifies in place — the parser's
//     maps and slices, so copies do not disturb each other and documents can be written at once;
//   - everything else (name, descriptor, the width table Cw, the font id) is read only and shared;
//   - documents are written one at a time (cutMu), because gofpdf's subsetter writes into the font
//     bytes it cuts from.
//
// The bridge checks gofpdf's layout by reflection before it relies on it. If a gofpdf release
// changes the layout, parseOnce reports false and New parses every document as before: slower, never
// wrong. TestFontParsedOnce fails in that case, so the change does not go unnoticed.

import (
	"reflect"
	"strings"
	"sync"
	"unsafe"

	"github.com/jung-kurt/gofpdf"
)

// cutMu serialises the writing of documents. When gofpdf cuts a subset it appends padding to tables
// that are sub-slices of the font bytes (utf8FontFile.generateChecksum), so it writes zeros into the
// bytes between tables — zeros over zeros in a well-formed font, but a data race between documents
// that share the bytes, which readFont and the parsed-face cache make every document do. Cutting
// takes a few milliseconds; documents are laid out in parallel and written one at a time.
var cutMu sync.Mutex

// parsedFont is a face as gofpdf parsed it: a copy of its fontDefType, never handed out itself.
type parsedFont struct {
	def reflect.Value // gofpdf.fontDefType
}

// parsedFonts caches parsed faces by the address of the first byte of the font data (the bytes are
// shared process-wide by readFont, so one file is one key) and the gofpdf family name. It is the
// package's second piece of process state, next to fontCache, for the same reason: a server renders
// many documents.
var parsedFonts struct {
	mu    sync.Mutex
	faces map[parsedKey]*parsedFont
}

type parsedKey struct {
	data   *byte
	size   int
	family string
}

// fontLayout is what the bridge needs of gofpdf, found once by reflection; ok is false when gofpdf's
// internals are not as expected.
var fontLayout = sync.OnceValue(func() (l layout) {
	ft := reflect.TypeOf((*gofpdf.Fpdf)(nil)).Elem()
	fonts, found := ft.FieldByName("fonts")
	if !found || fonts.Type.Kind() != reflect.Map || fonts.Type.Key().Kind() != reflect.String {
		return l
	}
	def := fonts.Type.Elem()
	if def.Kind() != reflect.Struct {
		return l
	}
	used, ok1 := def.FieldByName("usedRunes")
	file, ok2 := def.FieldByName("utf8File")
	cw, ok3 := def.FieldByName("Cw")
	if !ok1 || !ok2 || !ok3 || used.Type != reflect.TypeOf(map[int]int(nil)) || cw.Type != reflect.TypeOf([]int(nil)) ||
		file.Type.Kind() != reflect.Pointer || file.Type.Elem().Kind() != reflect.Struct {
		return l
	}
	reader, ok := file.Type.Elem().FieldByName("fileReader")
	if !ok || reader.Type.Kind() != reflect.Pointer || reader.Type.Elem().Kind() != reflect.Struct {
		return l
	}
	pos, ok4 := reader.Type.Elem().FieldByName("readerPosition")
	arr, ok5 := reader.Type.Elem().FieldByName("array")
	if !ok4 || !ok5 || pos.Type.Kind() != reflect.Int64 || arr.Type != reflect.TypeOf([]byte(nil)) {
		return l
	}
	return layout{ok: true, fonts: fonts.Index, used: used.Index, file: file.Index, reader: reader.Index, pos: pos.Index, array: arr.Index}
})

type layout struct {
	ok                             bool
	fonts, used, file, reader, pos []int
	array                          []int // the fileReader's bytes (fontcut.go)
}

// field returns the (possibly unexported) field at index of the addressable struct v, settable.
func field(v reflect.Value, index []int) reflect.Value {
	f := v.FieldByIndex(index)
	return reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem()
}

// fontsMap returns p's fonts map.
func fontsMap(p *gofpdf.Fpdf, l layout) reflect.Value {
	return field(reflect.ValueOf(p).Elem(), l.fonts)
}

// fontKey is gofpdf's key of a family in the regular style (getFontKey lower-cases the family).
func fontKey(family string) string { return strings.ToLower(family) }

// addFontOnce registers the face data as family with p, parsing it only the first time this process
// sees it. It reports whether the face came from the cache; on any doubt it lets gofpdf parse.
func addFontOnce(p *gofpdf.Fpdf, family string, data []byte) (cached bool, err error) {
	l := fontLayout()
	if !l.ok || len(data) == 0 {
		return false, addFont(p, family, data)
	}
	key := parsedKey{data: &data[0], size: len(data), family: family}
	parsedFonts.mu.Lock()
	defer parsedFonts.mu.Unlock() // parsing under the lock: two documents starting at once parse once
	if pf := parsedFonts.faces[key]; pf != nil {
		fontsMap(p, l).SetMapIndex(reflect.ValueOf(fontKey(family)), pf.instance(l))
		p.SetFont(family, "", 12)
		return true, p.Error()
	}
	if err := addFont(p, family, data); err != nil {
		return false, err
	}
	def := fontsMap(p, l).MapIndex(reflect.ValueOf(fontKey(family)))
	if !def.IsValid() {
		return false, nil // registered under another key: leave it to gofpdf next time too
	}
	if parsedFonts.faces == nil {
		parsedFonts.faces = map[parsedKey]*parsedFont{}
	}
	parsedFonts.faces[key] = capture(def, l)
	return false, nil
}

// capture copies a freshly added fontDefType: its own parser copy and its own copy of the initial
// usedRunes (the live ones belong to the document that parsed it).
func capture(def reflect.Value, l layout) *parsedFont {
	c := reflect.New(def.Type()).Elem()
	c.Set(def)
	used := field(c, l.used)
	used.Set(reflect.ValueOf(copyRunes(used.Interface().(map[int]int))))
	file := field(c, l.file)
	file.Set(copyParser(file, l))
	return &parsedFont{def: c}
}

// instance returns a copy of the cached face for one more document.
func (pf *parsedFont) instance(l layout) reflect.Value {
	c := reflect.New(pf.def.Type()).Elem()
	c.Set(pf.def)
	used := field(c, l.used)
	used.Set(reflect.ValueOf(copyRunes(used.Interface().(map[int]int))))
	file := field(c, l.file)
	file.Set(copyParser(file, l))
	return c
}

// copyParser returns a shallow copy of the *utf8FontFile in file with a fresh fileReader over the
// same bytes, at position 0.
func copyParser(file reflect.Value, l layout) reflect.Value {
	if file.IsNil() {
		return file
	}
	np := reflect.New(file.Type().Elem())
	np.Elem().Set(file.Elem())
	rd := field(np.Elem(), l.reader)
	if !rd.IsNil() {
		nr := reflect.New(rd.Type().Elem())
		nr.Elem().Set(rd.Elem())
		field(nr.Elem(), l.pos).SetInt(0)
		rd.Set(nr)
	}
	return np
}

func copyRunes(m map[int]int) map[int]int {
	out := make(map[int]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
