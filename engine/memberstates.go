package engine

import (
	"sort"
	"strings"
)

// RegionalGroup is one of the five United Nations regional groups through
// which seats, officers and chairs rotate (the chair of the permanent
// mechanism is elected by geographic rotation among them).
type RegionalGroup string

// Regional groups. The values are the names the Department for General
// Assembly and Conference Management uses for its lists of Member States.
const (
	// RegionalGroupAfrican is the Group of African States (54 members).
	RegionalGroupAfrican RegionalGroup = "African States"
	// RegionalGroupAsiaPacific is the Group of Asia-Pacific States (the
	// Group of Asia and the Pacific Small Island Developing States). It
	// has 54 members here: Kiribati, which belonged to no group until it
	// joined this one, is counted, and Türkiye, which takes part in its
	// meetings, is not, because it is counted in the Western European
	// and other States for elections. The figure of 53 that is often
	// quoted predates Kiribati joining.
	RegionalGroupAsiaPacific RegionalGroup = "Asia-Pacific States"
	// RegionalGroupEasternEuropean is the Group of Eastern European
	// States (23 members).
	RegionalGroupEasternEuropean RegionalGroup = "Eastern European States"
	// RegionalGroupLatinAmericanCaribbean is the Group of Latin American
	// and Caribbean States, GRULAC (33 members).
	RegionalGroupLatinAmericanCaribbean RegionalGroup = "Latin American and Caribbean States"
	// RegionalGroupWesternEuropeanOther is the Group of Western European
	// and other States, WEOG (28 members, Israel and Türkiye among them).
	RegionalGroupWesternEuropeanOther RegionalGroup = "Western European and other States"
	// RegionalGroupNone is recorded for the one Member State that belongs
	// to no regional group: the United States of America, which attends
	// meetings of the Western European and other States as an observer
	// and is counted with that group for electoral purposes only.
	RegionalGroupNone RegionalGroup = "none"
)

// RegionalGroups returns the five regional groups in the order the
// secretariat lists them. RegionalGroupNone is not among them.
func RegionalGroups() []RegionalGroup {
	return []RegionalGroup{
		RegionalGroupAfrican,
		RegionalGroupAsiaPacific,
		RegionalGroupEasternEuropean,
		RegionalGroupLatinAmericanCaribbean,
		RegionalGroupWesternEuropeanOther,
	}
}

// MemberState is a Member State of the United Nations.
type MemberState struct {
	// Code is the ISO 3166-1 alpha-3 code, the delegation's identity in
	// the room.
	Code StateCode
	// Alpha2 is the ISO 3166-1 alpha-2 code, for flags and locale tags.
	Alpha2 string
	// Name is the short name used at the United Nations, as it appears
	// on the nameplate and in the list of participants, e.g. "Bolivia
	// (Plurinational State of)" or "Türkiye".
	Name string
	// Group is the regional group the State belongs to for elections.
	Group RegionalGroup
}

// Shorter names for the table below.
const (
	rgAFR    = RegionalGroupAfrican
	rgAPG    = RegionalGroupAsiaPacific
	rgEEG    = RegionalGroupEasternEuropean
	rgGRULAC = RegionalGroupLatinAmericanCaribbean
	rgWEOG   = RegionalGroupWesternEuropeanOther
)

// memberStates lists the 193 Member States in the order of the United
// Nations list of Member States. MemberStates sorts a copy, so the order
// here only matters to the reader.
var memberStates = []MemberState{
	{"AFG", "AF", "Afghanistan", rgAPG},
	{"ALB", "AL", "Albania", rgEEG},
	{"DZA", "DZ", "Algeria", rgAFR},
	{"AND", "AD", "Andorra", rgWEOG},
	{"AGO", "AO", "Angola", rgAFR},
	{"ATG", "AG", "Antigua and Barbuda", rgGRULAC},
	{"ARG", "AR", "Argentina", rgGRULAC},
	{"ARM", "AM", "Armenia", rgEEG},
	{"AUS", "AU", "Australia", rgWEOG},
	{"AUT", "AT", "Austria", rgWEOG},
	{"AZE", "AZ", "Azerbaijan", rgEEG},
	{"BHS", "BS", "Bahamas", rgGRULAC},
	{"BHR", "BH", "Bahrain", rgAPG},
	{"BGD", "BD", "Bangladesh", rgAPG},
	{"BRB", "BB", "Barbados", rgGRULAC},
	{"BLR", "BY", "Belarus", rgEEG},
	{"BEL", "BE", "Belgium", rgWEOG},
	{"BLZ", "BZ", "Belize", rgGRULAC},
	{"BEN", "BJ", "Benin", rgAFR},
	{"BTN", "BT", "Bhutan", rgAPG},
	{"BOL", "BO", "Bolivia (Plurinational State of)", rgGRULAC},
	{"BIH", "BA", "Bosnia and Herzegovina", rgEEG},
	{"BWA", "BW", "Botswana", rgAFR},
	{"BRA", "BR", "Brazil", rgGRULAC},
	{"BRN", "BN", "Brunei Darussalam", rgAPG},
	{"BGR", "BG", "Bulgaria", rgEEG},
	{"BFA", "BF", "Burkina Faso", rgAFR},
	{"BDI", "BI", "Burundi", rgAFR},
	{"CPV", "CV", "Cabo Verde", rgAFR},
	{"KHM", "KH", "Cambodia", rgAPG},
	{"CMR", "CM", "Cameroon", rgAFR},
	{"CAN", "CA", "Canada", rgWEOG},
	{"CAF", "CF", "Central African Republic", rgAFR},
	{"TCD", "TD", "Chad", rgAFR},
	{"CHL", "CL", "Chile", rgGRULAC},
	{"CHN", "CN", "China", rgAPG},
	{"COL", "CO", "Colombia", rgGRULAC},
	{"COM", "KM", "Comoros", rgAFR},
	{"COG", "CG", "Congo", rgAFR},
	{"CRI", "CR", "Costa Rica", rgGRULAC},
	{"CIV", "CI", "Côte d'Ivoire", rgAFR},
	{"HRV", "HR", "Croatia", rgEEG},
	{"CUB", "CU", "Cuba", rgGRULAC},
	{"CYP", "CY", "Cyprus", rgAPG},
	{"CZE", "CZ", "Czechia", rgEEG},
	{"PRK", "KP", "Democratic People's Republic of Korea", rgAPG},
	{"COD", "CD", "Democratic Republic of the Congo", rgAFR},
	{"DNK", "DK", "Denmark", rgWEOG},
	{"DJI", "DJ", "Djibouti", rgAFR},
	{"DMA", "DM", "Dominica", rgGRULAC},
	{"DOM", "DO", "Dominican Republic", rgGRULAC},
	{"ECU", "EC", "Ecuador", rgGRULAC},
	{"EGY", "EG", "Egypt", rgAFR},
	{"SLV", "SV", "El Salvador", rgGRULAC},
	{"GNQ", "GQ", "Equatorial Guinea", rgAFR},
	{"ERI", "ER", "Eritrea", rgAFR},
	{"EST", "EE", "Estonia", rgEEG},
	{"SWZ", "SZ", "Eswatini", rgAFR},
	{"ETH", "ET", "Ethiopia", rgAFR},
	{"FJI", "FJ", "Fiji", rgAPG},
	{"FIN", "FI", "Finland", rgWEOG},
	{"FRA", "FR", "France", rgWEOG},
	{"GAB", "GA", "Gabon", rgAFR},
	{"GMB", "GM", "Gambia", rgAFR},
	{"GEO", "GE", "Georgia", rgEEG},
	{"DEU", "DE", "Germany", rgWEOG},
	{"GHA", "GH", "Ghana", rgAFR},
	{"GRC", "GR", "Greece", rgWEOG},
	{"GRD", "GD", "Grenada", rgGRULAC},
	{"GTM", "GT", "Guatemala", rgGRULAC},
	{"GIN", "GN", "Guinea", rgAFR},
	{"GNB", "GW", "Guinea-Bissau", rgAFR},
	{"GUY", "GY", "Guyana", rgGRULAC},
	{"HTI", "HT", "Haiti", rgGRULAC},
	{"HND", "HN", "Honduras", rgGRULAC},
	{"HUN", "HU", "Hungary", rgEEG},
	{"ISL", "IS", "Iceland", rgWEOG},
	{"IND", "IN", "India", rgAPG},
	{"IDN", "ID", "Indonesia", rgAPG},
	{"IRN", "IR", "Iran (Islamic Republic of)", rgAPG},
	{"IRQ", "IQ", "Iraq", rgAPG},
	{"IRL", "IE", "Ireland", rgWEOG},
	// Israel is a full member of the Western European and other States
	// in New York.
	{"ISR", "IL", "Israel", rgWEOG},
	{"ITA", "IT", "Italy", rgWEOG},
	{"JAM", "JM", "Jamaica", rgGRULAC},
	{"JPN", "JP", "Japan", rgAPG},
	{"JOR", "JO", "Jordan", rgAPG},
	{"KAZ", "KZ", "Kazakhstan", rgAPG},
	{"KEN", "KE", "Kenya", rgAFR},
	// Kiribati belonged to no regional group until it joined the
	// Asia-Pacific States.
	{"KIR", "KI", "Kiribati", rgAPG},
	{"KWT", "KW", "Kuwait", rgAPG},
	{"KGZ", "KG", "Kyrgyzstan", rgAPG},
	{"LAO", "LA", "Lao People's Democratic Republic", rgAPG},
	{"LVA", "LV", "Latvia", rgEEG},
	{"LBN", "LB", "Lebanon", rgAPG},
	{"LSO", "LS", "Lesotho", rgAFR},
	{"LBR", "LR", "Liberia", rgAFR},
	{"LBY", "LY", "Libya", rgAFR},
	{"LIE", "LI", "Liechtenstein", rgWEOG},
	{"LTU", "LT", "Lithuania", rgEEG},
	{"LUX", "LU", "Luxembourg", rgWEOG},
	{"MDG", "MG", "Madagascar", rgAFR},
	{"MWI", "MW", "Malawi", rgAFR},
	{"MYS", "MY", "Malaysia", rgAPG},
	{"MDV", "MV", "Maldives", rgAPG},
	{"MLI", "ML", "Mali", rgAFR},
	{"MLT", "MT", "Malta", rgWEOG},
	{"MHL", "MH", "Marshall Islands", rgAPG},
	{"MRT", "MR", "Mauritania", rgAFR},
	{"MUS", "MU", "Mauritius", rgAFR},
	{"MEX", "MX", "Mexico", rgGRULAC},
	{"FSM", "FM", "Micronesia (Federated States of)", rgAPG},
	{"MCO", "MC", "Monaco", rgWEOG},
	{"MNG", "MN", "Mongolia", rgAPG},
	{"MNE", "ME", "Montenegro", rgEEG},
	{"MAR", "MA", "Morocco", rgAFR},
	{"MOZ", "MZ", "Mozambique", rgAFR},
	{"MMR", "MM", "Myanmar", rgAPG},
	{"NAM", "NA", "Namibia", rgAFR},
	{"NRU", "NR", "Nauru", rgAPG},
	{"NPL", "NP", "Nepal", rgAPG},
	// The Netherlands asked in 2022 to be listed as "Netherlands (Kingdom
	// of the)"; nameplates and lists of participants use that form.
	{"NLD", "NL", "Netherlands (Kingdom of the)", rgWEOG},
	{"NZL", "NZ", "New Zealand", rgWEOG},
	{"NIC", "NI", "Nicaragua", rgGRULAC},
	{"NER", "NE", "Niger", rgAFR},
	{"NGA", "NG", "Nigeria", rgAFR},
	{"MKD", "MK", "North Macedonia", rgEEG},
	{"NOR", "NO", "Norway", rgWEOG},
	{"OMN", "OM", "Oman", rgAPG},
	{"PAK", "PK", "Pakistan", rgAPG},
	{"PLW", "PW", "Palau", rgAPG},
	{"PAN", "PA", "Panama", rgGRULAC},
	{"PNG", "PG", "Papua New Guinea", rgAPG},
	{"PRY", "PY", "Paraguay", rgGRULAC},
	{"PER", "PE", "Peru", rgGRULAC},
	{"PHL", "PH", "Philippines", rgAPG},
	{"POL", "PL", "Poland", rgEEG},
	{"PRT", "PT", "Portugal", rgWEOG},
	{"QAT", "QA", "Qatar", rgAPG},
	{"KOR", "KR", "Republic of Korea", rgAPG},
	{"MDA", "MD", "Republic of Moldova", rgEEG},
	{"ROU", "RO", "Romania", rgEEG},
	{"RUS", "RU", "Russian Federation", rgEEG},
	{"RWA", "RW", "Rwanda", rgAFR},
	{"KNA", "KN", "Saint Kitts and Nevis", rgGRULAC},
	{"LCA", "LC", "Saint Lucia", rgGRULAC},
	{"VCT", "VC", "Saint Vincent and the Grenadines", rgGRULAC},
	{"WSM", "WS", "Samoa", rgAPG},
	{"SMR", "SM", "San Marino", rgWEOG},
	{"STP", "ST", "Sao Tome and Principe", rgAFR},
	{"SAU", "SA", "Saudi Arabia", rgAPG},
	{"SEN", "SN", "Senegal", rgAFR},
	{"SRB", "RS", "Serbia", rgEEG},
	{"SYC", "SC", "Seychelles", rgAFR},
	{"SLE", "SL", "Sierra Leone", rgAFR},
	{"SGP", "SG", "Singapore", rgAPG},
	{"SVK", "SK", "Slovakia", rgEEG},
	{"SVN", "SI", "Slovenia", rgEEG},
	{"SLB", "SB", "Solomon Islands", rgAPG},
	{"SOM", "SO", "Somalia", rgAFR},
	{"ZAF", "ZA", "South Africa", rgAFR},
	{"SSD", "SS", "South Sudan", rgAFR},
	{"ESP", "ES", "Spain", rgWEOG},
	{"LKA", "LK", "Sri Lanka", rgAPG},
	{"SDN", "SD", "Sudan", rgAFR},
	{"SUR", "SR", "Suriname", rgGRULAC},
	{"SWE", "SE", "Sweden", rgWEOG},
	{"CHE", "CH", "Switzerland", rgWEOG},
	{"SYR", "SY", "Syrian Arab Republic", rgAPG},
	{"TJK", "TJ", "Tajikistan", rgAPG},
	{"THA", "TH", "Thailand", rgAPG},
	{"TLS", "TL", "Timor-Leste", rgAPG},
	{"TGO", "TG", "Togo", rgAFR},
	{"TON", "TO", "Tonga", rgAPG},
	{"TTO", "TT", "Trinidad and Tobago", rgGRULAC},
	{"TUN", "TN", "Tunisia", rgAFR},
	// Türkiye takes part fully in the Western European and other States
	// and in the Asia-Pacific States; for elections it is counted in the
	// Western European and other States only, which is what Group holds.
	{"TUR", "TR", "Türkiye", rgWEOG},
	{"TKM", "TM", "Turkmenistan", rgAPG},
	{"TUV", "TV", "Tuvalu", rgAPG},
	{"UGA", "UG", "Uganda", rgAFR},
	{"UKR", "UA", "Ukraine", rgEEG},
	{"ARE", "AE", "United Arab Emirates", rgAPG},
	{"GBR", "GB", "United Kingdom of Great Britain and Northern Ireland", rgWEOG},
	{"TZA", "TZ", "United Republic of Tanzania", rgAFR},
	// The United States is in no regional group: it attends the Western
	// European and other States as an observer and is counted with them
	// for elections.
	{"USA", "US", "United States of America", RegionalGroupNone},
	{"URY", "UY", "Uruguay", rgGRULAC},
	{"UZB", "UZ", "Uzbekistan", rgAPG},
	{"VUT", "VU", "Vanuatu", rgAPG},
	{"VEN", "VE", "Venezuela (Bolivarian Republic of)", rgGRULAC},
	{"VNM", "VN", "Viet Nam", rgAPG},
	{"YEM", "YE", "Yemen", rgAPG},
	{"ZMB", "ZM", "Zambia", rgAFR},
	{"ZWE", "ZW", "Zimbabwe", rgAFR},
}

// ObserverState is a non-member State that the General Assembly has
// invited to participate as an observer. Observer States may take the
// floor but take no part in decisions.
type ObserverState struct {
	// Code is the ISO 3166-1 alpha-3 code.
	Code StateCode
	// Alpha2 is the ISO 3166-1 alpha-2 code.
	Alpha2 string
	// Name is the name used at the United Nations.
	Name string
}

// observerStates lists the non-member observer States.
var observerStates = []ObserverState{
	{"VAT", "VA", "Holy See"},
	// The State of Palestine is also a full member of the Asia-Pacific
	// States and of the Group of 77.
	{"PSE", "PS", "State of Palestine"},
}

// NegotiatingGroup is a group of States that negotiates as one delegation:
// its coordinator proposes amendments and states positions on behalf of
// all its members.
type NegotiatingGroup struct {
	// Code is the group's identity in the room. Group codes are never
	// three upper-case letters, so they cannot be mistaken for an ISO
	// alpha-3 code.
	Code StateCode
	// Name is how the group is announced when its coordinator takes the
	// floor, e.g. "the European Union and its member States".
	Name string
	// Members lists the States on whose behalf the group speaks, sorted
	// by code.
	Members []StateCode
}

// europeanUnion lists the 27 member States of the European Union.
var europeanUnion = []StateCode{
	"AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST",
	"FIN", "FRA", "GRC", "HRV", "HUN", "IRL", "ITA", "LTU", "LUX",
	"LVA", "MLT", "NLD", "POL", "PRT", "ROU", "SVK", "SVN", "SWE",
}

// groupOf77 lists the Group of 77 and China as of 2025: 134 entries, the
// 133 Member States the Group lists (China among them, although China
// describes itself as associated with the Group rather than a member of
// it) and the State of Palestine, an observer State that is a full member
// of the Group. It is kept by hand from public knowledge, not copied from
// an official list; check it against the Group's own list before relying
// on it for anything that counts.
var groupOf77 = []StateCode{
	"AFG", "AGO", "ARE", "ARG", "ATG", "BDI", "BEN", "BFA", "BGD", "BHR",
	"BHS", "BIH", "BLZ", "BOL", "BRA", "BRB", "BRN", "BTN", "BWA", "CAF",
	"CHL", "CHN", "CIV", "CMR", "COD", "COG", "COL", "COM", "CPV", "CRI",
	"CUB", "DJI", "DMA", "DOM", "DZA", "ECU", "EGY", "ERI", "ETH", "FJI",
	"FSM", "GAB", "GHA", "GIN", "GMB", "GNB", "GNQ", "GRD", "GTM", "GUY",
	"HND", "HTI", "IDN", "IND", "IRN", "IRQ", "JAM", "JOR", "KEN", "KHM",
	"KIR", "KNA", "KWT", "LAO", "LBN", "LBR", "LBY", "LCA", "LKA", "LSO",
	"MAR", "MDG", "MDV", "MHL", "MLI", "MMR", "MNG", "MOZ", "MRT", "MUS",
	"MWI", "MYS", "NAM", "NER", "NGA", "NIC", "NPL", "NRU", "OMN", "PAK",
	"PAN", "PER", "PHL", "PNG", "PRK", "PRY", "PSE", "QAT", "RWA", "SAU",
	"SDN", "SEN", "SGP", "SLB", "SLE", "SLV", "SOM", "SSD", "STP", "SUR",
	"SWZ", "SYC", "SYR", "TCD", "TGO", "THA", "TJK", "TKM", "TLS", "TON",
	"TTO", "TUN", "TZA", "UGA", "URY", "VCT", "VEN", "VNM", "VUT", "WSM",
	"YEM", "ZAF", "ZMB", "ZWE",
}

// negotiatingGroups lists the groups that commonly speak as one in the
// ICT security processes. The Non-Aligned Movement is left out on purpose:
// its usual abbreviation, "NAM", is the alpha-3 code of Namibia and would
// make a delegation code ambiguous; add it under another code if needed.
var negotiatingGroups = []NegotiatingGroup{
	{Code: "EU", Name: "European Union and its member States", Members: europeanUnion},
	{Code: "G77", Name: "Group of 77 and China", Members: groupOf77},
	{Code: "AG", Name: "African Group", Members: regionalGroupCodes(RegionalGroupAfrican)},
}

// regionalGroupCodes returns the codes of the members of a regional group,
// sorted.
func regionalGroupCodes(g RegionalGroup) []StateCode {
	var codes []StateCode
	for _, m := range memberStates {
		if m.Group == g {
			codes = append(codes, m.Code)
		}
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
	return codes
}

// nameKey folds the few accented letters in United Nations short names so
// that "Côte d'Ivoire" sorts between "Costa Rica" and "Croatia" and
// "Türkiye" before "Turkmenistan", as in the United Nations list.
var nameKey = strings.NewReplacer("ô", "o", "ü", "u").Replace

// MemberStates returns the 193 Member States of the United Nations,
// sorted by name as in the United Nations list. The slice is a copy and
// may be changed by the caller.
func MemberStates() []MemberState {
	out := append([]MemberState(nil), memberStates...)
	sort.SliceStable(out, func(i, j int) bool { return nameKey(out[i].Name) < nameKey(out[j].Name) })
	return out
}

// LookupMemberState returns the Member State with the given ISO alpha-3
// code. Observer States and groups are not Member States.
func LookupMemberState(code StateCode) (MemberState, bool) {
	for _, m := range memberStates {
		if m.Code == code {
			return m, true
		}
	}
	return MemberState{}, false
}

// ObserverStates returns the non-member observer States (the Holy See
// and the State of Palestine). The slice is a copy.
func ObserverStates() []ObserverState {
	return append([]ObserverState(nil), observerStates...)
}

// LookupObserverState returns the non-member observer State with the given
// ISO alpha-3 code.
func LookupObserverState(code StateCode) (ObserverState, bool) {
	for _, o := range observerStates {
		if o.Code == code {
			return o, true
		}
	}
	return ObserverState{}, false
}

// NegotiatingGroups returns the negotiating groups: "EU" (the European
// Union and its member States), "G77" (the Group of 77 and China) and "AG"
// (the African Group). The result is a deep copy.
func NegotiatingGroups() []NegotiatingGroup {
	out := make([]NegotiatingGroup, len(negotiatingGroups))
	for i, g := range negotiatingGroups {
		g.Members = append([]StateCode(nil), g.Members...)
		out[i] = g
	}
	return out
}

// LookupNegotiatingGroup returns the negotiating group with the given
// code. The result is a deep copy.
func LookupNegotiatingGroup(code StateCode) (NegotiatingGroup, bool) {
	for _, g := range negotiatingGroups {
		if g.Code == code {
			g.Members = append([]StateCode(nil), g.Members...)
			return g, true
		}
	}
	return NegotiatingGroup{}, false
}

// LookupDelegation returns the name of the delegation a code stands for,
// a Member State ("FRA" → "France") or a negotiating group ("EU" →
// "European Union and its member States"). Observer States are not
// delegations in this sense: they take no part in decisions; use
// LookupObserverState for them.
func LookupDelegation(code StateCode) (name string, ok bool) {
	if m, ok := LookupMemberState(code); ok {
		return m.Name, true
	}
	for _, g := range negotiatingGroups {
		if g.Code == code {
			return g.Name, true
		}
	}
	return "", false
}
