package main

import (
	"fmt"
	"os"

	"lingpao"
	"lingpao/bench/floor"
	"lingpao/seeds"
	"lingpao/templates"
)

// readPass reads files with lingpao's own reader (templates.Read: every cell of the two data sheets
// decoded, checked against the template and turned into values, enterprises and findings) on the
// given number of workers, with the catalog and template key of the workspace dir — what ingest does
// before it validates against the store and stores. It fails unless every file reads cleanly.
func readPass(dir string, files []string, workers int) error {
	cfg, err := lingpao.ReadConfig(dir)
	if err != nil {
		return err
	}
	cat, err := seeds.LoadWorkspace(dir)
	if err != nil {
		return err
	}
	return floor.Each(files, workers, func(path string) error { return readFile(path, cat, cfg.Secret) })
}

func readFile(path string, cat *lingpao.Catalog, secret string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	ret, fs, err := templates.Read(b, path, cat, secret, templates.DefaultLimits())
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if ret == nil || lingpao.HasErrors(fs) {
		return fmt.Errorf("%s: not read cleanly: %v", path, fs)
	}
	return nil
}
