package store_test

import (
	"testing"

	"github.com/openemploi360/openemploi/internal/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }
