package diagnostic

import "errors"

// Options tune the service; the zero value is the documented default.
type Options struct {
	Thresholds *Thresholds // nil: the embedded thresholds.yaml
}

// Service assembles diagnostics from a Source.
type Service struct {
	src Source
	th  *Thresholds
}

// Thresholds is the parsed thresholds.yaml.
type Thresholds struct{ Version string }

// NewService returns a service reading from src.
func NewService(src Source, opt Options) (*Service, error) {
	if src == nil {
		return nil, errors.New("diagnostic.NewService: nil source")
	}
	return &Service{src: src, th: opt.Thresholds}, nil
}
