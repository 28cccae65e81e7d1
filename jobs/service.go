package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"lingpao"
	"lingpao/delivery"
	"lingpao/ingest"
	"lingpao/scheduler"
	"lingpao/sqlite"
)

// Service is service mode over an open workspace: the jobs with their schedules, the mailer, and the
// scheduler that decides when they run. `lingpao serve`, `lingpao jobs` and the web page share it;
// the jobs are its methods, plain functions of (ctx, as-of time).
type Service struct {
	W         *Workspace
	Scheduler *scheduler.Scheduler
	// Mailer is nil when mail is not configured.
	Mailer *delivery.Mailer
	Log    *slog.Logger

	pollMu sync.Mutex // one inbox poll at a time: the scheduler's and the web page's
	// county maps an org code to its e-mail addresses (mail.recipients.counties, by name or code).
	county map[string][]string
}

// readingTargets runs fn under the workspace's targets read lock, so a targets import made through the
// web page while the job runs takes effect after it, never half-way.
func (s *Service) readingTargets(fn scheduler.Func) scheduler.Func {
	return func(ctx context.Context, at time.Time) (scheduler.Result, error) {
		defer s.W.ReadTargets()()
		return fn(ctx, at)
	}
}

// JobTitle returns the Chinese name of a job.
func JobTitle(name string) string {
	switch name {
	case lingpao.JobPoll:
		return "收件箱轮询"
	case lingpao.JobRemind:
		return "催报提醒"
	case lingpao.JobMonthly:
		return "月调度表"
	case lingpao.JobQuarterly:
		return "季度通报"
	case lingpao.JobHalf:
		return "半年总结"
	case lingpao.JobAnnual:
		return "年终考核"
	case lingpao.JobDeliver:
		return "邮件发送"
	}
	return name
}

// NewService builds service mode over w: each job of the configuration with its parsed schedule, the
// mailer (when mail.smtp.host is set) and a scheduler owned by inst (nil for a read-only view such as
// `lingpao jobs list`). It checks what the configuration cannot check alone: that every county named
// under mail.recipients.counties exists.
func (w *Workspace) NewService(inst *scheduler.Instance, log *slog.Logger) (_ *Service, err error) {
	defer lingpao.Wrap(&err, "jobs.NewService")
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{W: w, Log: log, county: map[string][]string{}}
	cfg := w.Config
	for key, addrs := range cfg.Mail.Recipients.Counties {
		u, err := w.Catalog.Tree.Find(key)
		if err != nil || u.Level != lingpao.LevelCounty || !w.Catalog.Tree.IsUnder(u.Code, cfg.City) {
			return nil, lingpao.Errorf(lingpao.EINVALID, "配置文件中 mail.recipients.counties 的「%s」不是本市的县（市、区）：请填写县名（如 鹿泉区）或行政区划代码。", key)
		}
		s.county[u.Code] = append(s.county[u.Code], addrs...)
	}
	if cfg.Mail.Enabled() {
		if s.Mailer, err = delivery.NewMailer(cfg.Mail, os.Getenv); err != nil {
			return nil, err
		}
	}
	sch := &scheduler.Scheduler{Store: w.Store, Calendar: w.Catalog.Calendar(), Instance: inst, Now: w.now, Log: log, OnFailure: s.reportFailure}
	funcs := map[string]scheduler.Func{
		lingpao.JobPoll:      s.Poll,
		lingpao.JobRemind:    s.Remind,
		lingpao.JobMonthly:   s.reportJob(lingpao.JobMonthly, Monthly),
		lingpao.JobQuarterly: s.reportJob(lingpao.JobQuarterly, Quarterly),
		lingpao.JobHalf:      s.reportJob(lingpao.JobHalf, Half),
		lingpao.JobAnnual:    s.reportJob(lingpao.JobAnnual, Annual),
		lingpao.JobDeliver:   s.Deliver,
	}
	for _, jc := range cfg.Jobs.All() {
		sched, err := jc.JobConfig.ParseSchedule(cfg.DeadlineDay)
		if err != nil {
			return nil, lingpao.Errorf(lingpao.EINVALID, "配置文件 jobs.%s.schedule 有误：%s", jc.Name, lingpao.ErrorMessage(err))
		}
		sch.Jobs = append(sch.Jobs, scheduler.Job{Name: jc.Name, Title: JobTitle(jc.Name), Schedule: sched, Config: jc.JobConfig,
			Quiet: jc.Name == lingpao.JobPoll || jc.Name == lingpao.JobDeliver, Run: s.readingTargets(funcs[jc.Name])})
	}
	s.Scheduler = sch
	return s, nil
}

// PollInbox makes one inbox poll, never at the same time as another poll of this service: the web
// page's upload uses it too.
func (s *Service) PollInbox(ctx context.Context) ([]ingest.Result, error) {
	s.pollMu.Lock()
	defer s.pollMu.Unlock()
	return s.W.Ingester().Poll(ctx)
}

// rel returns path relative to the workspace (as the ledger and the mail queue keep paths).
func (s *Service) rel(path string) string {
	if r, err := filepath.Rel(s.W.Config.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}

// queue adds mails to the store's queue, linked to the run the job is called for.
func (s *Service) queue(ctx context.Context, ds []lingpao.Delivery) (int, error) {
	if len(ds) == 0 {
		return 0, nil
	}
	if run, ok := scheduler.RunOf(ctx); ok {
		for i := range ds {
			ds[i].RunID = run.ID
		}
	}
	return s.W.Store.QueueDeliveries(ctx, ds, s.W.now())
}

// toRoles returns one mail per address of each role (deduplicated), with key prefix + role + address.
func (s *Service) toRoles(roles []string, prefix, subject, body string, attachments []string) []lingpao.Delivery {
	var out []lingpao.Delivery
	seen := map[string]bool{}
	for _, role := range roles {
		for _, addr := range s.W.Config.Mail.Recipients.Role(role) {
			if seen[addr] {
				continue
			}
			seen[addr] = true
			out = append(out, lingpao.Delivery{Key: prefix + "/" + role + "/" + addr, Role: role, To: addr, Subject: subject, Body: body, Attachments: attachments})
		}
	}
	return out
}

// reportFailure tells the admins that a run failed its last attempt (OnFailure of the scheduler).
func (s *Service) reportFailure(ctx context.Context, j scheduler.Job, run lingpao.JobRun) {
	if !s.W.Config.Mail.Enabled() {
		return // the log and `lingpao jobs list` show it
	}
	at := run.Scheduled.In(lingpao.Beijing).Format("2006-01-02 15:04")
	subject := fmt.Sprintf("【lingpao 任务失败】%s（%s）%s", j.Title, j.Name, at)
	body := fmt.Sprintf("lingpao 的任务「%s」（%s）计划于 %s 运行，已尝试 %d 次，均失败：\n\n%s\n\n"+
		"请排除原因后运行：lingpao jobs run %s --now %s\n运行记录：lingpao jobs list\n\n工作目录：%s\n（本邮件由 lingpao 自动发送。）",
		j.Title, j.Name, at, run.Attempts, run.Error, j.Name, run.Scheduled.In(lingpao.Beijing).Format("2006-01-02T15:04"), s.W.Config.Dir)
	ds := s.toRoles([]string{lingpao.RoleAdmins}, fmt.Sprintf("jobfail/%d/%d", run.ID, run.Attempts), subject, body, nil)
	for i := range ds {
		ds[i].RunID = run.ID
	}
	if _, err := s.W.Store.QueueDeliveries(ctx, ds, s.W.now()); err != nil {
		s.Log.Error("无法把任务失败通知加入邮件队列", "job", j.Name, "err", err)
	}
}

// Health is the state an operator or a monitor checks: failed runs and mail that keeps failing.
type Health struct {
	OK bool `json:"ok"`
	// Problems lists, in Chinese, what needs attention.
	Problems []string `json:"problems"`
}

// Health reports failed runs of the last month, runs waiting for a retry, scheduled times missed, and
// mail that has failed NotifyAfter times or more.
func (s *Service) Health(ctx context.Context) (Health, error) {
	h := Health{OK: true, Problems: []string{}}
	st, err := s.Scheduler.Status(ctx)
	if err != nil {
		return h, err
	}
	for _, x := range st {
		for _, r := range x.Open {
			if r.Outcome == lingpao.RunFailed || r.Outcome == lingpao.RunRetry {
				h.Problems = append(h.Problems, fmt.Sprintf("任务 %s（%s）%s：%s", x.Job.Name, r.Scheduled.In(lingpao.Beijing).Format("2006-01-02 15:04"), r.Outcome.Label(), lastLine(r.Error)))
			}
		}
		if x.Missed > 0 {
			h.Problems = append(h.Problems, fmt.Sprintf("任务 %s 有 %d 次计划运行未执行", x.Job.Name, x.Missed))
		}
	}
	failing, err := s.W.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Failing: true})
	if err != nil {
		return h, err
	}
	n := 0
	for _, d := range failing {
		if d.Attempts >= max(s.W.Config.Mail.NotifyAfter, 1) {
			n++
		}
	}
	if n > 0 {
		h.Problems = append(h.Problems, fmt.Sprintf("%d 封邮件多次发送失败，仍在重试", n))
	}
	if s.Mailer == nil {
		if pending, err := s.W.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending}); err != nil {
			return h, err
		} else if len(pending) > 0 {
			h.Problems = append(h.Problems, fmt.Sprintf("%d 封邮件待发送，但没有配置邮件服务器（mail.smtp.host）", len(pending)))
		}
	}
	h.OK = len(h.Problems) == 0
	return h, nil
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// fmtCN formats t for messages: 2025年10月9日 09:00.
func fmtCN(t time.Time) string {
	t = t.In(lingpao.Beijing)
	return fmt.Sprintf("%s %s", lingpao.FormatDateCN(t), t.Format("15:04"))
}
