package pdf

// Cutting a face once for many documents.
//
// When gofpdf writes a document it cuts the subset of each face the document uses
// (utf8FontFile.GenerateCutFont), and to do so it parses the whole face again: the cmap of every
// character and the metrics and offsets of every glyph, 15–20 ms for a CJK face of 20,000 glyphs,
// twice per document with a bold face — most of the time of a one-page 体检表, and of 167 of them.
//
// Fonts therefore keeps, per face, a cut of it that covers every character its documents have used
// so far (and those announced with Expect), itself a TrueType face made by gofpdf's own subsetter.
// A document whose characters it covers is cut from that small face instead of the full one: the
// same glyphs, outlines and metrics, a fraction of the parsing. A document with a character it
// lacks has the face cut again from the full one, for everything seen and expected so far. The
// widths written into the document come from the full face as before (gofpdf's Cw), and the
// CIDToGIDMap from the cut, so the document reads and prints the same.
//
// Everything here runs under cutMu, which already serialises the writing of documents.

import (
	"reflect"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
)

// fontCuts is the cut of each face of a Fonts, by the address of the face's first byte.
type fontCuts struct {
	faces    map[*byte]*faceCut
	expected map[int]int
}

// faceCut is a face cut down to runes.
type faceCut struct {
	runes map[int]int
	data  []byte
}

// Expect announces text the documents about to be written with f will show — the content of a batch
// of 体检表, say — so that each face is cut once for all of them rather than again whenever a
// document brings a character the earlier ones did not have.
func (f *Fonts) Expect(text string) {
	cutMu.Lock()
	defer cutMu.Unlock()
	c := f.fontCuts()
	for _, r := range text {
		if r != utf8.RuneError && r >= 0x20 {
			c.expected[int(r)] = int(r)
		}
	}
}

// fontCuts returns f's cuts, made on first use; cutMu is held.
func (f *Fonts) fontCuts() *fontCuts {
	if f.cuts == nil {
		f.cuts = &fontCuts{faces: map[*byte]*faceCut{}, expected: map[int]int{}}
	}
	return f.cuts
}

// useCuts points the parser of each face of p at a cut of the face that covers the characters p
// uses, cutting one when there is none yet; cutMu is held. Where the bridge to gofpdf's internals
// is not available, it leaves p as it is.
func (f *Fonts) useCuts(p *gofpdf.Fpdf, families []string) {
	l := fontLayout()
	if f == nil {
		return
	}
	if !l.ok || len(l.array) == 0 {
		return
	}
	cuts := f.fontCuts()
	fonts := fontsMap(p, l)
	for i, family := range families {
		if i > 0 && family == families[0] {
			continue // no bold face: one face
		}
		def := fonts.MapIndex(reflect.ValueOf(fontKey(family)))
		if !def.IsValid() {
			continue
		}
		c := reflect.New(def.Type()).Elem() // an addressable copy: the map and the parser are shared
		c.Set(def)
		used, ok := field(c, l.used).Interface().(map[int]int)
		file := field(c, l.file)
		if !ok || file.IsNil() {
			continue
		}
		reader := field(file.Elem(), l.reader)
		if reader.IsNil() {
			continue
		}
		array := field(reader.Elem(), l.array)
		full := array.Bytes()
		if len(full) == 0 {
			continue
		}
		cut := cuts.faces[&full[0]]
		if cut == nil || !covers(cut.runes, used) {
			runes := map[int]int{}
			for _, m := range []map[int]int{cuts.expected, used} {
				addRunes(runes, m)
			}
			if cut != nil {
				addRunes(runes, cut.runes)
			}
			data, ok := cutFace(file, l, runes)
			if !ok {
				continue
			}
			cut = &faceCut{runes: runes, data: data}
			cuts.faces[&full[0]] = cut
		}
		array.SetBytes(cut.data)
		field(reader.Elem(), l.pos).SetInt(0)
	}
}

// A map of used runes, as gofpdf keeps it, holds each character drawn as char → char; gofpdf also
// starts it with the first 32 or 57 codes mapped to 0, which are no characters at all (its subsetter
// reads the values).

// addRunes adds the characters of used to runes.
func addRunes(runes, used map[int]int) {
	for _, r := range used {
		if r != 0 {
			runes[r] = r
		}
	}
}

// covers reports whether every character of used is in runes.
func covers(runes, used map[int]int) bool {
	for _, r := range used {
		if _, ok := runes[r]; !ok && r != 0 {
			return false
		}
	}
	return true
}

// cutFace cuts the face parser reads down to runes with gofpdf's own subsetter, on a copy of the
// parser, and returns the cut face.
func cutFace(parser reflect.Value, l layout, runes map[int]int) ([]byte, bool) {
	cp := copyParser(parser, l)
	m := cp.MethodByName("GenerateCutFont")
	if !m.IsValid() || m.Type().NumIn() != 1 || m.Type().In(0) != reflect.TypeOf(runes) || m.Type().NumOut() != 1 {
		return nil, false
	}
	out, ok := m.Call([]reflect.Value{reflect.ValueOf(runes)})[0].Interface().([]byte)
	return out, ok && len(out) > 0
}
