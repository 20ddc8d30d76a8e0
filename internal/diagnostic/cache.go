package diagnostic

import (
	"container/list"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
)

// cache keeps recent diagnostics, bounded in size, least recently used out first. Its
// keys are HMACs under a random per-process key of the normalised request (profile
// included) and the data and thresholds versions: a profile never sits in memory as a
// readable key, and an import or a thresholds change simply misses.
type cache struct {
	mu     sync.Mutex
	max    int
	secret []byte
	ll     *list.List
	items  map[string]*list.Element
}

type cacheEntry struct {
	key string
	d   *Diagnostic
}

func newCache(max int) *cache {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		panic("diagnostic: no randomness for the cache key: " + err.Error())
	}
	return &cache{max: max, secret: secret, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *cache) key(dataVersion, thresholdsVersion string, n *normalised) string {
	if c.max < 0 {
		return ""
	}
	b, err := json.Marshal(n) // maps marshal with sorted keys: a stable encoding
	if err != nil {
		return ""
	}
	m := hmac.New(sha256.New, c.secret)
	m.Write([]byte(dataVersion + "\x00" + thresholdsVersion + "\x00"))
	m.Write(b)
	return hex.EncodeToString(m.Sum(nil))
}

func (c *cache) get(key string) *Diagnostic {
	if key == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*cacheEntry).d
	}
	return nil
}

func (c *cache) put(key string, d *Diagnostic) {
	if key == "" || c.max <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		e.Value.(*cacheEntry).d = d
		c.ll.MoveToFront(e)
		return
	}
	c.items[key] = c.ll.PushFront(&cacheEntry{key, d})
	for c.ll.Len() > c.max {
		last := c.ll.Back()
		c.ll.Remove(last)
		delete(c.items, last.Value.(*cacheEntry).key)
	}
}

func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len()
}
