package aggregate

// DiffObs lists the observations only one side has (for the external tests).
func DiffObs(got, want Observations) string { return diffObs(got, want) }
