// Deals: the list (by stage, add one), and a deal's page — stage and next step, stakeholders with their roles (add
// one), its call notes, running processes with links to the Temporal Web UI, the timeline, and "log a call / note".
import { ApiError, api, listAll, qs } from './api.js';
import { append, h, money, personName, replace, timeEl, words } from './dom.js';
import { actionButton, callNoteList, facts, field, formError, logActivityForm, onSubmit, problemBox, processTable, section, timelineList } from './parts.js';

const stages = ['discovery', 'qualification', 'demo', 'proposal', 'negotiation', 'closed_won', 'closed_lost'];
const roles = ['champion', 'economic_buyer', 'decision_maker', 'approver', 'blocker', 'influencer', 'user'];
const toMinor = (v) => (v === null || v === undefined || v === '' ? null : Math.round(Number(String(v).replace(',', '.')) * 100));

export const dealsScreen = {
  title: 'Deals',
  mount(ctx) {
    const stageFilter = h('select', { id: 'deal-stage' }, h('option', { value: '' }, 'All stages'), stages.map((s) => h('option', { value: s }, words(s))));
    const tableEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    let accounts = new Map();
    const accountOptions = h('div');
    const createForm = h('form', { class: 'stack', 'aria-label': 'Add a deal', novalidate: true });
    append(ctx.root, 
      h('h1', { tabindex: '-1' }, 'Deals'),
      h('details', { class: 'panel' }, h('summary', null, 'Add a deal'), accountOptions, createForm),
      h('div', { class: 'field' }, h('label', { for: 'deal-stage' }, 'Stage'), stageFilter),
      tableEl);
    stageFilter.addEventListener('change', () => void load());

    async function load() {
      try {
        const deals = await listAll('/v1/deals', { stage: stageFilter.value || undefined }, 1000);
        replace(tableEl, deals.length === 0 ? h('p', null, 'No deals here yet.') : h('table', null,
          h('caption', { class: 'visually-hidden' }, 'Deals'),
          h('thead', null, h('tr', null, ['Deal', 'Account', 'Stage', 'Amount', 'Close date', 'Next step'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, deals.map((d) => h('tr', null,
            h('td', null, h('a', { href: `#/deals/${d.id}` }, d.name)),
            h('td', null, accounts.get(d.accountId) ?? '—'),
            h('td', null, words(d.stage)),
            h('td', { class: 'num' }, money(d.amountMinor, d.currency)),
            h('td', null, d.closeDate ?? '—'),
            h('td', null, d.nextStep ?? '—', d.nextStepDueAt ? [' · ', timeEl(d.nextStepDueAt)] : ''))))));
      } catch (err) {
        replace(tableEl, problemBox(err));
      }
    }

    void (async () => {
      const list = await listAll('/v1/accounts', {}, 1000).catch(() => []);
      accounts = new Map(list.map((a) => [a.id, a.name]));
      append(createForm, 
        formError(),
        h('div', { class: 'grid2' },
          field({ label: 'Deal name', name: 'name', required: true }),
          field({ label: 'Account', name: 'accountId', kind: 'select', required: true, options: [['', list.length ? 'Choose…' : 'No accounts yet'], ...list.map((a) => [a.id, a.name])] }),
          field({ label: 'Stage', name: 'stage', kind: 'select', value: 'discovery', options: stages.map((s) => [s, words(s)]) }),
          field({ label: 'Amount', name: 'amount', type: 'text', attrs: { inputmode: 'decimal' }, hint: 'e.g. 12000' }),
          field({ label: 'Currency', name: 'currency', value: 'EUR', attrs: { maxlength: 3 } }),
          field({ label: 'Close date', name: 'closeDate', type: 'date' })),
        h('button', { type: 'submit', class: 'primary' }, 'Add deal'));
      onSubmit(createForm, (v) => {
        const amountMinor = toMinor(v.amount);
        if (Number.isNaN(amountMinor) || (amountMinor !== null && amountMinor < 0)) throw new ApiError({ status: 0, detail: 'Check the amount.', errors: [{ field: 'body.amount', message: 'Write the amount as a number, e.g. 12000 or 12000.50' }] });
        return api('/v1/deals', {
          method: 'POST',
          body: { name: v.name ?? '', accountId: v.accountId ?? '', stage: v.stage, amountMinor, currency: amountMinor === null ? null : (v.currency ?? '').toUpperCase(), closeDate: v.closeDate, ownerMemberId: ctx.me.actorId },
        });
      }, (deal) => {
        ctx.announce(`Added the deal ${deal.name}`);
        location.hash = `#/deals/${deal.id}`;
      });
      await load();
    })();
  },
};

export const dealScreen = {
  title: 'Deal',
  mount(ctx) {
    const id = ctx.params.id;
    const heading = h('h1', { tabindex: '-1' }, 'Deal');
    const factsEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    const editEl = h('div');
    const stakeholdersEl = h('div');
    const addEl = h('div');
    const processesEl = h('div');
    const callNotesEl = h('div');
    const timelineEl = h('div');
    let deal = null;
    let lastKey = '';

    append(ctx.root, 
      h('p', null, h('a', { href: '#/deals' }, '← All deals')),
      heading,
      factsEl,
      section('Stage and next step', editEl),
      section('Stakeholders', stakeholdersEl, addEl),
      section('Call notes', h('p', null, h('a', { href: `#/call-notes?dealId=${encodeURIComponent(id)}`, class: 'button' }, 'Paste call notes')), callNotesEl),
      section('Processes', processesEl),
      section('Log a call or note', h('div', { id: 'deal-log' })),
      section('Timeline', timelineEl));

    function drawFacts(d, accountName) {
      heading.textContent = d.name;
      document.title = `${d.name} · Closeloop`;
      replace(factsEl, facts([
        ['Account', accountName],
        ['Stage', words(d.stage)],
        ['Amount', money(d.amountMinor, d.currency)],
        ['Close date', d.closeDate],
        ['Next step', d.nextStep ? [d.nextStep, d.nextStepDueAt ? [' · due ', timeEl(d.nextStepDueAt)] : ''] : 'none — set one below'],
      ]));
    }

    async function refresh(force = false) {
      const [overview, notes] = await Promise.all([api(`/v1/deals/${id}/overview`), api(`/v1/call-notes${qs({ dealId: id, limit: 10 })}`).catch((err) => err)]);
      const key = JSON.stringify([overview, notes.data ?? notes.message]);
      if (key === lastKey && !force) return;
      lastKey = key;
      replace(stakeholdersEl, overview.stakeholders.length === 0 ? h('p', { class: 'muted' }, 'No stakeholders yet: single-threaded deals are at risk. Add the people involved.') : h('table', null,
        h('caption', { class: 'visually-hidden' }, 'Stakeholders'),
        h('thead', null, h('tr', null, ['Person', 'Title', 'Role', 'Influence', 'Sentiment', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, overview.stakeholders.map((s) => h('tr', null,
          h('td', null, h('a', { href: `#/contacts/${s.contactId}` }, s.name ?? 'Unnamed contact')),
          h('td', null, s.title ?? '—'),
          h('td', null, h('span', { class: `badge role-${s.role}` }, words(s.role))),
          h('td', null, s.influence ? words(s.influence) : '—'),
          h('td', null, s.sentiment ? words(s.sentiment) : '—'),
          h('td', null, actionButton('Remove', async () => {
            await api(`/v1/stakeholders/${s.id}`, { method: 'DELETE' });
            ctx.announce(`Removed ${s.name ?? 'the stakeholder'}`);
            await refresh(true);
          }, { 'aria-label': `Remove ${s.name ?? 'stakeholder'} (${words(s.role)}) from this deal`, 'data-key': `rm-${s.id}` })))))));
      // The call notes are a part of the page: when they cannot be read, the rest still shows.
      replace(callNotesEl, notes instanceof Error ? problemBox(notes) : callNoteList(notes.data));
      replace(processesEl, processTable(overview.processes));
      replace(timelineEl, timelineList(overview.items));
    }

    void (async () => {
      try {
        deal = await api(`/v1/deals/${id}`);
        const [account, contacts] = await Promise.all([api(`/v1/accounts/${deal.accountId}`).catch(() => null), listAll('/v1/contacts', {}, 2000).catch(() => [])]);
        drawFacts(deal, account?.name);

        const edit = h('form', { class: 'stack', 'aria-label': 'Stage and next step', novalidate: true }, formError(),
          h('div', { class: 'grid2' },
            field({ label: 'Stage', name: 'stage', kind: 'select', value: deal.stage, options: stages.map((s) => [s, words(s)]) }),
            field({ label: 'Next step', name: 'nextStep', value: deal.nextStep ?? '' }),
            field({ label: 'Next step due', name: 'nextStepDueAt', type: 'datetime-local', value: deal.nextStepDueAt ? new Date(Date.parse(deal.nextStepDueAt) - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16) : '' })),
          h('button', { type: 'submit', class: 'primary' }, 'Save stage and next step'));
        onSubmit(edit, (v) => api(`/v1/deals/${id}`, { method: 'PATCH', body: { stage: v.stage, nextStep: v.nextStep, nextStepDueAt: v.nextStepDueAt ? new Date(v.nextStepDueAt).toISOString() : null } }), async (updated) => {
          deal = updated;
          drawFacts(updated, account?.name);
          ctx.announce('Deal saved');
          await refresh(true);
        });
        replace(editEl, edit);

        // Anyone may play a part (a consultant, a parent company's CFO); the account's own people come first.
        const onDeal = contacts.filter((c) => !c.erasedAt).sort((a, b) => Number(b.accountId === deal.accountId) - Number(a.accountId === deal.accountId) || personName(a).localeCompare(personName(b)));
        const add = h('form', { class: 'stack', 'aria-label': 'Add a stakeholder', novalidate: true }, formError(),
          h('div', { class: 'grid2' },
            field({ label: 'Person', name: 'contactId', kind: 'select', required: true, options: [['', 'Choose a contact…'], ...onDeal.map((c) => [c.id, `${personName(c)}${c.title ? ` — ${c.title}` : ''}`])] }),
            field({ label: 'Role', name: 'role', kind: 'select', required: true, value: 'champion', options: roles.map((r) => [r, words(r)]) }),
            field({ label: 'Influence', name: 'influence', kind: 'select', options: [['', 'Unknown'], ['low', 'Low'], ['medium', 'Medium'], ['high', 'High']] }),
            field({ label: 'Sentiment', name: 'sentiment', kind: 'select', value: 'unknown', options: [['unknown', 'Unknown'], ['positive', 'Positive'], ['neutral', 'Neutral'], ['negative', 'Negative']] })),
          h('button', { type: 'submit' }, 'Add stakeholder'));
        onSubmit(add, (v) => api('/v1/stakeholders', { method: 'POST', body: { dealId: id, contactId: v.contactId ?? '', role: v.role, influence: v.influence, sentiment: v.sentiment } }), async () => {
          add.reset();
          ctx.announce('Stakeholder added');
          await refresh(true);
        });
        replace(addEl, h('h3', null, 'Add a stakeholder'), add);

        ctx.root.querySelector('#deal-log').replaceWith(logActivityForm({ dealId: id, accountId: deal.accountId, me: ctx.me, done: async () => { ctx.announce('Saved to the timeline'); await refresh(true); } }));
        await refresh(true);
      } catch (err) {
        replace(factsEl, problemBox(err));
      }
    })();
    ctx.every(5000, async () => {
      if (deal) await refresh();
    });
  },
};
