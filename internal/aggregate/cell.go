package aggregate

// The state of one cell (area × fiche × month) is kept small: at PACA volume a month
// has ~14 000 cells, most holding one or two offers, and a run may hold six months.
// Keys are interned (uint32); each breakdown is a short slice searched linearly,
// indexed by a map only once it grows past smallKeys (the busiest region-level cells
// have thousands of employers and hundreds of salary values).

// cell counts the distinct offers of one area × fiche × month.
type cell struct {
	offers     int64
	contracts  counter // schema:employmentType → offers
	experience counter // oep:experienceRequired → offers
	salaries   counter // salary rounded to 10 euros (interned by Offers.salaryID) → offers
	employers  employers
}

const smallKeys = 16

type kv struct{ key, n uint32 }

// counter counts offers by key.
type counter struct {
	kv  []kv
	idx map[uint32]int32 // key → index in kv, once kv is longer than smallKeys
}

func (c *counter) add(key uint32) {
	if i, ok := c.find(key); ok {
		c.kv[i].n++
		return
	}
	c.kv = append(c.kv, kv{key, 1})
	c.indexLast()
}

func (c *counter) find(key uint32) (int, bool) {
	if c.idx != nil {
		i, ok := c.idx[key]
		return int(i), ok
	}
	for i := range c.kv {
		if c.kv[i].key == key {
			return i, true
		}
	}
	return 0, false
}

func (c *counter) indexLast() {
	switch {
	case c.idx != nil:
		c.idx[c.kv[len(c.kv)-1].key] = int32(len(c.kv) - 1)
	case len(c.kv) > smallKeys:
		c.idx = make(map[uint32]int32, 2*len(c.kv))
		for i, e := range c.kv {
			c.idx[e.key] = int32(i)
		}
	}
}

// employer is one hiring organisation of a cell.
type employer struct {
	name uint32 // interned schema:name
	naf  uint32 // the greatest NAF code (interned), 0 for none
	n    uint32 // offers
	// noNAF counts its offers without a NAF code: offers-mix.ru's MAX(?offerNaf) is
	// unbound as soon as one of them has none (an unbound value is an error to MAX, on
	// Fuseki and Oxigraph alike), and Write then writes no NAF.
	noNAF uint32
}

type employers struct {
	l   []employer
	idx map[uint32]int32 // name → index in l, once l is longer than smallKeys
}

// get returns the employer named name, added if new; the pointer is valid until the
// next get.
func (e *employers) get(name uint32) *employer {
	if e.idx != nil {
		if i, ok := e.idx[name]; ok {
			return &e.l[i]
		}
	} else {
		for i := range e.l {
			if e.l[i].name == name {
				return &e.l[i]
			}
		}
	}
	e.l = append(e.l, employer{name: name})
	switch {
	case e.idx != nil:
		e.idx[name] = int32(len(e.l) - 1)
	case len(e.l) > smallKeys:
		e.idx = make(map[uint32]int32, 2*len(e.l))
		for i, x := range e.l {
			e.idx[x.name] = int32(i)
		}
	}
	return &e.l[len(e.l)-1]
}
