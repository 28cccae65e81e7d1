package lingpao

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDispatchConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(extra string) {
		t.Helper()
		body := "city: \"130100\"\nsecret: " + strings.Repeat("ab", 32) + "\n" + extra
		if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("")
	c, err := ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Dispatch; len(d.Ladder.Steps) != 5 || d.Ladder.Recover != 1 || d.Ranking.DefaultWeight != 1 || d.Ranking.GapCap != 30 || d.Ranking.ListSize != 3 {
		t.Errorf("defaults not kept when the file has no dispatch section: %+v", d)
	}
	write("dispatch:\n  ladder:\n    steps: [2, 4]\n    recover: 2\n  ranking:\n    weights: {srdi_sme: 2, listed: 0}\n    list_size: 5\n")
	c, err = ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d := c.Dispatch; len(d.Ladder.Steps) != 2 || d.Ladder.Recover != 2 || len(d.Ladder.ReportingSteps) != 5 || d.Ranking.Weight("srdi_sme") != 2 ||
		d.Ranking.Weight("listed") != 0 || d.Ranking.Weight("other") != 1 || d.Ranking.ListSize != 5 {
		t.Errorf("dispatch section: %+v", d)
	}
	write("dispatch:\n  ladder:\n    steps: [3, 2]\n  ranking:\n    weights: {srdi_sme: -1}\n    list_size: 0\n")
	_, err = ReadConfig(dir)
	for _, want := range []string{"dispatch.ladder.steps", "dispatch.ranking.weights.srdi_sme", "dispatch.ranking.list_size"} {
		if !strings.Contains(ErrorMessage(err), want) {
			t.Errorf("error %q does not name %s", ErrorMessage(err), want)
		}
	}
}
