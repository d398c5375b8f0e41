import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';
import { BASE } from './api';

/** A tiny history router: the app's paths are relative to BASE (e.g. `/users/42`). */

const listeners = new Set<() => void>();

export function currentPath(): string {
  const p = window.location.pathname;
  const rel = p.startsWith(BASE) ? p.slice(BASE.length - 1) : p === BASE.slice(0, -1) ? '/' : p;
  return rel || '/';
}

export function navigate(to: string, replace = false) {
  const url = BASE + to.replace(/^\//, '');
  if (replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  listeners.forEach((l) => l());
  window.scrollTo(0, 0);
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = () => setTick((t) => t + 1);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return { path: currentPath(), search: new URLSearchParams(window.location.search) };
}

export function Link({ to, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={BASE + to.replace(/^\//, '')} onClick={onClick} {...rest} />;
}
