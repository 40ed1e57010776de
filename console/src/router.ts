import { useEffect, useState } from 'preact/hooks';

/** Pages are addressed in the fragment (`#/activity?status=failed`), so the page itself has one URL. */
export interface Route {
  page: 'activity' | 'message' | 'templates' | 'template' | 'health' | 'suppressions';
  /** The message id or template name. */
  id?: string;
  params: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [first, second] = path.split('/').map((part) => decodeURIComponent(part));
  const params = new URLSearchParams(query);
  if (first === 'messages' && second) return { page: 'message', id: second, params };
  if (first === 'templates' && second) return { page: 'template', id: second, params };
  if (first === 'templates' || first === 'health' || first === 'suppressions') return { page: first, params };
  return { page: 'activity', params };
}

export function href(path: string, params?: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params ?? {})) if (value) query.set(name, value);
  return `#/${path}${query.size ? `?${query}` : ''}`;
}

export function navigate(target: string): void {
  location.hash = target;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}
