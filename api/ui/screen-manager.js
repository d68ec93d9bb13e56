// The manager view: pipeline by stage (a small bar chart, with the numbers as text), approvals waiting past their
// deadline, and follow-up SLA compliance per rep over the last 30 days.
import { api, listAll } from './api.js';
import { append, h, money, percent, relative, replace, s, timeEl, words } from './dom.js';
import { problemBox, section } from './parts.js';

function pipelineChart(pipeline) {
  const width = 560;
  const barHeight = 22;
  const gap = 8;
  const labelWidth = 130;
  const max = Math.max(1, ...pipeline.map((p) => p.deals));
  const height = pipeline.length * (barHeight + gap) + gap;
  const total = pipeline.reduce((n, p) => n + p.deals, 0);
  return s('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-labelledby': 'chart-title chart-desc', class: 'chart' },
    s('title', { id: 'chart-title' }, 'Pipeline by stage'),
    s('desc', { id: 'chart-desc' }, `${total} deals: ${pipeline.map((p) => `${words(p.stage)} ${p.deals}`).join(', ')}.`),
    pipeline.map((p, i) => {
      const y = gap + i * (barHeight + gap);
      const w = Math.round(((width - labelWidth - 60) * p.deals) / max);
      return s('g', null,
        s('text', { x: labelWidth - 8, y: y + barHeight / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'chart-label' }, words(p.stage)),
        s('rect', { x: labelWidth, y, width: Math.max(p.deals ? 2 : 0, w), height: barHeight, rx: 3, class: `bar bar-${p.stage}` }),
        s('text', { x: labelWidth + w + 6, y: y + barHeight / 2, 'dominant-baseline': 'middle', class: 'chart-value' }, String(p.deals)));
    }));
}

export const managerScreen = {
  title: 'Manager view',
  roles: ['manager', 'admin'],
  mount(ctx) {
    const body = h('div', { 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
    append(ctx.root, 
      h('div', { class: 'title-row' }, h('h1', { tabindex: '-1' }, 'Manager view'), h('button', { type: 'button', onClick: () => void load() }, 'Refresh')),
      body);

    async function load() {
      body.setAttribute('aria-busy', 'true');
      try {
        const [summary, members] = await Promise.all([api('/v1/manager/summary'), listAll('/v1/members', { status: 'active' }, 1000).catch(() => [])]);
        // Reps with nothing due yet still get a row (the summary lists only those with follow-ups in the period).
        const sla = [...summary.followUpSla];
        for (const m of members) if (m.role === 'rep' && !sla.some((x) => x.memberId === m.id)) sla.push({ memberId: m.id, name: m.displayName, due: 0, onTime: 0, overdue: 0, compliance: null });
        sla.sort((a, b) => a.name.localeCompare(b.name));
        const now = Date.now();
        replace(body,
          h('p', { class: 'muted' }, 'Period: ', timeEl(summary.period.from, { showRelative: false }), ' to ', timeEl(summary.period.to, { showRelative: false })),
          section('Follow-up SLA compliance',
            h('p', { class: 'hint' }, 'Of the follow-ups that fell due (approvals of drafted emails, calls and other tasks the cadences created), the share done by their due time.'),
            sla.length === 0 ? h('p', null, 'No reps yet.') : h('table', null,
              h('caption', { class: 'visually-hidden' }, 'Follow-up SLA compliance per rep'),
              h('thead', null, h('tr', null, ['Rep', 'Fell due', 'On time', 'Overdue now', 'Compliance'].map((t) => h('th', { scope: 'col' }, t)))),
              h('tbody', null, sla.map((r) => h('tr', null,
                h('th', { scope: 'row' }, r.name),
                h('td', { class: 'num' }, String(r.due)),
                h('td', { class: 'num' }, String(r.onTime)),
                h('td', { class: 'num' }, r.overdue ? h('strong', { class: 'overdue-text' }, String(r.overdue)) : '0'),
                h('td', { class: 'num' }, h('span', { 'data-testid': `sla-${r.memberId}`, class: r.compliance !== null && r.compliance < 0.8 ? 'overdue-text' : null }, percent(r.compliance)), r.compliance === null ? h('span', { class: 'muted' }, ' nothing fell due') : null)))))),
          section('Approvals waiting past their SLA',
            summary.approvalsPastSla.length === 0 ? h('p', null, 'None: every draft was decided in time.') : h('ul', { class: 'plain' }, summary.approvalsPastSla.map((a) => h('li', { class: 'row' },
              h('span', null, h('a', { href: `#/approvals/${a.id}` }, a.subject ?? '(no subject)'), ` — ${a.ownerName}`, ' · ', h('strong', { class: 'overdue-text' }, `was due ${relative(a.dueAt, now)}`), a.escalated ? h('span', { class: 'badge warn' }, 'escalated') : null))))),
          section('Pipeline by stage',
            pipelineChart(summary.pipeline),
            h('table', null,
              h('caption', { class: 'visually-hidden' }, 'Pipeline by stage'),
              h('thead', null, h('tr', null, ['Stage', 'Deals', 'Amount'].map((t) => h('th', { scope: 'col' }, t)))),
              h('tbody', null, summary.pipeline.map((p) => h('tr', null, h('th', { scope: 'row' }, words(p.stage)), h('td', { class: 'num' }, String(p.deals)), h('td', { class: 'num' }, money(p.amountMinor, null)))))),
            h('p', { class: 'hint' }, 'Amounts are summed across currencies.')));
      } catch (err) {
        replace(body, problemBox(err));
      } finally {
        body.setAttribute('aria-busy', 'false');
      }
    }
    void load();
  },
};
