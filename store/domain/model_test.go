package domain

import "testing"

func TestStanceConflicts(t *testing.T) {
	conflicting := map[[2]Stance]bool{
		{StanceDemands, StanceRulesOut}:          true,
		{StanceDemands, StanceRejects}:           true,
		{StanceSupports, StanceOpposes}:          true,
		{StanceWillingToDiscuss, StanceRulesOut}: true,
	}
	for _, a := range Stances {
		for _, b := range Stances {
			want := conflicting[[2]Stance{a, b}] || conflicting[[2]Stance{b, a}] ||
				(a == StanceDemands || a == StanceSupports) && (b == StanceRejects || b == StanceOpposes || b == StanceRulesOut) ||
				(b == StanceDemands || b == StanceSupports) && (a == StanceRejects || a == StanceOpposes || a == StanceRulesOut)
			if got := a.ConflictsWith(b); got != want {
				t.Errorf("%s vs %s: conflict %v, want %v", a, b, got, want)
			}
		}
	}
	if StanceDemands.ConflictsWith(StanceWillingToDiscuss) {
		t.Error("a demand and a willingness to discuss can meet; they are not a conflict")
	}
}
