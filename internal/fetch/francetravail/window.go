package francetravail

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Window is the outcome of one search window: either its offers (it fitted in one
// search) or the two halves it was split into.
type Window struct {
	Query  Query
	Total  int
	Offers []json.RawMessage // nil when Split
	Split  bool
}

// Store keeps finished windows, so that a run that stops midway resumes without asking
// for them again. Fetcher stores them in its partial directory.
type Store interface {
	Load(q Query) (Window, bool, error)
	Save(w Window) error
}

// walk fetches q into st: a window reporting more than MaxResults is split in two at
// its middle second until each half fits.
func (c *Client) walk(ctx context.Context, q Query, st Store, leaf func(Window)) error {
	w, ok, err := st.Load(q)
	if err != nil {
		return err
	}
	if !ok {
		if w, err = c.fetchWindow(ctx, q, 3); err != nil {
			return err
		}
		if err := st.Save(w); err != nil {
			return err
		}
	}
	if !w.Split {
		leaf(w)
		return nil
	}
	a, b, err := halves(q)
	if err != nil {
		return err
	}
	if err := c.walk(ctx, a, st, leaf); err != nil {
		return err
	}
	return c.walk(ctx, b, st, leaf)
}

// halves splits a window at its middle second; both bounds are inclusive, so the
// halves are [From, mid] and [mid+1s, To].
func halves(q Query) (Query, Query, error) {
	span := q.To.Sub(q.From)
	if span < 2*time.Second {
		return Query{}, Query{}, fmt.Errorf("france travail: %s: more than %d offers created within one second, cannot split further", q, MaxResults)
	}
	mid := q.From.Add((span / 2).Truncate(time.Second))
	return Query{q.Departement, q.From, mid}, Query{q.Departement, mid.Add(time.Second), q.To}, nil
}

// fetchWindow pages through one window, or reports after the first page that it must
// be split.
func (c *Client) fetchWindow(ctx context.Context, q Query, tries int) (Window, error) {
	first, err := c.SearchPage(ctx, q, 0, PageSize-1)
	if err != nil {
		return Window{}, err
	}
	w := Window{Query: q, Total: first.Total}
	if first.Total > MaxResults {
		c.logf("france travail: %s: %d offers, more than the %d one search serves: splitting", q, first.Total, MaxResults)
		w.Split = true
		return w, nil
	}
	w.Offers = append(w.Offers, first.Offers...)
	for next := first.Last + 1; next < first.Total; next += PageSize {
		last := min(next+PageSize-1, first.Total-1)
		p, err := c.SearchPage(ctx, q, next, last)
		if err != nil {
			return Window{}, err
		}
		if p.Total != first.Total {
			// Offers were published while paging: the indexes moved, start the window over.
			if tries <= 1 {
				return Window{}, fmt.Errorf("france travail: %s: %w: the total keeps changing while paging (%d, then %d)", q, ErrInvalid, first.Total, p.Total)
			}
			c.logf("france travail: %s: total changed from %d to %d while paging; fetching the window again", q, first.Total, p.Total)
			return c.fetchWindow(ctx, q, tries-1)
		}
		w.Offers = append(w.Offers, p.Offers...)
	}
	w.Offers = append([]json.RawMessage(nil), w.Offers...)
	if w.Offers == nil {
		w.Offers = []json.RawMessage{}
	}
	return w, nil
}
