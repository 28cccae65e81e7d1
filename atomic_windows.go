//go:build windows

package lingpao

func isEINVAL(err error) bool { return true }
