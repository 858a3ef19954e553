package graph

import (
	"context"

	"eventgraph/graph/model"
	"eventgraph/store/domain"
)

// claimEvidence returns the evidence of a relation or position: only that of one
// stance when stance is given, and retracted records only when asked for.
func claimEvidence(ctx context.Context, subject string, stance *domain.EvidenceStance, includeRetracted bool) ([]*domain.Evidence, error) {
	evs, err := loadersFrom(ctx).evidence.Load(ctx, subject)
	if err != nil {
		return nil, err
	}
	var out []*domain.Evidence
	for _, ev := range evs {
		if (stance == nil || ev.Stance == *stance) && (includeRetracted || ev.Retracted == nil) {
			out = append(out, ev)
		}
	}
	return out, nil
}

// corroboration computes a claim's corroboration, loading the sources its evidence
// cites and, a level at a time, the sources those copy.
func corroboration(ctx context.Context, subject string) (*domain.Corroboration, error) {
	evs, err := loadersFrom(ctx).evidence.Load(ctx, subject)
	if err != nil {
		return nil, err
	}
	sources := map[string]*domain.Source{}
	var want []string
	for _, ev := range evs {
		want = append(want, ev.Source)
	}
	for hop := 0; len(want) > 0 && hop <= domain.MaxCopyHops; hop++ {
		nodes, err := loadersFrom(ctx).nodes.LoadAll(ctx, want)
		if err != nil {
			return nil, err
		}
		want = nil
		for _, n := range nodes {
			if s, ok := n.(*domain.Source); ok {
				sources[s.ID] = s
				if _, known := sources[s.CopyOf]; s.CopyOf != "" && !known {
					want = append(want, s.CopyOf)
				}
			}
		}
	}
	c := domain.Corroborate(evs, func(id string) *domain.Source { return sources[id] })
	return &c, nil
}

// contested reports whether some evidence disputes a claim.
func contested(ctx context.Context, subject string) (bool, error) {
	evs, err := loadersFrom(ctx).evidence.Load(ctx, subject)
	for _, ev := range evs {
		if ev.DisputesNow() {
			return true, err
		}
	}
	return false, err
}

// claimFilter is the store's filter of the claims query's; nil keeps every live claim.
func claimFilter(in *model.ClaimFilter) domain.ClaimFilter {
	if in == nil {
		return domain.ClaimFilter{}
	}
	kinds := map[model.ClaimKind]domain.Kind{model.ClaimKindRelation: domain.KindRelation, model.ClaimKindPosition: domain.KindPosition}
	validFrom, validTo := window(in.ValidFrom, in.ValidTo)
	f := domain.ClaimFilter{
		Types: in.Types, Roles: in.Roles, Stances: in.Stances,
		MinSources: in.MinSources, MaxSources: in.MaxSources, MinPublishers: in.MinPublishers, MaxPublishers: in.MaxPublishers,
		Contested: in.Contested, ValidFrom: validFrom, ValidTo: validTo,
		Publisher: deref(in.Publisher), Entity: deref(in.Entity), IncludeRetracted: in.IncludeRetracted != nil && *in.IncludeRetracted,
	}
	for _, k := range in.Kinds {
		f.Kinds = append(f.Kinds, kinds[k])
	}
	return f
}

// mentions pages through where sources name an entity.
func (r *Resolver) mentions(ctx context.Context, entity string, first *int, after *string) (*model.EvidenceConnection, error) {
	args, err := pageArgs(first, after)
	if err != nil {
		return nil, err
	}
	p, err := r.Lists.Mentions(ctx, entity, args)
	return evidenceConnection(p), err
}
