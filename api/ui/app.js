// The rep cockpit: loads the page configuration and the session, draws the header and routes hash URLs (#/now,
// #/approvals/<id>, …) to one screen module each. Screens get a context: their root element, the route's params,
// who is signed in, and helpers that are undone when the person leaves the screen (timers, key handlers).
import { api, session, whenUnauthorized } from './api.js';
import { h, replace } from './dom.js';
import { signinScreen } from './screen-signin.js';
import { nowScreen } from './screen-now.js';
import { approvalsScreen } from './screen-approvals.js';
import { startScreen } from './screen-start.js';
import { contactScreen, contactsScreen } from './screen-contacts.js';
import { dealScreen, dealsScreen } from './screen-deals.js';
import { callNoteScreen, callNotesScreen } from './screen-call-notes.js';
import { outboxScreen } from './screen-outbox.js';
import { settingsScreen } from './screen-settings.js';
import { managerScreen } from './screen-manager.js';
import { duplicatesScreen } from './screen-duplicates.js';

const routes = [
  ['/signin', signinScreen],
  ['/now', nowScreen],
  ['/approvals', approvalsScreen],
  ['/approvals/:id', approvalsScreen],
  ['/start', startScreen],
  ['/contacts', contactsScreen],
  ['/contacts/:id', contactScreen],
  ['/deals', dealsScreen],
  ['/deals/:id', dealScreen],
  ['/call-notes', callNotesScreen],
  ['/call-notes/:id', callNoteScreen],
  ['/outbox', outboxScreen],
  ['/manager', managerScreen],
  ['/duplicates', duplicatesScreen],
  ['/settings', settingsScreen],
];

const nav = [
  ['/now', 'What to do now'],
  ['/approvals', 'Approvals'],
  ['/start', 'Start a playbook'],
  ['/contacts', 'Contacts'],
  ['/deals', 'Deals'],
  ['/call-notes', 'Call notes'],
  ['/outbox', 'Outbox'],
  ['/manager', 'Manager view', ['manager', 'admin']],
  ['/duplicates', 'Duplicates', ['manager', 'admin']],
  ['/settings', 'Settings'],
];

const state = { config: null, me: null, current: null, notice: null };
const main = document.getElementById('main');
const top = document.getElementById('top');
const announcer = document.getElementById('announcer');

/** Says something to screen-reader users (and shows it briefly in the header for everyone). */
function announce(message) {
  announcer.textContent = '';
  requestAnimationFrame(() => {
    announcer.textContent = message;
  });
}

function parseHash() {
  const raw = location.hash.slice(1) || '/now';
  const [path, search = ''] = raw.split('?');
  return { path, query: new URLSearchParams(search) };
}

function match(path) {
  for (const [pattern, screen] of routes) {
    const names = [];
    const regex = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, name) => (names.push(name), '([^/]+)'))}$`);
    const found = regex.exec(path);
    if (found) return { pattern, screen, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(found[i + 1])])) };
  }
  return null;
}

async function loadMe() {
  const me = await api('/v1/me');
  if (me.kind === 'member') {
    const member = await api(`/v1/members/${me.actorId}`).catch(() => null);
    me.name = member?.displayName ?? null;
    me.email = member?.email ?? null;
  }
  return me;
}

function drawHeader(activePath) {
  if (!state.me) {
    top.replaceChildren(h('p', { class: 'brand' }, 'Closeloop'));
    return;
  }
  const me = state.me;
  const links = nav.filter(([, , roles]) => !roles || roles.includes(me.role));
  replace(top,
    h('p', { class: 'brand' }, h('a', { href: '#/now', 'data-key': 'brand' }, 'Closeloop')),
    h('nav', { 'aria-label': 'Main' },
      h('ul', null, links.map(([path, label]) => h('li', null,
        h('a', { href: `#${path}`, 'data-key': `nav-${path}`, 'aria-current': activePath === path || activePath.startsWith(`${path}/`) ? 'page' : null }, label))))),
    h('div', { class: 'who' },
      h('span', null, 'Signed in as ', h('strong', null, me.name ?? me.email ?? me.actorId), ` (${me.role})`),
      h('button', { type: 'button', class: 'link', 'data-key': 'signout', onClick: signOut }, 'Sign out')));
}

function signOut() {
  session.end();
  state.me = null;
  state.notice = 'You are signed out.';
  location.hash = '#/signin';
}

function leaveScreen() {
  const current = state.current;
  state.current = null;
  for (const fn of current?.cleanups ?? []) {
    try {
      fn();
    } catch {
      // a cleanup that fails must not keep the next screen from drawing
    }
  }
}

async function route() {
  if (!location.hash.startsWith('#/') && location.hash !== '') return; // e.g. the skip link's #main
  const { path, query } = parseHash();
  const found = match(path);
  if (!found) {
    leaveScreen();
    drawHeader(path);
    main.replaceChildren(h('h1', { tabindex: '-1' }, 'Page not found'), h('p', null, 'There is no page at this address. ', h('a', { href: '#/now' }, 'Go to What to do now')));
    main.querySelector('h1').focus();
    return;
  }
  if (found.screen !== signinScreen && !state.me) {
    location.replace(`#/signin?next=${encodeURIComponent(location.hash.slice(1))}`);
    return;
  }
  if (found.screen === signinScreen && state.me) {
    location.replace('#/now');
    return;
  }
  drawHeader(path);
  document.title = `${found.screen.title} · Closeloop`;
  // The same screen with other params (e.g. the next approval): let it update in place.
  if (state.current?.screen === found.screen && state.current.instance?.update) {
    state.current.instance.update(found.params, query);
    return;
  }
  leaveScreen();
  const root = h('div', { class: 'screen' });
  main.replaceChildren(root);
  const current = { screen: found.screen, cleanups: [], instance: null };
  state.current = current;
  if (found.screen.roles && !found.screen.roles.includes(state.me.role)) {
    root.append(h('h1', { tabindex: '-1' }, found.screen.title), h('p', { role: 'alert' }, `This view is for ${found.screen.roles.join(' and ')}s. You are signed in as a ${state.me.role}.`));
    root.querySelector('h1').focus();
    return;
  }
  const ctx = {
    root,
    params: found.params,
    query,
    me: state.me,
    config: state.config,
    announce,
    notice: state.notice,
    onCleanup: (fn) => current.cleanups.push(fn),
    /** Re-runs fn every ms while this screen is shown and the tab visible (one run at a time). */
    every(ms, fn) {
      let busy = false;
      const timer = setInterval(async () => {
        if (document.hidden || busy || state.current !== current) return;
        busy = true;
        try {
          await fn();
        } catch {
          // a failed refresh is retried on the next tick; the screen keeps what it shows
        } finally {
          busy = false;
        }
      }, ms);
      current.cleanups.push(() => clearInterval(timer));
    },
    /** After sign-in: who is signed in, then where they were going. */
    async signedIn(next) {
      state.me = await loadMe();
      state.notice = null;
      location.replace(`#${next && next.startsWith('/') && !next.startsWith('/signin') ? next : '/now'}`);
    },
  };
  state.notice = null;
  current.instance = found.screen.mount(ctx) ?? null;
  if (!root.contains(document.activeElement)) root.querySelector('h1')?.focus();
}

async function boot() {
  document.querySelector('.skip-link')?.addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  whenUnauthorized(() => {
    if (!state.me) return;
    session.end();
    state.me = null;
    state.notice = 'Your session has ended. Sign in again.';
    location.hash = `#/signin?next=${encodeURIComponent(parseHash().path)}`;
  });
  try {
    state.config = await fetch('config.json', { headers: { accept: 'application/json' } }).then((r) => {
      if (!r.ok) throw new Error(`config.json: ${r.status}`);
      return r.json();
    });
  } catch {
    main.replaceChildren(h('h1', null, 'Closeloop'), h('p', { role: 'alert' }, 'Cannot load the page configuration from the server. Reload to try again.'));
    return;
  }
  if (session.token) {
    try {
      state.me = await loadMe();
    } catch (err) {
      session.end();
      state.notice = err.detail || 'Your session has ended. Sign in again.';
    }
  }
  window.addEventListener('hashchange', () => void route());
  await route();
}

void boot();
