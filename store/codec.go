package store

import (
	"encoding/json"
	"fmt"
)

// Node records are one kind byte followed by the node's JSON, so a record decodes
// without knowing its kind in advance.
var kindByte = map[Kind]byte{KindActor: 'A', KindPlace: 'P', KindEvent: 'E', KindTopic: 'T', KindPosition: 'O', KindSource: 'S'}

func encodeNode(n Node) ([]byte, error) {
	b, err := json.Marshal(n)
	if err != nil {
		return nil, err
	}
	return append([]byte{kindByte[n.NodeKind()]}, b...), nil
}

func decodeNode(b []byte) (Node, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("empty node record")
	}
	var n Node
	switch b[0] {
	case 'A':
		n = &Actor{}
	case 'P':
		n = &Place{}
	case 'E':
		n = &Event{}
	case 'T':
		n = &Topic{}
	case 'O':
		n = &Position{}
	case 'S':
		n = &Source{}
	default:
		return nil, fmt.Errorf("unknown node record kind %q", b[0])
	}
	if err := json.Unmarshal(b[1:], n); err != nil {
		return nil, fmt.Errorf("decode node: %w", err)
	}
	return n, nil
}

func decode[T any](b []byte) (*T, error) {
	v := new(T)
	if err := json.Unmarshal(b, v); err != nil {
		return nil, fmt.Errorf("decode %T: %w", v, err)
	}
	return v, nil
}
