package web

import (
	"net/http"
	"testing"
)

// BenchmarkPages measures the pages that compute the most, over the demo workspace (24 counties,
// January to March): the dashboard (reporting rate, heat-map, ladder counts) and the escalations
// page (the ladders walked from January).
func BenchmarkPages(b *testing.B) {
	st := newSite(b, Options{})
	br := st.login(adminName)
	for _, p := range []struct{ name, path string }{
		{"dashboard", "/?period=2025-03"},
		{"escalations", "/escalations?period=2025-03"},
		{"submissions", "/submissions?period=2025-03"},
		{"targets", "/targets?org=all"},
	} {
		path := p.path
		b.Run(p.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if res := br.get(path); res.code != http.StatusOK {
					b.Fatalf("%s: %d", path, res.code)
				}
			}
		})
	}
}
