package scenario

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/server"
)

// The OEWG's script: docs/walkthrough.md tells it step by step.
const (
	oewgProcess engine.ProcessID  = "oewg-2021-2025"
	oewgReport  engine.DocumentID = "oewg-apr-2023"
	oewgCBMs    engine.DocumentID = "oewg-sg-cbms-2023"
	oewgCB      engine.DocumentID = "oewg-sg-cb-2023"
	oewgReport2 engine.DocumentID = "oewg-apr-2024"
	oewgSummary engine.DocumentID = "oewg-summary-2024"
)

func oewg(r *run) {
	sec := r.sec
	r.do(sec, "sets up the OEWG 2021–2025 from its template", func() error {
		return sec.Call("POST", "/api/processes", server.CreateProcessRequest{Template: string(oewgProcess)}, nil)
	})
	chair := r.person(server.Person{ID: "chair-oewg", Name: "Chair of the OEWG", Role: engine.RoleOfficer}, "Chair")
	vcCBMs := r.person(server.Person{ID: "vc-cbms", Name: "Vice-Chair for confidence-building measures", Role: engine.RoleOfficer}, "Vice-Chair (CBMs)")
	vcCB := r.person(server.Person{ID: "vc-capacity-building", Name: "Vice-Chair for capacity-building", Role: engine.RoleOfficer}, "Vice-Chair (capacity-building)")
	del := map[engine.StateCode]*Client{}
	for _, d := range []struct {
		state engine.StateCode
		name  string
	}{
		{"SGP", "Delegate of Singapore"}, {"USA", "Delegate of the United States"}, {"RUS", "Делегат Российской Федерации"},
		{"CHN", "中国代表"}, {"ZAF", "Delegate of South Africa"}, {"EU", "Delegate of the European Union"}, {"IRN", "Delegate of Iran"},
	} {
		id := engine.PersonID("del-" + strings.ToLower(string(d.state)))
		del[d.state] = r.person(server.Person{ID: id, Name: d.name, Role: engine.RoleDelegate, State: d.state}, d.name)
		r.do(sec, "registers "+d.name+" as a participant of the working group", func() error {
			return sec.Proc(oewgProcess, "participant.register", engine.RegisterParticipant{Person: id, Name: d.name, Role: engine.RoleDelegate, State: d.state})
		})
	}

	// The drafts: the annual progress report in the plenary and the two
	// subgroups' texts, each prepared for its meeting of the fourth
	// session (March 2023). The process allocates their symbols, one
	// series of conference room papers for every body of the process in
	// a year ("The Chair will circulate the draft report", concept of
	// work, section II, Reporting): A/AC.292/2023/CRP.1 to CRP.3.
	for _, d := range []struct {
		id      engine.DocumentID
		typ     engine.DocumentType
		file    string
		body    engine.BodyID
		meeting engine.MeetingID
		symbol  string
	}{
		{oewgReport, engine.DraftProgressReport, "oewg-annual-report.md", "plenary", "s04-opening", "A/AC.292/2023/CRP.1"},
		{oewgCBMs, engine.Recommendations, "oewg-subgroup-cbms.md", "cbms", "s04-cbms", "A/AC.292/2023/CRP.2"},
		{oewgCB, engine.Recommendations, "oewg-subgroup-capacity.md", "capacity-building", "s04-capacity-building", "A/AC.292/2023/CRP.3"},
	} {
		r.do(sec, "imports "+d.file+" for the "+string(d.body)+" (the process allocates "+d.symbol+") and issues it as a zero draft", func() error {
			var out server.CreateDocumentResponse
			if err := sec.Call("POST", "/api/documents", server.CreateDocumentRequest{ID: d.id, Type: d.typ, Language: "en", Text: r.draft(d.file), Process: oewgProcess, Body: d.body, Meeting: d.meeting}, &out); err != nil {
				return err
			}
			if out.Document.Symbol != d.symbol {
				return fmt.Errorf("the process allocated %s, want %s", out.Document.Symbol, d.symbol)
			}
			_, err := sec.Doc(d.id, "revision.issue", engine.IssueRevision{Kind: engine.ZeroDraft})
			return err
		})
	}
	reading := func(who *Client, doc engine.DocumentID, kind engine.ReadingKind, meeting engine.MeetingID, what string) {
		r.do(who, what, func() error {
			_, err := who.Doc(doc, "reading.open", server.OpenReadingRequest{Kind: kind, Process: oewgProcess, Meeting: meeting})
			return err
		})
	}
	closeReading := func(who *Client, doc engine.DocumentID) {
		r.do(who, "closes the reading", func() error { _, err := who.Doc(doc, "reading.close", engine.CloseReading{}); return err })
	}

	// Opening plenary: general comments on the report.
	reading(chair, oewgReport, engine.FirstReading, "s04-opening", "opens the fourth session: a first reading of the draft annual progress report in the opening plenary")
	r.do(del["ZAF"], "makes a general comment on paragraph 3", func() error {
		_, err := del["ZAF"].Doc(oewgReport, "position.state", engine.StatePosition{State: "ZAF", Para: r.para(oewgReport, "3").ID, Kind: engine.Support, Comment: "South Africa welcomes the focus on critical infrastructure."})
		return err
	})
	closeReading(chair, oewgReport)

	// The subgroups negotiate and adopt their texts.
	for _, sg := range []struct {
		vc      *Client
		doc     engine.DocumentID
		meeting engine.MeetingID
		body    engine.BodyID
		amend   engine.StateCode
		para    string
		old     string
		text    string
	}{
		{vcCBMs, oewgCBMs, "s04-cbms", "cbms", "CHN", "2", "technical ICT terms and terminologies", "technical ICT terms"},
		{vcCB, oewgCB, "s04-capacity-building", "capacity-building", "ZAF", "2", "a global roundtable", "a global roundtable open to all States"},
	} {
		reading(sg.vc, sg.doc, engine.FirstReading, sg.meeting, "opens the subgroup's first reading of its text (general comments)")
		closeReading(sg.vc, sg.doc)
		reading(sg.vc, sg.doc, engine.SecondReading, sg.meeting, "opens the subgroup's second reading")
		p := r.para(sg.doc, sg.para)
		a, b := r.span(p.Text, sg.old)
		r.do(del[sg.amend], "proposes an amendment to paragraph "+sg.para, func() error {
			_, err := del[sg.amend].Doc(sg.doc, "amendment.propose", engine.ProposeAmendment{Proposer: sg.amend, Op: engine.OpReplace, Para: p.ID, Version: p.Version, Start: a, End: b, NewText: sg.text})
			return err
		})
		id := r.amendment(sg.doc, sg.amend, sg.text)
		r.do(sg.vc, "accepts the amendment by consensus", func() error {
			_, err := sg.vc.Doc(sg.doc, "decision.take", engine.TakeDecision{Kind: engine.AcceptAmendment, Amendment: id})
			return err
		})
		r.agreeAll(sg.vc, sg.doc)
		r.do(sg.vc, "adopts the subgroup's text", func() error {
			_, err := sg.vc.Doc(sg.doc, "decision.take", engine.TakeDecision{Kind: engine.AdoptDocument})
			return err
		})
		closeReading(sg.vc, sg.doc)
		r.do(sec, "transmits the subgroup's text (registered with the process when it was imported) to the plenary", func() error {
			return sec.Proc(oewgProcess, "document.transmit", engine.TransmitDocument{Document: sg.doc, To: "plenary"})
		})
	}

	// Closing plenary: the subgroups' texts taken in, the report adopted.
	reading(chair, oewgReport, engine.SecondReading, "s04-closing", "opens the second reading of the report in the closing plenary")
	sections := r.view(oewgReport).Sections
	after := sections[len(sections)-1].ID // after "C. Regular institutional dialogue"
	for _, t := range []struct {
		from    engine.DocumentID
		heading string
	}{
		{oewgCBMs, "D. Confidence-building measures"},
		{oewgCB, "E. Capacity-building"},
	} {
		r.do(chair, "takes the agreed text of "+string(t.from)+" into the report as section "+t.heading, func() error {
			res, err := chair.Doc(oewgReport, "section.takein", server.TakeInRequest{From: t.from, Heading: t.heading, After: after})
			for _, e := range res.Events {
				if x, ok := e.Data.(*engine.SectionAdded); ok {
					after = x.Section
				}
			}
			return err
		})
	}
	r.agreeAll(chair, oewgReport)
	r.do(chair, "adopts the annual progress report", func() error {
		_, err := chair.Doc(oewgReport, "decision.take", engine.TakeDecision{Kind: engine.AdoptDocument})
		return err
	})
	closeReading(chair, oewgReport)
	r.do(sec, "issues the adopted report, dated the day of the closing plenary: the process allocates A/AC.292/2023/1", func() error {
		return r.issued(sec, oewgReport, engine.IssueRevision{Kind: engine.Final, Date: day("2023-03-10T00:00")}, "A/AC.292/2023/1")
	})
	for _, f := range []struct{ name, format string }{{"apr-2023-final.html", "html"}, {"apr-2023-final.akn.xml", "akn"}, {"apr-2023-final.docx", "docx"}} {
		r.export(sec, oewgReport, f.name, url.Values{"report": {"clean"}, "format": {f.format}, "rev": {"1"}, "final": {"1"}})
	}

	// A later report fails consensus and ends as a Chair's summary.
	r.do(sec, "imports the draft annual progress report for 2024 and issues it", func() error {
		if err := sec.Call("POST", "/api/documents", server.CreateDocumentRequest{ID: oewgReport2, Type: engine.DraftProgressReport, Language: "en", Text: r.draft("oewg-report-2024.md"), Process: oewgProcess, Body: "plenary", Meeting: "s08-opening"}, nil); err != nil {
			return err
		}
		_, err := sec.Doc(oewgReport2, "revision.issue", engine.IssueRevision{Kind: engine.ZeroDraft})
		return err
	})
	reading(chair, oewgReport2, engine.FirstReading, "s08-opening", "opens the first reading of the 2024 report")
	closeReading(chair, oewgReport2)
	reading(chair, oewgReport2, engine.SecondReading, "s08-closing", "opens the second reading in the closing plenary")
	p2 := r.para(oewgReport2, "2")
	r.do(del["USA"], "objects to paragraph 2", func() error {
		_, err := del["USA"].Doc(oewgReport2, "position.state", engine.StatePosition{State: "USA", Para: p2.ID, Kind: engine.Oppose, Comment: "New legally binding obligations are not needed."})
		return err
	})
	r.do(del["RUS"], "supports paragraph 2", func() error {
		_, err := del["RUS"].Doc(oewgReport2, "position.state", engine.StatePosition{State: "RUS", Para: p2.ID, Kind: engine.Support})
		return err
	})
	r.do(chair, "reads paragraph 2", func() error {
		_, err := chair.Doc(oewgReport2, "reading.read", engine.ReadParagraph{Para: p2.ID})
		return err
	})
	r.refused(chair, "tries to agree paragraph 2 ad ref", "USA (United States of America) objects", func() error {
		_, err := chair.Doc(oewgReport2, "decision.take", engine.TakeDecision{Kind: engine.AgreeAdRef, Para: p2.ID})
		return err
	})
	r.do(chair, "records that consensus was not reached on the report, which will be replaced by a Chair's summary", func() error {
		_, err := chair.Doc(oewgReport2, "consensus.none", engine.RecordNoConsensus{Summary: oewgSummary, Note: "Consensus could not be reached on paragraph 2."})
		return err
	})
	r.do(sec, "prepares the Chair's summary as a document of its own (the process allocates A/AC.292/2024/CRP.2)", func() error {
		text := "# Chair's summary of the eighth session of the open-ended working group\n\n## Summary\n\n1. The Chair notes that States exchanged views on whether additional legally binding obligations could be developed in the future.\n\n2. The Chair notes that consensus could not be reached on the annual progress report.\n"
		var out server.CreateDocumentResponse
		if err := sec.Call("POST", "/api/documents", server.CreateDocumentRequest{ID: oewgSummary, Type: engine.ChairsSummary, Language: "en", Text: text, Process: oewgProcess, Body: "plenary", Meeting: "s08-closing"}, &out); err != nil {
			return err
		}
		if out.Document.Symbol != "A/AC.292/2024/CRP.2" {
			return fmt.Errorf("the process allocated %s, want A/AC.292/2024/CRP.2", out.Document.Symbol)
		}
		return nil
	})
	r.do(chair, "issues the Chair's summary under the chair's own responsibility", func() error {
		_, err := chair.Doc(oewgSummary, "summary.issue", engine.IssueChairsSummary{Report: oewgReport2})
		return err
	})
	r.export(sec, oewgSummary, "summary-2024.html", url.Values{"report": {"clean"}, "format": {"html"}})
	r.export(sec, oewgSummary, "summary-2024.akn.xml", url.Values{"report": {"clean"}, "format": {"akn"}})
	r.export(sec, oewgReport2, "apr-2024-status.html", url.Values{"report": {"status"}, "format": {"html"}})
	for _, d := range []engine.DocumentID{oewgReport, oewgCBMs, oewgCB, oewgReport2, oewgSummary} {
		r.res.Views[d] = r.view(d)
	}
}
