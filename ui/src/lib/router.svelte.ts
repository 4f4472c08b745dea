// Hash routing: the app is served from files by Tauri, so there is no server
// to answer deep links; everything after "#" is ours.

export type Route =
  | { name: 'calls' }
  | { name: 'call'; id: number }
  | { name: 'record' }
  | { name: 'live' }
  | { name: 'contacts' }
  | { name: 'contact'; email: string }
  | { name: 'team' }
  | { name: 'settings' };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '');
  const [head = '', ...rest] = path.split('/');
  const tail = rest.length > 0 ? safeDecode(rest.join('/')) : '';
  switch (head) {
    case 'calls':
      // Call ids are the library's positive integers; anything else is a stale or mistyped link.
      return /^[1-9]\d*$/.test(tail) ? { name: 'call', id: Number(tail) } : { name: 'calls' };
    case 'record':
      return { name: 'record' };
    case 'live':
      return { name: 'live' };
    case 'contacts':
      return tail ? { name: 'contact', email: tail } : { name: 'contacts' };
    case 'team':
      return { name: 'team' };
    case 'settings':
      return { name: 'settings' };
    default:
      return { name: 'calls' };
  }
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function href(route: Route): string {
  switch (route.name) {
    case 'call':
      return `#/calls/${route.id}`;
    case 'contact':
      return `#/contacts/${encodeURIComponent(route.email)}`;
    default:
      return `#/${route.name}`;
  }
}

let current = $state<Route>(parseRoute(typeof location === 'undefined' ? '' : location.hash));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    current = parseRoute(location.hash);
  });
}

export const router = {
  get route(): Route {
    return current;
  },
};

export function navigate(route: Route): void {
  const target = href(route);
  if (location.hash === target) {
    current = parseRoute(target);
  } else {
    location.hash = target;
  }
}
