package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"lingpao"
)

// CreateUser stores a new account with its password hash and sets u.ID and u.CreatedAt. A name that
// exists already is an ECONFLICT.
func (d *DB) CreateUser(ctx context.Context, u *lingpao.User, passwordHash string) (err error) {
	defer lingpao.Wrap(&err, "sqlite.CreateUser(%s)", u.Name)
	return d.tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE name = ?`, u.Name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return lingpao.Errorf(lingpao.ECONFLICT, "用户「%s」已存在：请换一个用户名，或用 lingpao user passwd 重设其密码。", u.Name)
		}
		u.CreatedAt = d.Now().In(lingpao.Beijing)
		at := formatTime(u.CreatedAt)
		res, err := tx.ExecContext(ctx, `INSERT INTO users (name, role, password_hash, created_at, password_changed_at, disabled, must_change_password)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, u.Name, string(u.Role), passwordHash, at, at, boolInt(u.Disabled), boolInt(u.MustChangePassword))
		if err != nil {
			return err
		}
		u.ID, err = res.LastInsertId()
		return err
	})
}

const userColumns = `id, name, role, created_at, disabled, must_change_password`

func scanUser(sc interface{ Scan(...any) error }, extra ...any) (lingpao.User, error) {
	var u lingpao.User
	var role, created string
	var disabled, must int
	if err := sc.Scan(append([]any{&u.ID, &u.Name, &role, &created, &disabled, &must}, extra...)...); err != nil {
		return u, err
	}
	u.Role, u.CreatedAt, u.Disabled, u.MustChangePassword = lingpao.Role(role), parseTime(created), disabled != 0, must != 0
	return u, nil
}

// FindUserByName returns the account called name and its password hash, or ENOTFOUND.
func (d *DB) FindUserByName(ctx context.Context, name string) (_ lingpao.User, passwordHash string, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindUserByName(%s)", name)
	u, err := scanUser(d.db.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE name = ?`, name), &passwordHash)
	if errors.Is(err, sql.ErrNoRows) {
		return u, "", lingpao.Errorf(lingpao.ENOTFOUND, "用户「%s」不存在。", name)
	}
	return u, passwordHash, err
}

// FindUser returns the account with the given id and its password hash, or ENOTFOUND.
func (d *DB) FindUser(ctx context.Context, id int64) (_ lingpao.User, passwordHash string, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindUser(%d)", id)
	u, err := scanUser(d.db.QueryRowContext(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE id = ?`, id), &passwordHash)
	if errors.Is(err, sql.ErrNoRows) {
		return u, "", lingpao.Errorf(lingpao.ENOTFOUND, "用户 %d 不存在。", id)
	}
	return u, passwordHash, err
}

// Users returns every account, by name.
func (d *DB) Users(ctx context.Context) (_ []lingpao.User, err error) {
	defer lingpao.Wrap(&err, "sqlite.Users")
	rows, err := d.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetPassword replaces the password hash of user id and ends all of the user's sessions except the
// one whose token hash is keep ("" ends them all), so that a changed password locks out whoever knew
// the old one. oneTime marks a password someone else chose (a reset): the owner must change it at
// the next login.
func (d *DB) SetPassword(ctx context.Context, id int64, passwordHash, keep string, oneTime bool) (err error) {
	defer lingpao.Wrap(&err, "sqlite.SetPassword(%d)", id)
	return d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, password_changed_at = ?, must_change_password = ? WHERE id = ?`,
			passwordHash, formatTime(d.Now()), boolInt(oneTime), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return lingpao.Errorf(lingpao.ENOTFOUND, "用户 %d 不存在。", id)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, id, keep)
		return err
	})
}

// SetUserDisabled disables or re-enables an account; disabling ends its sessions. Disabling the last
// enabled admin is ECONFLICT: nobody could manage the accounts any more.
func (d *DB) SetUserDisabled(ctx context.Context, id int64, disabled bool) (err error) {
	defer lingpao.Wrap(&err, "sqlite.SetUserDisabled(%d)", id)
	return d.tx(ctx, func(tx *sql.Tx) error {
		if disabled {
			if err := keepAnAdmin(ctx, tx, id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET disabled = ? WHERE id = ?`, boolInt(disabled), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return lingpao.Errorf(lingpao.ENOTFOUND, "用户 %d 不存在。", id)
		}
		if disabled {
			_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id)
		}
		return err
	})
}

// SetUserRole changes the role of user id; its sessions carry on with the new role from their next
// request. Taking the admin role from the last enabled admin is ECONFLICT.
func (d *DB) SetUserRole(ctx context.Context, id int64, role lingpao.Role) (err error) {
	defer lingpao.Wrap(&err, "sqlite.SetUserRole(%d, %s)", id, role)
	return d.tx(ctx, func(tx *sql.Tx) error {
		if role != lingpao.UserAdmin {
			if err := keepAnAdmin(ctx, tx, id); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, string(role), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return lingpao.Errorf(lingpao.ENOTFOUND, "用户 %d 不存在。", id)
		}
		return nil
	})
}

// keepAnAdmin refuses to take user id out of the enabled admins when no other admin is enabled.
func keepAnAdmin(ctx context.Context, tx *sql.Tx, id int64) error {
	var self, others int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE id = ?), COUNT(*) FILTER (WHERE id <> ?) FROM users
		WHERE role = 'admin' AND disabled = 0`, id, id).Scan(&self, &others); err != nil {
		return err
	}
	if self > 0 && others == 0 {
		return lingpao.Errorf(lingpao.ECONFLICT, "这是最后一个可用的管理员账号，不能停用或改为其他角色：请先指定另一位管理员。")
	}
	return nil
}

// Session is a logged-in browser: known by the SHA-256 of its cookie value, with its anti-forgery
// token and expiry.
type Session struct {
	TokenHash string
	User      lingpao.User
	CSRF      string
	CreatedAt time.Time
	SeenAt    time.Time
	ExpiresAt time.Time
	Remote    string
}

// CreateSession stores a new session.
func (d *DB) CreateSession(ctx context.Context, s Session) (err error) {
	defer lingpao.Wrap(&err, "sqlite.CreateSession(user %d)", s.User.ID)
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, seen_at, expires_at, remote) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			s.TokenHash, s.User.ID, s.CSRF, formatTime(s.CreatedAt), formatTime(s.SeenAt), formatTime(s.ExpiresAt), s.Remote)
		return err
	})
}

// FindSession returns the session with the given token hash and its user, or ENOTFOUND when there is
// none, it has expired at now, or its user is disabled.
func (d *DB) FindSession(ctx context.Context, tokenHash string, now time.Time) (_ Session, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindSession")
	s := Session{TokenHash: tokenHash}
	var created, seen, expires string
	row := d.db.QueryRowContext(ctx, `SELECT u.id, u.name, u.role, u.created_at, u.disabled, u.must_change_password, s.csrf, s.created_at, s.seen_at, s.expires_at, s.remote
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash)
	s.User, err = scanUser(row, &s.CSRF, &created, &seen, &expires, &s.Remote)
	if errors.Is(err, sql.ErrNoRows) {
		return s, lingpao.Errorf(lingpao.ENOTFOUND, "登录已失效，请重新登录。")
	} else if err != nil {
		return s, err
	}
	s.CreatedAt, s.SeenAt, s.ExpiresAt = parseTime(created), parseTime(seen), parseTime(expires)
	if !now.Before(s.ExpiresAt) || s.User.Disabled {
		return s, lingpao.Errorf(lingpao.ENOTFOUND, "登录已失效，请重新登录。")
	}
	return s, nil
}

// TouchSession records activity on a session and moves its expiry.
func (d *DB) TouchSession(ctx context.Context, tokenHash string, seen, expires time.Time) (err error) {
	defer lingpao.Wrap(&err, "sqlite.TouchSession")
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET seen_at = ?, expires_at = ? WHERE token_hash = ?`, formatTime(seen), formatTime(expires), tokenHash)
		return err
	})
}

// DeleteSession ends a session (logout).
func (d *DB) DeleteSession(ctx context.Context, tokenHash string) (err error) {
	defer lingpao.Wrap(&err, "sqlite.DeleteSession")
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
		return err
	})
}

// DeleteExpiredSessions removes the sessions expired at now and returns how many.
func (d *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (n int64, err error) {
	defer lingpao.Wrap(&err, "sqlite.DeleteExpiredSessions")
	err = d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(now))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// splitList splits a comma-separated column; "" is no items.
func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}
