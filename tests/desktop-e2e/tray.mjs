// The app's tray, driven the way a desktop shell drives it: over the session bus. Zapis's tray is an
// Ayatana AppIndicator, which exports a StatusNotifierItem and its menu as a com.canonical.dbusmenu
// object; panels read the menu's layout from it and send "clicked" events back. `gdbus`
// (libglib2.0-bin) does the calls, so the test needs no D-Bus library of its own.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ITEMS = '/org/ayatana/NotificationItem';
const DBUS = ['--dest', 'org.freedesktop.DBus', '--object-path', '/org/freedesktop/DBus'];

async function gdbus(...args) {
  const { stdout } = await run('gdbus', args, { timeout: 5_000 });
  return stdout.trim();
}

async function call(dest, path, method, ...args) {
  // `--` keeps arguments such as -1 from being read as options.
  return gdbus('call', '--session', '--dest', dest, '--object-path', path, '--method', method, '--', ...args);
}

/** The bus connections of the process `pid` (an app has several: GTK, AT-SPI, the indicator). */
async function connectionsOf(pid) {
  const names = (await gdbus('call', '--session', ...DBUS, '--method', 'org.freedesktop.DBus.ListNames'))
    .match(/':[0-9.]+'/g)
    ?.map((n) => n.slice(1, -1)) ?? [];
  const mine = [];
  for (const name of names) {
    const owner = await gdbus('call', '--session', ...DBUS, '--method',
      'org.freedesktop.DBus.GetConnectionUnixProcessID', name).catch(() => '');
    if (new RegExp(`\\b${pid}\\b`).test(owner)) mine.push(name);
  }
  return mine;
}

/** Parses a dbusmenu GetLayout reply (GVariant text) into its top-level items. */
export function parseLayout(text) {
  const items = [];
  for (const match of text.matchAll(/<\((\d+), \{([^}]*)\}, @?av \[\]\)>/g)) {
    const props = match[2];
    const label = props.match(/'label': <'((?:[^'\\]|\\.)*)'>/)?.[1];
    items.push({
      id: Number(match[1]),
      label: label ?? null,
      separator: /'type': <'separator'>/.test(props),
      enabled: !/'enabled': <false>/.test(props),
    });
  }
  return items;
}

export class Tray {
  constructor(dest, itemPath, menuPath) {
    this.dest = dest;
    this.itemPath = itemPath;
    this.menuPath = menuPath;
  }

  /** Finds the tray of the app running as `pid`; waits for it to appear. */
  static async find(pid, { timeoutMs = 15_000 } = {}) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const dest of await connectionsOf(pid)) {
        const tree = await gdbus('introspect', '--session', '--dest', dest, '--object-path', ITEMS).catch(() => '');
        const node = tree.match(/^\s+node ([^/\s]\S*) \{/m);
        if (!node) continue;
        const item = `${ITEMS}/${node[1]}`;
        const menu = (await call(dest, item, 'org.freedesktop.DBus.Properties.Get', 'org.kde.StatusNotifierItem', 'Menu'))
          .match(/objectpath '([^']+)'/)?.[1];
        if (menu) return new Tray(dest, item, menu);
      }
      if (Date.now() > deadline) throw new Error(`no tray (StatusNotifierItem with a menu) on the session bus for pid ${pid}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async items() {
    return parseLayout(await call(this.dest, this.menuPath, 'com.canonical.dbusmenu.GetLayout', '0', '-1', '@as []'));
  }

  async item(label) {
    const all = await this.items();
    const found = all.find((i) => i.label === label);
    if (!found) throw new Error(`the tray menu has no "${label}": ${JSON.stringify(all.map((i) => i.label))}`);
    return found;
  }

  /** Clicks a menu item as a panel does when the user picks it. */
  async click(label) {
    const { id, enabled } = await this.item(label);
    if (!enabled) throw new Error(`the tray's "${label}" is disabled`);
    await call(this.dest, this.menuPath, 'com.canonical.dbusmenu.Event', String(id), 'clicked', '<int32 0>', '0');
  }

  /** The icon file the indicator shows now, and its bytes. */
  async icon() {
    const reply = await call(this.dest, this.itemPath, 'org.freedesktop.DBus.Properties.Get', 'org.kde.StatusNotifierItem', 'IconName');
    const path = reply.match(/<'([^']+)'>/)?.[1];
    if (!path) throw new Error(`the tray has no icon: ${reply}`);
    return { path, bytes: await readFile(path) };
  }
}
