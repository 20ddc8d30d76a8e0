package ingest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/openemploi360/openemploi/internal/apperr"
	"github.com/openemploi360/openemploi/internal/sparqlq"
	"github.com/openemploi360/openemploi/internal/vocab"
)

// DefaultLeaseTTL is how long a lease holds without a heartbeat. The heartbeat renews
// it every third of that, so a run is given up only after missing two in a row; gc
// leaves a killed run's graphs alone for at most this long. Ten minutes, not two: a
// store that serialises writes (Fuseki) queues the renewal behind the import's own
// large loads, and under load two minutes were seen to pass (a ROME 4 import lost its
// lease on a busy shared Fuseki); a killed import blocks its source that long at most.
const DefaultLeaseTTL = 10 * time.Minute

// errLeaseLost is the cause given to the import's context when its lease could not be
// renewed: another process may have taken the source, and gc may drop its graphs.
var errLeaseLost = errors.New("the import's lease expired before it could be renewed (is the store slow, or was the process paused?)")

// lease is one run's hold on its source, recorded in oeg:meta. While it holds, `store
// gc` leaves the run's graphs alone and no other import of the source starts; going
// live requires it still valid.
type lease struct {
	im     *Importer
	run    string // oeid:run/<id>
	source string
	ttl    time.Duration
	stop   chan struct{}
	done   sync.WaitGroup
}

func (im *Importer) leaseTTL() time.Duration {
	if im.LeaseTTL > 0 {
		return im.LeaseTTL
	}
	return DefaultLeaseTTL
}

// acquireLease takes the source's lease for the run, or says which run holds it.
func (im *Importer) acquireLease(ctx context.Context, source, runID string) (*lease, error) {
	op := "import " + source
	l := &lease{im: im, run: vocab.Run(runID), source: source, ttl: im.leaseTTL(), stop: make(chan struct{})}
	now := im.now()
	if err := update(ctx, im.Store, "acquire-lease", sparqlq.Args{
		"run": l.run, "source": source, "now": now, "expires": now.Add(l.ttl)}); err != nil {
		return nil, fmt.Errorf("%s: taking the lease: %w", op, err)
	}
	rows, err := selectRows(ctx, im.Store, "leases", sparqlq.Args{"now": now})
	if err != nil {
		return nil, fmt.Errorf("%s: reading the leases: %w", op, err)
	}
	// The first valid lease of the source holds it: two runs that raced both wrote
	// theirs, and both read the same order.
	holder, until := "", ""
	for _, r := range rows {
		if r["source"] == source && r["valid"] == "true" {
			holder, until = r["run"], r["expires"]
			break
		}
	}
	if holder != l.run {
		if holder == "" {
			return nil, apperr.E(op, apperr.Unavailable, "the lease was not recorded (the store refused the update silently)")
		}
		_ = update(context.WithoutCancel(ctx), im.Store, "release-lease", sparqlq.Args{"run": l.run})
		return nil, apperr.E(op, apperr.Conflict, "another import of %s is running (run %s, lease until %s): wait for it to end, or for its lease to expire if it was killed", source, holder, until)
	}
	return l, nil
}

// keepAlive renews the lease every third of its TTL until release, and cancels the
// import (cancel) if a renewal finds it expired.
func (l *lease) keepAlive(ctx context.Context, cancel context.CancelCauseFunc) {
	l.done.Add(1)
	go func() {
		defer l.done.Done()
		t := time.NewTicker(l.ttl / 3)
		defer t.Stop()
		for {
			select {
			case <-l.stop:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			held, err := l.renew(ctx)
			switch {
			case err != nil:
				// A store that does not answer now may answer at the next beat; the
				// lease still has two thirds of its time.
				l.im.logf("import %s: renewing the lease: %v", l.source, err)
			case !held:
				cancel(errLeaseLost)
				return
			}
		}
	}()
}

// renew moves the lease's end forward and says whether it is still held.
func (l *lease) renew(ctx context.Context) (bool, error) {
	now := l.im.now()
	if err := update(ctx, l.im.Store, "renew-lease", sparqlq.Args{"run": l.run, "now": now, "expires": now.Add(l.ttl)}); err != nil {
		return false, err
	}
	rows, err := selectRows(ctx, l.im.Store, "leases", sparqlq.Args{"now": now})
	if err != nil {
		return false, err
	}
	for _, r := range rows {
		if r["run"] == l.run {
			return r["valid"] == "true", nil
		}
	}
	return false, nil
}

// stopHeartbeat ends the renewals (the lease itself stays until released or expired).
func (l *lease) stopHeartbeat() {
	select {
	case <-l.stop:
	default:
		close(l.stop)
	}
	l.done.Wait()
}

// release ends the lease now, so the next import need not wait for it to expire.
func (l *lease) release(ctx context.Context) error {
	l.stopHeartbeat()
	return update(ctx, l.im.Store, "release-lease", sparqlq.Args{"run": l.run})
}
