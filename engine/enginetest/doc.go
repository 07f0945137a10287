// Package enginetest holds the engine's tests that read files: the process
// templates and draft texts in fixtures/. The engine itself does no I/O
// (engine/purity_test.go), so tests that open files live here.
package enginetest
