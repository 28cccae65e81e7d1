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
	alarms alarms
}

// readingTargets runs fn under the workspace's targets read lock, so a targets import made through the
// web page while the job runs takes effect after it, never half-way. A disk that refuses a write is
// remembered for Health and explained in Chinese.
func (s *Service) readingTargets(fn scheduler.Func) scheduler.Func {
	return func(ctx context.Context, at time.Time) (scheduler.Result, error) {
		defer s.W.ReadTargets()()
		res, err := fn(ctx, at)
		if _, ok := lingpao.AsDiskError(err); ok {
			s.noteWrite(err)
			err = lingpao.ExplainDisk(err, s.W.Config.Dir)
		}
		return res, err
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
	sch := &scheduler.Scheduler{Store: w.Store, Calendar: w.Catalog.Calendar(), Instance: inst, Now: w.now, Log: log,
		OnProblems: s.syncProblems, OnWrite: s.noteWrite}
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
			Quiet: jc.Name == lingpao.JobPoll || jc.Name == lingpao.JobDeliver, Deliverable: lingpao.IsReportJob(jc.Name),
			Run: s.readingTargets(funcs[jc.Name])})
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
