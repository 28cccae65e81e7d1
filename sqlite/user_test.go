package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"lingpao"
)

func openTest(t *testing.T) (*DB, *time.Time) {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	now := time.Date(2025, 4, 7, 9, 0, 0, 0, lingpao.Beijing)
	db.Now = func() time.Time { return now }
	return db, &now
}

func TestUsersAndSessions(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	admin := lingpao.User{Name: "张科长", Role: lingpao.UserAdmin}
	if err := db.CreateUser(ctx, &admin, "hash-1"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, &lingpao.User{Name: "张科长", Role: lingpao.UserStaff}, "x"); lingpao.ErrorCode(err) != lingpao.ECONFLICT {
		t.Fatalf("duplicate name: %v, want ECONFLICT", err)
	}
	leader := lingpao.User{Name: "王局长", Role: lingpao.UserLeader}
	if err := db.CreateUser(ctx, &leader, "hash-2"); err != nil {
		t.Fatal(err)
	}
	got, hash, err := db.FindUserByName(ctx, "张科长")
	if err != nil || hash != "hash-1" {
		t.Fatalf("FindUserByName = %v, %q, %v", got, hash, err)
	}
	if diff := cmp.Diff(admin, got); diff != "" {
		t.Errorf("user read back (-stored +read):\n%s", diff)
	}
	if _, _, err := db.FindUserByName(ctx, "nobody"); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("unknown user: %v", err)
	}
	users, err := db.Users(ctx)
	if err != nil || len(users) != 2 {
		t.Fatalf("Users = %v, %v", users, err)
	}

	mk := func(token string, u lingpao.User) Session {
		s := Session{TokenHash: token, User: u, CSRF: "csrf-" + token, CreatedAt: *now, SeenAt: *now, ExpiresAt: now.Add(time.Hour)}
		if err := db.CreateSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	mk("a", admin)
	mk("b", admin)
	mk("c", leader)
	s, err := db.FindSession(ctx, "a", *now)
	if err != nil || s.User.Name != "张科长" || s.User.Role != lingpao.UserAdmin || s.CSRF != "csrf-a" {
		t.Fatalf("FindSession = %+v, %v", s, err)
	}
	// Expiry is exclusive: at the expiry instant the session is gone.
	if _, err := db.FindSession(ctx, "a", now.Add(time.Hour)); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("expired session found: %v", err)
	}
	if err := db.TouchSession(ctx, "a", now.Add(50*time.Minute), now.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, "a", now.Add(90*time.Minute)); err != nil {
		t.Errorf("touched session: %v", err)
	}
	// A new password ends the user's other sessions, keeps the one that changed it and leaves others'.
	if err := db.SetPassword(ctx, admin.ID, "hash-3", "a", false); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, "b", *now); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("session b survived a password change: %v", err)
	}
	if _, err := db.FindSession(ctx, "a", *now); err != nil {
		t.Errorf("session a ended by its own password change: %v", err)
	}
	if _, h, _ := db.FindUser(ctx, admin.ID); h != "hash-3" {
		t.Errorf("hash after SetPassword = %q", h)
	}
	// Disabling ends the sessions; a disabled user's session is not found either way.
	if err := db.SetUserDisabled(ctx, leader.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, "c", *now); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("disabled user's session: %v", err)
	}
	if err := db.DeleteSession(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.FindSession(ctx, "a", *now); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("deleted session: %v", err)
	}
	mk("d", admin)
	mk("e", admin)
	if err := db.TouchSession(ctx, "e", *now, now.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n, err := db.DeleteExpiredSessions(ctx, now.Add(2*time.Hour)); err != nil || n != 1 {
		t.Errorf("DeleteExpiredSessions = %d, %v; want 1 (d)", n, err)
	}
}

func TestAuditAndReportTasks(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	for i, a := range []string{"login", "upload", "login_failed"} {
		if err := db.AddAudit(ctx, AuditEntry{UserID: int64(i), UserName: "张科长", Action: a, Detail: "细节", Remote: "127.0.0.1"}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.FindAudit(ctx, AuditFilter{})
	if err != nil || len(all) != 3 || all[0].Action != "login_failed" || all[0].UserID != 2 || all[2].UserID != 0 {
		t.Fatalf("FindAudit = %+v, %v", all, err)
	}
	if !all[0].At.Equal(*now) {
		t.Errorf("audit time %v, want %v", all[0].At, *now)
	}
	ups, err := db.FindAudit(ctx, AuditFilter{Action: "upload"})
	if err != nil || len(ups) != 1 {
		t.Errorf("FindAudit(upload) = %v, %v", ups, err)
	}

	a := ReportTask{Kind: "quarterly", Period: "2025Q1", Formats: []string{"pdf"}, UserName: "张科长"}
	b := ReportTask{Kind: "monthly", Period: "2025-03"}
	for _, task := range []*ReportTask{&a, &b} {
		if err := db.CreateReportTask(ctx, task); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.StartReportTask(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(3 * time.Second)
	if err := db.FinishReportTask(ctx, a.ID, []string{"outbox/2025Q1/季度通报.pdf"}, ""); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindReportTask(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := ReportTask{ID: a.ID, Kind: "quarterly", Period: "2025Q1", Formats: []string{"pdf"}, UserName: "张科长", Status: TaskDone,
		CreatedAt: now.Add(-3 * time.Second), StartedAt: now.Add(-3 * time.Second), FinishedAt: *now, Files: []string{"outbox/2025Q1/季度通报.pdf"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("task read back (-want +got):\n%s", diff)
	}
	// A restart fails what was left queued; finished tasks stay as they are.
	if n, err := db.FailUnfinishedReportTasks(ctx, "服务重启"); err != nil || n != 1 {
		t.Errorf("FailUnfinishedReportTasks = %d, %v; want 1", n, err)
	}
	tasks, err := db.FindReportTasks(ctx, 0)
	if err != nil || len(tasks) != 2 || tasks[0].ID != b.ID || tasks[0].Status != TaskFailed || tasks[0].Error != "服务重启" || tasks[1].Status != TaskDone {
		t.Errorf("FindReportTasks = %+v, %v", tasks, err)
	}
	if _, err := db.FindReportTask(ctx, 99); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("missing task: %v", err)
	}
}

// TestAccountChanges: roles change, one-time passwords are marked and cleared, and the last enabled
// admin can be neither disabled nor demoted.
func TestAccountChanges(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	admin := lingpao.User{Name: "张科长", Role: lingpao.UserAdmin}
	staff := lingpao.User{Name: "李干事", Role: lingpao.UserStaff, MustChangePassword: true}
	for _, u := range []*lingpao.User{&admin, &staff} {
		if err := db.CreateUser(ctx, u, "hash"); err != nil {
			t.Fatal(err)
		}
	}
	if got, _, _ := db.FindUser(ctx, staff.ID); !got.MustChangePassword {
		t.Error("a one-time password is not marked")
	}
	if err := db.SetPassword(ctx, staff.ID, "hash-2", "", false); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := db.FindUser(ctx, staff.ID); got.MustChangePassword {
		t.Error("the owner's own password is still marked one-time")
	}
	if err := db.SetPassword(ctx, staff.ID, "hash-3", "", true); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := db.FindUser(ctx, staff.ID); !got.MustChangePassword {
		t.Error("a reset password is not marked one-time")
	}
	for name, err := range map[string]error{
		"demote the last admin":  db.SetUserRole(ctx, admin.ID, lingpao.UserStaff),
		"disable the last admin": db.SetUserDisabled(ctx, admin.ID, true),
	} {
		if lingpao.ErrorCode(err) != lingpao.ECONFLICT {
			t.Errorf("%s: %v, want ECONFLICT", name, err)
		}
	}
	if err := db.SetUserRole(ctx, staff.ID, lingpao.UserAdmin); err != nil {
		t.Fatal(err)
	}
	if err := db.SetUserRole(ctx, admin.ID, lingpao.UserLeader); err != nil {
		t.Errorf("demote an admin while another is enabled: %v", err)
	}
	if got, _, _ := db.FindUser(ctx, admin.ID); got.Role != lingpao.UserLeader {
		t.Errorf("role %s, want leader", got.Role)
	}
	if err := db.SetUserRole(ctx, 999, lingpao.UserStaff); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("unknown user: %v", err)
	}
}
