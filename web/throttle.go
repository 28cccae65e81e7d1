package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"math"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Password guessing is slowed on two sides, so that an attacker is stopped without locking the
// owner out of their own account:
//
//   - the client: every wrong password from one address (an IPv6 /64) counts, whatever the name
//     tried; after clientFree of them the address must wait, twice as long after each further one,
//     up to clientMaxWait. This also limits password spraying — one guess at many names.
//   - the account: after accountFree wrong passwords for one name, the name is slowed — for
//     accountBaseWait, doubling up to accountMaxWait. While it is slowed, only an address that has
//     not failed recently may try it (once: a failure makes it an address that has), and a browser
//     that logged in to that account before (its device cookie) may try it. So the owner, on another
//     address or on their own PC, still gets in, while the attacking address waits.
//
// The tables are bounded: an account that exists is never forgotten while it is slowed (there are
// few), and under a flood of made-up names or addresses the entries that hold no active wait go first,
// then the made-up names whose wait ends soonest.
const (
	clientFree      = 10
	clientBaseWait  = time.Minute
	clientMaxWait   = time.Hour
	accountFree     = 5
	accountBaseWait = 30 * time.Second
	accountMaxWait  = 15 * time.Minute
	// forgetAfter drops a record this long after its last failure.
	forgetAfter = 24 * time.Hour
	// maxEntries bounds each table (addresses; made-up names; device cookies).
	maxEntries = 10000
	// deviceFree is how many wrong passwords a device cookie survives.
	deviceFree = 5
)

// failRecord counts the failures of an address, a name or a device cookie.
type failRecord struct {
	n     int
	last  time.Time // the last failure
	until time.Time // no attempt before this
	// real marks a name that is an account: never evicted while it is slowed.
	real bool
	// told is set once a refused attempt during the current wait has been recorded in the audit
	// log, so that a flood of refused attempts writes one line, not thousands.
	told bool
}

// waitFor returns the wait after n failures with free free ones: base, doubling, at most max.
func waitFor(n, free int, base, max time.Duration) time.Duration {
	if n < free {
		return 0
	}
	k := n - free
	if k > 30 {
		return max
	}
	return time.Duration(math.Min(float64(base)*math.Pow(2, float64(k)), float64(max)))
}

// failTable is one bounded table of failure records.
type failTable struct {
	m map[string]*failRecord
	// loose counts the entries that may be evicted (all but real accounts).
	loose int
}

func newFailTable() *failTable { return &failTable{m: map[string]*failRecord{}} }

// live returns the record of key, forgetting it when its wait is over and its last failure is older
// than forgetAfter.
func (ft *failTable) live(key string, now time.Time) *failRecord {
	r, ok := ft.m[key]
	if !ok {
		return nil
	}
	if now.Sub(r.last) >= forgetAfter && !now.Before(r.until) {
		ft.drop(key)
		return nil
	}
	return r
}

func (ft *failTable) drop(key string) {
	if r, ok := ft.m[key]; ok {
		if !r.real {
			ft.loose--
		}
		delete(ft.m, key)
	}
}

// record returns the record of key, making room for a new one when the table is full.
func (ft *failTable) record(key string, real bool, now time.Time) *failRecord {
	if r, ok := ft.m[key]; ok {
		if real && !r.real {
			r.real = true
			ft.loose--
		}
		return r
	}
	if !real && ft.loose >= maxEntries {
		ft.evict(now)
	}
	r := &failRecord{real: real}
	ft.m[key] = r
	if !real {
		ft.loose++
	}
	return r
}

// evict makes room in a full table, a tenth of it at a time so that a flood costs one scan per
// thousand new entries: first every entry whose wait is over and whose last failure is older than
// forgetAfter; then the entries without an active wait, fewest failures and oldest first; then (when
// every entry is waiting) those whose wait ends first. Real accounts are never evicted.
func (ft *failTable) evict(now time.Time) {
	want := max(1, maxEntries/10)
	type cand struct {
		key  string
		n    int
		at   time.Time
		wait bool
	}
	var cands []cand
	for k, r := range ft.m {
		if r.real {
			continue
		}
		active := now.Before(r.until)
		switch {
		case !active && now.Sub(r.last) >= forgetAfter:
			ft.drop(k)
			want--
		case !active:
			cands = append(cands, cand{k, r.n, r.last, false})
		default:
			cands = append(cands, cand{k, r.n, r.until, true})
		}
	}
	if want <= 0 {
		return
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.wait != b.wait {
			if a.wait {
				return 1
			}
			return -1
		}
		if !a.wait && a.n != b.n {
			return a.n - b.n
		}
		return a.at.Compare(b.at)
	})
	for _, c := range cands[:min(want, len(cands))] {
		ft.drop(c.key)
	}
}

// loginThrottle keeps the failure records of addresses, names and device cookies.
type loginThrottle struct {
	mu                         sync.Mutex
	clients, accounts, devices *failTable
}

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{clients: newFailTable(), accounts: newFailTable(), devices: newFailTable()}
}

// refusal says why an attempt may not be made now, and for how long.
type refusal struct {
	// account is true when the name is slowed, false when the address must wait.
	account bool
	wait    time.Duration
	// first is true for the first refusal of this wait (the one worth recording).
	first bool
}

// check decides whether client may try name at now; device is the id of the browser's device cookie
// for name ("" without one). It returns nil when the attempt may go ahead.
func (t *loginThrottle) check(client, name, device string, now time.Time) *refusal {
	t.mu.Lock()
	defer t.mu.Unlock()
	trusted := false
	if device != "" {
		d := t.devices.live(device, now)
		trusted = d == nil || d.n < deviceFree
	}
	c := t.clients.live(client, now)
	if c != nil && now.Before(c.until) && !trusted {
		r := &refusal{wait: c.until.Sub(now), first: !c.told}
		c.told = true
		return r
	}
	a := t.accounts.live(name, now)
	if a != nil && now.Before(a.until) && !trusted && c != nil && c.n > 0 {
		r := &refusal{account: true, wait: a.until.Sub(now), first: !a.told}
		a.told = true
		return r
	}
	return nil
}

// fail records a wrong password from client for name (real when an account has that name), and
// against the device cookie used, if any.
func (t *loginThrottle) fail(client, name string, real bool, device string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c := t.clients.record(client, false, now)
	c.n++
	c.last, c.told = now, false
	c.until = now.Add(waitFor(c.n, clientFree, clientBaseWait, clientMaxWait))
	a := t.accounts.record(name, real, now)
	a.n++
	a.last, a.told = now, false
	a.until = now.Add(waitFor(a.n, accountFree, accountBaseWait, accountMaxWait))
	if device != "" {
		d := t.devices.record(device, false, now)
		d.n++
		d.last = now
	}
}

// ok forgets the failures of an account (and of the device cookie used) after its owner logged in.
// The address keeps its record: a login to one account does not excuse guesses at others.
func (t *loginThrottle) ok(name, device string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.accounts.drop(name)
	if device != "" {
		t.devices.drop(device)
	}
}

// size returns the number of records kept (for tests of the bound).
func (t *loginThrottle) size() (clients, accounts, devices int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.clients.m), len(t.accounts.m), len(t.devices.m)
}

// clientKey is the address a client is throttled by: its IP, or the /64 of an IPv6 address (one
// household or machine usually has a whole /64).
func clientKey(r *http.Request) string {
	ip := net.ParseIP(remoteIP(r))
	if ip == nil {
		return remoteIP(r)
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.String()
	}
	return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
}

// deviceCookie names the cookie a browser gets when it logs in: it lets that browser try the
// account while the account is slowed by someone else's guesses.
const deviceCookie = "lingpao_device"

// deviceLifetime is how long a device cookie counts.
const deviceLifetime = 180 * 24 * time.Hour

// deviceToken returns the device cookie for user name, issued at `at`: name, time and a MAC keyed
// by the workspace's secret, so that it outlives a restart and cannot be made without the key.
func (s *Server) deviceToken(name string, at time.Time) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(name)) + "." + strconv.FormatInt(at.Unix(), 10)
	return payload + "." + s.deviceMAC(payload)
}

func (s *Server) deviceMAC(payload string) string {
	key := hmac.New(sha256.New, []byte(s.w.Config.Secret))
	key.Write([]byte("lingpao device cookie"))
	m := hmac.New(sha256.New, key.Sum(nil))
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// deviceID returns the id of the request's device cookie when it is valid for name at now, else "".
func (s *Server) deviceID(r *http.Request, name string, now time.Time) string {
	c, err := r.Cookie(deviceCookie)
	if err != nil {
		return ""
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return ""
	}
	payload := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(parts[2]), []byte(s.deviceMAC(payload))) {
		return ""
	}
	who, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || string(who) != name {
		return ""
	}
	sec, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || now.Sub(time.Unix(sec, 0)) > deviceLifetime {
		return ""
	}
	return parts[2]
}

// setDeviceCookie gives the browser the device cookie of user name.
func (s *Server) setDeviceCookie(w http.ResponseWriter, r *http.Request, name string, now time.Time) {
	c := s.cookie(r, deviceCookie, s.deviceToken(name, now))
	c.MaxAge = int(deviceLifetime / time.Second)
	c.SameSite = http.SameSiteStrictMode
	http.SetCookie(w, c)
}

// waitText says a wait in Chinese: 45 秒, 3 分钟.
func waitText(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(int(math.Ceil(d.Seconds()))) + " 秒"
	}
	return strconv.Itoa(int(math.Ceil(d.Minutes()))) + " 分钟"
}
