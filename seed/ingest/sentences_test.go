package ingest

import (
	"slices"
	"testing"
)

// sentenceCases are texts with the sentences they hold, around the abbreviations,
// initials, quotes and lists of wire reporting.
var sentenceCases = []struct {
	name string
	text string
	want []string
}{
	{"abbreviations in capitals inside a sentence", `The U.S. Navy said a U.N. monitor was present. Talks resumed.`,
		[]string{`The U.S. Navy said a U.N. monitor was present.`, `Talks resumed.`}},
	{"an abbreviation ending a sentence", `Iran held talks with the U.S. The envoy left on Sunday.`,
		[]string{`Iran held talks with the U.S.`, `The envoy left on Sunday.`}},
	{"an abbreviation before a lower-case word", `U.S. officials declined to comment. Mr. Witkoff did not.`,
		[]string{`U.S. officials declined to comment.`, `Mr. Witkoff did not.`}},
	{"titles", `Adm. Brad Cooper met Gen. Mohammad Bagheri's deputy. Dr. Rafael Grossi was not there.`,
		[]string{`Adm. Brad Cooper met Gen. Mohammad Bagheri's deputy.`, `Dr. Rafael Grossi was not there.`}},
	{"a month and a saint", `The round on Feb. 6 in St. Petersburg was cancelled. A new date is due.`,
		[]string{`The round on Feb. 6 in St. Petersburg was cancelled.`, `A new date is due.`}},
	{"initials", `Vice President J. D. Vance spoke. Others did not.`,
		[]string{`Vice President J. D. Vance spoke.`, `Others did not.`}},
	{"a time", `The talks began at 10 a.m. and ended by noon. Both sides left.`,
		[]string{`The talks began at 10 a.m. and ended by noon.`, `Both sides left.`}},
	{"a quotation of several sentences stays with its attribution", `"We will not negotiate. Never," Araghchi said. He left.`,
		[]string{`"We will not negotiate. Never," Araghchi said.`, `He left.`}},
	{"curly quotes", `“The ball is in their court.” The envoy said so twice.`,
		[]string{`“The ball is in their court.”`, `The envoy said so twice.`}},
	{"a question and an exclamation", `Will the talks hold? Nobody knows! Officials hope so.`,
		[]string{`Will the talks hold?`, `Nobody knows!`, `Officials hope so.`}},
	{"lines", "IRAN TALKS END\n- nuclear freeze\n- missiles\nMUSCAT, Oman (Gulf Wire) — The talks ended.",
		[]string{"IRAN TALKS END", "- nuclear freeze", "- missiles", "MUSCAT, Oman (Gulf Wire) — The talks ended."}},
	{"a quotation left open to the next paragraph", "\"The first point is the stockpile.\n\n\"The second is the missiles,\" he said.",
		[]string{`"The first point is the stockpile.`, `"The second is the missiles," he said.`}},
	{"a caption's credit", "Araghchi arrives in Muscat, April 12, 2025. (Gulf Wire)\nThe talks began.",
		[]string{"Araghchi arrives in Muscat, April 12, 2025. (Gulf Wire)", "The talks began."}},
	{"a number after a full stop", `Talks began in 2025. 2026 brought a second round.`,
		[]string{`Talks began in 2025.`, `2026 brought a second round.`}},
}

func TestSentences(t *testing.T) {
	for _, c := range sentenceCases {
		t.Run(c.name, func(t *testing.T) {
			runes := []rune(c.text)
			var got []string
			for _, s := range sentences(runes) {
				got = append(got, string(runes[s.Start:s.End]))
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("sentences of %q:\n got %q\nwant %q", c.text, got, c.want)
			}
		})
	}
}
