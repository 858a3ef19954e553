package ingest

// capitals are national capitals, folded as domain.EachWord folds words, with the
// name of the state each stands for when reporting uses it for the government
// ("Tehran said", "Washington wants"): the states of the region and the powers that
// take part in its diplomacy. A capital is looked up as its state only in the graph's
// own names, so a state the graph does not hold is not proposed this way.
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
}
