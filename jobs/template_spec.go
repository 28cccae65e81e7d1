package jobs

import (
	"context"
	"fmt"
	"strings"

	"lingpao"
	"lingpao/templates"
)

// TemplateSpec returns what county u's return template for month p is generated from: its deadline,
// the workspace's key, its roster as in its latest accepted return before p (clerks update figures,
// not names), and its problems on the city's issue ledger — open ones, and those struck off since p
// began — each with the city's status, department and dates and a note on the assignment.
func (w *Workspace) TemplateSpec(ctx context.Context, u lingpao.OrgUnit, p lingpao.Period) (_ templates.Spec, err error) {
	defer lingpao.Wrap(&err, "jobs.TemplateSpec(%s, %s)", u.Name, p)
	spec := templates.Spec{Org: u, Period: p, Deadline: w.Deadline(p), Generated: w.now(), Secret: w.Config.Secret, IssuingUnit: w.Config.IssuingUnit}
	switch roster, _, err := w.Store.LatestRoster(ctx, u.Code, p); {
	case err == nil:
		spec.Roster = roster
	case lingpao.ErrorCode(err) != lingpao.ENOTFOUND:
		return spec, err
	}
	if _, err := w.Store.SyncIssueCases(ctx, w.now()); err != nil {
		return spec, err
	}
	cases, err := w.Store.IssueCasesForTemplate(ctx, u.Code, lingpao.FormatDate(p.Start()))
	if err != nil {
		return spec, err
	}
	for _, c := range cases {
		dept := c.Department
		if dept == "" {
			dept = c.CountyDepartment
		}
		spec.Issues = append(spec.Issues, templates.PrefilledIssue{
			Issue: lingpao.Issue{Description: c.Description, Category: c.Category, Enterprise: c.Enterprise, Department: dept,
				Status: c.Status, Raised: c.Raised, Closed: c.Closed},
			Note: IssueNote(c),
		})
	}
	return spec, nil
}

// IssueNote says in one line where a case stands on the city's ledger: assigned to whom and by when
// the latest handling opinion, or how it was closed.
func IssueNote(c lingpao.IssueCase) string {
	var parts []string
	switch c.Status {
	case lingpao.IssueCollected:
		parts = append(parts, "市级台账：已收集，待交办。")
	case lingpao.IssueClosed:
		s := fmt.Sprintf("市级台账：已于 %s 办结销号。", c.Closed)
		if c.Result != "" {
			s += "办结情况：" + c.Result
		}
		parts = append(parts, s)
	default:
		s := "市级台账：" + c.Status
		if c.Department != "" {
			s += "，责任部门 " + c.Department
		}
		if c.Deadline != "" {
			s += "，办理时限 " + c.Deadline
		}
		parts = append(parts, s+"。")
		if c.Opinion != "" {
			parts = append(parts, "最新办理意见："+c.Opinion)
		}
	}
	return strings.Join(parts, "\n")
}
