package lingpao

import (
	"fmt"
	"net/mail"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// The jobs of service mode (PRODUCT §9). Each is a plain function in package jobs; the scheduler only
// decides when it runs.
const (
	JobPoll      = "poll"      // one inbox poll: take stable files, validate, store, write receipts
	JobRemind    = "remind"    // 催报: remind counties that have not reported before and after the deadline
	JobMonthly   = "monthly"   // 月调度表 of the month just closed
	JobQuarterly = "quarterly" // 季度通报 of the quarter just closed
	JobHalf      = "half"      // 半年总结
	JobAnnual    = "annual"    // 年终考核
	JobDeliver   = "deliver"   // send the queued e-mails that are due
)

// Recipient roles. Leaders get bulletins, staff get dispatch workbooks, admins hear about failures,
// counties get reminders and (if configured) receipts.
const (
	RoleAdmins  = "admins"
	RoleLeaders = "leaders"
	RoleStaff   = "staff"
	RoleCounty  = "county"
)

// CatchUpPolicy says what happens on start to scheduled times a job missed while the service was down.
type CatchUpPolicy string

// The catch-up policies.
const (
	// CatchUpOnce runs the job once, for the latest missed time; earlier misses are recorded as skipped.
	CatchUpOnce CatchUpPolicy = "once"
	// CatchUpSkip runs nothing; the misses are recorded as skipped.
	CatchUpSkip CatchUpPolicy = "skip"
	// CatchUpAll runs every missed time in order.
	CatchUpAll CatchUpPolicy = "all"
)

// JobConfig is when and how one job runs in service mode.
type JobConfig struct {
	// Schedule is a cron spec (5 fields, or 6 with seconds first; @daily, @every 1m …) in Beijing time
	// (CRON_TZ=Asia/Shanghai is implied), or a time relative to the reporting deadline:
	// 「@deadline+3 09:00」 is the third working day after the month's deadline at 09:00,
	// 「@deadline+3 09:00 1,4,7,10」 the same in the first month of each quarter.
	Schedule string `yaml:"schedule"`
	// NextWorkday moves a time that falls on a weekend or statutory holiday to the same time of the
	// next working day of the holiday table.
	NextWorkday bool `yaml:"next_workday"`
	// WaitForDeadline keeps a report job from running before the reporting deadline of the month it
	// covers has passed (the deadline moves with holidays): a time on or before it moves to the first
	// working day after it.
	WaitForDeadline bool `yaml:"wait_for_deadline"`
	// CatchUp is the policy for times missed while the service was down (report jobs: all, so that
	// every missed period gets its report); Grace limits how late a missed time may still run (0: no
	// limit).
	CatchUp CatchUpPolicy `yaml:"catch_up"`
	Grace   Duration      `yaml:"grace"`
	// Retries is how many times a failed run is tried again, Backoff the wait before the first retry
	// (doubling each time). A run that still fails is reported to the admins.
	Retries int      `yaml:"retries"`
	Backoff Duration `yaml:"backoff"`
	// SendTo lists the roles (leaders, staff) that get the job's reports by e-mail.
	SendTo []string `yaml:"send_to,omitempty"`
	// Disabled keeps the job out of the schedule; `lingpao jobs run` still runs it.
	Disabled bool `yaml:"disabled,omitempty"`
}

// JobsConfig holds the schedule of every job.
type JobsConfig struct {
	Poll      JobConfig `yaml:"poll"`
	Remind    JobConfig `yaml:"remind"`
	Monthly   JobConfig `yaml:"monthly"`
	Quarterly JobConfig `yaml:"quarterly"`
	Half      JobConfig `yaml:"half"`
	Annual    JobConfig `yaml:"annual"`
	Deliver   JobConfig `yaml:"deliver"`
}

// NamedJobConfig is a job's name with its configuration.
type NamedJobConfig struct {
	Name string
	JobConfig
}

// All returns every job's configuration in a fixed order.
func (c JobsConfig) All() []NamedJobConfig {
	return []NamedJobConfig{
		{JobPoll, c.Poll}, {JobRemind, c.Remind}, {JobMonthly, c.Monthly}, {JobQuarterly, c.Quarterly},
		{JobHalf, c.Half}, {JobAnnual, c.Annual}, {JobDeliver, c.Deliver},
	}
}

// Get returns the configuration of the named job.
func (c JobsConfig) Get(name string) (JobConfig, bool) {
	for _, j := range c.All() {
		if j.Name == name {
			return j.JobConfig, true
		}
	}
	return JobConfig{}, false
}

// DefaultJobsConfig returns schedules that follow the policy rhythm and the reporting deadline
// (「每月5日前，遇法定节假日顺延」): poll every minute; reminders checked daily at 09:00; the monthly
// dispatch on the third working day after the deadline at 09:00, the quarterly bulletin the same day
// at 09:30 in January, April, July and October, the half-year summary and the annual assessment on
// the fifth working day after the deadline of July and January. Report jobs never run before the
// deadline has passed, and after an outage make every report they missed, in order.
func DefaultJobsConfig() JobsConfig {
	report := func(spec string, to ...string) JobConfig {
		return JobConfig{Schedule: spec, WaitForDeadline: true, CatchUp: CatchUpAll, Retries: 3,
			Backoff: Duration(10 * time.Minute), SendTo: to}
	}
	return JobsConfig{
		Poll:      JobConfig{Schedule: "@every 1m", CatchUp: CatchUpSkip},
		Remind:    JobConfig{Schedule: "0 9 * * *", CatchUp: CatchUpOnce, Grace: Duration(12 * time.Hour), Retries: 3, Backoff: Duration(5 * time.Minute)},
		Monthly:   report("@deadline+3 09:00", RoleStaff),
		Quarterly: report("@deadline+3 09:30 1,4,7,10", RoleLeaders, RoleStaff),
		Half:      report("@deadline+5 09:00 7", RoleLeaders, RoleStaff),
		Annual:    report("@deadline+5 09:00 1", RoleLeaders, RoleStaff),
		Deliver:   JobConfig{Schedule: "@every 1m", CatchUp: CatchUpSkip},
	}
}

// IsReportJob reports whether name is one of the report jobs (monthly, quarterly, half, annual): jobs
// whose every scheduled time is a deliverable.
func IsReportJob(name string) bool {
	switch name {
	case JobMonthly, JobQuarterly, JobHalf, JobAnnual:
		return true
	}
	return false
}

// ParseSchedule returns the job's schedule with its options, for a workspace whose returns are due on
// deadlineDay.
func (c JobConfig) ParseSchedule(deadlineDay int) (Schedule, error) {
	s, err := ParseSchedule(c.Schedule)
	if err != nil {
		return s, err
	}
	s.NextWorkday, s.WaitForDeadline, s.DeadlineDay = c.NextWorkday, c.WaitForDeadline, deadlineDay
	return s, nil
}

// MailConfig is e-mail delivery: the SMTP server, the sender, the recipients by role and the retry
// policy for failed sends. Mail is off while smtp.host is empty.
type MailConfig struct {
	SMTP SMTPConfig `yaml:"smtp"`
	// From is the sender, e.g. 石家庄市工业和信息化局 <jxj@example.gov.cn>.
	From       string     `yaml:"from"`
	Recipients Recipients `yaml:"recipients"`
	// SendReceipts e-mails each receipt (回执) to the county's addresses as well.
	SendReceipts bool `yaml:"send_receipts"`
	// Retry is the backoff between attempts at a failed send; a send is retried until it succeeds,
	// and the admins are told once it has failed NotifyAfter times.
	Retry       Backoff `yaml:"retry"`
	NotifyAfter int     `yaml:"notify_after"`
}

// Enabled reports whether e-mail is configured.
func (m MailConfig) Enabled() bool { return strings.TrimSpace(m.SMTP.Host) != "" }

// SMTPConfig is the outgoing mail server.
type SMTPConfig struct {
	Host string `yaml:"host"`
	Port int    `yaml:"port"`
	// Security is starttls (port 587, the default), tls (implicit TLS, port 465) or none.
	Security string `yaml:"security"`
	Username string `yaml:"username"`
	// Password, or the name of an environment variable holding it (keeps it out of the file).
	Password    string   `yaml:"password,omitempty"`
	PasswordEnv string   `yaml:"password_env,omitempty"`
	Timeout     Duration `yaml:"timeout"`
}

// The SMTP security modes.
const (
	SMTPStartTLS = "starttls"
	SMTPTLS      = "tls"
	SMTPNone     = "none"
)

// Recipients are e-mail addresses by role; Counties maps a county (name or code) to its addresses.
type Recipients struct {
	Admins   []string            `yaml:"admins"`
	Leaders  []string            `yaml:"leaders"`
	Staff    []string            `yaml:"staff"`
	Counties map[string][]string `yaml:"counties"`
}

// Role returns the addresses of a role (admins, leaders, staff).
func (r Recipients) Role(role string) []string {
	switch role {
	case RoleAdmins:
		return r.Admins
	case RoleLeaders:
		return r.Leaders
	case RoleStaff:
		return r.Staff
	}
	return nil
}

func (r Recipients) any() bool {
	return len(r.Admins)+len(r.Leaders)+len(r.Staff)+len(r.Counties) > 0
}

// ReminderConfig is when 催报 reminders go out for a month's return.
type ReminderConfig struct {
	// Before lists the working days before the deadline on which counties that have not reported
	// are reminded (default 3 and 1).
	Before []int `yaml:"before"`
	// Overdue reminds on the first working day after the deadline, and then every OverdueEvery
	// working days (0: only once) until the next month's deadline.
	Overdue      bool `yaml:"overdue"`
	OverdueEvery int  `yaml:"overdue_every"`
	// WriteTxt also writes each reminder as a .txt into the county's receipts folder.
	WriteTxt bool `yaml:"write_txt"`
}

// DefaultMailConfig returns mail switched off, with SMTP defaults and a backoff of 1 minute doubling
// to 1 hour.
func DefaultMailConfig() MailConfig {
	return MailConfig{
		SMTP:        SMTPConfig{Port: 587, Security: SMTPStartTLS, Timeout: Duration(30 * time.Second)},
		Retry:       Backoff{Initial: Duration(time.Minute), Max: Duration(time.Hour)},
		NotifyAfter: 5,
	}
}

// DefaultReminderConfig reminds at T−3 and T−1 working days and when overdue, every 5 working days.
func DefaultReminderConfig() ReminderConfig {
	return ReminderConfig{Before: []int{3, 1}, Overdue: true, OverdueEvery: 5, WriteTxt: true}
}

// Backoff is an exponential backoff: Initial before the first retry, doubling, at most Max.
type Backoff struct {
	Initial Duration `yaml:"initial"`
	Max     Duration `yaml:"max"`
}

// Delay returns the wait after failed attempt n (1 for the first failure).
func (b Backoff) Delay(n int) time.Duration {
	d := time.Duration(b.Initial)
	if d <= 0 {
		d = time.Minute
	}
	for i := 1; i < n; i++ {
		d *= 2
		if b.Max > 0 && d >= time.Duration(b.Max) {
			return time.Duration(b.Max)
		}
	}
	if b.Max > 0 && d > time.Duration(b.Max) {
		return time.Duration(b.Max)
	}
	return d
}

// Duration is a time.Duration written in lingpao.yaml as "90s", "10m", "12h" or "30d".
type Duration time.Duration

// ParseDuration parses "90s", "10m", "1h30m", "12h", "30d" or "0".
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return 0, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 {
			return 0, Errorf(EINVALID, "时长「%s」格式不对：请写成 90s、10m、12h 或 30d。", s)
		}
		return Duration(time.Duration(days) * 24 * time.Hour), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, Errorf(EINVALID, "时长「%s」格式不对：请写成 90s、10m、12h 或 30d。", s)
	}
	return Duration(d), nil
}

// String formats d the way ParseDuration reads it: 30d, 12h, 10m, 1h30m.
func (d Duration) String() string {
	t := time.Duration(d)
	switch {
	case t == 0:
		return "0"
	case t%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", t/(24*time.Hour))
	}
	s := t.String() // 1h30m0s, 12h0m0s, 10m0s, 1m30s
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

// MarshalYAML writes d as a string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// UnmarshalYAML reads d from a string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("第 %d 行：%s", n.Line, ErrorMessage(err))
	}
	*d = v
	return nil
}

// validateService checks the jobs, mail and reminder sections field by field.
func (c Config) validateService() []string {
	var probs []string
	for _, j := range c.Jobs.All() {
		f := "jobs." + j.Name
		if _, err := ParseSchedule(j.Schedule); err != nil {
			probs = append(probs, fmt.Sprintf("%s.schedule：%s", f, ErrorMessage(err)))
		}
		switch j.CatchUp {
		case CatchUpOnce, CatchUpSkip, CatchUpAll:
		default:
			probs = append(probs, fmt.Sprintf("%s.catch_up 应为 once（补跑一次）、skip（跳过）或 all（逐次补跑），现为「%s」", f, j.CatchUp))
		}
		if j.Retries < 0 || j.Retries > 20 {
			probs = append(probs, fmt.Sprintf("%s.retries 应在 0–20 之间，现为 %d", f, j.Retries))
		}
		for _, r := range j.SendTo {
			if r != RoleLeaders && r != RoleStaff && r != RoleAdmins {
				probs = append(probs, fmt.Sprintf("%s.send_to 中的「%s」不是收件人角色：可选 leaders、staff、admins", f, r))
			}
		}
	}
	m := c.Mail
	if m.Enabled() {
		switch m.SMTP.Security {
		case SMTPStartTLS, SMTPTLS, SMTPNone:
		default:
			probs = append(probs, fmt.Sprintf("mail.smtp.security 应为 starttls、tls 或 none，现为「%s」", m.SMTP.Security))
		}
		if m.SMTP.Port <= 0 || m.SMTP.Port > 65535 {
			probs = append(probs, fmt.Sprintf("mail.smtp.port 应在 1–65535 之间，现为 %d", m.SMTP.Port))
		}
		if m.SMTP.Security == SMTPNone && m.SMTP.Username != "" {
			probs = append(probs, "mail.smtp.security 为 none 时不能配置 username（密码会明文传输）：请改用 starttls 或 tls")
		}
		if m.SMTP.Username != "" && m.SMTP.Password == "" && m.SMTP.PasswordEnv == "" {
			probs = append(probs, "mail.smtp 配置了 username，但 password 和 password_env 都为空")
		}
		if _, err := mail.ParseAddress(m.From); err != nil {
			probs = append(probs, fmt.Sprintf("mail.from 应为发件人地址，如「石家庄市工业和信息化局 <jxj@example.gov.cn>」，现为「%s」", m.From))
		}
	} else if m.Recipients.any() || m.SendReceipts {
		probs = append(probs, "mail.recipients 或 mail.send_receipts 已配置，但 mail.smtp.host 为空：请填写发信服务器，否则邮件无法发出")
	}
	check := func(field string, addrs []string) {
		for _, a := range addrs {
			if _, err := mail.ParseAddress(a); err != nil {
				probs = append(probs, fmt.Sprintf("%s 中的「%s」不是有效的邮箱地址", field, a))
			}
		}
	}
	check("mail.recipients.admins", m.Recipients.Admins)
	check("mail.recipients.leaders", m.Recipients.Leaders)
	check("mail.recipients.staff", m.Recipients.Staff)
	counties := make([]string, 0, len(m.Recipients.Counties))
	for k := range m.Recipients.Counties {
		counties = append(counties, k)
	}
	sort.Strings(counties)
	for _, k := range counties {
		check("mail.recipients.counties."+k, m.Recipients.Counties[k])
	}
	if m.Enabled() && len(m.Recipients.Admins) == 0 {
		probs = append(probs, "mail.recipients.admins 为空：任务失败时需要通知管理员，请至少填写一个地址")
	}
	if m.Retry.Initial < 0 || (m.Retry.Max > 0 && m.Retry.Max < m.Retry.Initial) {
		probs = append(probs, "mail.retry 应满足 0 ≤ initial ≤ max")
	}
	for _, b := range c.Reminders.Before {
		if b < 1 || b > 20 {
			probs = append(probs, fmt.Sprintf("reminders.before 中的 %d 应为 1–20 个工作日", b))
		}
	}
	if c.Reminders.OverdueEvery < 0 {
		probs = append(probs, "reminders.overdue_every 不能为负数")
	}
	return probs
}
