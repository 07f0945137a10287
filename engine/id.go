package engine

// Typed identifiers. References hold identities, never display numbers or
// line positions, so that renumbering and rebasing never break them.

// DocumentID identifies a document (e.g. "doc-1").
type DocumentID string

// ParagraphID is the stable identity of a paragraph or subparagraph. It is
// assigned once by the engine, never changes and is never reused, even
// after the paragraph is deleted.
type ParagraphID string

// SectionID is the stable identity of a section heading.
type SectionID string

// AmendmentID identifies an amendment within its document.
type AmendmentID string

// StateCode identifies a delegation that speaks in the room: a Member State
// by its ISO 3166-1 alpha-3 code ("FRA", "CHN") or a group that negotiates
// as one ("EU" for the European Union and its member States, "G77" for the
// Group of 77 and China).
type StateCode string

// PersonID identifies a natural person: a delegate, an officer, a member of
// the secretariat or an observer's representative.
type PersonID string

// StreamID names one ordered event stream in the log: "doc/<id>" for a
// document's room and "process/<id>" for a process.
type StreamID string

// DocumentStream returns the stream that holds a document's events.
func DocumentStream(id DocumentID) StreamID { return StreamID("doc/" + string(id)) }

// ProcessID identifies a negotiating process (e.g. "oewg-2021-2025",
// "permanent-mechanism").
type ProcessID string

// BodyID identifies a body of a process: its plenary or one of its groups.
type BodyID string

// MeetingID identifies a meeting of a process.
type MeetingID string

// ObserverID identifies an observer of a process: an accredited
// organisation ("ICRC", "ITU") or an observer State ("VAT"). When an
// observer's representative acts, Actor.State carries this code.
type ObserverID string

// ProcessStream returns the stream that holds a process's events.
func ProcessStream(id ProcessID) StreamID { return StreamID("process/" + string(id)) }
