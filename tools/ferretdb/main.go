// Command ferretdb runs an embedded FerretDB v1 (SQLite backend) on a TCP
// address, for local development and tests of @fluxkit/messaging.
//
// It exists because `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`
// produces a binary that panics at start (build/version/version.txt is not in
// the module zip). The embeddable package does not need that file.
//
// Usage:
//
//	ferretdb --listen-addr=127.0.0.1:27017 --sqlite-url=file:/abs/data/dir/ [--state-dir=DIR]
//	         [--log-level=info] [--parent-pid=PID]
//
// With --parent-pid the server shuts down by itself once that process is gone
// (used by the Jest global setup so a killed test run leaves nothing behind).
//
// Built and started by scripts/local-services.cjs; not meant for production.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listenAddr := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "", "SQLite data directory URI, e.g. file:/abs/dir/ (trailing slash required)")
	stateDir := flag.String("state-dir", "", "state directory (created if missing; the embedded server keeps its state in memory)")
	logLevel := flag.String("log-level", "info", "log level: debug, info, warn, error")
	parentPID := flag.Int("parent-pid", 0, "exit when the process with this pid is gone (0 = never)")
	handler := flag.String("handler", "sqlite", "backend handler (only sqlite is supported here)")
	telemetry := flag.String("telemetry", "disable", "accepted for CLI compatibility; telemetry is always disabled")
	debugAddr := flag.String("debug-addr", "-", "accepted for CLI compatibility; the debug handler is never started")
	flag.Parse()
	_, _ = telemetry, debugAddr

	if err := run(*listenAddr, *sqliteURL, *stateDir, *logLevel, *handler, *parentPID); err != nil {
		fmt.Fprintln(os.Stderr, "ferretdb:", err)
		os.Exit(1)
	}
}

func run(listenAddr, sqliteURL, stateDir, logLevel, handler string, parentPID int) error {
	if handler != "sqlite" {
		return fmt.Errorf("unsupported --handler=%q (only sqlite)", handler)
	}
	if sqliteURL == "" {
		return fmt.Errorf("--sqlite-url is required (e.g. file:/abs/dir/)")
	}

	dir, err := sqliteDir(sqliteURL)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create sqlite dir: %w", err)
	}
	if stateDir != "" {
		if err := os.MkdirAll(stateDir, 0o755); err != nil {
			return fmt.Errorf("create state dir: %w", err)
		}
	}

	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		return fmt.Errorf("bad --log-level: %w", err)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: listenAddr},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: sqliteURL,
	})
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if parentPID > 0 {
		go watchParent(ctx, parentPID, logger, stop)
	}

	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	// MongoDBURI blocks until the listener is up, so this line means "ready".
	logger.Info("FerretDB ready", "uri", f.MongoDBURI(), "sqlite", sqliteURL, "pid", os.Getpid())

	err = <-done
	logger.Info("FerretDB stopped")
	return err
}

// sqliteDir validates a file: URI naming a directory and returns its path.
func sqliteDir(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("bad --sqlite-url: %w", err)
	}
	if u.Scheme != "file" {
		return "", fmt.Errorf("--sqlite-url must start with file: (got %q)", raw)
	}
	p := u.Path
	if p == "" {
		p = u.Opaque
	}
	if !strings.HasSuffix(p, "/") {
		return "", fmt.Errorf("--sqlite-url must name a directory and end with / (got %q)", raw)
	}
	return filepath.Clean(p), nil
}

// watchParent calls stop once the process parentPID no longer exists.
func watchParent(ctx context.Context, parentPID int, logger *slog.Logger, stop context.CancelFunc) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := syscall.Kill(parentPID, 0); err == syscall.ESRCH {
				logger.Warn("parent process is gone, shutting down", "parent_pid", parentPID)
				stop()
				return
			}
		}
	}
}
