package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/jackc/pgx/v5"
)

// Presence across nodes. Each node of a cluster records who is connected
// to it, per room and person (PublishPresence), and beats (Beat); the
// others read those rows (ReadPresence) when a notification on the
// presence channel says a room's changed (FollowPresence), and believe a
// node's rows only while its last beat is younger than the TTL they give:
// the rows of a node killed without a word stop counting once it has
// missed its beats for that long. Presence is ephemeral and never enters
// the event log: the tables are UNLOGGED (migrations/0003_presence.sql).

// PresenceRow is the connections of one person to one node in one room.
type PresenceRow struct {
	Node   string // the node's address
	Stream engine.StreamID
	Person string
	State  string // "" for a person without a State
	Role   string
	Conns  int // 0 in PublishPresence: the person left the room on that node
}

// presenceChannel is the NOTIFY channel of the presence of the log's
// rooms; its payloads are "STREAM NODE".
func (l *Log) presenceChannel() string { return l.channel + ":presence" }

// PublishPresence stores a node's presence changes (a row with Conns 0
// removes the person from the room on that node) in one transaction,
// which also notifies every node listening with FollowPresence of each
// room that changed.
func (l *Log) PublishPresence(ctx context.Context, node string, rows []PresenceRow) error {
	if len(rows) == 0 {
		return nil
	}
	var streams, persons, states, roles []string
	var conns []int32
	seen := map[engine.StreamID]bool{}
	var moved []string
	for _, r := range rows {
		streams, persons, states, roles = append(streams, string(r.Stream)), append(persons, r.Person), append(states, r.State), append(roles, r.Role)
		conns = append(conns, int32(r.Conns))
		if !seen[r.Stream] {
			seen[r.Stream] = true
			moved = append(moved, string(r.Stream)+" "+node)
		}
	}
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM presence p USING unnest($2::text[], $3::text[], $4::int[]) AS u(s, person, c)
WHERE p.node = $1 AND p.stream = u.s AND p.person = u.person AND u.c <= 0`, node, streams, persons, conns)
	b.Queue(`INSERT INTO presence (node, stream, person, state, role, conns)
SELECT $1, s, person, st, ro, c FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int[]) AS u(s, person, st, ro, c) WHERE c > 0
ON CONFLICT (node, stream, person) DO UPDATE SET state = EXCLUDED.state, role = EXCLUDED.role, conns = EXCLUDED.conns`,
		node, streams, persons, states, roles, conns)
	b.Queue(`SELECT count(pg_notify($1, m)) FROM unnest($2::text[]) AS u(m)`, l.presenceChannel(), moved)
	err := pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, b).Close() })
	return pgError(l.name, "store the presence of node "+node, err)
}

// ReadPresence returns the presence rows of every node but node in the
// given rooms, of nodes whose last beat is younger than ttl.
func (l *Log) ReadPresence(ctx context.Context, node string, ttl time.Duration, streams []engine.StreamID) ([]PresenceRow, error) {
	if len(streams) == 0 {
		return nil, nil
	}
	names := make([]string, len(streams))
	for i, s := range streams {
		names[i] = string(s)
	}
	rows, err := l.pool.Query(ctx, `SELECT p.node, p.stream, p.person, p.state, p.role, p.conns FROM presence p JOIN presence_nodes n ON n.node = p.node
WHERE p.node <> $1 AND p.stream = ANY($2::text[]) AND n.seen > now() - make_interval(secs => $3)`, node, names, ttl.Seconds())
	if err != nil {
		return nil, pgError(l.name, "read the presence of the other nodes", err)
	}
	defer rows.Close()
	var out []PresenceRow
	for rows.Next() {
		var r PresenceRow
		var stream string
		var conns int32
		if err := rows.Scan(&r.Node, &stream, &r.Person, &r.State, &r.Role, &conns); err != nil {
			return nil, pgError(l.name, "read the presence of the other nodes", err)
		}
		r.Stream, r.Conns = engine.StreamID(stream), int(conns)
		out = append(out, r)
	}
	return out, pgError(l.name, "read the presence of the other nodes", rows.Err())
}

// forgetNodesAfter is how long the rows of a node that stopped beating
// are kept before Beat deletes them.
const forgetNodesAfter = time.Hour

// Beat records that node is alive, by the database's clock, and returns
// every node whose last beat is younger than ttl, this one included.
func (l *Log) Beat(ctx context.Context, node string, ttl time.Duration) ([]string, error) {
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO presence_nodes (node, seen) VALUES ($1, now()) ON CONFLICT (node) DO UPDATE SET seen = now()`, node)
	b.Queue(`DELETE FROM presence WHERE node IN (SELECT node FROM presence_nodes WHERE seen < now() - make_interval(secs => $1))`, forgetNodesAfter.Seconds())
	b.Queue(`DELETE FROM presence_nodes WHERE seen < now() - make_interval(secs => $1)`, forgetNodesAfter.Seconds())
	var live []string
	b.Queue(`SELECT node FROM presence_nodes WHERE seen > now() - make_interval(secs => $1) ORDER BY node`, ttl.Seconds()).Query(func(rows pgx.Rows) error {
		for rows.Next() {
			var n string
			if err := rows.Scan(&n); err != nil {
				return err
			}
			live = append(live, n)
		}
		return rows.Err()
	})
	err := l.pool.SendBatch(ctx, b).Close()
	return live, pgError(l.name, "record the heartbeat of node "+node, err)
}

// ClearPresence deletes a node's presence and heartbeat: a node does it
// when it starts (what a previous run left is stale) and when it stops,
// so that the others drop its people at once rather than after the TTL.
func (l *Log) ClearPresence(ctx context.Context, node string) error {
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM presence WHERE node = $1`, node)
	b.Queue(`DELETE FROM presence_nodes WHERE node = $1`, node)
	b.Queue(`SELECT pg_notify($1, $2)`, l.presenceChannel(), " "+node)
	err := pgx.BeginFunc(ctx, l.pool, func(tx pgx.Tx) error { return tx.SendBatch(ctx, b).Close() })
	return pgError(l.name, "clear the presence of node "+node, err)
}

// FollowPresence listens for the presence notifications of every node
// and calls f with each room whose presence a node changed and that
// node's address, from one goroutine, until ctx ends. An empty stream
// says that the node cleared all its presence (ClearPresence), or, with
// an empty node too, that notifications may have been missed (the
// connection was lost and is back): read everything again. ready, if not
// nil, is closed once it listens.
func (l *Log) FollowPresence(ctx context.Context, ready chan<- struct{}, f func(stream engine.StreamID, node string)) error {
	return l.follow(ctx, l.presenceChannel(), ready, func(payload string) {
		stream, node, _ := strings.Cut(payload, " ")
		f(engine.StreamID(stream), node)
	})
}
