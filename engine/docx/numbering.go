package docx

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// numbering holds the list definitions of word/numbering.xml and the
// counters of each list as the body is read in order.
type numbering struct {
	abstract map[string]map[int]*numLevel // abstractNumId → ilvl → level
	nums     map[string]*numInstance      // numId → instance
	// counters by abstract list: Word numbers the paragraphs of every
	// w:num of one abstract list in one sequence unless a w:num restarts
	// it (w:startOverride).
	counters map[string][]int
}

type numLevel struct {
	start     int
	format    string // decimal, lowerLetter, upperLetter, lowerRoman, upperRoman, bullet, none, …
	text      string // w:lvlText, e.g. "%1." or "(%2)"
	indent    int
	hasIndent bool
}

type numInstance struct {
	abstract  string
	overrides map[int]int // ilvl → start
	restarted map[int]bool
}

func (f *File) readNumbering(data []byte, name string) error {
	n := &numbering{abstract: map[string]map[int]*numLevel{}, nums: map[string]*numInstance{}, counters: map[string][]int{}}
	x := newXMLReader(data, name)
	var absID string
	var lv *numLevel
	var inst *numInstance
	overrideLvl := -1
	for {
		t, err := x.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch e := t.(type) {
		case xml.StartElement:
			if e.Name.Space != nsW {
				continue
			}
			switch e.Name.Local {
			case "abstractNum":
				absID = attr(e, "abstractNumId")
				if n.abstract[absID] == nil {
					n.abstract[absID] = map[int]*numLevel{}
				}
			case "lvl":
				if inst != nil {
					continue // a level override's own definition: rare, kept simple
				}
				lv = &numLevel{start: 1, format: "decimal"}
				if absID != "" {
					n.abstract[absID][atoi(attr(e, "ilvl"))] = lv
				}
			case "start":
				if lv != nil {
					lv.start = atoi(attr(e, "val"))
				}
			case "numFmt":
				if lv != nil {
					lv.format = attr(e, "val")
				}
			case "lvlText":
				if lv != nil {
					lv.text = attr(e, "val")
				}
			case "ind":
				if lv != nil {
					lv.indent, lv.hasIndent = indentOf(e), true
				}
			case "num":
				inst = &numInstance{overrides: map[int]int{}, restarted: map[int]bool{}}
				n.nums[attr(e, "numId")] = inst
			case "abstractNumId":
				if inst != nil {
					inst.abstract = attr(e, "val")
				}
			case "lvlOverride":
				overrideLvl = atoi(attr(e, "ilvl"))
			case "startOverride":
				if inst != nil && overrideLvl >= 0 {
					inst.overrides[overrideLvl] = atoi(attr(e, "val"))
				}
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "abstractNum":
				absID = ""
			case "lvl":
				lv = nil
			case "num":
				inst = nil
			case "lvlOverride":
				overrideLvl = -1
			}
		}
	}
	f.numbering = n
	return nil
}

// level is the definition of a list level, nil when unknown.
func (n *numbering) level(numID string, ilvl int) *numLevel {
	inst, ok := n.nums[numID]
	if !ok {
		return nil
	}
	return n.abstract[inst.abstract][ilvl]
}

// next advances the counter of a list level and returns its label as Word
// prints it.
func (n *numbering) next(numID string, ilvl int) string {
	return n.advance(numID, ilvl, true)
}

// peek is the label the level would print next, without counting (for a
// paragraph deleted by a tracked change).
func (n *numbering) peek(numID string, ilvl int) string {
	return n.advance(numID, ilvl, false)
}

func (n *numbering) advance(numID string, ilvl int, count bool) string {
	inst := n.nums[numID]
	levels := n.abstract[inst.abstract]
	if ilvl < 0 || ilvl > 8 {
		return ""
	}
	c := n.counters[inst.abstract]
	if c == nil {
		c = make([]int, 9)
		for i := range c {
			c[i] = -1
		}
	}
	c = append([]int(nil), c...)
	start := func(l int) int {
		if s, ok := inst.overrides[l]; ok {
			return s
		}
		if lv := levels[l]; lv != nil {
			return lv.start
		}
		return 1
	}
	if s, ok := inst.overrides[ilvl]; ok && !inst.restarted[ilvl] {
		c[ilvl] = s - 1
		if count {
			inst.restarted[ilvl] = true
		}
	}
	if c[ilvl] < 0 {
		c[ilvl] = start(ilvl) - 1
	}
	c[ilvl]++
	for l := ilvl + 1; l < len(c); l++ {
		c[l] = -1 // deeper levels restart
	}
	if count {
		n.counters[inst.abstract] = c
	}
	lv := levels[ilvl]
	if lv == nil {
		return ""
	}
	label := lv.text
	for l := 0; l <= ilvl && l < 9; l++ {
		v := c[l]
		if v < 0 {
			v = start(l)
		}
		fmtName := "decimal"
		if x := levels[l]; x != nil {
			fmtName = x.format
		}
		label = strings.ReplaceAll(label, "%"+strconv.Itoa(l+1), formatNumber(v, fmtName))
	}
	return label
}

// formatNumber prints a counter in a Word number format.
func formatNumber(v int, format string) string {
	switch format {
	case "lowerLetter":
		return letters(v)
	case "upperLetter":
		return strings.ToUpper(letters(v))
	case "lowerRoman":
		return roman(v)
	case "upperRoman":
		return strings.ToUpper(roman(v))
	case "bullet", "none":
		return ""
	}
	return strconv.Itoa(v)
}

// letters is Word's letter numbering: a … z, aa … zz, aaa ….
func letters(v int) string {
	if v <= 0 {
		return ""
	}
	return strings.Repeat(string(rune('a'+(v-1)%26)), (v-1)/26+1)
}

func roman(v int) string {
	if v <= 0 || v >= 4000 {
		return strconv.Itoa(v)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"}
	var b strings.Builder
	for i, n := range vals {
		for v >= n {
			b.WriteString(syms[i])
			v -= n
		}
	}
	return b.String()
}
