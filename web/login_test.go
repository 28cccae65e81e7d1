package web

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"lingpao/sqlite"
)

// browserFrom is a browser whose connections come from the loopback address ip (127.0.0.x), so that
// the server sees a different client.
func (st *site) browserFrom(ip string) *browser {
	b := st.browser()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	b.c.Transport = &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}
	return b
}

// TestOwnerGetsInWhileAttackerIsThrottled: an attacker at 127.0.0.1 guesses the staff member's
// password until the address is stopped; the owner at 127.0.0.2 logs in at once with the right
// password, while the attacking address is refused even with it.
func TestOwnerGetsInWhileAttackerIsThrottled(t *testing.T) {
	st := newSite(t, Options{})
	attacker := st.browserFrom("127.0.0.1")
	refused := 0
	for i := 0; i < clientFree+5; i++ {
		res := attacker.tryLogin(staffName, fmt.Sprintf("guess-number-%d", i))
		switch res.code {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			refused++
			if res.header.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
		default:
			t.Fatalf("guess %d: %d", i, res.code)
		}
	}
	if refused == 0 {
		t.Fatal("the attacking address was never stopped")
	}
	if res := attacker.tryLogin(staffName, password); res.code != http.StatusTooManyRequests {
		t.Errorf("the attacking address with the right password: %d", res.code)
	}
	owner := st.browserFrom("127.0.0.2")
	if res := owner.tryLogin(staffName, password); res.code != http.StatusSeeOther || res.header.Get("Location") != "/" {
		t.Fatalf("the owner from 127.0.0.2: %d\n%s", res.code, res.body)
	}
	if res := owner.get("/"); res.code != http.StatusOK {
		t.Errorf("the owner's session: %d", res.code)
	}
	// A flood of refused attempts is recorded once, not once per attempt.
	for i := 0; i < 50; i++ {
		attacker.tryLogin(staffName, "again")
	}
	es, err := st.w.Store.FindAudit(context.Background(), sqlite.AuditFilter{Action: "login_failed", Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	limited := 0
	for _, e := range es {
		if e.Detail == "登录受限期间尝试登录" {
			limited++
		}
	}
	if limited > 2 {
		t.Errorf("%d refused attempts recorded, want the first of each wait", limited)
	}
	// The wait ends: the address may try again.
	st.advance(clientMaxWait + time.Second)
	if res := attacker.tryLogin(staffName, password); res.code != http.StatusSeeOther {
		t.Errorf("after the wait: %d", res.code)
	}
}

// TestSlowedAccountStillOpensToItsOwner: guesses from many addresses slow the account; an address
// that has failed is refused while it is slowed, but a fresh address — the owner elsewhere — and the
// owner's own browser (its device cookie) still get in.
func TestSlowedAccountStillOpensToItsOwner(t *testing.T) {
	st := newSite(t, Options{})
	// The owner logged in from their PC before: the browser holds a device cookie.
	pc := st.browserFrom("127.0.0.3")
	if res := pc.tryLogin(adminName, password); res.code != http.StatusSeeOther {
		t.Fatalf("owner's first login: %d", res.code)
	}
	pc.post("/logout", url.Values{"csrf": {pc.token("/")}})
	for i := 0; i < accountFree+2; i++ {
		b := st.browserFrom(fmt.Sprintf("127.0.1.%d", i+1))
		if res := b.tryLogin(adminName, "wrong-password-x"); res.code != http.StatusUnauthorized {
			t.Fatalf("guess from 127.0.1.%d: %d", i+1, res.code)
		}
	}
	again := st.browserFrom("127.0.1.1")
	if res := again.tryLogin(adminName, password); res.code != http.StatusTooManyRequests || !strings.Contains(res.body, "该账号近期多次登录失败") {
		t.Errorf("an address that failed, on the slowed account: %d", res.code)
	}
	// An unknown name is slowed the same way: the answers do not tell which names exist.
	for i := 0; i < accountFree+2; i++ {
		st.browserFrom(fmt.Sprintf("127.0.2.%d", i+1)).tryLogin("没有这个人", "wrong-password-x")
	}
	if res := st.browserFrom("127.0.2.1").tryLogin("没有这个人", password); res.code != http.StatusTooManyRequests || !strings.Contains(res.body, "该账号近期多次登录失败") {
		t.Errorf("an unknown name answers differently: %d", res.code)
	}
	if res := st.browserFrom("127.0.0.2").tryLogin(adminName, password); res.code != http.StatusSeeOther {
		t.Errorf("the owner from a fresh address: %d", res.code)
	}
	// Logging in cleared the account; slow it again and let the owner's PC in with its cookie, from
	// an address that has failed too (one office behind one NAT address).
	for i := 0; i < accountFree+clientFree+2; i++ {
		st.browserFrom("127.0.0.3").tryLogin(adminName, "wrong-password-y")
	}
	if res := st.browserFrom("127.0.0.3").tryLogin(adminName, password); res.code != http.StatusTooManyRequests {
		t.Errorf("a browser without the device cookie at the stopped address: %d", res.code)
	}
	// A device cookie for another account, or a forged one, opens nothing.
	forged := st.browserFrom("127.0.0.3")
	forged.c.Jar.SetCookies(mustURL(forged.base), []*http.Cookie{{Name: deviceCookie, Value: st.s.deviceToken(staffName, st.now())}})
	if res := forged.tryLogin(adminName, password); res.code != http.StatusTooManyRequests {
		t.Errorf("another account's device cookie: %d", res.code)
	}
	jar, _ := cookiejar.New(nil)
	forged.c.Jar = jar
	tok := st.s.deviceToken(adminName, st.now())
	forged.c.Jar.SetCookies(mustURL(forged.base), []*http.Cookie{{Name: deviceCookie, Value: tok[:len(tok)-2] + "AA"}})
	if res := forged.tryLogin(adminName, password); res.code != http.StatusTooManyRequests {
		t.Errorf("a forged device cookie: %d", res.code)
	}
	if res := pc.tryLogin(adminName, password); res.code != http.StatusSeeOther {
		t.Errorf("the owner's PC with its device cookie: %d\n%s", res.code, res.body)
	}
}

// TestSprayingIsLimitedPerAddress: one address trying one password at many names is stopped after
// clientFree failures, and over a day gets a few dozen guesses, not thousands.
func TestSprayingIsLimitedPerAddress(t *testing.T) {
	th := newLoginThrottle()
	now := time.Date(2025, 10, 9, 9, 0, 0, 0, time.UTC)
	end := now.Add(24 * time.Hour)
	guesses := 0
	for i := 0; now.Before(end); i++ {
		name := fmt.Sprintf("user%d", i%500)
		if th.check("203.0.113.7", name, "", now) == nil {
			guesses++
			th.fail("203.0.113.7", name, false, "", now)
		}
		now = now.Add(5 * time.Second)
	}
	if guesses > 60 {
		t.Errorf("one address made %d guesses in a day", guesses)
	}
	if guesses < clientFree {
		t.Errorf("only %d guesses: the free ones are gone", guesses)
	}
	t.Logf("%d guesses in 24 hours from one address (one try every 5 s)", guesses)
}

// TestFloodDoesNotUnlock: 20,000 made-up names from 20,000 addresses do not make the throttle forget
// a slowed account or a stopped address, and the tables stay bounded.
func TestFloodDoesNotUnlock(t *testing.T) {
	th := newLoginThrottle()
	now := time.Date(2025, 10, 9, 9, 0, 0, 0, time.UTC)
	for i := 0; i < clientFree+1; i++ {
		th.fail("198.51.100.1", "张科长", true, "", now)
	}
	if th.check("198.51.100.1", "张科长", "", now) == nil {
		t.Fatal("not stopped before the flood")
	}
	for i := 0; i < 2*maxEntries; i++ {
		now = now.Add(time.Millisecond)
		th.fail(fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255), fmt.Sprintf("made-up-%d", i), false, "", now)
	}
	if r := th.check("198.51.100.1", "张科长", "", now); r == nil {
		t.Error("the flood unlocked the stopped address")
	}
	// Another address that failed once is refused on the slowed account.
	th.fail("198.51.100.2", "someone", false, "", now)
	if r := th.check("198.51.100.2", "张科长", "", now); r == nil || !r.account {
		t.Errorf("the flood unlocked the slowed account: %+v", r)
	}
	clients, accounts, devices := th.size()
	if clients > maxEntries+1 || accounts > maxEntries+1 || devices != 0 {
		t.Errorf("tables grew to %d addresses, %d names, %d devices", clients, accounts, devices)
	}
	// Through the page: the server's own throttle, flooded, still refuses.
	st := newSite(t, Options{})
	at := st.now()
	for i := 0; i < accountFree; i++ {
		st.s.login.fail("127.0.0.1", staffName, true, "", at)
	}
	for i := 0; i < 2*maxEntries; i++ {
		st.s.login.fail(fmt.Sprintf("10.9.%d.%d", i>>8&255, i&255), fmt.Sprintf("flood-%d", i), false, "", at)
	}
	if res := st.browserFrom("127.0.0.1").tryLogin(staffName, password); res.code != http.StatusTooManyRequests {
		t.Errorf("after the flood, the slowed account from an address that failed: %d", res.code)
	}
}

func TestWaitFor(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want time.Duration
	}{{0, 0}, {4, 0}, {5, 30 * time.Second}, {6, time.Minute}, {9, 8 * time.Minute}, {10, 15 * time.Minute}, {1000, 15 * time.Minute}} {
		if got := waitFor(tc.n, accountFree, accountBaseWait, accountMaxWait); got != tc.want {
			t.Errorf("waitFor(%d) = %v, want %v", tc.n, got, tc.want)
		}
	}
}
