package pdf

import "lingpao"

// Color is an RGB colour, made by RGB or Hex or taken from the palette. The zero Color is "not
// set", and each field that takes a colour says what it then falls back to.
type Color uint32

// colorSet marks a Color as set, which tells black apart from "no colour".
const colorSet Color = 1 << 24

// The palette of lingpao's reports.
const (
	Black     = colorSet | 0x000000
	White     = colorSet | 0xFFFFFF
	Gray      = colorSet | 0x666666 // notes and captions
	LightGray = colorSet | 0xEDEDED // table header fill
	RuleGray  = colorSet | 0x404040 // table borders and axes

	GovRed = colorSet | 0xC8102E // the red of a government masthead (红头) and its rule

	ColorAhead     = colorSet | 0x2E7D32 // 超序时, green
	ColorOnTrack   = colorSet | 0x1565C0 // 基本同步, blue
	ColorBehind    = colorSet | 0xE67E00 // 滞后, orange
	ColorFarBehind = colorSet | 0xC62828 // 严重滞后, red
	ColorMissing   = colorSet | 0x9E9E9E // 未报送, grey
)

// RGB returns the colour with the given components.
func RGB(r, g, b uint8) Color { return colorSet | Color(r)<<16 | Color(g)<<8 | Color(b) }

// Hex returns the colour written as 0xRRGGBB.
func Hex(rgb uint32) Color { return colorSet | Color(rgb&0xFFFFFF) }

// IsSet reports whether c is a colour rather than the zero "not set".
func (c Color) IsSet() bool { return c&colorSet != 0 }

// RGB returns the components of c; a Color that is not set is black.
func (c Color) RGB() (r, g, b int) { return int(c>>16) & 0xFF, int(c>>8) & 0xFF, int(c) & 0xFF }

// Tint returns c mixed with white: Tint(0) is c, Tint(1) is white. Light tints make row fills
// that keep black text readable.
func (c Color) Tint(amount float64) Color {
	amount = min(max(amount, 0), 1)
	r, g, b := c.RGB()
	mix := func(v int) uint8 { return uint8(float64(v) + (255-float64(v))*amount + 0.5) }
	return RGB(mix(r), mix(g), mix(b))
}

// StatusColor returns the colour of a status (PRODUCT §7.1): green 超序时, blue 基本同步, orange
// 滞后, red 严重滞后, grey 未报送; black for any other.
func StatusColor(s lingpao.Status) Color {
	switch s {
	case lingpao.StatusAhead:
		return ColorAhead
	case lingpao.StatusOnTrack:
		return ColorOnTrack
	case lingpao.StatusBehind:
		return ColorBehind
	case lingpao.StatusFarBehind:
		return ColorFarBehind
	case lingpao.StatusMissing:
		return ColorMissing
	}
	return Black
}
