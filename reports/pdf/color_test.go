package pdf

import (
	"testing"

	"lingpao"
)

func TestColor(t *testing.T) {
	if Hex(0xC8102E) != GovRed || RGB(200, 16, 46) != GovRed {
		t.Error("GovRed is not RGB 200,16,46")
	}
	if r, g, b := GovRed.RGB(); r != 200 || g != 16 || b != 46 {
		t.Errorf("GovRed.RGB() = %d,%d,%d", r, g, b)
	}
	var unset Color
	if unset.IsSet() || !Black.IsSet() {
		t.Error("the zero Color must be unset and Black set")
	}
	if got := GovRed.Tint(1); got != White {
		t.Errorf("Tint(1) = %#x, want white", uint32(got))
	}
	if got := GovRed.Tint(0.5); got != RGB(228, 136, 151) {
		t.Errorf("Tint(0.5) = %#x", uint32(got))
	}
	for s, want := range map[lingpao.Status]Color{
		lingpao.StatusAhead: ColorAhead, lingpao.StatusOnTrack: ColorOnTrack, lingpao.StatusBehind: ColorBehind,
		lingpao.StatusFarBehind: ColorFarBehind, lingpao.StatusMissing: ColorMissing, lingpao.StatusNoTarget: Black,
	} {
		if got := StatusColor(s); got != want {
			t.Errorf("StatusColor(%s) = %#x, want %#x", s, uint32(got), uint32(want))
		}
	}
}
