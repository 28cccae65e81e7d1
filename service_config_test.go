package lingpao

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	_ "time/tzdata" // schedules name Asia/Shanghai; the test must not depend on the host's zoneinfo
)

func TestDurationRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		out  string
	}{
		{"0", 0, "0"},
		{"", 0, "0"},
		{"90s", 90 * time.Second, "1m30s"},
		{"10m", 10 * time.Minute, "10m"},
		{"1h30m", 90 * time.Minute, "1h30m"},
		{"12h", 12 * time.Hour, "12h"},
		{"30d", 30 * 24 * time.Hour, "30d"},
		{"48h", 48 * time.Hour, "2d"},
	} {
		got, err := ParseDuration(tc.in)
		if err != nil {
			t.Errorf("ParseDuration(%q): %v", tc.in, err)
			continue
		}
		if time.Duration(got) != tc.want || got.String() != tc.out {
			t.Errorf("ParseDuration(%q) = %v (%s), want %v (%s)", tc.in, time.Duration(got), got, tc.want, tc.out)
		}
	}
	for _, bad := range []string{"3 days", "-5m", "xd", "1y"} {
		if _, err := ParseDuration(bad); ErrorCode(err) != EINVALID {
			t.Errorf("ParseDuration(%q) = %v, want EINVALID", bad, err)
		}
	}
}

func TestBackoffDelay(t *testing.T) {
	b := Backoff{Initial: Duration(time.Minute), Max: Duration(time.Hour)}
	for n, want := range map[int]time.Duration{1: time.Minute, 2: 2 * time.Minute, 3: 4 * time.Minute, 6: 32 * time.Minute, 7: time.Hour, 40: time.Hour} {
		if got := b.Delay(n); got != want {
			t.Errorf("Delay(%d) = %v, want %v", n, got, want)
		}
	}
	if got := (Backoff{Initial: Duration(10 * time.Minute)}).Delay(4); got != 80*time.Minute {
		t.Errorf("uncapped Delay(4) = %v, want 80m", got)
	}
}

func validConfig(t *testing.T) Config {
	t.Helper()
	c := DefaultConfig(t.TempDir())
	c.Secret = strings.Repeat("ab", 32)
	return c
}

func TestServiceConfigValidate(t *testing.T) {
	if err := validConfig(t).Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	for _, tc := range []struct {
		name string
		edit func(c *Config)
		want string // a fragment of the message naming the field
	}{
		{"bad schedule", func(c *Config) { c.Jobs.Monthly.Schedule = "0 25 8 * *" }, "jobs.monthly.schedule"},
		{"empty schedule", func(c *Config) { c.Jobs.Poll.Schedule = "" }, "jobs.poll.schedule"},
		{"bad policy", func(c *Config) { c.Jobs.Remind.CatchUp = "twice" }, "jobs.remind.catch_up"},
		{"bad role", func(c *Config) { c.Jobs.Quarterly.SendTo = []string{"bosses"} }, "jobs.quarterly.send_to"},
		{"recipients without server", func(c *Config) { c.Mail.Recipients.Leaders = []string{"a@example.com"} }, "mail.smtp.host"},
		{"bad address", func(c *Config) {
			c.Mail.SMTP.Host, c.Mail.From = "smtp.example.com", "局 <jxj@example.com>"
			c.Mail.Recipients.Admins = []string{"root@example.com"}
			c.Mail.Recipients.Counties = map[string][]string{"长安区": {"not an address"}}
		}, "mail.recipients.counties.长安区"},
		{"no admins", func(c *Config) { c.Mail.SMTP.Host, c.Mail.From = "smtp.example.com", "jxj@example.com" }, "mail.recipients.admins"},
		{"plaintext password", func(c *Config) {
			c.Mail.SMTP.Host, c.Mail.From, c.Mail.Recipients.Admins = "smtp.example.com", "jxj@example.com", []string{"a@example.com"}
			c.Mail.SMTP.Security, c.Mail.SMTP.Username, c.Mail.SMTP.Password = SMTPNone, "u", "p"
		}, "mail.smtp.security"},
		{"no password", func(c *Config) {
			c.Mail.SMTP.Host, c.Mail.From, c.Mail.Recipients.Admins = "smtp.example.com", "jxj@example.com", []string{"a@example.com"}
			c.Mail.SMTP.Username = "u"
		}, "password_env"},
		{"bad reminder day", func(c *Config) { c.Reminders.Before = []int{0} }, "reminders.before"},
	} {
		c := validConfig(t)
		tc.edit(&c)
		err := c.Validate()
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tc.want) {
			t.Errorf("%s: Validate() = %v, want EINVALID naming %s", tc.name, err, tc.want)
		}
	}
}

// A workspace file that sets only some service fields keeps the defaults of the others, and what
// MarshalConfig writes reads back equal.
func TestServiceConfigYAML(t *testing.T) {
	c := validConfig(t)
	yml := "city: \"130100\"\nsecret: " + c.Secret + "\njobs:\n  monthly:\n    schedule: \"0 9 10 * *\"\n    grace: 3d\n" +
		"mail:\n  smtp:\n    host: smtp.example.com\n  from: 石家庄市工业和信息化局 <jxj@example.com>\n  recipients:\n    admins: [root@example.com]\n    counties:\n      长安区: [ca@example.com]\n" +
		"reminders:\n  before: [2]\n"
	if err := os.WriteFile(filepath.Join(c.Dir, ConfigFile), []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := ReadConfig(c.Dir)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultConfig(c.Dir)
	want.Secret = c.Secret
	want.Jobs.Monthly.Schedule, want.Jobs.Monthly.Grace = "0 9 10 * *", Duration(72*time.Hour)
	want.Mail.SMTP.Host, want.Mail.From = "smtp.example.com", "石家庄市工业和信息化局 <jxj@example.com>"
	want.Mail.Recipients = Recipients{Admins: []string{"root@example.com"}, Counties: map[string][]string{"长安区": {"ca@example.com"}}}
	want.Reminders.Before = []int{2}
	if d := cmp.Diff(want, got); d != "" {
		t.Fatalf("ReadConfig (-want +got):\n%s", d)
	}
	b, err := MarshalConfig(got)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(c.Dir, ConfigFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := ReadConfig(c.Dir)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	if d := cmp.Diff(got, again, cmpopts.EquateEmpty()); d != "" {
		t.Fatalf("MarshalConfig round trip (-want +got):\n%s", d)
	}
}
