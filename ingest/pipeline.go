package ingest

import (
	"context"
	"runtime"
	"sync"
)

// pass processes the stable files of a poll in three stages:
//
//  1. prepare — read, archive, parse — on one worker per CPU, at most window files ahead;
//  2. commit — validation against the store and the transaction that stores the submission — one
//     file at a time in inbox order, so that a pass gives the same versions, duplicates and
//     cross-county findings as processing the files one by one;
//  3. finish — receipts, then removal from the inbox — on one worker per CPU.
//
// Each file still goes archive → commit → receipts → removal, every step durable before the next, so
// the crash guarantees of process hold file by file. Memory is bounded by the window and the workers,
// whatever the number of files. The first fault of ours stops the pass: files not finished stay in
// the inbox for the next one. Results come back in inbox order, for the files finished.
func (in *Ingester) pass(ctx context.Context, files []candidate) ([]Result, error) {
	if len(files) == 0 {
		return nil, ctx.Err()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, min(runtime.NumCPU(), len(files)))
	window := 2 * workers

	var (
		mu    sync.Mutex
		first error
	)
	finished := 0 // files done, for Progress
	fail := func(err error) {
		mu.Lock()
		if first == nil {
			first = err
		}
		mu.Unlock()
		cancel()
	}

	// Stage 1: indices go out through jobs, at most window ahead of the commits; each prepared file
	// comes back on its own channel.
	type outcome struct {
		p   prepared
		err error
	}
	ready := make([]chan outcome, len(files))
	for i := range ready {
		ready[i] = make(chan outcome, 1)
	}
	jobs := make(chan int)
	slots := make(chan struct{}, window)
	var prep sync.WaitGroup
	for range workers {
		prep.Add(1)
		go func() {
			defer prep.Done()
			for i := range jobs {
				p, err := in.prepare(files[i])
				ready[i] <- outcome{p, err}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range files {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()

	// Stage 3: receipts and removal.
	type done struct {
		i    int
		res  Result
		path string
	}
	finishing := make(chan done)
	results := make([]*Result, len(files))
	var fin sync.WaitGroup
	for range workers {
		fin.Add(1)
		go func() {
			defer fin.Done()
			for d := range finishing {
				if err := in.finish(ctx, d.res, d.path); err != nil {
					fail(err)
					continue
				}
				mu.Lock()
				results[d.i] = &d.res
				mu.Unlock()
				in.progress(&finished, len(files))
			}
		}()
	}

	// Stage 2, here: commits in inbox order.
	for i := range files {
		var o outcome
		select {
		case o = <-ready[i]:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		<-slots
		if o.err != nil {
			fail(o.err)
			break
		}
		res, fresh, err := in.commit(ctx, o.p)
		if err != nil {
			fail(err)
			break
		}
		if !fresh {
			results[i] = &res
			in.progress(&finished, len(files))
			continue
		}
		finishing <- done{i, res, o.p.inboxPath}
	}
	close(finishing)
	fin.Wait()
	cancel()
	prep.Wait()

	var out []Result
	for _, r := range results {
		if r != nil {
			out = append(out, *r)
		}
	}
	if first != nil {
		return out, first
	}
	return out, nil
}
