package engine

// Plural counts in words as the UN writes them: "1 bracket",
// "3 brackets", never "3 bracket(s)". Every word counted in draftroom's
// messages and reports takes a plain "s".
func Plural(n int, word string) string { return plural(n, word) }
