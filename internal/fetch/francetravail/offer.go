package francetravail

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// offer is what the connector reads of an offer object; the object itself is kept
// byte for byte (json.RawMessage) for the mapping.
type offer struct {
	ID      string
	created time.Time
	updated time.Time
}

func decodeOffer(raw json.RawMessage) (offer, error) {
	var o struct {
		ID                string `json:"id"`
		DateCreation      string `json:"dateCreation"`
		DateActualisation string `json:"dateActualisation"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return offer{}, fmt.Errorf("not an offer object: %v", err)
	}
	if o.ID == "" {
		return offer{}, errors.New("no id")
	}
	c, err := time.Parse(time.RFC3339, o.DateCreation)
	if err != nil {
		return offer{}, fmt.Errorf("offer %s: dateCreation %q: %v", o.ID, o.DateCreation, err)
	}
	out := offer{ID: o.ID, created: c.UTC()}
	if u, err := time.Parse(time.RFC3339, o.DateActualisation); err == nil {
		out.updated = u.UTC()
	}
	return out, nil
}

// Month is the partition of an offer: the UTC month of its dateCreation, as the
// mapping's isoMonth computes it.
func (o offer) Month() string { return o.created.Format("2006-01") }
