package lingpao

import "time"

// RunOutcome is where one run of a job stands in the run ledger.
type RunOutcome string

// The run outcomes.
const (
	RunRunning RunOutcome = "running" // started and not finished (or its process died: see Owner)
	RunOK      RunOutcome = "ok"      // finished
	RunRetry   RunOutcome = "retry"   // failed; tried again at NextAttempt
	RunFailed  RunOutcome = "failed"  // failed on its last attempt; the admins were told
	RunSkipped RunOutcome = "skipped" // missed while the service was down and not caught up (policy)
)

// Label returns the Chinese name of the outcome.
func (o RunOutcome) Label() string {
	switch o {
	case RunRunning:
		return "运行中"
	case RunOK:
		return "成功"
	case RunRetry:
		return "失败，待重试"
	case RunFailed:
		return "失败"
	case RunSkipped:
		return "已跳过"
	}
	return string(o)
}

// How a run came about.
const (
	TriggerSchedule = "schedule" // on time, by the scheduler
	TriggerCatchUp  = "catchup"  // missed while the service was down, caught up on start
	TriggerManual   = "manual"   // `lingpao jobs run` or the web page
)

// JobRun is one run of a job in the run ledger. (Job, Scheduled) is unique: a job runs at most once
// for each scheduled time, however many processes try.
type JobRun struct {
	ID  int64  `json:"id"`
	Job string `json:"job"`
	// Scheduled is the nominal time from the cron spec (or the --now of a manual run); Due is when it
	// was to run after any move off a holiday.
	Scheduled time.Time  `json:"scheduled"`
	Due       time.Time  `json:"due"`
	Trigger   string     `json:"trigger"`
	Started   time.Time  `json:"started"`
	Ended     time.Time  `json:"ended"`
	Outcome   RunOutcome `json:"outcome"`
	// Attempts counts the starts, retries and re-runs after an interrupted process included.
	Attempts    int       `json:"attempts"`
	NextAttempt time.Time `json:"next_attempt"`
	// Owner identifies the process running it, so that a run left "running" by a process that died
	// is recognised and run again.
	Owner   string   `json:"owner"`
	Summary string   `json:"summary"`
	Outputs []string `json:"outputs"`
	Error   string   `json:"error"`
}

// DeliveryStatus is where one e-mail to one recipient stands.
type DeliveryStatus string

// The delivery states. A delivery stays pending — retried with backoff — until it is sent, unless
// the server refuses it permanently (a 5xx reply: no such mailbox …) or an operator cancels it; such
// a delivery is kept, listed, and sent again only on request (lingpao deliveries retry).
const (
	DeliveryPending   DeliveryStatus = "pending"
	DeliverySent      DeliveryStatus = "sent"
	DeliveryRefused   DeliveryStatus = "refused"
	DeliveryCancelled DeliveryStatus = "cancelled"
)

// Label returns the Chinese name of the status.
func (s DeliveryStatus) Label() string {
	switch s {
	case DeliveryPending:
		return "待发送"
	case DeliverySent:
		return "已发送"
	case DeliveryRefused:
		return "被拒收"
	case DeliveryCancelled:
		return "已取消"
	}
	return string(s)
}

// Delivery is one e-mail to one recipient, queued in the store and sent by the deliver job. Key makes
// queueing idempotent: a job that runs again queues nothing twice.
type Delivery struct {
	ID    int64  `json:"id"`
	Key   string `json:"key"`
	RunID int64  `json:"run_id,omitempty"`
	// Role is admins, leaders, staff or county; Org the county's code for county mail.
	Role    string `json:"role"`
	Org     string `json:"org,omitempty"`
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// Attachments are paths relative to the workspace (outbox/…, receipts/…).
	Attachments []string       `json:"attachments"`
	Status      DeliveryStatus `json:"status"`
	Attempts    int            `json:"attempts"`
	NextAttempt time.Time      `json:"next_attempt"`
	LastError   string         `json:"last_error,omitempty"`
	Created     time.Time      `json:"created"`
	Sent        time.Time      `json:"sent"`
	// Stopped is when it was refused or cancelled.
	Stopped time.Time `json:"stopped,omitzero"`
	// Notified is set once the admins have been told that this delivery keeps failing.
	Notified bool `json:"notified,omitempty"`
}
