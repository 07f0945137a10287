package engine

import (
	"slices"
	"strings"
	"testing"
)

// TestLineStarts: lines of at most 80 characters broken after a space,
// words longer than a line and text without spaces broken at the width.
func TestLineStarts(t *testing.T) {
	text := strings.Repeat("word ", 40) // 200 characters
	got := LineStarts(text, 80)
	if !slices.Equal(got, []int{80, 160}) {
		t.Errorf("lines of words start at %v", got)
	}
	for i, s := range got {
		if text[s-1] != ' ' {
			t.Errorf("line %d starts mid-word at %d", i+2, s)
		}
	}
	if got := LineStarts(strings.Repeat("国", 170), 80); !slices.Equal(got, []int{80, 160}) {
		t.Errorf("lines of Chinese start at %v", got)
	}
	// A text whose last character is the space a line would break after
	// has no empty last line (the start would be past its end).
	if got := LineStarts(strings.Repeat("x", 80)+" ", 80); got != nil {
		t.Errorf("a line of 80 characters and a space has lines %v", got)
	}
	if got := LineStarts("short", 80); got != nil {
		t.Errorf("a short text has lines %v", got)
	}
	if LineOf(text, 0) != 1 || LineOf(text, 85) != 2 || LineOf(text, 199) != 3 {
		t.Errorf("LineOf: %d %d %d", LineOf(text, 0), LineOf(text, 85), LineOf(text, 199))
	}
}
