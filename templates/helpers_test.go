package templates_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/seeds"
	"lingpao/templates"
)

// testSecret keys the templates of these tests.
const testSecret = "5f0c1d0e9a8b7c6d5e4f30211203f4e5d6c7b8a9f0e1d2c3b4a5968778695a4b"

func catalog(t testing.TB) *lingpao.Catalog {
	t.Helper()
	cat, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// template generates county's return template for September 2025.
func template(t testing.TB, cat *lingpao.Catalog, county string, roster []lingpao.Enterprise) []byte {
	t.Helper()
	u, err := cat.Tree.Find(county)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	spec := templates.Spec{Org: u, Period: lingpao.MonthOf(2025, 9), Deadline: time.Date(2025, 10, 10, 0, 0, 0, 0, lingpao.Beijing),
		Generated: time.Date(2025, 9, 20, 10, 0, 0, 0, lingpao.Beijing), Secret: testSecret, IssuingUnit: "石家庄市工业和信息化局", Roster: roster}
	if err := templates.Generate(&buf, cat, spec); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// edit opens a workbook with excelize, applies fn and returns the saved bytes.
func edit(t testing.TB, data []byte, fn func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fn(f)
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func read(t testing.TB, cat *lingpao.Catalog, data []byte, name string) (*templates.Return, []lingpao.Finding) {
	t.Helper()
	ret, fs, err := templates.Read(data, name, cat, testSecret, templates.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	return ret, fs
}
