package sqlite

import (
	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
)

// ChainHash is the hash of one event in the chain, chain.Hash: the same
// on every store, so that verify means the same whatever holds the log.
func ChainHash(prev string, seq uint64, stream string, streamSeq uint64, typ, at string, actor, payload []byte) string {
	return chain.Hash(prev, seq, stream, streamSeq, typ, at, actor, payload)
}

// timeFormat is how an event's time is stored and hashed.
const timeFormat = chain.TimeFormat

// eventColumns are the columns scanRow reads, in its order.
const eventColumns = `seq, stream, stream_seq, type, at, actor, data, prev_hash, hash`

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// scanRow reads one event row (eventColumns) as stored.
func scanRow(s scanner) (chain.Row, error) {
	var r chain.Row
	var actor string
	err := s.Scan(&r.Seq, &r.Stream, &r.StreamSeq, &r.Type, &r.At, &actor, &r.Data, &r.PrevHash, &r.Hash)
	r.Actor = []byte(actor)
	return r, err
}

// scanEvent reads one event row (eventColumns) and decodes it.
func scanEvent(s scanner) (engine.Event, error) {
	r, err := scanRow(s)
	if err != nil {
		return engine.Event{}, err
	}
	return r.Decode()
}

// conflict is the error of an Append whose expectation is stale.
func conflict(stream engine.StreamID, head, expect uint64) error {
	return chain.Conflict(stream, head, expect)
}
