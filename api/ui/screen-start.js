// Start a playbook: pick one, tick one or many contacts (with a filter), enrol; then a result per contact — enrolled,
// or refused with every reason in words — and each new cadence's progress as it runs.
import { ApiError, api, listAll } from './api.js';
import { append, h, personName, replace, timeEl, words } from './dom.js';
import { field, formError, onSubmit, problemBox, refusalText } from './parts.js';

const delayText = (d) => (d && d.amount > 0 ? `after ${d.amount} ${words(d.unit)}` : 'right away');
const stepText = { auto_email: 'email', manual_email: 'email you send', call_task: 'call task', linkedin_task: 'LinkedIn task', custom_task: 'task' };

export const startScreen = {
  title: 'Start a playbook',
  mount(ctx) {
    const selected = new Set(ctx.query.get('contact') ? [ctx.query.get('contact')] : []);
    let playbooks = [];
    let contacts = [];
    let results = [];
    const progress = new Map();

    const summary = h('div', { class: 'playbook-summary', 'aria-live': 'polite' });
    const filter = h('input', { type: 'search', id: 'contact-filter', placeholder: 'Name, email or title', autocomplete: 'off' });
    const countEl = h('p', { class: 'muted', 'aria-live': 'polite' });
    const listEl = h('ul', { class: 'check-list', 'aria-label': 'Contacts to enrol' }, h('li', { class: 'muted' }, 'Loading contacts…'));
    const submit = h('button', { type: 'submit', class: 'primary' }, 'Enrol');
    const playbookField = field({ label: 'Playbook', name: 'playbookKey', kind: 'select', options: [['', 'Loading…']], required: true });
    const form = h('form', { class: 'stack', 'aria-label': 'Enrol contacts in a playbook', novalidate: true },
      formError(),
      playbookField,
      summary,
      h('fieldset', null,
        h('legend', null, 'Contacts'),
        h('div', { class: 'field' }, h('label', { for: 'contact-filter' }, 'Filter contacts'), filter),
        h('div', { class: 'actions' },
          h('button', { type: 'button', onClick: () => { visible().forEach((c) => selected.add(c.id)); drawContacts(); } }, 'Select all shown'),
          h('button', { type: 'button', onClick: () => { selected.clear(); drawContacts(); } }, 'Clear selection')),
        countEl,
        listEl),
      submit);
    const resultsEl = h('section', { 'aria-labelledby': 'results-h', class: 'panel', hidden: true });

    append(ctx.root, 
      h('h1', { tabindex: '-1' }, 'Start a playbook'),
      h('p', { class: 'lede' }, 'Enrol contacts in a follow-up cadence. Each contact is checked first (consent, suppression, other cadences); the reasons show if one cannot be enrolled.'),
      form,
      resultsEl);

    const select = form.elements.namedItem('playbookKey');
    select.addEventListener('change', drawSummary);
    filter.addEventListener('input', drawContacts);

    function drawSummary() {
      const p = playbooks.find((x) => x.key === select.value);
      if (!p) {
        replace(summary);
        return;
      }
      const steps = p.definition?.steps ?? [];
      replace(summary, h('p', null, `${p.name}, version ${p.version}: ${steps.length} step${steps.length === 1 ? '' : 's'}`),
        h('ol', null, steps.map((s) => h('li', null, `${stepText[s.kind] ?? words(s.kind)} ${delayText(s.delay)}${s.subject ? `: “${s.subject}”` : ''}`))));
    }

    const label = (c) => `${personName(c)}`;
    const visible = () => {
      const q = filter.value.trim().toLowerCase();
      if (!q) return contacts;
      return contacts.filter((c) => [personName(c), c.title, ...(c.emails ?? [])].filter(Boolean).join(' ').toLowerCase().includes(q));
    };

    function drawContacts() {
      const shown = visible();
      const n = selected.size;
      countEl.textContent = `${n} selected · ${shown.length} of ${contacts.length} shown`;
      submit.textContent = n === 1 ? 'Enrol 1 contact' : `Enrol ${n} contacts`;
      replace(listEl, shown.length === 0 ? h('li', { class: 'muted' }, contacts.length ? 'No contact matches the filter.' : 'No contacts yet.') : shown.slice(0, 500).map((c) => {
        const id = `pick-${c.id}`;
        const flags = [c.doNotContact ? 'do not contact' : null, c.emails?.length ? null : 'no email', c.erasedAt ? 'erased' : null].filter(Boolean);
        return h('li', null,
          h('input', { type: 'checkbox', id, 'data-key': id, checked: selected.has(c.id), onChange: (event) => { if (event.target.checked) selected.add(c.id); else selected.delete(c.id); drawCount(); } }),
          h('label', { for: id }, h('strong', null, label(c)), ' ', h('span', { class: 'muted' }, [c.emails?.[0], c.title].filter(Boolean).join(' · ')), flags.length ? h('span', { class: 'badge warn' }, flags.join(', ')) : null));
      }));
    }
    function drawCount() {
      const n = selected.size;
      countEl.textContent = `${n} selected · ${visible().length} of ${contacts.length} shown`;
      submit.textContent = n === 1 ? 'Enrol 1 contact' : `Enrol ${n} contacts`;
    }

    function drawResults() {
      resultsEl.hidden = false;
      const enrolled = results.filter((r) => r.enrolled).length;
      const byId = new Map(contacts.map((c) => [c.id, c]));
      replace(resultsEl,
        h('h2', { id: 'results-h', tabindex: '-1' }, 'Results'),
        h('p', { role: 'status' }, `${enrolled} enrolled, ${results.length - enrolled} not enrolled.`),
        h('table', null,
          h('thead', null, h('tr', null, ['Contact', 'Result', 'Progress'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, results.map((r) => {
            const c = byId.get(r.contactId);
            const p = progress.get(r.contactId);
            return h('tr', null,
              h('td', null, h('a', { href: `#/contacts/${r.contactId}` }, c ? label(c) : r.contactId)),
              h('td', null, r.enrolled ? h('span', { class: 'badge ok' }, 'Enrolled') : [h('span', { class: 'badge warn' }, 'Not enrolled'), ' ', r.refusals.map(refusalText).join('; ')]),
              h('td', null, !r.enrolled ? '—' : p ? [h('span', { class: `badge status-${p.status}` }, words(p.status)), p.step ? ` ${words(p.step)}` : '', p.waitingOn ? ` — waiting on ${p.waitingOn}` : '', p.nextActionAt ? [' · next ', timeEl(p.nextActionAt)] : ''] : 'Starting…'));
          }))));
    }

    async function refreshProgress() {
      const running = results.filter((r) => r.enrolled).slice(0, 25);
      if (!running.length) return;
      let changed = false;
      await Promise.all(running.map(async (r) => {
        const { processes } = await api(`/v1/contacts/${r.contactId}/timeline`);
        const p = processes.find((x) => x.workflowId === r.workflowId) ?? null;
        if (JSON.stringify(p) !== JSON.stringify(progress.get(r.contactId) ?? null)) {
          progress.set(r.contactId, p);
          changed = true;
        }
      }));
      if (changed) drawResults();
    }

    onSubmit(form, async (v) => {
      const errors = [];
      if (!v.playbookKey) errors.push({ field: 'body.playbookKey', message: 'Choose a playbook' });
      if (selected.size === 0) errors.push({ field: 'body.contactIds', message: 'Tick at least one contact' });
      if (errors.length) throw new ApiError({ status: 0, detail: 'Choose a playbook and at least one contact.', errors: errors.map((e) => (e.field === 'body.contactIds' ? { field: 'Contacts', message: e.message } : e)) });
      const ids = [...selected];
      const all = [];
      for (let i = 0; i < ids.length; i += 200) {
        const { results: part } = await api('/v1/enrolments', { method: 'POST', body: { playbookKey: v.playbookKey, contactIds: ids.slice(i, i + 200) } });
        all.push(...part);
      }
      return all;
    }, (all) => {
      results = all;
      progress.clear();
      const enrolled = all.filter((r) => r.enrolled).length;
      ctx.announce(`${enrolled} enrolled, ${all.length - enrolled} not enrolled`);
      selected.clear();
      drawContacts();
      drawResults();
      resultsEl.querySelector('h2').focus();
      void refreshProgress().catch(() => undefined);
    });
    ctx.every(3000, refreshProgress);

    void (async () => {
      try {
        const [pb, cs] = await Promise.all([api('/v1/playbooks'), listAll('/v1/contacts', {}, 2000)]);
        playbooks = pb.data.sort((a, b) => a.name.localeCompare(b.name));
        contacts = cs.filter((c) => !c.erasedAt).sort((a, b) => personName(a).localeCompare(personName(b)));
        replace(select, h('option', { value: '' }, playbooks.length ? 'Choose a playbook…' : 'No playbooks yet (a manager creates them)'),
          playbooks.map((p) => h('option', { value: p.key }, `${p.name} (v${p.version})`)));
        if (playbooks.length === 1) select.value = playbooks[0].key;
        drawSummary();
        drawContacts();
      } catch (err) {
        form.prepend(problemBox(err));
      }
    })();
  },
};
