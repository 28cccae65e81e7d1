package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"lingpao"
)

var oneTimePattern = regexp.MustCompile(`<code class="password">([^<]+)</code>`)

// TestAccountsInThePage: an admin adds an account and hands over its one-time password; the owner
// must replace it before anything else; the admin changes the role, resets the password, disables
// and enables the account — every step audited — and can never remove the last admin.
func TestAccountsInThePage(t *testing.T) {
	st := newSite(t, Options{})
	admin := st.login(adminName)
	for _, who := range []string{staffName, leaderName} {
		if res := st.login(who).get("/users"); res.code != http.StatusForbidden {
			t.Errorf("%s GET /users: %d", who, res.code)
		}
	}
	tok := admin.token("/users")
	res := admin.post("/users", url.Values{"csrf": {tok}, "name": {"赵科员"}, "role": {"staff"}})
	m := oneTimePattern.FindStringSubmatch(res.body)
	if res.code != http.StatusOK || m == nil {
		t.Fatalf("add: %d\n%s", res.code, res.body)
	}
	oneTime := m[1]
	if res := admin.post("/users", url.Values{"csrf": {tok}, "name": {"赵科员"}, "role": {"staff"}}); res.code != http.StatusBadRequest || !strings.Contains(res.body, "已存在") {
		t.Errorf("add twice: %d", res.code)
	}
	if res := admin.post("/users", url.Values{"csrf": {tok}, "name": {"钱 科员"}, "role": {"staff"}}); res.code != http.StatusBadRequest || !strings.Contains(res.body, "不能含空格") {
		t.Errorf("a name with a space: %d", res.code)
	}

	// The owner logs in with the one-time password: every page leads to the password form.
	owner := st.browserFrom("127.0.0.5")
	res = owner.tryLogin("赵科员", oneTime)
	if res.code != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/account?first=1") {
		t.Fatalf("first login: %d %s", res.code, res.header.Get("Location"))
	}
	if res := owner.get("/submissions"); res.code != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/account?first=1&next=%2Fsubmissions") {
		t.Errorf("a page before the change: %d %s", res.code, res.header.Get("Location"))
	}
	otok := owner.token("/account?first=1")
	if res := owner.post("/reports/generate", url.Values{"csrf": {otok}, "kind": {"monthly"}, "period": {"2025-03"}}); res.code != http.StatusForbidden {
		t.Errorf("generate before the change: %d", res.code)
	}
	for _, weak := range []string{"12345678", "password2025", "赵科员赵科员1234", "aaaaaaaaaaaa"} {
		res := owner.post("/account/password", url.Values{"csrf": {otok}, "current": {oneTime}, "new": {weak}, "confirm": {weak}})
		if res.code != http.StatusBadRequest || !strings.Contains(res.body, "密码未修改") {
			t.Errorf("weak password %q: %d", weak, res.code)
		}
	}
	res = owner.post("/account/password", url.Values{"csrf": {otok}, "current": {oneTime}, "new": {"铁塔-雪松-47-蓝鲸"}, "confirm": {"铁塔-雪松-47-蓝鲸"}, "next": {"/submissions"}})
	if res.code != http.StatusSeeOther || res.header.Get("Location") != "/submissions" {
		t.Fatalf("change the one-time password: %d %s\n%s", res.code, res.header.Get("Location"), res.body)
	}
	if res := owner.get("/submissions"); res.code != http.StatusOK {
		t.Errorf("after the change: %d", res.code)
	}

	// The admin changes the role, resets the password, disables and enables the account.
	u, _, err := st.w.Store.FindUserByName(context.Background(), "赵科员")
	if err != nil || u.MustChangePassword {
		t.Fatalf("stored account %+v, %v", u, err)
	}
	id := itoa(u.ID)
	if res := admin.post("/users/"+id+"/role", url.Values{"csrf": {tok}, "role": {"leader"}}); res.code != http.StatusOK || !strings.Contains(res.body, "角色已改为领导（只读）") {
		t.Errorf("change the role: %d", res.code)
	}
	otok = owner.token("/")
	if res := owner.post("/reports/generate", url.Values{"csrf": {otok}, "kind": {"monthly"}, "period": {"2025-03"}}); res.code != http.StatusForbidden {
		t.Errorf("a leader generates: %d", res.code)
	}
	res = admin.post("/users/"+id+"/reset", url.Values{"csrf": {tok}})
	m = oneTimePattern.FindStringSubmatch(res.body)
	if res.code != http.StatusOK || m == nil || m[1] == oneTime {
		t.Fatalf("reset: %d", res.code)
	}
	if res := owner.get("/"); res.code != http.StatusSeeOther {
		t.Errorf("the owner's session survived the reset: %d", res.code)
	}
	if res := st.browserFrom("127.0.0.6").tryLogin("赵科员", m[1]); !strings.HasPrefix(res.header.Get("Location"), "/account?first=1") {
		t.Errorf("after a reset the password is one-time again: %d %s", res.code, res.header.Get("Location"))
	}
	if res := admin.post("/users/"+id+"/disable", url.Values{"csrf": {tok}}); res.code != http.StatusOK || !strings.Contains(res.body, "已停用") {
		t.Errorf("disable: %d", res.code)
	}
	if res := st.browserFrom("127.0.0.7").tryLogin("赵科员", m[1]); res.code != http.StatusUnauthorized {
		t.Errorf("a disabled account logs in: %d", res.code)
	}
	if res := admin.post("/users/"+id+"/enable", url.Values{"csrf": {tok}}); res.code != http.StatusOK {
		t.Errorf("enable: %d", res.code)
	}

	// The last admin cannot be disabled or demoted, not even by themself.
	me, _, _ := st.w.Store.FindUserByName(context.Background(), adminName)
	if res := admin.post("/users/"+itoa(me.ID)+"/role", url.Values{"csrf": {tok}, "role": {"staff"}}); res.code != http.StatusBadRequest || !strings.Contains(res.body, "最后一个可用的管理员") {
		t.Errorf("demote the last admin: %d", res.code)
	}
	if res := admin.post("/users/"+itoa(me.ID)+"/disable", url.Values{"csrf": {tok}}); res.code != http.StatusBadRequest {
		t.Errorf("disable oneself: %d", res.code)
	}
	if got, _, _ := st.w.Store.FindUser(context.Background(), me.ID); got.Role != lingpao.UserAdmin || got.Disabled {
		t.Errorf("the last admin is now %+v", got)
	}
	// Forged requests change nothing.
	if res := admin.post("/users/"+id+"/disable", url.Values{"csrf": {"forged"}}); res.code != http.StatusForbidden {
		t.Errorf("forged disable: %d", res.code)
	}
	acts := st.auditActions()
	for _, a := range []string{"user_add", "user_role", "user_reset", "user_disable", "user_enable", "password"} {
		if acts[a] == 0 {
			t.Errorf("no %s in the audit log: %v", a, acts)
		}
	}
}
