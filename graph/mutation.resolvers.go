package graph

import (
	"context"

	"eventgraph/graph/model"
	"eventgraph/store"
)

func (r *mutationResolver) UpsertActor(ctx context.Context, input model.ActorInput) (*store.Actor, error) {
	return upsert(ctx, r.Resolver, &store.Actor{EntityBase: entityBase(input.ID, input.Name, input.Aliases, input.Description), Kind: input.Kind})
}

func (r *mutationResolver) UpsertPlace(ctx context.Context, input model.PlaceInput) (*store.Place, error) {
	p := &store.Place{EntityBase: entityBase(input.ID, input.Name, input.Aliases, input.Description), Kind: input.Kind}
	if input.Point != nil {
		p.Point = &store.Point{Lat: input.Point.Lat, Lon: input.Point.Lon}
	}
	return upsert(ctx, r.Resolver, p)
}

func (r *mutationResolver) UpsertEvent(ctx context.Context, input model.EventInput) (*store.Event, error) {
	e := &store.Event{EntityBase: entityBase(input.ID, input.Name, input.Aliases, input.Description),
		Kind: input.Kind, Start: input.Start, End: input.End, Cameo: deref(input.Cameo)}
	if input.Precision != nil {
		e.Precision = *input.Precision
	}
	return upsert(ctx, r.Resolver, e)
}

func (r *mutationResolver) UpsertTopic(ctx context.Context, input model.EntityInput) (*store.Topic, error) {
	return upsert(ctx, r.Resolver, &store.Topic{EntityBase: entityBase(input.ID, input.Name, input.Aliases, input.Description)})
}

func (r *mutationResolver) UpsertSource(ctx context.Context, input model.SourceInput) (*store.Source, error) {
	return upsert(ctx, r.Resolver, &store.Source{ID: input.ID, Title: input.Title, URL: deref(input.URL),
		Publisher: deref(input.Publisher), PublishedAt: input.PublishedAt, RetrievedAt: input.RetrievedAt,
		Language: deref(input.Language), Text: deref(input.Text)})
}

func (r *mutationResolver) UpsertPosition(ctx context.Context, input model.PositionInput) (*store.Position, error) {
	p := &store.Position{ID: input.ID, Holder: input.Holder, Topic: input.Topic, Stance: input.Stance,
		Statement: deref(input.Statement), StatedAt: input.StatedAt, Cameo: deref(input.Cameo)}
	b := &store.Batch{Nodes: []store.Node{p}, Evidence: evidence(p.ID, input.Evidence)}
	if err := r.apply(ctx, b); err != nil {
		return nil, err
	}
	return p, nil
}

func (r *mutationResolver) AddRelation(ctx context.Context, input model.RelationInput) (*store.Relation, error) {
	rel := store.Relation{Type: input.Type, From: input.From, To: input.To, ValidFrom: input.ValidFrom, ValidTo: input.ValidTo}
	if input.Role != nil {
		rel.Role = *input.Role
	}
	if rel.Type == store.RelParticipatedIn && rel.Role == "" {
		rel.Role = store.RoleParticipant
	}
	rel.ID = store.RelationID(rel.Type, rel.From, rel.To, rel.Role)
	b := &store.Batch{Relations: []store.Relation{rel}, Evidence: evidence(rel.ID, input.Evidence)}
	if err := r.apply(ctx, b); err != nil {
		return nil, err
	}
	return &b.Relations[0], nil
}

func (r *mutationResolver) AddEvidence(ctx context.Context, subject string, evidenceInput []*model.EvidenceInput) ([]*store.Evidence, error) {
	if len(evidenceInput) == 0 {
		return nil, &store.Error{Kind: store.ErrEvidenceRequired, Index: -1, Field: "evidence", Message: "give at least one evidence record"}
	}
	b := &store.Batch{Evidence: evidence(subject, evidenceInput)}
	if err := r.apply(ctx, b); err != nil {
		return nil, err
	}
	stored, err := loadersFrom(ctx).evidence.Load(ctx, subject)
	if err != nil {
		return nil, err
	}
	want := map[string]bool{}
	for _, e := range b.Evidence {
		want[e.ID] = true
	}
	var out []*store.Evidence
	for _, e := range stored {
		if want[e.ID] {
			out = append(out, e)
		}
	}
	return out, nil
}

func (r *Resolver) Mutation() MutationResolver { return &mutationResolver{r} }

type mutationResolver struct{ *Resolver }
