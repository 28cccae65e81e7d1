package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows how far long work has got, on stderr: a progress bar when stderr is a terminal,
// otherwise (logs, pipes, tests) a plain line at every tenth of the work and at its end. Its methods
// may be called from several goroutines.
type progress struct {
	mu    sync.Mutex
	what  string
	total int
	done  int
	bar   *progressbar.ProgressBar
	w     io.Writer
	tenth int
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress starts showing the progress of what, total steps.
func (e *env) progress(what string, total int) *progress {
	p := &progress{what: what, total: total, w: e.stderr}
	if e.tty && total > 0 {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionSetDescription(what),
			progressbar.OptionShowCount(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetRenderBlankState(true),
			progressbar.OptionOnCompletion(func() { fmt.Fprintln(e.stderr) }),
		)
	}
	return p
}

// set records that done of the steps are done.
func (p *progress) set(done int) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setLocked(done)
}

func (p *progress) setLocked(done int) {
	if done <= p.done || p.total <= 0 {
		return
	}
	p.done = min(done, p.total)
	if p.bar != nil {
		p.bar.Set(p.done)
		return
	}
	if t := p.done * 10 / p.total; t > p.tenth || p.done == p.total {
		p.tenth = t
		fmt.Fprintf(p.w, "%s：%d/%d\n", p.what, p.done, p.total)
	}
}

// step records one more step done.
func (p *progress) step() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.setLocked(p.done + 1)
}

// stop ends the display, leaving the bar where it got to when the work stopped early.
func (p *progress) stop() {
	if p == nil || p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done < p.total {
		p.bar.Exit()
		fmt.Fprintln(p.w)
	}
}

// stages returns a progress callback for work in named stages (the demo: simulating, ingesting,
// reporting): each new stage starts a new display.
func (e *env) stages() func(what string, done, total int) {
	var mu sync.Mutex
	var cur *progress
	return func(what string, done, total int) {
		mu.Lock()
		if cur == nil || cur.what != what || cur.total != total {
			cur.stop()
			cur = e.progress(what, total)
		}
		p := cur
		mu.Unlock()
		p.set(done)
	}
}
