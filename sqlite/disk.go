package sqlite

import (
	"errors"
	"path/filepath"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"lingpao"
)

// diskFault turns SQLite's refusal to write — SQLITE_FULL ("database or disk is full", also for a
// quota), SQLITE_READONLY, or an I/O error carrying ENOSPC or EROFS — into a *lingpao.DiskError naming
// the database file, so that every caller can tell a full disk from a fault of ours by its code.
// Other errors are returned as they are.
func (d *DB) diskFault(err error) error {
	if err == nil {
		return nil
	}
	var known *lingpao.DiskError
	if errors.As(err, &known) {
		return err
	}
	if de, ok := lingpao.AsDiskError(err); ok { // ENOSPC or EROFS from the operating system
		if de.Path == "" {
			de.Path = d.path
		}
		return de
	}
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3lib.SQLITE_FULL:
		return &lingpao.DiskError{Path: d.path, Err: err}
	case sqlite3lib.SQLITE_READONLY:
		return &lingpao.DiskError{Path: d.path, ReadOnly: true, Err: err}
	case sqlite3lib.SQLITE_IOERR, sqlite3lib.SQLITE_CANTOPEN:
		// "disk I/O error" says nothing of why (growing the WAL index on a full disk gives
		// SQLITE_IOERR_SHMSIZE): ask the disk itself, by writing beside the database.
		var de *lingpao.DiskError
		if errors.As(lingpao.ProbeWrite(filepath.Dir(d.path)), &de) {
			return &lingpao.DiskError{Path: d.path, ReadOnly: de.ReadOnly, Err: err}
		}
	}
	return err
}
