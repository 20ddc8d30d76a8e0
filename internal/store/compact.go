package store

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
)

// CompactResult says what Compact did.
type CompactResult struct {
	Supported bool          // false: the store reclaims space by itself (Oxigraph)
	Took      time.Duration // from the request to the end of Fuseki's task
}

// compactPoll is how often Compact asks Fuseki whether its compaction task ended.
var compactPoll = 500 * time.Millisecond

// Compact reclaims the space of deleted data. Fuseki's TDB2 never overwrites: every
// dropped graph version stays on disk until the database is compacted into a new
// generation; Compact asks Fuseki's admin endpoint to do it
// (POST /$/compact/{dataset}?deleteOld=true, which also deletes the old generation),
// then waits for the task to end. Oxigraph (RocksDB compacts in the background) and a
// generic store have nothing to ask: Supported is false. A Fuseki in-memory dataset
// cannot be compacted: an Invalid error says so.
func (c *Client) Compact(ctx context.Context) (CompactResult, error) {
	const op = "compact"
	start := time.Now()
	if c.cfg.Preset != Fuseki || c.cfg.BaseURL == "" {
		return CompactResult{}, nil
	}
	base := strings.TrimRight(c.cfg.BaseURL, "/")
	i := strings.LastIndexByte(base, '/')
	root, dataset := base[:i], base[i+1:]
	var task struct {
		TaskID string `json:"taskId"`
	}
	endpoint := root + "/$/compact/" + url.PathEscape(dataset)
	err := c.do(ctx, &call{
		op: op, method: http.MethodPost, endpoint: endpoint, url: endpoint + "?deleteOld=true",
		accept: "application/json",
		handle: func(resp *http.Response) error { return json.NewDecoder(resp.Body).Decode(&task) },
	})
	if err != nil {
		if apperr.Is(err, apperr.Invalid) {
			return CompactResult{Supported: true}, apperr.Wrap("store "+op, apperr.Invalid, err, "dataset %s (only a TDB2 dataset can be compacted)", dataset)
		}
		return CompactResult{Supported: true}, err
	}
	if task.TaskID == "" {
		return CompactResult{Supported: true}, c.resultErr(op, fmt.Errorf("no taskId in Fuseki's answer"))
	}
	for {
		var st struct {
			Finished string `json:"finished"`
			Success  *bool  `json:"success"`
		}
		tasks := root + "/$/tasks/" + url.PathEscape(task.TaskID)
		err := c.do(ctx, &call{
			op: op, method: http.MethodGet, endpoint: tasks, accept: "application/json",
			handle: func(resp *http.Response) error { return json.NewDecoder(resp.Body).Decode(&st) },
		})
		if err != nil {
			return CompactResult{Supported: true}, err
		}
		if st.Finished != "" {
			res := CompactResult{Supported: true, Took: time.Since(start)}
			if st.Success != nil && !*st.Success {
				return res, c.resultErr(op, fmt.Errorf("Fuseki's compaction task %s of %s failed (see the server log)", task.TaskID, dataset))
			}
			return res, nil
		}
		select {
		case <-ctx.Done():
			return CompactResult{Supported: true}, fmt.Errorf("store %s: waiting for task %s: %w", op, task.TaskID, ctx.Err())
		case <-time.After(compactPoll):
		}
	}
}
