package lingpao

import "fmt"

// ValidationConfig adjusts the validation rules of seeds/rules.yaml for one workspace
// (lingpao.yaml, validation:), without editing the rules themselves.
type ValidationConfig struct {
	// StockJumpPercent, when above 0, replaces the threshold of every stock_jump rule: a stock that
	// changes by more than this percentage from the previous month is flagged.
	StockJumpPercent float64 `yaml:"stock_jump_percent,omitempty"`
	// Disable lists rule codes that are switched off.
	Disable []string `yaml:"disable,omitempty"`
	// Severity overrides the severity of rules by code: error (rejects the file) or warning.
	Severity map[string]Severity `yaml:"severity,omitempty"`
	// MaxUnzipMB bounds the uncompressed size of a return; beyond it the file is refused as a
	// suspected zip bomb.
	MaxUnzipMB int `yaml:"max_unzip_mb"`
}

// DefaultValidationConfig returns the validation settings of a new workspace: the rules as shipped
// and a 256 MB unzip limit (a 20,000-enterprise roster is about 10 MB).
func DefaultValidationConfig() ValidationConfig { return ValidationConfig{MaxUnzipMB: 256} }

// problems returns what is wrong with the settings, in Chinese.
func (v ValidationConfig) problems() []string {
	var probs []string
	if v.StockJumpPercent < 0 {
		probs = append(probs, fmt.Sprintf("validation.stock_jump_percent 不能为负，现为 %g", v.StockJumpPercent))
	}
	for code, s := range v.Severity {
		if s != SevError && s != SevWarning {
			probs = append(probs, fmt.Sprintf("validation.severity.%s 应为 error 或 warning，现为「%s」", code, s))
		}
	}
	if v.MaxUnzipMB < 1 {
		probs = append(probs, "validation.max_unzip_mb 应至少为 1")
	}
	return probs
}
