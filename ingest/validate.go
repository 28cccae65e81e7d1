package ingest

import (
	"context"

	"lingpao"
	"lingpao/templates"
)

// lookBack is how many months back the cross-period rules look for the county's previous figures:
// two, so that a February return compares with December when January was merged into February.
const lookBack = 2

// validate applies the validation rules (seeds/rules.yaml, PRODUCT §6.3) to a return that was read:
// it gathers what the cross-period and cross-county rules compare with — the county's figures in force
// for the previous months, and the enterprises other counties list for the period — and lets the rule
// engine do the rest.
func (in *Ingester) validate(ctx context.Context, ret *templates.Return) ([]lingpao.Finding, error) {
	rules, err := in.rules()
	if err != nil {
		return nil, err
	}
	rc := ret.Check(in.Catalog)
	from, to := ret.Period.Add(-lookBack), ret.Period.Add(-1)
	if rc.Previous, err = in.Store.OrgValues(ctx, ret.Org, from, to, in.now()); err != nil {
		return nil, err
	}
	var usccs []string
	for _, e := range ret.Enterprises {
		if e.USCC != "" {
			usccs = append(usccs, e.USCC)
		}
	}
	if rc.Elsewhere, err = in.Store.FindListings(ctx, ret.Period, ret.Org, usccs); err != nil {
		return nil, err
	}
	return lingpao.CheckReturn(in.Catalog, rules, rc), nil
}
