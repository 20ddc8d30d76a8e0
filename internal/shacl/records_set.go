package shacl

// nodeSet remembers the nodes earlier records used, as 64-bit hashes in an open-addressing
// table: 8 bytes a slot, kept between 40 % and 80 % full, so 10 to 20 bytes a node. The
// low bit of a slot is a flag (the node was read by the validation of its record), so a
// slot holds hash&^1 | flag and 0 marks an empty slot. Two nodes with the same hash are
// taken for one: that can only report a shared node where there is none (a fallback,
// slower but correct), never hide one.
type nodeSet struct {
	slots []uint64
	n     int
}

// visit records that the current record uses the node with hash h, read (by the
// validation) or not, and reports whether an earlier record used it too in a way that
// matters: either record read it.
func (s *nodeSet) visit(h uint64, read bool) (clash bool) {
	if len(s.slots) == 0 {
		s.slots = make([]uint64, 1024)
	}
	key := h &^ 1
	if key == 0 {
		key = 2
	}
	flag := uint64(0)
	if read {
		flag = 1
	}
	mask := uint64(len(s.slots) - 1)
	for i := (key >> 1) & mask; ; i = (i + 1) & mask {
		v := s.slots[i]
		if v == 0 {
			s.slots[i] = key | flag
			s.n++
			if s.n*5 > len(s.slots)*4 {
				s.grow()
			}
			return false
		}
		if v&^1 == key {
			return read || v&1 == 1
		}
	}
}

func (s *nodeSet) grow() {
	old := s.slots
	s.slots = make([]uint64, 2*len(old))
	mask := uint64(len(s.slots) - 1)
	for _, v := range old {
		if v == 0 {
			continue
		}
		i := (v >> 1) & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = v
	}
}
