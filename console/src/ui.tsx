import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describe } from './api';

/** A status as a word and a colour (never the colour alone); unknown words get the neutral colour. */
const TONES: Readonly<Record<string, string>> = {
  sent: 'ok',
  delivered: 'ok',
  read: 'ok',
  received: 'ok',
  connected: 'ok',
  healthy: 'ok',
  queued: 'wait',
  scheduled: 'wait',
  pending: 'wait',
  degraded: 'warn',
  suppressed: 'warn',
  cancelled: 'warn',
  not_configured: 'muted',
  failed: 'bad',
  undelivered: 'bad',
  disconnected: 'bad',
  unhealthy: 'bad',
};

export function Status({ value }: { value: string }) {
  return <span class={`status tone-${TONES[value] ?? 'muted'}`}>{value.replace('_', ' ')}</span>;
}

/** A moment in the reader's own time zone, with the ISO value on hover. */
export function Time({ value }: { value?: string }) {
  if (!value) return <span>–</span>;
  const date = new Date(value);
  return <time dateTime={value} title={value}>{Number.isNaN(date.getTime()) ? value : date.toLocaleString()}</time>;
}

export function Recipients({ value }: { value?: string | string[] }) {
  return <span>{Array.isArray(value) ? value.join(', ') : (value ?? '–')}</span>;
}

export function ErrorNote({ error }: { error: unknown }) {
  return error ? <p class="error" role="alert">{describe(error)}</p> : null;
}

export function Page({ title, children }: { title: string; children: ComponentChildren }) {
  useEffect(() => {
    document.title = `${title} · Messaging console`;
  }, [title]);
  return (
    <>
      {/* Focus moves here on every navigation (app.tsx), so a screen reader hears the new page. */}
      <h1 tabIndex={-1}>{title}</h1>
      {children}
    </>
  );
}

export interface Loaded<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  /** Loads again now (after a change the user made); a load in flight is superseded. */
  reload: () => void;
  /** Loads again unless a load is still in flight: for timers, so a slow API is never starved. */
  refresh: () => void;
}

/** Runs `load` now and whenever `key` changes; `reload` runs it again. The last call wins. */
export function useLoad<T>(load: () => Promise<T>, key: string): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const inFlight = useRef(false);
  useEffect(() => {
    let current = true;
    inFlight.current = true;
    setState((previous) => ({ ...previous, loading: true }));
    const settle = (next: (previous: typeof state) => typeof state) => {
      if (!current) return;
      inFlight.current = false;
      setState(next);
    };
    load().then(
      (data) => settle(() => ({ data, loading: false })),
      (error: unknown) => settle((previous) => ({ data: previous.data, error, loading: false })),
    );
    return () => {
      current = false;
    };
    // `load` is a new closure on each render; `key` says when what it loads changed.
  }, [key, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const refresh = useCallback(() => {
    if (!inFlight.current) setTick((n) => n + 1);
  }, []);
  return { ...state, reload, refresh };
}

/** Calls `tick` every `ms` while the tab is visible, and once when it becomes visible again. */
export function useVisibleInterval(tick: () => void, ms: number, enabled: boolean): void {
  useEffect(() => {
    if (!enabled) return undefined;
    const timer = setInterval(() => document.visibilityState === 'visible' && tick(), ms);
    const shown = () => document.visibilityState === 'visible' && tick();
    document.addEventListener('visibilitychange', shown);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', shown);
    };
  }, [tick, ms, enabled]);
}
