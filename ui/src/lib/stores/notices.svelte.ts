// App-wide messages (errors from the shell, confirmations) shown in one live region.
export interface Notice {
  id: number;
  kind: 'error' | 'info';
  text: string;
}

let items = $state<Notice[]>([]);
let nextId = 1;

export const notices = {
  get items(): Notice[] {
    return items;
  },
  push(kind: Notice['kind'], text: string): void {
    // The same failure arriving repeatedly (e.g. a device error per chunk) shows once.
    if (items.some((n) => n.kind === kind && n.text === text)) return;
    items = [...items.slice(-4), { id: nextId++, kind, text }];
  },
  dismiss(id: number): void {
    items = items.filter((n) => n.id !== id);
  },
  clear(): void {
    items = [];
  },
};
