package lingpao

import "strings"

// usccChars is the alphabet of the unified social credit code (GB 32100-2015): digits and capital
// letters except I, O, S, V and Z; a character's value is its index.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCCCheck returns the check character the first 17 characters of a unified social credit code call
// for, and false if they contain a character outside the code's alphabet.
func USCCCheck(first17 string) (byte, bool) {
	if len(first17) != 17 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, first17[i])
		if v < 0 {
			return 0, false
		}
		sum += v * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31], true
}

// ValidUSCC reports whether code is an 18-character unified social credit code whose check character
// is right. The reason says what is wrong, in Chinese.
func ValidUSCC(code string) (ok bool, reason string) {
	if len(code) != 18 {
		return false, "统一社会信用代码应为18位"
	}
	want, ok := USCCCheck(code[:17])
	if !ok {
		return false, "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）"
	}
	if code[17] != want {
		return false, "统一社会信用代码校验位不正确，可能有错字"
	}
	return true, ""
}
