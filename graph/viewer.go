package graph

import (
	"context"

	"eventgraph/graph/model"
)

type viewerKey struct{}

// WithViewer tells the viewer query who is asking: name is the caller's token's ("" for
// none), role what the server lets them do, tokensRequired whether it checks tokens.
// The server sets it for every operation; a graph served without it answers as a
// server without tokens would, to an anonymous ADMIN.
func WithViewer(ctx context.Context, name string, role model.Role, tokensRequired bool) context.Context {
	v := &model.Viewer{Role: role, CanWrite: role == model.RoleEditor || role == model.RoleAdmin, TokensRequired: tokensRequired}
	if name != "" {
		v.Name = &name
	}
	return context.WithValue(ctx, viewerKey{}, v)
}

// viewer is who ctx's operation is by (see WithViewer).
func viewer(ctx context.Context) *model.Viewer {
	if v, ok := ctx.Value(viewerKey{}).(*model.Viewer); ok {
		return v
	}
	return &model.Viewer{Role: model.RoleAdmin, CanWrite: true}
}
