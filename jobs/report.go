package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"lingpao"
	"lingpao/reports"
	"lingpao/reports/pdf"
	"lingpao/reports/xlsx"
	"lingpao/sqlite"
)

// Report kinds.
const (
	Monthly   = "monthly"
	Quarterly = "quarterly"
	Half      = "half"
	Annual    = "annual"
	Scorecard = "scorecard"
)

// ReportRequest asks for one report.
type ReportRequest struct {
	Kind   string
	Period lingpao.Period
	// Formats is a subset of "xlsx" and "pdf"; empty means every format the kind has.
	Formats []string
	// OutDir is where files go; empty means outbox/<period>.
	OutDir string
	// CutOff counts only files received by then (to the whole second, as reports print it); zero
	// means now. A cut-off given explicitly — the one an edition prints — regenerates that edition.
	CutOff time.Time
	// Counties limits a scorecard to these counties, by name or code; empty means every county.
	Counties []string
	// Progress, when set, is called as each county's scorecard is written, with how many are done
	// and how many there are. Calls are serialized.
	Progress func(done, total int)
}

// formats each kind can be written in.
var kindFormats = map[string][]string{
	Monthly: {"xlsx"}, Quarterly: {"pdf", "xlsx"}, Half: {"pdf", "xlsx"}, Annual: {"pdf", "xlsx"}, Scorecard: {"pdf"},
}

// kindNames are the file-name stems and Chinese names of the kinds.
var kindNames = map[string]string{Monthly: "月调度表", Quarterly: "季度通报", Half: "半年总结", Annual: "年终考核", Scorecard: "体检表"}

// ReportInput loads what period p is measured with as of cutOff: the data set from lingpao.DataFrom
// (back to the start of every plan and baseline in force) to p's last month, the submissions in force
// and the year's files up to p's last month for the reporting rate. Report generation adds the ladder
// and the roster on top; the web page measures its dashboard with exactly this, so a page and a report
// of the same period never disagree. Callers that may run beside a targets import hold ReadTargets.
func (w *Workspace) ReportInput(ctx context.Context, p lingpao.Period, cutOff time.Time) (reports.Input, error) {
	m := p.LastMonth()
	cutOff = lingpao.CutOffOf(cutOff)
	ds, sources, err := w.Store.LoadDataSet(ctx, lingpao.DataFrom(w.Catalog, p), m, cutOff)
	if err != nil {
		return reports.Input{}, err
	}
	all, err := w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{})
	if err != nil {
		return reports.Input{}, err
	}
	var subs []lingpao.Submission
	for _, s := range all {
		if s.Period.Year == m.Year && !m.Before(s.Period) {
			subs = append(subs, s)
		}
	}
	return reports.Input{
		Catalog: w.Catalog, Config: w.Config, Data: ds, Sources: sources, Submissions: subs,
		Period: p, CutOff: cutOff, Generated: w.now().In(lingpao.Beijing), Version: w.Version, TargetsVersion: w.TargetsVersion, Edition: 1,
	}, nil
}

// input loads what a report of period p is built from, as of cutOff: the data from lingpao.DataFrom
// (the year before p's, and back to the start of cumulative plans and the baselines of milestones),
// the submissions in force, every file of p's year up to its last month (reporting), the ladder as it
// stood at cutOff (lad, when already computed at that time, else computed here), and the issue
// ledgers and, with roster (only the workbooks list the enterprises: a province's roster is 50,000
// rows), the rosters of the returns in force for the last month.
func (w *Workspace) input(ctx context.Context, p lingpao.Period, cutOff time.Time, lad *Ladder, roster bool) (reports.Input, error) {
	m := p.LastMonth()
	in, err := w.ReportInput(ctx, p, cutOff)
	if err != nil {
		return reports.Input{}, err
	}
	sources := in.Sources
	if lad == nil {
		if lad, err = w.ComputeLadderAt(ctx, m, cutOff); err != nil {
			return reports.Input{}, err
		}
	}
	in.Escalations, in.LadderStates = lad.Steps, lad.States
	var ids []int64
	org := map[int64]string{}
	for k, s := range sources {
		if strings.HasSuffix(k, "/"+m.String()) {
			ids = append(ids, s.ID)
			org[s.ID] = s.Org
		}
	}
	if roster {
		rosters, err := w.Store.FindRosters(ctx, ids)
		if err != nil {
			return reports.Input{}, err
		}
		for _, r := range rosters {
			in.Roster = append(in.Roster, reports.RosterEntry{Org: org[r.Submission], Enterprise: r.Enterprise})
		}
	}
	issues, err := w.Store.FindIssuesOf(ctx, ids)
	if err != nil {
		return reports.Input{}, err
	}
	for _, r := range issues {
		in.Issues = append(in.Issues, reports.IssueEntry{Org: org[r.Submission], Issue: r.Issue})
	}
	return in, nil
}

// GenerateReport builds a report and writes its files atomically into the outbox (or req.OutDir),
// returning their paths. It first brings the escalation ladder up to date for the period's months, so
// that the 督办 list is current. Every report is recorded as an edition: generating it again with the
// same figures rewrites the same edition, and figures changed by a correction after it went out make
// the next edition (第2版), with the changes listed in its 更正说明, while the files of the earlier
// edition stay in the outbox.
func (w *Workspace) GenerateReport(ctx context.Context, req ReportRequest) (paths []string, err error) {
	defer lingpao.Wrap(&err, "jobs.GenerateReport(%s, %s)", req.Kind, req.Period)
	explicit := !req.CutOff.IsZero()
	now := lingpao.CutOffOf(w.now())
	if !explicit {
		req.CutOff = now
	}
	req.CutOff = lingpao.CutOffOf(req.CutOff)
	if req.CutOff.After(now) {
		return nil, lingpao.Errorf(lingpao.EINVALID, "数据截止时间 %s 晚于现在（%s）：之后还可能收到报表，这样的报告无法重现。请用现在或更早的时间。",
			reports.CutOffText(req.CutOff), reports.CutOffText(now))
	}
	if err := checkPeriod(req); err != nil {
		return nil, err
	}
	formats, err := checkFormats(req)
	if err != nil {
		return nil, err
	}
	var fonts *pdf.Fonts
	if formats["pdf"] {
		if fonts, err = w.fonts(); err != nil {
			return nil, err
		}
	}
	// The ladder as of now, recorded; when the report is as of now too, it is the report's ladder.
	var lad *Ladder
	up, err := w.UpdateLadder(ctx, req.Period.LastMonth())
	if err != nil {
		return nil, err
	}
	if !explicit {
		lad = up.Ladder
	}
	in, err := w.input(ctx, req.Period, req.CutOff, lad, req.Kind != Scorecard && formats["xlsx"])
	if err != nil {
		return nil, err
	}
	g := &generation{w: w, req: req, explicit: explicit, formats: formats, fonts: fonts, inputs: map[time.Time]reports.Input{req.CutOff: in}}
	if req.Kind == Scorecard {
		return g.scorecards(ctx, in)
	}
	return g.report(ctx, "", func(in reports.Input) (content, error) { return g.build(in) }, in)
}

// PeriodKinds returns the kinds of period a report kind is made for, the first being its own (a
// month also makes a bulletin: an ad-hoc monthly one); false for an unknown kind.
func PeriodKinds(kind string) ([]lingpao.PeriodKind, bool) {
	k, ok := map[string][]lingpao.PeriodKind{
		Monthly:   {lingpao.Month},
		Quarterly: {lingpao.Quarter, lingpao.Month},
		Half:      {lingpao.Half},
		Annual:    {lingpao.Year},
		Scorecard: {lingpao.Month, lingpao.Quarter, lingpao.Half, lingpao.Year},
	}[kind]
	return k, ok
}

// checkPeriod matches the period to the report kind — monthly takes a month, quarterly a quarter, and
// so on; a month is accepted for a bulletin (an ad-hoc monthly bulletin) — and refuses a period that
// has not ended by the cut-off.
func checkPeriod(req ReportRequest) error {
	want, known := PeriodKinds(req.Kind)
	if !known {
		return lingpao.Errorf(lingpao.EINVALID, "报告类型「%s」不存在：可选 monthly（月调度表）、quarterly（季度通报）、half（半年总结）、annual（年终考核）、scorecard（体检表）。", req.Kind)
	}
	for _, k := range want {
		if req.Period.Kind != k {
			continue
		}
		if req.CutOff.Before(req.Period.End()) {
			return lingpao.Errorf(lingpao.EINVALID, "%s尚未结束（数据截至%s），还没有%s的数据：请在期末之后生成，或选择已经结束的期间。",
				req.Period.Label(), reports.CutOffText(req.CutOff), kindNames[req.Kind])
		}
		return nil
	}
	examples := map[string]string{Monthly: "2025-09", Quarterly: "2025Q3", Half: "2025H1", Annual: "2025"}
	return lingpao.Errorf(lingpao.EINVALID, "%s 报告的期间应写成 %s 这样的格式，现为 %s。", req.Kind, examples[req.Kind], req.Period)
}

// checkFormats returns the formats to write: those asked for, each of which the kind must have, or all
// of the kind's.
func checkFormats(req ReportRequest) (map[string]bool, error) {
	has := kindFormats[req.Kind]
	out := map[string]bool{}
	for _, f := range req.Formats {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		ok := false
		for _, h := range has {
			ok = ok || h == f
		}
		if !ok {
			msg := fmt.Sprintf("%s只有 %s 格式，不能生成 %s。", kindNames[req.Kind], strings.Join(has, "、"), f)
			if req.Kind == Monthly && f == "pdf" {
				msg += "月度 PDF 通报请用：lingpao report quarterly --period " + req.Period.String()
			}
			return nil, lingpao.Errorf(lingpao.EINVALID, "%s", msg)
		}
		out[f] = true
	}
	if len(out) == 0 {
		for _, h := range has {
			out[h] = true
		}
	}
	return out, nil
}

// fonts resolves the PDF fonts from the configuration, the environment or the usual places.
func (w *Workspace) fonts() (*pdf.Fonts, error) {
	return pdf.ResolveFonts(w.Config.Fonts.Regular, w.Config.Fonts.Bold)
}

// content is a built report: its figures (which decide its edition) and its files.
type content struct {
	figures []reports.Figure
	files   []outFile
}

// outFile is one file of a report: its name without the edition, and how to write it.
type outFile struct {
	format, name string
	write        func(io.Writer) error
}

// generation is one GenerateReport call.
type generation struct {
	w        *Workspace
	req      ReportRequest
	explicit bool
	formats  map[string]bool
	fonts    *pdf.Fonts
	// inputs are the Inputs loaded so far, by cut-off: a regenerated edition is built from the data
	// as it stood at its own cut-off.
	inputs map[time.Time]reports.Input
	// mu guards inputs and what the builders of scorecards share: the cards of a batch are written
	// in parallel.
	mu sync.Mutex
}

// inputAt returns the Input as of cutOff.
func (g *generation) inputAt(ctx context.Context, cutOff time.Time) (reports.Input, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if in, ok := g.inputs[cutOff]; ok {
		return in, nil
	}
	in, err := g.w.input(ctx, g.req.Period, cutOff, nil, g.req.Kind != Scorecard && g.formats["xlsx"])
	if err != nil {
		return in, err
	}
	g.inputs[cutOff] = in
	return in, nil
}

// build builds the city report of the request's kind.
func (g *generation) build(in reports.Input) (content, error) {
	city := g.w.City().Name
	name := kindNames[g.req.Kind]
	if g.req.Kind == Quarterly && g.req.Period.Kind == lingpao.Month {
		name = "月度通报" // an ad-hoc bulletin of one month
	}
	stem := fmt.Sprintf("%s_%s_%s", name, city, g.req.Period.Label())
	mo := reports.BuildMonthly(in)
	var c content
	c.figures = mo.Figures()
	add := func(format string, fn func(io.Writer) error) {
		if g.formats[format] {
			c.files = append(c.files, outFile{format: format, name: stem + "." + format, write: fn})
		}
	}
	switch g.req.Kind {
	case Monthly:
		add("xlsx", func(wr io.Writer) error { return xlsx.WriteMonthly(wr, mo) })
	case Quarterly:
		b := reports.BuildBulletin(in)
		add("pdf", func(wr io.Writer) error { return pdf.WriteBulletin(wr, b, g.fonts) })
		add("xlsx", func(wr io.Writer) error { return xlsx.WriteMonthly(wr, mo) })
	case Half:
		h := reports.BuildHalfYear(in)
		c.figures = append(c.figures, h.Figures()...)
		add("pdf", func(wr io.Writer) error { return pdf.WriteHalfYear(wr, h, g.fonts) })
		add("xlsx", func(wr io.Writer) error { return xlsx.WriteHalfYear(wr, mo, h) })
	case Annual:
		a := reports.BuildAnnual(in)
		c.figures = append(c.figures, a.Figures()...)
		add("pdf", func(wr io.Writer) error { return pdf.WriteAnnual(wr, a, g.fonts) })
		add("xlsx", func(wr io.Writer) error { return xlsx.WriteAnnual(wr, mo, a) })
	}
	return c, nil
}

// scorecards writes the 体检表 of the requested counties (all by default), each its own report with
// its own editions (scope: the county's code), into the 体检表 folder of the output.
func (g *generation) scorecards(ctx context.Context, in reports.Input) ([]string, error) {
	var codes []string
	for _, c := range g.req.Counties {
		u, err := g.w.Catalog.Tree.Find(strings.TrimSpace(c))
		if err != nil || !g.w.Catalog.Tree.IsUnder(u.Code, g.w.Config.City) || u.Level != lingpao.LevelCounty {
			return nil, lingpao.Errorf(lingpao.EINVALID, "「%s」不是本市的县（市、区）：请写县名（如 鹿泉区）或行政区划代码。", c)
		}
		codes = append(codes, u.Code)
	}
	if len(g.req.Counties) > 0 && len(codes) == 0 {
		return nil, lingpao.Errorf(lingpao.EINVALID, "请指定县（市、区）。")
	}
	// Every county's card is built once per cut-off; each county's card is its own report.
	cards := map[time.Time]map[string]*reports.Scorecard{}
	one := func(org string) func(reports.Input) (content, error) {
		return func(in reports.Input) (content, error) {
			g.mu.Lock()
			defer g.mu.Unlock()
			if cards[in.CutOff] == nil {
				cards[in.CutOff] = map[string]*reports.Scorecard{}
				built := reports.BuildScorecards(in, codes...)
				for _, sc := range built {
					cards[in.CutOff][sc.Org] = sc
				}
				// Every card's text, so that the font is cut once for the whole batch.
				if text, err := json.Marshal(built); err == nil && g.fonts != nil {
					g.fonts.Expect(string(text))
				}
			}
			sc, ok := cards[in.CutOff][org]
			if !ok {
				return content{}, lingpao.Errorf(lingpao.ENOTFOUND, "没有%s的体检表。", org)
			}
			sc = sc.WithEdition(in.Edition, in.Errata, in.RevisesDate)
			name := fmt.Sprintf("%s/%s_%s_%s.pdf", kindNames[Scorecard], kindNames[Scorecard], sc.Name, g.req.Period.Label())
			return content{figures: sc.Figures(), files: []outFile{{format: "pdf", name: name, write: func(wr io.Writer) error { return pdf.WriteScorecard(wr, sc, g.fonts) }}}}, nil
		}
	}
	if len(codes) == 0 {
		for _, c := range g.w.Catalog.Tree.Counties(g.w.Config.City) {
			codes = append(codes, c.Code)
		}
	}
	// The cards are independent reports: written on every CPU, in the order of the counties.
	paths, errs := make([][]string, len(codes)), make([]error, len(codes))
	var wg sync.WaitGroup
	var progressMu sync.Mutex
	done := 0
	slots := make(chan struct{}, runtime.NumCPU())
	for i, org := range codes {
		wg.Add(1)
		slots <- struct{}{}
		go func() {
			defer func() { <-slots; wg.Done() }()
			paths[i], errs[i] = g.report(ctx, org, one(org), in)
			if g.req.Progress != nil && errs[i] == nil {
				progressMu.Lock()
				done++
				g.req.Progress(done, len(codes))
				progressMu.Unlock()
			}
		}()
	}
	wg.Wait()
	var all []string
	for i := range codes {
		all = append(all, paths[i]...)
		if errs[i] != nil {
			return all, errs[i]
		}
	}
	return all, nil
}

// report builds one report (scope "" for the city, a county's code for its scorecard), decides its
// edition, writes its files and records the edition.
func (g *generation) report(ctx context.Context, scope string, build func(reports.Input) (content, error), in reports.Input) (paths []string, err error) {
	c, err := build(in)
	if err != nil {
		return paths, err
	}
	eds, err := g.w.Store.FindEditions(ctx, sqlite.EditionFilter{Kind: g.req.Kind, Period: g.req.Period.String(), Scope: scope})
	if err != nil {
		return paths, err
	}
	plan, err := planEdition(eds, c.figures, g.explicit, in.CutOff)
	if err != nil {
		return paths, g.refusal(err, scope)
	}
	if plan.reuse != nil {
		// The figures are those of an edition already made: build it again as it was made, from the
		// data at its cut-off and with its date, so the files come out the same.
		if in, err = g.inputAt(ctx, plan.reuse.CutOff); err != nil {
			return paths, err
		}
		in.Generated = plan.reuse.Generated
	}
	in.Edition, in.Errata = plan.number, plan.errata
	if plan.prev != nil {
		in.RevisesDate = plan.prev.Generated
		in.Errata, in.Late = g.attribute(in, plan, scope)
	}
	if c, err = build(in); err != nil {
		return paths, err
	}
	out := g.req.OutDir
	if out == "" {
		out = g.w.Config.Path(lingpao.OutboxDir, g.req.Period.String())
	}
	ed := sqlite.Edition{Kind: g.req.Kind, Period: g.req.Period.String(), Scope: scope, Edition: plan.number, CutOff: in.CutOff, Generated: in.Generated,
		Digest: reports.Digest(c.figures), Version: g.w.Version, TargetsVersion: g.w.TargetsVersion, Sources: sourceIDs(in.Sources)}
	if ed.Figures, err = json.Marshal(c.figures); err != nil {
		return paths, err
	}
	for _, f := range c.files {
		path, err := lingpao.WriteFileBeside(filepath.Join(out, filepath.FromSlash(editionName(f.name, plan.number))), g.w.now(), f.write)
		if err != nil {
			return paths, err
		}
		paths = append(paths, path)
		ed.Files = append(ed.Files, g.w.relPath(path))
	}
	return paths, g.w.Store.SaveEdition(ctx, &ed)
}

// editionName names the file of an edition: the first keeps the plain name, later ones add 第N版
// before the extension, so the outbox keeps every edition.
func editionName(name string, edition int) string {
	if edition <= 1 {
		return name
	}
	ext := filepath.Ext(name)
	return fmt.Sprintf("%s_第%d版%s", strings.TrimSuffix(name, ext), edition, ext)
}

// relPath is path relative to the workspace folder when it is inside it, else path.
func (w *Workspace) relPath(path string) string {
	if rel, err := filepath.Rel(w.Config.Dir, path); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return path
}

// editionPlan is the edition a generation makes.
type editionPlan struct {
	number int
	// reuse is the recorded edition whose figures these are, regenerated as it was made; prev is the
	// edition revised (the one before number), whose figures the errata compare with.
	reuse, prev *sqlite.Edition
	errata      []reports.Correction
}

// errEarlier is planEdition's refusal of a cut-off earlier than an edition already made whose
// figures are not those of any edition (see generation.refusal).
type errEarlier struct{ last *sqlite.Edition }

func (e errEarlier) Error() string {
	return "cut-off earlier than edition " + strconv.Itoa(e.last.Edition)
}

// planEdition decides the edition of a report with figures at cut-off cutOff, given its recorded
// editions in order:
//   - none recorded: the first edition;
//   - the same figures as the last edition: that edition again;
//   - a cut-off earlier than the last edition's, or given explicitly: the recorded edition with the
//     same figures — the edition in force at that cut-off first — made again as it was made (its
//     printed cut-off regenerates it byte for byte);
//   - a cut-off earlier than the last edition's with figures no edition had: refused (errEarlier) —
//     such a report was never issued, and numbering it after a later edition would make its
//     differences look like corrections;
//   - otherwise the next edition, revising the last: its errata list every figure that changed.
func planEdition(eds []sqlite.Edition, figures []reports.Figure, explicit bool, cutOff time.Time) (editionPlan, error) {
	if len(eds) == 0 {
		return editionPlan{number: 1}, nil
	}
	digest := reports.Digest(figures)
	same := func(i int) (editionPlan, error) {
		p := editionPlan{number: eds[i].Edition, reuse: &eds[i]}
		if i > 0 {
			p.prev = &eds[i-1]
			old, err := editionFigures(eds[i-1])
			if err != nil {
				return p, err
			}
			cur, err := editionFigures(eds[i])
			if err != nil {
				return p, err
			}
			p.errata = reports.Diff(old, cur)
		}
		return p, nil
	}
	last := len(eds) - 1
	if eds[last].Digest == digest {
		return same(last)
	}
	earlier := cutOff.Before(eds[last].CutOff)
	if explicit || earlier {
		// The edition in force at the cut-off first, then any with these figures.
		for i := last; i >= 0; i-- {
			if !eds[i].CutOff.After(cutOff) && eds[i].Digest == digest {
				return same(i)
			}
		}
		for i := range eds {
			if eds[i].Digest == digest {
				return same(i)
			}
		}
	}
	if earlier {
		return editionPlan{}, errEarlier{&eds[last]}
	}
	old, err := editionFigures(eds[last])
	if err != nil {
		return editionPlan{}, err
	}
	return editionPlan{number: eds[last].Edition + 1, prev: &eds[last], errata: reports.Diff(old, figures)}, nil
}

// refusal words planEdition's refusal of an earlier cut-off for the user.
func (g *generation) refusal(err error, scope string) error {
	var e errEarlier
	if !errors.As(err, &e) {
		return err
	}
	name := kindNames[g.req.Kind]
	if scope != "" {
		name = g.w.Catalog.Tree.Name(scope) + name
	}
	return lingpao.Errorf(lingpao.ECONFLICT, "%s%s已有第%d版（数据截至%s，%s生成）。按更早的截止时间 %s 得到的数据与已有各版都不同，这样的报告从未印发，不能再编为新的一版。"+
		"要重新得到已印发的第%d版，请用 --cutoff %s；要按现有数据生成，请不指定截止时间（或 --now 不早于 %s）。",
		g.req.Period.Label(), name, e.last.Edition, reports.CutOffText(e.last.CutOff), lingpao.FormatDateCN(e.last.Generated),
		reports.CutOffText(g.req.CutOff), e.last.Edition, reports.CutOffArg(e.last.CutOff), reports.CutOffArg(e.last.CutOff))
}

// attribute sets the cause of each change of a revised edition from the returns the two editions
// were made from (sqlite.Edition.Sources): a county's later version of a return the revised edition
// used is a correction (更正); a return it did not have is a late return (补报), listed apart. An
// edition recorded without its sources leaves every change a correction, as before.
// A county's 体检表 (scope) looks only at its own returns.
func (g *generation) attribute(in reports.Input, plan editionPlan, scope string) ([]reports.Correction, []reports.LateReturn) {
	old := plan.prev.Sources
	cur := sourceIDs(in.Sources)
	if plan.reuse != nil {
		cur = plan.reuse.Sources
	}
	if len(old) == 0 || len(cur) == 0 {
		return in.Errata, nil
	}
	corrected, late := map[string]bool{}, map[string]bool{}
	var lates []reports.LateReturn
	keys := make([]string, 0, len(cur))
	for k := range cur {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		org, month, _ := strings.Cut(k, "/")
		if scope != "" && org != scope {
			continue
		}
		was, ok := old[k]
		switch {
		case !ok:
			late[org] = true
			m, _ := lingpao.ParsePeriod(month)
			l := reports.LateReturn{Org: org, Name: g.w.Catalog.Tree.Name(org), Month: m}
			if s, ok := in.Sources[k]; ok && s.ID == cur[k] {
				l.ReceivedAt = s.ReceivedAt
			}
			lates = append(lates, l)
		case was != cur[k]:
			corrected[org] = true
		}
	}
	return reports.Attribute(in.Errata, g.w.Config.City, corrected, late), lates
}

// sourceIDs are the submissions in force by "org/month", as an edition records them.
func sourceIDs(subs map[string]lingpao.Submission) map[string]int64 {
	out := make(map[string]int64, len(subs))
	for k, s := range subs {
		out[k] = s.ID
	}
	return out
}

func editionFigures(e sqlite.Edition) ([]reports.Figure, error) {
	var fs []reports.Figure
	if err := json.Unmarshal(e.Figures, &fs); err != nil {
		return nil, fmt.Errorf("edition %d of %s %s: %w", e.Edition, e.Kind, e.Period, err)
	}
	return fs, nil
}
