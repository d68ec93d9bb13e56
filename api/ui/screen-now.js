// What to do now: approvals, tasks, callbacks and meetings in one queue by due time, each actionable in place.
import { api } from './api.js';
import { append, h, relative, replace, timeEl } from './dom.js';
import { actionButton, problemBox } from './parts.js';

const kindLabel = { approval: 'Approval', task: 'Task', callback: 'Call back', meeting: 'Meeting' };

export const nowScreen = {
  title: 'What to do now',
  mount(ctx) {
    const list = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
    let shown = '';
    append(ctx.root, 
      h('div', { class: 'title-row' },
        h('h1', { tabindex: '-1' }, 'What to do now'),
        h('button', { type: 'button', onClick: () => void load(true) }, 'Refresh')),
      h('p', { class: 'lede' }, 'Everything waiting for you, soonest first. Overdue items are marked.'),
      list);

    function item(i) {
      const dueText = i.dueAt ? (i.overdue ? `Overdue: was due ${relative(i.dueAt)}` : `Due ${relative(i.dueAt)}`) : 'No due time';
      const contact = i.contactId ? h('a', { href: `#/contacts/${i.contactId}`, 'data-key': `c-${i.id}` }, i.contactName ?? 'Contact') : null;
      let action = null;
      let title;
      if (i.kind === 'approval') {
        title = h('a', { href: `#/approvals/${i.id}`, 'data-key': `a-${i.id}` }, i.title);
        action = h('a', { href: `#/approvals/${i.id}`, class: 'button', 'aria-label': `Open approval: ${i.title}` }, 'Open');
      } else if (i.kind === 'task' || i.kind === 'callback') {
        title = h('span', null, i.title);
        action = actionButton('Mark done', async () => {
          await api(`/v1/tasks/${i.id}`, { method: 'PATCH', body: { status: 'done' } });
          ctx.announce(`Done: ${i.title}`);
          await load(true);
        }, { 'aria-label': `Mark done: ${i.title}`, 'data-key': `done-${i.id}` });
      } else {
        title = h('span', null, i.title);
      }
      return h('li', { class: i.overdue ? 'queue-item overdue' : 'queue-item' },
        h('span', { class: `badge kind-${i.kind}` }, kindLabel[i.kind] ?? i.kind),
        h('div', { class: 'queue-main' },
          h('p', { class: 'queue-title' }, title),
          h('p', { class: 'muted' }, contact ? ['With ', contact, ' · '] : null, i.overdue ? h('strong', { class: 'overdue-text' }, dueText) : dueText, i.dueAt ? [' · ', timeEl(i.dueAt, { showRelative: false })] : null)),
        h('div', { class: 'queue-action' }, action));
    }

    async function load(force = false) {
      try {
        const { items } = await api('/v1/now');
        const key = JSON.stringify(items);
        if (key === shown && !force) return;
        shown = key;
        const overdue = items.filter((i) => i.overdue).length;
        replace(list,
          items.length === 0
            ? h('p', null, 'Nothing waiting for you right now. ', h('a', { href: '#/start' }, 'Start a playbook'), '?')
            : [
                h('p', { class: 'muted' }, `${items.length} item${items.length === 1 ? '' : 's'}${overdue ? `, ${overdue} overdue` : ''}.`),
                h('ol', { class: 'queue', 'aria-label': 'Your queue' }, items.map(item)),
              ]);
      } catch (err) {
        replace(list, problemBox(err));
      } finally {
        list.setAttribute('aria-busy', 'false');
      }
    }
    void load();
    ctx.every(4000, load);
  },
};
