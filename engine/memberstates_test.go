package engine

import (
	"sort"
	"testing"
)

func isUpperAlpha(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func TestMemberStatesCount(t *testing.T) {
	if got, want := len(MemberStates()), 193; got != want {
		t.Fatalf("len(MemberStates()) = %d, want %d", got, want)
	}
}

func TestMemberStatesUnique(t *testing.T) {
	codes := map[StateCode]string{}
	alpha2 := map[string]string{}
	names := map[string]StateCode{}
	for _, m := range MemberStates() {
		if !isUpperAlpha(string(m.Code), 3) {
			t.Errorf("%s: code %q is not three upper-case letters", m.Name, m.Code)
		}
		if !isUpperAlpha(m.Alpha2, 2) {
			t.Errorf("%s: alpha-2 %q is not two upper-case letters", m.Name, m.Alpha2)
		}
		if m.Name == "" {
			t.Errorf("%s: empty name", m.Code)
		}
		if prev, dup := codes[m.Code]; dup {
			t.Errorf("code %s used by %s and %s", m.Code, prev, m.Name)
		}
		if prev, dup := alpha2[m.Alpha2]; dup {
			t.Errorf("alpha-2 %s used by %s and %s", m.Alpha2, prev, m.Name)
		}
		if prev, dup := names[m.Name]; dup {
			t.Errorf("name %q used by %s and %s", m.Name, prev, m.Code)
		}
		codes[m.Code], alpha2[m.Alpha2], names[m.Name] = m.Name, m.Name, m.Code
	}
	for _, o := range ObserverStates() {
		if _, dup := codes[o.Code]; dup {
			t.Errorf("observer State %s has the code of a Member State", o.Name)
		}
		if _, dup := alpha2[o.Alpha2]; dup {
			t.Errorf("observer State %s has the alpha-2 of a Member State", o.Name)
		}
	}
}

// The regional groups partition the membership, except for the United
// States, which is in none. The figures often quoted (African 54,
// Asia-Pacific 53, Eastern European 23, GRULAC 33, WEOG 28, plus the
// United States) add up to 192, not 193: the Asia-Pacific figure of 53
// leaves out Kiribati, which belonged to no group until it joined the
// Asia-Pacific States. With Kiribati that group has 54; Türkiye, which
// also takes part in it, is counted in WEOG, as for elections.
// 54 + 54 + 23 + 33 + 28 + 1 = 193.
func TestMemberStatesRegionalGroups(t *testing.T) {
	count := map[RegionalGroup]int{}
	for _, m := range MemberStates() {
		count[m.Group]++
	}
	tests := []struct {
		group RegionalGroup
		want  int
	}{
		{RegionalGroupAfrican, 54},
		{RegionalGroupAsiaPacific, 54},
		{RegionalGroupEasternEuropean, 23},
		{RegionalGroupLatinAmericanCaribbean, 33},
		{RegionalGroupWesternEuropeanOther, 28},
		{RegionalGroupNone, 1},
	}
	total := 0
	for _, tt := range tests {
		if got := count[tt.group]; got != tt.want {
			t.Errorf("%s: %d members, want %d", tt.group, got, tt.want)
		}
		total += tt.want
		delete(count, tt.group)
	}
	if total != 193 {
		t.Errorf("the expected group sizes add up to %d, want 193", total)
	}
	for g, n := range count {
		t.Errorf("%d Member States in unknown group %q", n, g)
	}
	if len(RegionalGroups()) != 5 {
		t.Errorf("RegionalGroups() has %d groups, want 5", len(RegionalGroups()))
	}
}

func TestLookupMemberState(t *testing.T) {
	tests := []struct {
		code   StateCode
		name   string
		alpha2 string
		group  RegionalGroup
	}{
		{"CHN", "China", "CN", RegionalGroupAsiaPacific},
		{"RUS", "Russian Federation", "RU", RegionalGroupEasternEuropean},
		{"GBR", "United Kingdom of Great Britain and Northern Ireland", "GB", RegionalGroupWesternEuropeanOther},
		{"USA", "United States of America", "US", RegionalGroupNone},
		{"FRA", "France", "FR", RegionalGroupWesternEuropeanOther},
		{"IRN", "Iran (Islamic Republic of)", "IR", RegionalGroupAsiaPacific},
		{"BOL", "Bolivia (Plurinational State of)", "BO", RegionalGroupLatinAmericanCaribbean},
		{"VEN", "Venezuela (Bolivarian Republic of)", "VE", RegionalGroupLatinAmericanCaribbean},
		{"PRK", "Democratic People's Republic of Korea", "KP", RegionalGroupAsiaPacific},
		{"KOR", "Republic of Korea", "KR", RegionalGroupAsiaPacific},
		{"COD", "Democratic Republic of the Congo", "CD", RegionalGroupAfrican},
		{"COG", "Congo", "CG", RegionalGroupAfrican},
		{"CIV", "Côte d'Ivoire", "CI", RegionalGroupAfrican},
		{"SWZ", "Eswatini", "SZ", RegionalGroupAfrican},
		{"MKD", "North Macedonia", "MK", RegionalGroupEasternEuropean},
		{"CZE", "Czechia", "CZ", RegionalGroupEasternEuropean},
		{"MDA", "Republic of Moldova", "MD", RegionalGroupEasternEuropean},
		{"TUR", "Türkiye", "TR", RegionalGroupWesternEuropeanOther},
		{"ISR", "Israel", "IL", RegionalGroupWesternEuropeanOther},
		{"CYP", "Cyprus", "CY", RegionalGroupAsiaPacific},
		{"KIR", "Kiribati", "KI", RegionalGroupAsiaPacific},
		{"FSM", "Micronesia (Federated States of)", "FM", RegionalGroupAsiaPacific},
		{"LAO", "Lao People's Democratic Republic", "LA", RegionalGroupAsiaPacific},
		{"VNM", "Viet Nam", "VN", RegionalGroupAsiaPacific},
		{"SRB", "Serbia", "RS", RegionalGroupEasternEuropean},
		{"TZA", "United Republic of Tanzania", "TZ", RegionalGroupAfrican},
		{"NAM", "Namibia", "NA", RegionalGroupAfrican},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			m, ok := LookupMemberState(tt.code)
			if !ok {
				t.Fatalf("LookupMemberState(%q): not found", tt.code)
			}
			if m.Name != tt.name || m.Alpha2 != tt.alpha2 || m.Group != tt.group {
				t.Errorf("LookupMemberState(%q) = %q %q %q, want %q %q %q",
					tt.code, m.Name, m.Alpha2, m.Group, tt.name, tt.alpha2, tt.group)
			}
		})
	}
	for _, code := range []StateCode{"PSE", "VAT", "EU", "G77", "", "chn", "XKX", "TWN"} {
		if m, ok := LookupMemberState(code); ok {
			t.Errorf("LookupMemberState(%q) = %v, want not found", code, m)
		}
	}
}

func TestMemberStatesSorted(t *testing.T) {
	ms := MemberStates()
	pos := map[string]int{}
	for i, m := range ms {
		pos[m.Name] = i
	}
	// The order of the United Nations list, where accented letters sort
	// with their base letter.
	order := [][]string{
		{"Afghanistan", "Albania"},
		{"Costa Rica", "Côte d'Ivoire", "Croatia"},
		{"Tunisia", "Türkiye", "Turkmenistan", "Tuvalu"},
		{"Yemen", "Zambia", "Zimbabwe"},
	}
	for _, seq := range order {
		for i := 1; i < len(seq); i++ {
			if pos[seq[i-1]]+1 != pos[seq[i]] {
				t.Errorf("%q at %d and %q at %d, want adjacent in that order",
					seq[i-1], pos[seq[i-1]], seq[i], pos[seq[i]])
			}
		}
	}
	if ms[0].Name != "Afghanistan" || ms[len(ms)-1].Name != "Zimbabwe" {
		t.Errorf("first and last = %q, %q, want Afghanistan, Zimbabwe", ms[0].Name, ms[len(ms)-1].Name)
	}
	ms[0].Name = "changed"
	if MemberStates()[0].Name != "Afghanistan" {
		t.Errorf("MemberStates returned a slice shared with the package data")
	}
}

func TestObserverStates(t *testing.T) {
	want := map[StateCode]string{"VAT": "Holy See", "PSE": "State of Palestine"}
	obs := ObserverStates()
	if len(obs) != len(want) {
		t.Errorf("len(ObserverStates()) = %d, want %d", len(obs), len(want))
	}
	for _, o := range obs {
		if want[o.Code] != o.Name {
			t.Errorf("observer State %s = %q, want %q", o.Code, o.Name, want[o.Code])
		}
		if got, ok := LookupObserverState(o.Code); !ok || got != o {
			t.Errorf("LookupObserverState(%q) = %v, %v", o.Code, got, ok)
		}
		if _, ok := LookupDelegation(o.Code); ok {
			t.Errorf("LookupDelegation(%q) found an observer State", o.Code)
		}
	}
}

func TestNegotiatingGroups(t *testing.T) {
	tests := []struct {
		code  StateCode
		name  string
		size  int
		has   []StateCode
		hasNo []StateCode
	}{
		{"EU", "European Union and its member States", 27,
			[]StateCode{"FRA", "DEU", "HRV", "CYP", "MLT", "NLD", "SWE"},
			[]StateCode{"GBR", "NOR", "CHE", "TUR", "ISL"}},
		{"G77", "Group of 77 and China", 134,
			[]StateCode{"CHN", "PSE", "IND", "BRA", "ZAF", "CHL", "BIH", "TJK", "TKM", "SSD", "COL", "CRI"},
			[]StateCode{"MEX", "KOR", "PLW", "TUV", "KAZ", "UZB", "USA", "RUS"}},
		{"AG", "African Group", 54,
			[]StateCode{"EGY", "NGA", "ZAF", "SSD", "MAR"},
			[]StateCode{"ISR", "SAU"}},
	}
	groups := NegotiatingGroups()
	if len(groups) != len(tests) {
		t.Errorf("len(NegotiatingGroups()) = %d, want %d", len(groups), len(tests))
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			g, ok := LookupNegotiatingGroup(tt.code)
			if !ok {
				t.Fatalf("LookupNegotiatingGroup(%q): not found", tt.code)
			}
			if g.Name != tt.name {
				t.Errorf("name = %q, want %q", g.Name, tt.name)
			}
			if name, ok := LookupDelegation(tt.code); !ok || name != tt.name {
				t.Errorf("LookupDelegation(%q) = %q, %v, want %q", tt.code, name, ok, tt.name)
			}
			if len(g.Members) != tt.size {
				t.Errorf("%d members, want %d", len(g.Members), tt.size)
			}
			in := map[StateCode]bool{}
			for _, c := range g.Members {
				if in[c] {
					t.Errorf("member %s listed twice", c)
				}
				in[c] = true
			}
			for _, c := range tt.has {
				if !in[c] {
					t.Errorf("%s missing", c)
				}
			}
			for _, c := range tt.hasNo {
				if in[c] {
					t.Errorf("%s listed but is not a member", c)
				}
			}
			if !sort.SliceIsSorted(g.Members, func(i, j int) bool { return g.Members[i] < g.Members[j] }) {
				t.Errorf("members not sorted by code")
			}
		})
	}
}

// Every member of a group is a Member State, except the State of
// Palestine, an observer State that is a full member of the Group of 77.
// The European Union's members are all Member States.
func TestNegotiatingGroupMembersAreStates(t *testing.T) {
	for _, g := range NegotiatingGroups() {
		if _, ok := LookupMemberState(g.Code); ok {
			t.Errorf("group code %q is a Member State's code", g.Code)
		}
		if isUpperAlpha(string(g.Code), 3) {
			t.Errorf("group code %q looks like an ISO alpha-3 code", g.Code)
		}
		for _, c := range g.Members {
			if _, ok := LookupMemberState(c); ok {
				continue
			}
			if _, ok := LookupObserverState(c); ok && g.Code == "G77" {
				continue
			}
			t.Errorf("%s: member %q is not a Member State", g.Code, c)
		}
	}
}

// The Group of 77 is, with few exceptions, every Member State that is not
// in the Council of Europe, the OECD (as it stood before Colombia and Costa
// Rica joined) or the Commonwealth of Independent States, plus the State of
// Palestine. Deriving the list that way is an independent check on the
// hand-written one.
func TestGroupOf77ByExclusion(t *testing.T) {
	councilOfEurope := []StateCode{ // 46 members, Russia until 2022
		"ALB", "AND", "ARM", "AUT", "AZE", "BEL", "BGR", "HRV", "CYP", "CZE",
		"DNK", "EST", "FIN", "FRA", "GEO", "DEU", "GRC", "HUN", "ISL", "IRL",
		"ITA", "LVA", "LIE", "LTU", "LUX", "MLT", "MDA", "MCO", "MNE", "NLD",
		"MKD", "NOR", "POL", "PRT", "ROU", "SMR", "SRB", "SVK", "SVN", "ESP",
		"SWE", "CHE", "TUR", "UKR", "GBR", "BIH",
	}
	others := []StateCode{
		"RUS",                                                  // Council of Europe until 2022
		"AUS", "CAN", "ISR", "JPN", "KOR", "MEX", "NZL", "USA", // OECD
		"BLR", "KAZ", "KGZ", "UZB", // Commonwealth of Independent States
		"PLW", "TUV", // Pacific States outside the Group
	}
	excluded := map[StateCode]bool{}
	for _, c := range append(councilOfEurope, others...) {
		excluded[c] = true
	}
	excluded["BIH"] = false // a member of both the Council of Europe and the Group

	want := map[StateCode]bool{"PSE": true}
	for _, m := range MemberStates() {
		if !excluded[m.Code] {
			want[m.Code] = true
		}
	}
	g, _ := LookupNegotiatingGroup("G77")
	got := map[StateCode]bool{}
	for _, c := range g.Members {
		got[c] = true
		if !want[c] {
			t.Errorf("G77 lists %s, which the exclusion rule leaves out", c)
		}
	}
	for c := range want {
		if !got[c] {
			t.Errorf("G77 omits %s, which the exclusion rule includes", c)
		}
	}
}

func TestAfricanGroupIsRegionalGroup(t *testing.T) {
	g, _ := LookupNegotiatingGroup("AG")
	in := map[StateCode]bool{}
	for _, c := range g.Members {
		in[c] = true
	}
	for _, m := range MemberStates() {
		if (m.Group == RegionalGroupAfrican) != in[m.Code] {
			t.Errorf("%s: in African regional group %v, in African Group %v",
				m.Code, m.Group == RegionalGroupAfrican, in[m.Code])
		}
	}
}

func TestLookupDelegation(t *testing.T) {
	tests := []struct {
		code StateCode
		name string
		ok   bool
	}{
		{"FRA", "France", true},
		{"CHN", "China", true},
		{"NAM", "Namibia", true},
		{"EU", "European Union and its member States", true},
		{"G77", "Group of 77 and China", true},
		{"AG", "African Group", true},
		{"PSE", "", false},
		{"VAT", "", false},
		{"XXX", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		name, ok := LookupDelegation(tt.code)
		if name != tt.name || ok != tt.ok {
			t.Errorf("LookupDelegation(%q) = %q, %v, want %q, %v", tt.code, name, ok, tt.name, tt.ok)
		}
	}
}

func TestNegotiatingGroupsCopy(t *testing.T) {
	gs := NegotiatingGroups()
	gs[0].Members[0] = "XXX"
	if NegotiatingGroups()[0].Members[0] == "XXX" {
		t.Errorf("NegotiatingGroups returned members shared with the package data")
	}
}
