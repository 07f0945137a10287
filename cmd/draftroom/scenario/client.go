// Package scenario plays the two seed processes end to end against a
// running draftroom server, through its HTTP API, as the people of each
// process would: the secretariat sets up the process and registers
// everyone, each person logs in with their own one-time code, and every
// step is a real API call by the right person, so that authorisation, the
// engine's rules and the store are all exercised. "draftroom demo NAME"
// plays a script against a server a newcomer can watch in the browser, and
// the end-to-end tests play the same scripts against the real binary.
package scenario

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/server"
)

// Client is one person's session with a server.
type Client struct {
	Base  string // e.g. http://127.0.0.1:8080
	Token string
	Who   string // how the script names the person in its log
	http  *http.Client
}

// APIError is a refusal from the server: its HTTP status and the engine's
// code and message.
type APIError struct {
	Status  int
	Code    string
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Login logs in with a one-time code.
func Login(base, code, who string) (*Client, error) {
	c := &Client{Base: strings.TrimSuffix(base, "/"), Who: who, http: &http.Client{Timeout: 60 * time.Second}}
	var out struct{ Token string }
	if err := c.Call("POST", "/api/login", map[string]string{"code": code}, &out); err != nil {
		return nil, fmt.Errorf("%s cannot log in: %w", who, err)
	}
	c.Token = out.Token
	return c, nil
}

// Call sends one API request; a non-2xx answer is an *APIError.
func (c *Client) Call(method, path string, in, out any) error {
	b, err := c.raw(method, path, in)
	if err != nil {
		return err
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("%s %s: reading the answer: %w", method, path, err)
		}
	}
	return nil
}

func (c *Client) raw(method, path string, in any) ([]byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.Base+path, body)
	if err != nil {
		return nil, err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error struct{ Code, Message string }
		}
		_ = json.Unmarshal(b, &e)
		if e.Error.Message == "" {
			e.Error.Message = strings.TrimSpace(string(b))
		}
		return nil, &APIError{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message}
	}
	return b, nil
}

// Doc sends a command to a document's room.
func (c *Client) Doc(doc engine.DocumentID, name string, cmd any) (server.CommandResponse, error) {
	raw, err := json.Marshal(cmd)
	if err != nil {
		return server.CommandResponse{}, err
	}
	var out server.CommandResponse
	err = c.Call("POST", "/api/documents/"+url.PathEscape(string(doc))+"/commands", server.CommandRequest{Name: name, Command: raw}, &out)
	return out, err
}

// Proc sends a command to a process.
func (c *Client) Proc(proc engine.ProcessID, name string, cmd any) error {
	raw, err := json.Marshal(cmd)
	if err != nil {
		return err
	}
	return c.Call("POST", "/api/processes/"+url.PathEscape(string(proc))+"/commands", server.CommandRequest{Name: name, Command: raw}, nil)
}

// View reads a document as its room shows it.
func (c *Client) View(doc engine.DocumentID) (*server.View, error) {
	var out server.DocumentResponse
	if err := c.Call("GET", "/api/documents/"+url.PathEscape(string(doc)), nil, &out); err != nil {
		return nil, err
	}
	return out.View, nil
}

// Process reads a process.
func (c *Client) Process(id engine.ProcessID) (*engine.Process, error) {
	var out struct{ Process *engine.Process }
	if err := c.Call("GET", "/api/processes/"+url.PathEscape(string(id)), nil, &out); err != nil {
		return nil, err
	}
	return out.Process, nil
}

// Export downloads a report of a document (query as for
// GET /api/documents/{id}/export: report, format, rev, against, final).
func (c *Client) Export(doc engine.DocumentID, q url.Values) ([]byte, error) {
	return c.raw("GET", "/api/documents/"+url.PathEscape(string(doc))+"/export?"+q.Encode(), nil)
}
