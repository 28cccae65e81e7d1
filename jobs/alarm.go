package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"lingpao"
	"lingpao/scheduler"
	"lingpao/sqlite"
)

// alarms is what the service knows about problems beyond the store: the problems it could not record
// (the store refused the write) and the last time the disk refused one.
type alarms struct {
	mu sync.Mutex
	// unrecorded holds, by scope, problems whose recording failed; Health lists them.
	unrecorded map[string][]lingpao.Problem
	// disk is the last disk fault a job or the ledger met, until a write succeeds again.
	disk *lingpao.DiskError
	// diskAt is when it was met.
	diskAt time.Time
}

// syncProblems is the scheduler's OnProblems: the scope's problems become alarms in the store, and
// the notices to the admins (what appeared, what is still there a day later, what went away) are
// queued in the same transaction. Each change is one log line.
func (s *Service) syncProblems(ctx context.Context, scope string, ps []lingpao.Problem) {
	ch, err := s.W.Store.SyncAlarms(ctx, scope, ps, s.W.now(), s.alarmNotices)
	s.alarms.mu.Lock()
	if err != nil {
		if s.alarms.unrecorded == nil {
			s.alarms.unrecorded = map[string][]lingpao.Problem{}
		}
		s.alarms.unrecorded[scope] = ps
	} else {
		delete(s.alarms.unrecorded, scope)
	}
	s.alarms.mu.Unlock()
	if err != nil {
		s.noteWrite(err)
		s.Log.Error("无法记录问题", "scope", scope, "problems", len(ps), "err", lingpao.ErrorMessage(lingpao.ExplainDisk(err, s.W.Config.Dir)))
		return
	}
	for _, a := range ch.Opened {
		s.Log.Warn("发现问题", "problem", a.ID, "key", a.Key, "title", a.Title, "action", a.Action)
	}
	for _, a := range ch.Resolved {
		s.Log.Info("问题已解决", "problem", a.ID, "key", a.Key, "title", a.Title)
	}
}

// noteWrite remembers a disk fault met by a job or a write of the ledger (other errors, and nil, are
// ignored): Health reports it until a file can be written where it failed again.
func (s *Service) noteWrite(err error) {
	s.alarms.mu.Lock()
	defer s.alarms.mu.Unlock()
	if de, ok := lingpao.AsDiskError(err); ok {
		s.alarms.disk, s.alarms.diskAt = de, s.W.now()
	}
}

// alarmNotices turns what changed into e-mails to the admins: one for the problems that appeared, one
// reminder for those still open a day later, one for those resolved. Silent problems (about the
// admins' own mail) and everything when mail is off are left to the log, `lingpao problems` and
// /healthz.
func (s *Service) alarmNotices(ch lingpao.AlarmChanges) []lingpao.Delivery {
	if !s.W.Config.Mail.Enabled() || len(s.W.Config.Mail.Recipients.Admins) == 0 {
		return nil
	}
	audible := func(as []lingpao.Alarm) []lingpao.Alarm {
		var out []lingpao.Alarm
		for _, a := range as {
			if !a.Silent {
				out = append(out, a)
			}
		}
		return out
	}
	now := s.W.now()
	var out []lingpao.Delivery
	add := func(kind, head, lead string, as []lingpao.Alarm, open bool) {
		as = audible(as)
		if len(as) == 0 {
			return
		}
		subject := fmt.Sprintf("【lingpao %s】%s", head, as[0].Title)
		if len(as) > 1 {
			subject = fmt.Sprintf("【lingpao %s】%d 个问题：%s 等", head, len(as), as[0].Title)
		}
		var b strings.Builder
		b.WriteString(lead + "\n")
		for _, a := range as {
			fmt.Fprintf(&b, "\n问题 %d：%s\n", a.ID, a.Title)
			if a.Detail != "" {
				fmt.Fprintf(&b, "  情况：%s\n", a.Detail)
			}
			if open {
				fmt.Fprintf(&b, "  处理：%s\n", a.Action)
				fmt.Fprintf(&b, "  发现于 %s\n", fmtCN(a.Opened))
			} else {
				fmt.Fprintf(&b, "  发现于 %s，解决于 %s\n", fmtCN(a.Opened), fmtCN(a.Resolved))
			}
		}
		if open {
			b.WriteString("\n全部未解决的问题：lingpao problems list；已知晓、暂不处理的问题可确认（不再提醒）：lingpao problems ack 编号。\n")
		}
		fmt.Fprintf(&b, "\n工作目录：%s\n（本邮件由 lingpao 自动发送。）", s.W.Config.Dir)
		key := fmt.Sprintf("alarm/%s/%d/%d", kind, as[0].ID, now.UnixNano())
		out = append(out, s.toRoles([]string{lingpao.RoleAdmins}, key, subject, b.String(), nil)...)
	}
	add("opened", "需要处理", "lingpao 发现以下问题，需要处理：", ch.Opened, true)
	add("reminded", "仍未解决", "以下问题已超过一天仍未解决（每天最多提醒一次）：", ch.Reminded, true)
	add("resolved", "已解决", "以下问题已经解决：", ch.Resolved, false)
	return out
}

// Health is the state an operator or a monitor checks. OK is false while any problem is unresolved
// and unacknowledged, whatever its age.
type Health struct {
	OK bool `json:"ok"`
	// Problems lists the unresolved, unacknowledged problems, oldest first, each with a Chinese title,
	// what happened and what to do. Those found now (a full disk, runs missed while the service was
	// down) have no ID; the others can be acknowledged by their ID (lingpao problems ack ID).
	Problems []lingpao.Alarm `json:"problems"`
	// Acknowledged lists the problems an operator has acknowledged and that are not resolved yet.
	Acknowledged []lingpao.Alarm `json:"acknowledged"`
}

// Health reports every unresolved problem: the open alarms (failed and skipped reports, failing
// jobs, stuck inbox files, refused mail …), scheduled times missed while the service was down, and a
// disk that refuses writes — found by writing a small file into the workspace, or met by a job.
func (s *Service) Health(ctx context.Context) (Health, error) {
	h := Health{OK: true, Problems: []lingpao.Alarm{}, Acknowledged: []lingpao.Alarm{}}
	now := s.W.now()
	live := func(p lingpao.Problem, since time.Time) {
		h.Problems = append(h.Problems, lingpao.Alarm{Problem: p, Scope: "live", Opened: since, Seen: now})
	}
	if err := lingpao.ProbeWrite(s.W.Config.Dir); err != nil {
		if de, ok := lingpao.AsDiskError(err); ok {
			live(diskProblem(de, s.W.Config.Dir), now)
		} else {
			live(lingpao.Problem{Key: "disk/probe", Title: "无法在工作目录中写文件", Detail: err.Error(),
				Action: fmt.Sprintf("请检查工作目录 %s 的权限和所在磁盘。", s.W.Config.Dir)}, now)
		}
	} else if de := s.alarms.diskFault(); de != nil {
		// A fault met elsewhere (the outbox may be another disk): still there while a file cannot be
		// written beside the one that failed.
		if perr := lingpao.ProbeWrite(probeDir(de.Path, s.W.Config.Dir)); perr == nil {
			s.alarms.clearDisk(de)
		} else {
			live(diskProblem(de, s.W.Config.Dir), s.alarms.diskAtTime())
		}
	}
	open, err := s.W.Store.FindAlarms(ctx, sqlite.AlarmFilter{Open: true})
	if err != nil {
		err = lingpao.ExplainDisk(err, s.W.Config.Dir)
		live(lingpao.Problem{Key: "store", Title: "数据库无法读取", Detail: lingpao.ErrorMessage(err),
			Action: "请查看 lingpao serve 的日志；磁盘已满时先清理磁盘。"}, now)
	}
	for _, a := range open {
		if a.Acked.IsZero() {
			h.Problems = append(h.Problems, a)
		} else {
			h.Acknowledged = append(h.Acknowledged, a)
		}
	}
	for _, ps := range s.alarms.unrecordedProblems() {
		live(ps, now)
	}
	if err == nil {
		st, err := s.Scheduler.Status(ctx)
		if err != nil {
			// The store answers no more: that is the problem (a monitor gets 503 and a reason).
			err = lingpao.ExplainDisk(err, s.W.Config.Dir)
			live(lingpao.Problem{Key: "store", Title: "数据库无法读取", Detail: lingpao.ErrorMessage(err),
				Action: "请查看 lingpao serve 的日志；磁盘已满时先清理磁盘。"}, now)
		}
		for _, x := range st {
			if x.Missed > 0 {
				live(lingpao.Problem{Key: "missed/" + x.Job.Name, Title: fmt.Sprintf("任务 %s（%s）有 %d 次计划运行未执行", x.Job.Title, x.Job.Name, x.Missed),
					Detail: "lingpao serve 没有在运行，或刚启动、尚未补跑。",
					Action: fmt.Sprintf("确认 lingpao serve 在运行；启动后会按补跑策略「%s」处理。", x.Job.Config.CatchUp)}, now)
			}
		}
	}
	sort.SliceStable(h.Problems, func(i, j int) bool { return h.Problems[i].Opened.Before(h.Problems[j].Opened) })
	h.OK = len(h.Problems) == 0
	return h, nil
}

func (a *alarms) diskFault() *lingpao.DiskError {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.disk
}

// clearDisk forgets the disk fault de (unless another has been met since).
func (a *alarms) clearDisk(de *lingpao.DiskError) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.disk == de {
		a.disk = nil
	}
}

// probeDir is where to probe the disk of path: path's folder, or the nearest folder above it that
// exists (the workspace when path is unknown).
func probeDir(path, workspace string) string {
	dir := workspace
	if path != "" {
		dir = filepath.Dir(path)
		for {
			if st, err := os.Stat(dir); err == nil && st.IsDir() {
				break
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				dir = workspace
				break
			}
			dir = parent
		}
	}
	return dir
}

func (a *alarms) diskAtTime() time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.diskAt
}

func (a *alarms) unrecordedProblems() []lingpao.Problem {
	a.mu.Lock()
	defer a.mu.Unlock()
	var scopes []string
	for k := range a.unrecorded {
		scopes = append(scopes, k)
	}
	sort.Strings(scopes)
	var out []lingpao.Problem
	for _, k := range scopes {
		out = append(out, a.unrecorded[k]...)
	}
	return out
}

// diskProblem is a full or read-only disk as a problem.
func diskProblem(de *lingpao.DiskError, dir string) lingpao.Problem {
	title := "磁盘已满"
	if de.ReadOnly {
		title = "磁盘为只读"
	}
	msg := de.Message(dir)
	action := "清理磁盘或扩容后，lingpao 会自动继续；无需重启。"
	if de.ReadOnly {
		action = "恢复磁盘的写权限后，lingpao 会自动继续；无需重启。"
	}
	return lingpao.Problem{Key: "disk", Title: title + "：lingpao 无法保存数据和报告", Detail: msg, Action: action}
}

// AckRun acknowledges the failure (or the skip) of run id: no more reminders, and /healthz no longer
// reports it; it stays listed until the run is run again successfully.
func (s *Service) AckRun(ctx context.Context, id int64, by, note string) (lingpao.Alarm, error) {
	run, err := s.W.Store.FindJobRun(ctx, id)
	if err != nil {
		return lingpao.Alarm{}, err
	}
	j, ok := s.Scheduler.Job(run.Job)
	if !ok {
		return lingpao.Alarm{}, lingpao.Errorf(lingpao.ENOTFOUND, "运行记录 %d 的任务「%s」不在配置中。", id, run.Job)
	}
	as, err := s.W.Store.FindAlarms(ctx, sqlite.AlarmFilter{Open: true, Scope: scheduler.FailureScope(j, run)})
	if err != nil {
		return lingpao.Alarm{}, err
	}
	if len(as) == 0 {
		return lingpao.Alarm{}, lingpao.Errorf(lingpao.ENOTFOUND, "运行记录 %d（%s，计划 %s，%s）没有未解决的问题，无需确认。", id, run.Job, fmtCN(run.Scheduled), run.Outcome.Label())
	}
	return s.W.Store.AckAlarm(ctx, as[0].ID, by, note, s.W.now())
}
