package store

import "time"

// SetBackoff lets the external tests retry without sleeping.
func SetBackoff(c *Client, d time.Duration) { c.backoff = d }
