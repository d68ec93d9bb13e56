// Contacts: the list (filter, add one), and a contact's page — who they are, their cadences (pause, resume, stop),
// running processes with links to the Temporal Web UI, open tasks, the timeline, and "log a call / note".
import { api, listAll, qs } from './api.js';
import { append, h, personName, replace, timeEl, words } from './dom.js';
import {
  actionButton, endReasonText, enrolmentItems, facts, field, formError, logActivityForm, onSubmit, playbookKeyOf, problemBox, processTable, section, timelineList,
} from './parts.js';

const lawfulBases = [['', 'Choose…'], ['legitimate_interest', 'Legitimate interest'], ['consent', 'Consent'], ['contract', 'Contract'], ['none', 'None recorded (cannot be enrolled)']];

export const contactsScreen = {
  title: 'Contacts',
  mount(ctx) {
    let contacts = [];
    let accounts = new Map();
    let cursor = null;
    const filter = h('input', { type: 'search', id: 'contacts-filter', autocomplete: 'off', placeholder: 'Name, email, title or account' });
    const tableEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    const more = h('button', { type: 'button', hidden: true, onClick: () => void load() }, 'Load more');
    const createForm = h('form', { class: 'stack', 'aria-label': 'Add a contact', novalidate: true },
      formError(),
      h('div', { class: 'grid2' },
        field({ label: 'First name', name: 'firstName', attrs: { autocomplete: 'off' } }),
        field({ label: 'Last name', name: 'lastName', attrs: { autocomplete: 'off' } }),
        field({ label: 'Email', name: 'emails', type: 'email', attrs: { autocomplete: 'off' } }),
        field({ label: 'Title', name: 'title' }),
        field({ label: 'Country', name: 'country', hint: 'Two letters, e.g. DE', attrs: { maxlength: 2 } }),
        field({ label: 'Lawful basis for contacting them', name: 'lawfulBasis', kind: 'select', options: lawfulBases, required: true })),
      h('button', { type: 'submit', class: 'primary' }, 'Add contact'));
    onSubmit(createForm, (v) => api('/v1/contacts', {
      method: 'POST',
      body: { firstName: v.firstName, lastName: v.lastName, title: v.title, emails: v.emails ? [v.emails] : [], country: v.country ? v.country.toUpperCase() : null, ...(v.lawfulBasis ? { lawfulBasis: v.lawfulBasis } : {}) },
    }), (created) => {
      ctx.announce(`Added ${personName(created)}`);
      location.hash = `#/contacts/${created.id}`;
    });

    append(ctx.root, 
      h('h1', { tabindex: '-1' }, 'Contacts'),
      h('details', { class: 'panel' }, h('summary', null, 'Add a contact'), createForm),
      h('div', { class: 'field' }, h('label', { for: 'contacts-filter' }, 'Filter contacts'), filter),
      tableEl,
      more);
    filter.addEventListener('input', draw);

    function draw() {
      const q = filter.value.trim().toLowerCase();
      const shown = q ? contacts.filter((c) => [personName(c), c.title, accounts.get(c.accountId), ...(c.emails ?? [])].filter(Boolean).join(' ').toLowerCase().includes(q)) : contacts;
      replace(tableEl, shown.length === 0 ? h('p', null, contacts.length ? 'No contact matches the filter.' : 'No contacts yet.') : h('table', null,
        h('caption', { class: 'visually-hidden' }, 'Contacts'),
        h('thead', null, h('tr', null, ['Name', 'Email', 'Title', 'Account'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, shown.map((c) => h('tr', null,
          h('td', null, h('a', { href: `#/contacts/${c.id}` }, personName(c)), c.doNotContact ? h('span', { class: 'badge warn' }, 'do not contact') : null),
          h('td', null, c.emails?.[0] ?? '—'),
          h('td', null, c.title ?? '—'),
          h('td', null, c.accountId ? accounts.get(c.accountId) ?? '—' : '—'))))));
    }

    async function load() {
      try {
        const page = await api(`/v1/contacts${qs({ limit: 200, cursor })}`);
        contacts.push(...page.data.filter((c) => !c.erasedAt));
        cursor = page.nextCursor;
        more.hidden = !cursor;
        draw();
      } catch (err) {
        replace(tableEl, problemBox(err));
      }
    }
    void (async () => {
      accounts = new Map((await listAll('/v1/accounts', {}, 1000).catch(() => [])).map((a) => [a.id, a.name]));
      contacts = [];
      await load();
    })();
  },
};

export const contactScreen = {
  title: 'Contact',
  mount(ctx) {
    const id = ctx.params.id;
    const heading = h('h1', { tabindex: '-1' }, 'Contact');
    const factsEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    const cadencesEl = h('div');
    const processesEl = h('div');
    const tasksEl = h('div');
    const timelineEl = h('div');
    let playbookNames = new Map();
    let contact = null;
    let lastKey = '';

    append(ctx.root, 
      h('p', null, h('a', { href: '#/contacts' }, '← All contacts')),
      heading,
      factsEl,
      h('div', { class: 'actions' }, h('a', { class: 'button primary', href: `#/start?contact=${encodeURIComponent(id)}` }, 'Start a playbook for this contact')),
      section('Cadences', cadencesEl),
      section('Processes', processesEl),
      section('Open tasks', tasksEl),
      section('Log a call or note', logActivityForm({ contactId: id, me: ctx.me, done: async () => { ctx.announce('Saved to the timeline'); await refresh(true); } })),
      section('Timeline', timelineEl));

    const playbookName = (e) => {
      const key = playbookKeyOf(e.workflowId);
      return playbookNames.get(key) ?? key ?? 'a playbook';
    };

    function drawCadences(enrolments, processes) {
      if (!enrolments.length) {
        replace(cadencesEl, h('p', { class: 'muted' }, 'Not in any cadence.'));
        return;
      }
      replace(cadencesEl, h('table', null,
        h('thead', null, h('tr', null, ['Playbook', 'Status', 'Started', 'Ended', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, enrolments.map((e) => {
          const process = processes.find((p) => p.workflowId === e.workflowId);
          const paused = process?.status === 'paused';
          const name = playbookName(e);
          const act = (action, label) => actionButton(label, async () => {
            await api(`/v1/enrolments/${e.id}/${action}`, { method: 'POST', body: {} });
            ctx.announce(`${label}: ${name}`);
            await refresh(true);
          }, { 'aria-label': `${label} the cadence ${name}`, 'data-key': `${action}-${e.id}`, class: action === 'stop' ? 'danger' : null });
          return h('tr', null,
            h('td', null, name),
            h('td', null, h('span', { class: `badge status-${paused ? 'paused' : e.status}` }, paused ? 'paused' : words(e.status)), e.endReason ? ` — ${endReasonText(e.endReason)}` : ''),
            h('td', null, timeEl(e.startedAt)),
            h('td', null, timeEl(e.endedAt)),
            h('td', { class: 'actions' }, e.status === 'active' ? [paused ? act('resume', 'Resume') : act('pause', 'Pause'), act('stop', 'Stop')] : '—'));
        }))));
    }

    function drawTasks(tasks) {
      replace(tasksEl, tasks.length === 0 ? h('p', { class: 'muted' }, 'No open tasks.') : h('ul', { class: 'plain' }, tasks.map((t) => h('li', { class: 'row' },
        h('span', null, h('strong', null, t.title), ' · ', words(t.kind), t.dueAt ? [' · due ', timeEl(t.dueAt)] : ''),
        actionButton('Mark done', async () => {
          await api(`/v1/tasks/${t.id}`, { method: 'PATCH', body: { status: 'done' } });
          ctx.announce(`Done: ${t.title}`);
          await refresh(true);
        }, { 'aria-label': `Mark done: ${t.title}`, 'data-key': `task-${t.id}` })))));
    }

    async function refresh(force = false) {
      const [timeline, enrolments, tasks] = await Promise.all([
        api(`/v1/contacts/${id}/timeline`),
        api(`/v1/enrolments${qs({ contactId: id, limit: 50 })}`),
        api(`/v1/tasks${qs({ contactId: id, status: 'open', limit: 50 })}`),
      ]);
      const key = JSON.stringify([timeline, enrolments.data, tasks.data]);
      if (key === lastKey && !force) return;
      lastKey = key;
      drawCadences(enrolments.data, timeline.processes);
      replace(processesEl, processTable(timeline.processes));
      drawTasks(tasks.data);
      const items = [...timeline.items, ...enrolmentItems(enrolments.data, playbookName)].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
      replace(timelineEl, timelineList(items));
    }

    void (async () => {
      try {
        const [c, pb] = await Promise.all([api(`/v1/contacts/${id}`), api('/v1/playbooks').catch(() => ({ data: [] }))]);
        contact = c;
        playbookNames = new Map(pb.data.map((p) => [p.key, p.name]));
        const account = c.accountId ? await api(`/v1/accounts/${c.accountId}`).catch(() => null) : null;
        heading.textContent = personName(c);
        document.title = `${personName(c)} · Closeloop`;
        replace(factsEl, facts([
          ['Title', c.title],
          ['Email', c.emails?.length ? c.emails.join(', ') : 'none'],
          ['Phone', c.phoneE164],
          ['Account', account?.name],
          ['Country', c.country],
          ['Lawful basis', words(c.lawfulBasis)],
          c.doNotContact ? ['Do not contact', 'Yes'] : null,
        ]));
        await refresh(true);
      } catch (err) {
        replace(factsEl, problemBox(err));
      }
    })();
    ctx.every(4000, async () => {
      if (contact) await refresh();
    });
  },
};
