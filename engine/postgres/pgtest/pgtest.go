// Package pgtest gives tests a PostgreSQL database of their own: created
// for the test on the server at $DRAFTROOM_TEST_POSTGRES (default
// postgres://postgres@127.0.0.1:5432/postgres) and dropped when the test
// ends. Without a server the test is skipped, or fails when CI=true:
// .ci/run starts PostgreSQL, so a missing server there is a defect.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// ServerURL is the PostgreSQL server tests use: $DRAFTROOM_TEST_POSTGRES,
// or postgres://postgres@127.0.0.1:5432/postgres (trust authentication).
func ServerURL() string {
	if u := os.Getenv("DRAFTROOM_TEST_POSTGRES"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// connect opens an administrative connection to the server, skipping or
// failing the test when there is none.
func connect(t testing.TB) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, ServerURL())
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("PostgreSQL is needed and CI=true, but %s cannot be reached: %v (.ci/run starts it)", ServerURL(), err)
		}
		t.Skipf("no PostgreSQL at %s (%v); set DRAFTROOM_TEST_POSTGRES or start one", ServerURL(), err)
	}
	return conn
}

// NewDatabase creates an empty database for the test, named
// draftroom_test_ and random hex, drops it (closing whatever is still
// connected to it) when the test ends, and returns its URL.
func NewDatabase(t testing.TB) string {
	t.Helper()
	conn := connect(t)
	defer conn.Close(context.Background())
	var b [6]byte
	rand.Read(b[:])
	name := "draftroom_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(context.Background(), `CREATE DATABASE `+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		c := connect(t)
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return WithDatabase(ServerURL(), name)
}

// WithDatabase returns the URL u with its database replaced by name.
func WithDatabase(u, name string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.Path = "/" + name
	return p.String()
}

// Exec runs statements on the database at u, as someone with access to
// it would (tests use it to tamper with a log).
func Exec(t testing.TB, u string, query string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), query, args...); err != nil {
		t.Fatalf("%s: %v", strings.TrimSpace(query), err)
	}
}

// NewSchema creates an empty schema for the test in the server's
// database, drops it with everything in it when the test ends, and
// returns a URL whose search_path is that schema. It is much cheaper
// than NewDatabase; logs in different schemas of one database are
// independent.
func NewSchema(t testing.TB) string {
	t.Helper()
	conn := connect(t)
	defer conn.Close(context.Background())
	var b [6]byte
	rand.Read(b[:])
	name := "draftroom_test_" + hex.EncodeToString(b[:])
	if _, err := conn.Exec(context.Background(), `CREATE SCHEMA `+name); err != nil {
		t.Fatalf("create schema %s: %v", name, err)
	}
	t.Cleanup(func() {
		c := connect(t)
		defer c.Close(context.Background())
		if _, err := c.Exec(context.Background(), `DROP SCHEMA IF EXISTS `+name+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", name, err)
		}
	})
	p, err := url.Parse(ServerURL())
	if err != nil {
		t.Fatal(err)
	}
	q := p.Query()
	q.Set("search_path", name)
	p.RawQuery = q.Encode()
	return p.String()
}
