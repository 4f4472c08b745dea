// Hash routing: the app is served from files by Tauri, so there is no server
// to answer deep links; everything after "#" is ours.

export type Route =
  | { name: 'calls' }
  /** `line`: a transcript line (segment id) to bring into view, e.g. from a search result. */
  | { name: 'call'; id: number; line?: number }
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
    case 'calls': {
      // Call and line ids are the library's positive integers; anything else is a stale or
      // mistyped link.
      const id = /^([1-9]\d*)(?:\/line\/([1-9]\d*))?$/.exec(tail);
      if (!id) return { name: 'calls' };
      return id[2] ? { name: 'call', id: Number(id[1]), line: Number(id[2]) } : { name: 'call', id: Number(id[1]) };
    }
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
      return route.line ? `#/calls/${route.id}/line/${route.line}` : `#/calls/${route.id}`;
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
