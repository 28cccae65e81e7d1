package lingpao

import "time"

// Severity is how bad a finding is: an error rejects the file, a warning is accepted and listed.
type Severity string

// The severities.
const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
)

// Label returns 错误 or 警告.
func (s Severity) Label() string {
	if s == SevError {
		return "错误"
	}
	return "警告"
}

// Finding is one problem found in a submission, with the cell it is about (PRODUCT §6.3).
type Finding struct {
	Severity Severity `json:"severity"`
	Rule     string   `json:"rule"`
	Sheet    string   `json:"sheet,omitempty"`
	Cell     string   `json:"cell,omitempty"`
	Value    string   `json:"value,omitempty"`
	// Message is plain Chinese: what is wrong and what to do.
	Message string `json:"message"`
}

// HasErrors reports whether any finding is an error.
func HasErrors(fs []Finding) bool {
	for _, f := range fs {
		if f.Severity == SevError {
			return true
		}
	}
	return false
}

// SubmissionStatus is the outcome of ingesting one file.
type SubmissionStatus string

// The submission states.
const (
	SubAccepted SubmissionStatus = "accepted"
	SubRejected SubmissionStatus = "rejected"
)

// Label returns 已受理 or 已退回.
func (s SubmissionStatus) Label() string {
	if s == SubAccepted {
		return "已受理"
	}
	return "已退回"
}

// Submission is one file from one county for one period (报送). Org and Period are empty when the
// file could not be identified.
type Submission struct {
	ID         int64            `json:"id"`
	SHA256     string           `json:"sha256"`
	Org        string           `json:"org"`
	Period     Period           `json:"-"`
	FileName   string           `json:"file_name"`
	Folder     string           `json:"folder,omitempty"`
	Size       int64            `json:"size"`
	ReceivedAt time.Time        `json:"received_at"`
	Status     SubmissionStatus `json:"status"`
	// Version numbers the accepted submissions of one county and period: 1, 2, …
	Version int `json:"version,omitempty"`
	// SupersededBy is the id of the later accepted submission that replaced this one.
	SupersededBy int64     `json:"superseded_by,omitempty"`
	Reason       string    `json:"reason,omitempty"`
	Findings     []Finding `json:"findings,omitempty"`
	// Contact and Phone are the county's filler as written in the return.
	Contact string `json:"contact,omitempty"`
	Phone   string `json:"phone,omitempty"`
}

// Value is one reported or derived number with its lineage: the submission and cell it came from.
type Value struct {
	Submission int64   `json:"submission"`
	Org        string  `json:"org"`
	Cluster    string  `json:"cluster,omitempty"`
	Indicator  string  `json:"indicator"`
	Period     Period  `json:"-"`
	V          float64 `json:"value"`
	Sheet      string  `json:"sheet,omitempty"`
	Cell       string  `json:"cell,omitempty"`
}

// Enterprise is a row of the 企业名录 sheet.
type Enterprise struct {
	Name    string   `json:"name"`
	USCC    string   `json:"uscc"`
	Cluster string   `json:"cluster"`
	Tags    []string `json:"tags,omitempty"`
	// Revenue and RnD are year-to-date, 万元; nil when not reported.
	Revenue *float64 `json:"revenue,omitempty"`
	RnD     *float64 `json:"rnd,omitempty"`
	Remark  string   `json:"remark,omitempty"`
	Row     int      `json:"row"`
}

// HasTag reports whether the enterprise carries tag.
func (e Enterprise) HasTag(tag string) bool {
	for _, t := range e.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// Issue is a row of the 问题台账 sheet: a problem a county raises (征集→交办→办理→办结销号).
type Issue struct {
	Description string `json:"description"`
	Category    string `json:"category,omitempty"`
	Enterprise  string `json:"enterprise,omitempty"`
	Department  string `json:"department,omitempty"`
	Status      string `json:"status,omitempty"`
	Raised      string `json:"raised,omitempty"`
	Closed      string `json:"closed,omitempty"`
	Row         int    `json:"row"`
}

// Enterprise tags of the roster (企业名录).
const (
	TagLeader      = "领跑者"
	TagSRDI        = "专精特新"
	TagLittleGiant = "小巨人"
	TagListingPool = "上市后备"
	TagHighTech    = "高新技术"
)

// EnterpriseTags lists the roster tags in column order.
var EnterpriseTags = []string{TagLeader, TagSRDI, TagLittleGiant, TagListingPool, TagHighTech}

// IssueStatuses lists the issue-ledger states in order (问题征集、分解交办、对接服务、办结销号).
var IssueStatuses = []string{"征集", "交办", "办理中", "办结销号"}
