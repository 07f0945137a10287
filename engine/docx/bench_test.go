package docx_test

import (
	"path/filepath"
	"testing"

	"github.com/draftroom/draftroom/engine/docx"
)

// BenchmarkImportParisDocx imports the Paris draft of 23 October 2015
// (523 paragraphs, 1,000 bracket pairs) from its clean Word export; the
// target is ≤ 200 ms (docs/performance.md).
func BenchmarkImportParisDocx(b *testing.B) {
	doc := importFile(b, filepath.Join(parisDir, "paris-agreement-draft-2015-10-23.md"))
	file := cleanDocx(b, doc, "en")
	b.SetBytes(int64(len(file)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := docx.ImportDraft(file); err != nil {
			b.Fatal(err)
		}
	}
}
