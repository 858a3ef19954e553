package ingest

import "eventgraph/store/domain"

// What ingestion knows of the world without the graph: which city is a state's capital
// and which adjective its people, so that "Tehran said" and "the Iranian foreign
// minister" can be read against the states the graph holds. States are named as a
// graph would name them; one the graph does not hold is never proposed this way.

// stateBodies are bodies of a state reporting names without the state ("the State
// Department", "the Pentagon", "the Revolutionary Guards", "the Majlis"), folded as domain.Normalize folds names,
// with the state each belongs to.
var stateBodies = map[string]string{
	"state department":                  "United States",
	"department of state":               "United States",
	"pentagon":                          "United States",
	"defense department":                "United States",
	"department of defense":             "United States",
	"treasury department":               "United States",
	"department of the treasury":        "United States",
	"revolutionary guards":              "Iran",
	"revolutionary guard":               "Iran",
	"revolutionary guard corps":         "Iran",
	"islamic revolutionary guard corps": "Iran",
	"irgc":                              "Iran",
	"majlis":                            "Iran",
	"islamic consultative assembly":     "Iran",
	"supreme national security council": "Iran",
	"guardian council":                  "Iran",
	"basij":                             "Iran",
	"amiri diwan":                       "Qatar",
	"knesset":                           "Israel",
	"israel defense forces":             "Israel",
	"idf":                               "Israel",
	"kremlin":                           "Russia",
	"elysee palace":                     "France",
	"quai d'orsay":                      "France",
}

// capitals are national capitals, folded as domain.EachWord folds words, with the
// name of the state each stands for when reporting uses it for the government
// ("Tehran said", "Washington wants"): the states of the region and the powers that
// take part in its diplomacy.
var capitals = map[string]string{
	"tehran":     "Iran",
	"washington": "United States",
	"jerusalem":  "Israel",
	"riyadh":     "Saudi Arabia",
	"doha":       "Qatar",
	"abu dhabi":  "United Arab Emirates",
	"manama":     "Bahrain",
	"kuwait":     "Kuwait",
	"baghdad":    "Iraq",
	"damascus":   "Syria",
	"beirut":     "Lebanon",
	"amman":      "Jordan",
	"cairo":      "Egypt",
	"ankara":     "Turkey",
	"sanaa":      "Yemen",
	"kabul":      "Afghanistan",
	"islamabad":  "Pakistan",
	"new delhi":  "India",
	"moscow":     "Russia",
	"beijing":    "China",
	"london":     "United Kingdom",
	"paris":      "France",
	"berlin":     "Germany",
	"rome":       "Italy",
	"brussels":   "Belgium",
	"vienna":     "Austria",
	"tokyo":      "Japan",
	"baku":       "Azerbaijan",
	"bern":       "Switzerland",
	"oslo":       "Norway",
	"stockholm":  "Sweden",
	"madrid":     "Spain",
}

// demonyms are the adjectives of the same states' people, folded, with the state's name:
// "the Iranian foreign minister", "the Omani capital".
var demonyms = map[string]string{
	"iranian":   "Iran",
	"american":  "United States",
	"omani":     "Oman",
	"israeli":   "Israel",
	"saudi":     "Saudi Arabia",
	"qatari":    "Qatar",
	"emirati":   "United Arab Emirates",
	"bahraini":  "Bahrain",
	"kuwaiti":   "Kuwait",
	"iraqi":     "Iraq",
	"syrian":    "Syria",
	"lebanese":  "Lebanon",
	"jordanian": "Jordan",
	"egyptian":  "Egypt",
	"turkish":   "Turkey",
	"yemeni":    "Yemen",
	"afghan":    "Afghanistan",
	"pakistani": "Pakistan",
	"indian":    "India",
	"russian":   "Russia",
	"chinese":   "China",
	"british":   "United Kingdom",
	"french":    "France",
	"german":    "Germany",
	"italian":   "Italy",
	"japanese":  "Japan",
	"swiss":     "Switzerland",
	"austrian":  "Austria",
	"belgian":   "Belgium",
	"dutch":     "Netherlands",
	"norwegian": "Norway",
	"swedish":   "Sweden",
	"spanish":   "Spain",
}

// demonymsOf are the demonyms by their state's name, normalized: "iran" has "iranian".
var demonymsOf = func() map[string][]string {
	out := map[string][]string{}
	for d, state := range demonyms {
		out[domain.Normalize(state)] = append(out[domain.Normalize(state)], d)
	}
	return out
}()

// otherStateNames are other names of the same states, folded: "Britain".
var otherStateNames = map[string]string{
	"britain": "United Kingdom", "great britain": "United Kingdom", "uk": "United Kingdom", "england": "United Kingdom",
	"uae": "United Arab Emirates", "usa": "United States", "america": "United States", "holland": "Netherlands",
}

// stateNamed is the state a folded name names in the gazetteer, as a state's name, its
// other name or its capital; "" for none.
func stateNamed(name string) string {
	if s := capitals[name]; s != "" {
		return s
	}
	if s := otherStateNames[name]; s != "" {
		return s
	}
	if ds := demonymsOf[name]; len(ds) > 0 {
		return demonyms[ds[0]]
	}
	return ""
}

// sites are places of the region's reporting inside a state's country, folded, with
// the state's name: nuclear sites, ports, bases and cities a reader is expected to
// place without being told ("Natanz", "Al Udeid Air Base"). Capitals are in capitals.
var sites = map[string]string{
	"natanz": "Iran", "fordow": "Iran", "fordo": "Iran", "isfahan": "Iran", "esfahan": "Iran", "arak": "Iran", "bushehr": "Iran",
	"parchin": "Iran", "bandar abbas": "Iran", "jask": "Iran", "konarak": "Iran", "chabahar": "Iran", "kharg island": "Iran",
	"shahid rajaee port": "Iran", "shahid rajaee": "Iran", "mashhad": "Iran", "shiraz": "Iran", "tabriz": "Iran", "qom": "Iran",
	"al udeid air base": "Qatar", "al udeid": "Qatar", "ras laffan": "Qatar",
	"salalah": "Oman", "duqm": "Oman", "sohar": "Oman", "khasab": "Oman",
	"tel aviv": "Israel", "haifa": "Israel", "beersheba": "Israel", "dimona": "Israel", "eilat": "Israel",
	"dubai": "United Arab Emirates", "fujairah": "United Arab Emirates", "jeddah": "Saudi Arabia", "erbil": "Iraq", "basra": "Iraq",
	"shandong": "China", "hong kong": "China", "shanghai": "China", "istanbul": "Turkey", "geneva": "Switzerland",
}

// memberships are the bodies and groups of the region's reporting that others belong
// to, folded: a member's name, with the names its body or group goes by. "The E3" are
// Britain, France and Germany, the IAEA is the United Nations' and its Board of
// Governors the IAEA's, though an article seldom says so.
var memberships = map[string][]string{
	"britain": {"e3"}, "united kingdom": {"e3"}, "uk": {"e3"}, "france": {"e3"}, "germany": {"e3"},
	"iaea":                               {"united nations", "un", "u.n."},
	"international atomic energy agency": {"united nations", "un", "u.n."},
	"security council":                   {"united nations", "un", "u.n."},
	"un security council":                {"united nations", "un", "u.n."},
	"u.n. security council":              {"united nations", "un", "u.n."},
	"united nations security council":    {"united nations", "un", "u.n."},
	"board of governors":                 {"iaea", "international atomic energy agency"},
	"iaea board":                         {"iaea", "international atomic energy agency"},
	"iaea board of governors":            {"iaea", "international atomic energy agency"},
}
