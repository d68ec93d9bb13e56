// Settings (admins): the organisation (postal address, approval policy and deadlines, caps, pause-all), what call
// notes may change on their own, members and invitations, sender identities and their caps, connected mailboxes, API
// keys and webhook secrets. Secrets and tokens the server creates are shown once, here, and never again. Reps and
// managers see the call-notes settings only, read-only.
import { api, ApiError, listAll } from './api.js';
import { append, h, replace, timeEl, uid, words } from './dom.js';
import { actionButton, facts, field, formError, intOrNull, onSubmit, problemBox, section } from './parts.js';

const roles = [['rep', 'Rep'], ['manager', 'Manager'], ['admin', 'Admin']];

/**
 * What each call-note proposal does unless the organisation overrides it: a copy of defaultProposalPolicies in
 * domain/call-note-proposals.ts (this page cannot import domain code; the browser test compares the two).
 */
export const callNoteDefaults = Object.freeze({
  summary: 'apply', next_step: 'apply', callback: 'apply', meeting: 'apply',
  objection: 'apply', competitor: 'apply', pain: 'apply', qualification: 'apply', commitment: 'apply', risk: 'apply',
  deal_stage: 'approve', deal_amount: 'approve', deal_close_date: 'approve', contact_new: 'approve', stakeholder_role: 'approve',
});
/** The kinds that change CRM records, as the settings name them (the summary and the insights only record the call). */
const callNoteKinds = [
  ['deal_stage', 'Deal stage changes'],
  ['deal_amount', 'Deal amount changes'],
  ['deal_close_date', 'Close date changes'],
  ['contact_new', 'New contacts'],
  ['stakeholder_role', 'Stakeholder roles'],
  ['next_step', 'Tasks from next steps'],
  ['callback', 'Call-backs'],
  ['meeting', 'Meetings'],
];
const policyOptions = [['apply', 'Apply at once'], ['approve', 'Ask for approval']];
const policyWords = { apply: 'Applied at once', approve: 'Waits for approval' };
const DAY_MINUTES = 24 * 60;
const daysOf = (minutes) => (minutes % DAY_MINUTES === 0 ? minutes / DAY_MINUTES : Number((minutes / DAY_MINUTES).toFixed(2)));
const durationText = (minutes) => (minutes % DAY_MINUTES === 0 ? `${minutes / DAY_MINUTES} ${minutes === DAY_MINUTES ? 'day' : 'days'}` : `${minutes} minutes`);

/** A value the server shows once: a read-only field to copy from, and a copy button. */
function shownOnce(label, value, extra) {
  const id = uid('once');
  const input = h('input', { id, type: 'text', readonly: true, value, class: 'mono', spellcheck: 'false' });
  return h('div', { class: 'secret' },
    h('label', { for: id }, label),
    h('div', { class: 'row' }, input, h('button', { type: 'button', onClick: async (event) => {
      input.select();
      try {
        await navigator.clipboard.writeText(value);
        event.target.textContent = 'Copied';
      } catch {
        event.target.textContent = 'Selected: press Ctrl+C';
      }
    } }, 'Copy')),
    h('p', { class: 'hint' }, 'Copy it now: it is not shown again.', extra ? ` ${extra}` : ''));
}

export const settingsScreen = {
  title: 'Settings',
  mount(ctx) {
    if (ctx.me.role !== 'admin') return mountReadOnly(ctx);
    const orgEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    const membersEl = h('div');
    const invitationsEl = h('div');
    const sendersEl = h('div');
    const connectionsEl = h('div');
    const keysEl = h('div');
    const secretsEl = h('div');
    const callNotesEl = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
    const callNotesFlash = h('div', { class: 'flash', role: 'status' });
    let members = [];
    const memberName = (id) => members.find((m) => m.id === id)?.displayName ?? 'former member';

    append(ctx.root, 
      h('h1', { tabindex: '-1' }, 'Settings'),
      h('nav', { 'aria-label': 'Settings sections', class: 'toc' }, h('ul', null,
        [['set-org', 'Organisation'], ['set-call-notes', 'Call notes'], ['set-members', 'Members and invitations'], ['set-senders', 'Sender identities'], ['set-mailboxes', 'Connected mailboxes'], ['set-keys', 'API keys'], ['set-hooks', 'Webhook secrets']]
          .map(([id, text]) => h('li', null, h('a', { href: `#/settings`, onClick: (event) => { event.preventDefault(); const el = document.getElementById(id); el?.scrollIntoView(); el?.querySelector('h2')?.focus(); } }, text))))),
      withId('set-org', section('Organisation', orgEl)),
      withId('set-call-notes', section('Call notes', callNotesIntro(), callNotesFlash, callNotesEl)),
      withId('set-members', section('Members and invitations', membersEl, invitationsEl)),
      withId('set-senders', section('Sender identities', sendersEl)),
      withId('set-mailboxes', section('Connected mailboxes', connectionsEl)),
      withId('set-keys', section('API keys', keysEl)),
      withId('set-hooks', section('Webhook secrets', secretsEl)));
    for (const h2 of ctx.root.querySelectorAll('section > h2')) h2.setAttribute('tabindex', '-1');

    function withId(id, el) {
      el.id = id;
      return el;
    }

    // ---- Organisation
    async function drawOrg() {
      const org = await api('/v1/organisation');
      const pause = h('input', { type: 'checkbox', role: 'switch', id: 'pause-all', checked: org.pauseAllSending, 'aria-describedby': 'pause-all-hint' });
      const pauseState = h('strong', { 'aria-live': 'polite' }, org.pauseAllSending ? 'Paused: nothing is sent' : 'Sending');
      pause.addEventListener('change', async () => {
        pause.disabled = true;
        pause.parentElement.querySelector('.form-error')?.remove();
        try {
          const updated = await api('/v1/organisation', { method: 'PATCH', body: { pauseAllSending: pause.checked } });
          pause.checked = updated.pauseAllSending;
          pauseState.textContent = updated.pauseAllSending ? 'Paused: nothing is sent' : 'Sending';
          ctx.announce(updated.pauseAllSending ? 'All sending is paused' : 'Sending resumed');
        } catch (err) {
          pause.checked = !pause.checked;
          pause.parentElement.append(problemBox(err));
        } finally {
          pause.disabled = false;
        }
      });
      const form = h('form', { class: 'stack', 'aria-label': 'Organisation settings', novalidate: true }, formError(),
        h('div', { class: 'grid2' },
          field({ label: 'Name', name: 'name', value: org.name, required: true }),
          field({ label: 'Time zone', name: 'timeZone', value: org.timeZone, hint: 'IANA name, e.g. Europe/Berlin' })),
        field({ label: 'Postal address', name: 'postalAddress', kind: 'textarea', value: org.postalAddress ?? '', hint: 'Printed at the foot of every email: anti-spam law requires it.', attrs: { rows: 3, maxlength: 500 } }),
        h('fieldset', null, h('legend', null, 'Approval policy'),
          field({ label: 'Which emails need a person', name: 'defaultApprovalPolicy', kind: 'select', value: org.defaultApprovalPolicy, options: [['require_approval', 'Every email'], ['auto_send_templates', 'Only AI drafts and emails quoting the buyer (templates go out on their own)']] }),
          h('div', { class: 'grid2' },
            field({ label: 'Decide within (minutes)', name: 'approvalSla.slaMinutes', type: 'number', value: org.approvalSla.slaMinutes, attrs: { min: 1 } }),
            field({ label: 'Remind this many minutes before', name: 'approvalSla.reminderBeforeMinutes', type: 'number', value: org.approvalSla.reminderBeforeMinutes, attrs: { min: 0 }, hint: '0: no reminder' }),
            field({ label: 'When not decided in time', name: 'approvalSla.onExpiry', kind: 'select', value: org.approvalSla.onExpiry, options: [['escalate', 'Escalate to managers'], ['skip', 'Skip this email'], ['expire', 'Expire (the cadence stops waiting)']] }),
            field({ label: 'Managers decide within (minutes)', name: 'approvalSla.escalationSlaMinutes', type: 'number', value: org.approvalSla.escalationSlaMinutes, attrs: { min: 1 } }))),
        h('fieldset', null, h('legend', null, 'Organisation-wide sending caps'),
          h('div', { class: 'grid2' },
            field({ label: 'Emails per day', name: 'dailySendCap', type: 'number', value: org.dailySendCap, attrs: { min: 1 } }),
            field({ label: 'Emails per minute', name: 'perMinuteSendCap', type: 'number', value: org.perMinuteSendCap, attrs: { min: 1 } }))),
        h('button', { type: 'submit', class: 'primary' }, 'Save organisation settings'));
      onSubmit(form, (v) => api('/v1/organisation', {
        method: 'PATCH',
        body: {
          name: v.name ?? '',
          timeZone: v.timeZone ?? '',
          postalAddress: v.postalAddress,
          defaultApprovalPolicy: v.defaultApprovalPolicy,
          approvalSla: { slaMinutes: intOrNull(v['approvalSla.slaMinutes']), reminderBeforeMinutes: intOrNull(v['approvalSla.reminderBeforeMinutes']), onExpiry: v['approvalSla.onExpiry'], escalationSlaMinutes: intOrNull(v['approvalSla.escalationSlaMinutes']) },
          dailySendCap: intOrNull(v.dailySendCap),
          perMinuteSendCap: intOrNull(v.perMinuteSendCap),
        },
      }), () => ctx.announce('Organisation settings saved'));
      replace(orgEl,
        h('div', { class: 'switch-row' },
          pause,
          h('label', { for: 'pause-all' }, 'Pause all sending'),
          ' ', pauseState,
          h('p', { class: 'hint', id: 'pause-all-hint' }, 'Stops every email of the organisation at once (cadences wait); switch it off to resume.')),
        form);
    }

    // ---- Call notes: which proposals apply at once, the approval deadline, the recap draft, the meeting brief's lead
    async function drawCallNotes(org) {
      org ??= await api('/v1/organisation');
      const policy = org.callNotesPolicy;
      const effective = (kind) => policy.policies[kind] ?? callNoteDefaults[kind];
      const days = field({ label: 'Approval deadline (days)', name: 'callNotesPolicy.approvalSlaMinutes', type: 'number', value: daysOf(policy.approvalSlaMinutes), hint: 'A change nobody decides on by then expires unapplied. 1 to 28 days.', attrs: { min: 1, max: 28, step: 1 } });
      const daysInput = days.querySelector('input');
      const form = h('form', { class: 'stack', 'aria-label': 'Call-notes settings', novalidate: true }, formError(),
        h('fieldset', null, h('legend', null, 'What call notes change'),
          h('div', { class: 'grid2' }, callNoteKinds.map(([kind, label]) =>
            field({ label, name: `callNotesPolicy.policies.${kind}`, kind: 'select', value: effective(kind), options: policyOptions, hint: `Default: ${policyOptions.find(([v]) => v === callNoteDefaults[kind])[1].toLowerCase()}` })))),
        h('div', { class: 'grid2' },
          days,
          field({ label: 'Meeting brief: minutes before the meeting', name: 'meetingBriefLeadMinutes', type: 'number', value: org.meetingBriefLeadMinutes, hint: 'When the prep brief reaches the rep: 5 to 10080 (a week).', attrs: { min: 5, max: 10_080, step: 1 } })),
        field({ label: 'Draft a recap email to the buyer', name: 'callNotesPolicy.draftRecap', type: 'checkbox', value: policy.draftRecap, hint: 'After each call; it always waits for a person before it is sent.' }),
        h('button', { type: 'submit', class: 'primary', 'data-key': 'save-call-notes' }, 'Save call-notes settings'));
      onSubmit(form, (v) => {
        // Days on the page, minutes in the API; an untouched field keeps the stored minutes exactly.
        let approvalSlaMinutes = policy.approvalSlaMinutes;
        if (daysInput.value !== daysInput.defaultValue) {
          const n = v['callNotesPolicy.approvalSlaMinutes'] === null ? NaN : Number(v['callNotesPolicy.approvalSlaMinutes']);
          if (!Number.isInteger(n) || n < 1 || n > 28) {
            throw new ApiError({ status: 400, title: 'Invalid input', detail: 'Some fields are not valid.', errors: [{ field: 'body.callNotesPolicy.approvalSlaMinutes', message: 'Whole days from 1 to 28' }] });
          }
          approvalSlaMinutes = n * DAY_MINUTES;
        }
        // Only overrides go to the API: a kind set back to its default follows the default again. Overrides of kinds
        // this form does not show (set through the API) are kept.
        const policies = Object.fromEntries(Object.entries(policy.policies).filter(([kind, value]) => !callNoteKinds.some(([k]) => k === kind) && value !== callNoteDefaults[kind]));
        for (const [kind] of callNoteKinds) {
          const value = v[`callNotesPolicy.policies.${kind}`];
          if (value !== callNoteDefaults[kind]) policies[kind] = value;
        }
        return api('/v1/organisation', {
          method: 'PATCH',
          body: { callNotesPolicy: { policies, approvalSlaMinutes, draftRecap: v['callNotesPolicy.draftRecap'] }, meetingBriefLeadMinutes: intOrNull(v.meetingBriefLeadMinutes) },
        });
      }, async (updated) => {
        await drawCallNotes(updated);
        callNotesFlash.replaceChildren(h('p', null, 'Call-notes settings saved.'));
        ctx.announce('Call-notes settings saved');
      });
      form.addEventListener('input', () => callNotesFlash.replaceChildren());
      replace(callNotesEl, form);
    }

    // ---- Members and invitations
    async function drawMembers() {
      members = await listAll('/v1/members', {}, 1000);
      replace(membersEl, h('h3', null, 'Members'), h('table', null,
        h('thead', null, h('tr', null, ['Name', 'Email', 'Role', 'Status', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, members.map((m) => {
          const role = h('select', { 'aria-label': `Role of ${m.displayName}`, 'data-key': `role-${m.id}`, disabled: m.status === 'removed' }, roles.map(([v, t]) => h('option', { value: v, selected: v === m.role }, t)));
          role.addEventListener('change', async () => {
            role.parentElement.querySelector('.form-error')?.remove();
            try {
              await api(`/v1/members/${m.id}`, { method: 'PATCH', body: { role: role.value } });
              ctx.announce(`${m.displayName} is now ${role.value === 'admin' ? 'an' : 'a'} ${role.value}`);
            } catch (err) {
              role.value = m.role;
              role.parentElement.append(problemBox(err));
            }
          });
          return h('tr', null,
            h('td', null, m.displayName, m.id === ctx.me.actorId ? h('span', { class: 'muted' }, ' (you)') : null),
            h('td', null, m.email),
            h('td', null, role),
            h('td', null, words(m.status)),
            h('td', null, m.status === 'active' && m.id !== ctx.me.actorId ? actionButton('Remove', async () => {
              await api(`/v1/members/${m.id}`, { method: 'PATCH', body: { status: 'removed' } });
              ctx.announce(`${m.displayName} was removed`);
              await drawMembers();
            }, { class: 'danger', 'aria-label': `Remove ${m.displayName} from the organisation`, 'data-key': `rm-${m.id}` }) : null));
        }))));
    }

    async function drawInvitations(created) {
      const { data } = await api('/v1/invitations');
      const now = Date.now();
      const state = (i) => (i.acceptedAt ? 'accepted' : i.revokedAt ? 'revoked' : Date.parse(i.expiresAt) < now ? 'expired' : 'pending');
      const form = h('form', { class: 'stack', 'aria-label': 'Invite someone', novalidate: true }, formError(),
        h('div', { class: 'grid2' },
          field({ label: 'Their name', name: 'displayName', required: true }),
          field({ label: 'Their email', name: 'email', type: 'email', required: true }),
          field({ label: 'Role', name: 'role', kind: 'select', value: 'rep', options: roles })),
        h('button', { type: 'submit' }, 'Invite'));
      onSubmit(form, (v) => api('/v1/invitations', { method: 'POST', body: { displayName: v.displayName ?? '', email: v.email ?? '', role: v.role } }), async (result) => {
        ctx.announce(`Invitation created for ${result.invitation.email}`);
        await drawInvitations(result);
      });
      replace(invitationsEl,
        h('h3', null, 'Invitations'),
        created ? shownOnce(`Invitation token for ${created.invitation.email}`, created.token, 'Send it to them: they paste it when they first sign in.') : null,
        data.length === 0 ? h('p', { class: 'muted' }, 'No invitations.') : h('table', null,
          h('thead', null, h('tr', null, ['Name', 'Email', 'Role', 'State', 'Expires', ''].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, data.map((i) => h('tr', null,
            h('td', null, i.displayName), h('td', null, i.email), h('td', null, i.role), h('td', null, state(i)), h('td', null, timeEl(i.expiresAt)),
            h('td', null, state(i) === 'pending' ? actionButton('Revoke', async () => {
              await api(`/v1/invitations/${i.id}`, { method: 'DELETE' });
              ctx.announce(`Invitation for ${i.email} revoked`);
              await drawInvitations();
            }, { class: 'danger', 'aria-label': `Revoke the invitation for ${i.email}` }) : null))))),
        h('h4', null, 'Invite someone'),
        form);
    }

    // ---- Sender identities
    async function drawSenders() {
      const mailboxes = await listAll('/v1/mailboxes', {}, 500);
      const cards = mailboxes.map((m) => {
        const form = h('form', { class: 'stack', 'aria-label': `Caps of ${m.fromAddress}`, novalidate: true }, formError(),
          h('div', { class: 'grid3' },
            field({ label: 'Emails per day', name: 'dailyCap', type: 'number', value: m.dailyCap, attrs: { min: 1 } }),
            field({ label: 'Emails per minute', name: 'perMinuteCap', type: 'number', value: m.perMinuteCap, attrs: { min: 1 } }),
            field({ label: 'Per recipient domain per day', name: 'perRecipientDomainDailyCap', type: 'number', value: m.perRecipientDomainDailyCap, attrs: { min: 1 } })),
          field({ label: 'Paused', name: 'paused', type: 'checkbox', value: m.paused }),
          field({ label: 'Why paused', name: 'pausedReason', value: m.pausedReason ?? '' }),
          h('button', { type: 'submit' }, `Save ${m.fromAddress}`));
        onSubmit(form, (v) => api(`/v1/mailboxes/${m.id}`, { method: 'PATCH', body: { dailyCap: intOrNull(v.dailyCap), perMinuteCap: intOrNull(v.perMinuteCap), perRecipientDomainDailyCap: intOrNull(v.perRecipientDomainDailyCap), paused: v.paused, pausedReason: v.paused ? v.pausedReason : null } }), () => ctx.announce(`Saved ${m.fromAddress}`));
        return h('article', { class: 'card', 'aria-label': `Sender ${m.fromAddress}` },
          h('h3', null, `${m.fromName} <${m.fromAddress}>`),
          h('p', { class: 'muted' }, `Owner: ${memberName(m.memberId)} · Domain ${m.sendingDomain}: `, h('span', { class: `badge domain-${m.domainStatus}` }, words(m.domainStatus)), m.replyTo ? ` · replies to ${m.replyTo}` : ''),
          form);
      });
      const add = h('form', { class: 'stack', 'aria-label': 'Add a sender identity', novalidate: true }, formError(),
        h('div', { class: 'grid2' },
          field({ label: 'Member', name: 'memberId', kind: 'select', required: true, options: [['', 'Choose…'], ...members.filter((m) => m.status === 'active').map((m) => [m.id, m.displayName])] }),
          field({ label: 'From address', name: 'fromAddress', type: 'email', required: true }),
          field({ label: 'From name', name: 'fromName', required: true }),
          field({ label: 'Reply-to (optional)', name: 'replyTo', type: 'email' })),
        h('button', { type: 'submit' }, 'Add sender identity'));
      onSubmit(add, (v) => api('/v1/mailboxes', { method: 'POST', body: { memberId: v.memberId ?? '', fromAddress: v.fromAddress ?? '', fromName: v.fromName ?? '', replyTo: v.replyTo } }), async (m) => {
        ctx.announce(`Added ${m.fromAddress}`);
        await drawSenders();
      });
      replace(sendersEl, cards.length ? cards : h('p', { class: 'muted' }, 'No sender identities yet: nobody can send.'), h('h3', null, 'Add a sender identity'), add);
    }

    // ---- Connected mailboxes
    async function drawConnections() {
      const connections = await listAll('/v1/mailbox-connections', {}, 500);
      const connect = actionButton('Connect your Gmail', async () => {
        const { consentUrl } = await api('/v1/mailbox-connections/gmail', { method: 'POST', body: {} });
        location.assign(consentUrl);
      }, { class: 'primary' });
      replace(connectionsEl,
        h('p', { class: 'hint' }, 'Gmail access is read and compose only: Closeloop never sends from a connected mailbox; it files drafts and reads replies.'),
        h('div', { class: 'actions' }, connect),
        connections.length === 0 ? h('p', { class: 'muted' }, 'No mailboxes connected.') : h('table', null,
          h('thead', null, h('tr', null, ['Mailbox', 'Owner', 'State', 'Last sync', 'Last error', ''].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, connections.map((c) => h('tr', null,
            h('td', null, c.emailAddress, h('span', { class: 'muted' }, ` (${c.provider})`)),
            h('td', null, memberName(c.memberId)),
            h('td', null, h('span', { class: `badge status-${c.status}` }, words(c.status)), c.statusReason ? ` — ${c.statusReason}` : ''),
            h('td', null, timeEl(c.lastSyncAt)),
            h('td', null, c.lastError ?? '—'),
            h('td', { class: 'actions' },
              c.status === 'connected' ? actionButton('Sync now', async () => {
                await api(`/v1/mailbox-connections/${c.id}/sync`, { method: 'POST', body: {} });
                ctx.announce(`Syncing ${c.emailAddress}`);
              }, { 'aria-label': `Sync ${c.emailAddress} now` }) : null,
              c.status !== 'revoked' ? actionButton('Disconnect', async () => {
                await api(`/v1/mailbox-connections/${c.id}/disconnect`, { method: 'POST', body: {} });
                ctx.announce(`Disconnected ${c.emailAddress}`);
                await drawConnections();
              }, { class: 'danger', 'aria-label': `Disconnect ${c.emailAddress}` }) : null))))));
    }

    // ---- API keys
    async function drawKeys(created) {
      const { data } = await api('/v1/api-keys');
      const form = h('form', { class: 'stack', 'aria-label': 'Create an API key', novalidate: true }, formError(),
        h('div', { class: 'grid2' },
          field({ label: 'Key name', name: 'name', required: true, hint: 'What uses it, e.g. "CRM sync"' }),
          field({ label: 'Acts as', name: 'role', kind: 'select', value: 'rep', options: roles })),
        h('button', { type: 'submit' }, 'Create API key'));
      onSubmit(form, (v) => api('/v1/api-keys', { method: 'POST', body: { name: v.name ?? '', role: v.role } }), async (result) => {
        ctx.announce(`API key ${result.apiKey.name} created`);
        await drawKeys(result);
      });
      replace(keysEl,
        created ? shownOnce(`New API key “${created.apiKey.name}”`, created.key) : null,
        data.length === 0 ? h('p', { class: 'muted' }, 'No API keys.') : h('table', null,
          h('thead', null, h('tr', null, ['Name', 'Prefix', 'Acts as', 'Created', 'Last used', ''].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, data.map((k) => h('tr', null,
            h('td', null, k.name), h('td', { class: 'mono' }, k.prefix), h('td', null, k.role), h('td', null, timeEl(k.createdAt)), h('td', null, timeEl(k.lastUsedAt)),
            h('td', null, k.revokedAt ? ['revoked ', timeEl(k.revokedAt, { showRelative: false })] : actionButton('Revoke', async () => {
              await api(`/v1/api-keys/${k.id}`, { method: 'DELETE' });
              ctx.announce(`API key ${k.name} revoked`);
              await drawKeys();
            }, { class: 'danger', 'aria-label': `Revoke the API key ${k.name}` })))))),
        h('h3', null, 'Create an API key'),
        form);
    }

    // ---- Webhook secrets
    async function drawSecrets(created) {
      const { data } = await api('/v1/webhook-secrets');
      const hookUrl = (source) => `${location.origin}/v1/hooks/${source}/${ctx.me.orgId}`;
      const resend = h('form', { class: 'stack', 'aria-label': 'Add the Resend signing secret', novalidate: true }, formError(),
        field({ label: 'Resend signing secret', name: 'secret', hint: 'From the webhook page at Resend (whsec_…).', attrs: { autocomplete: 'off', spellcheck: 'false' } }),
        h('button', { type: 'submit' }, 'Save Resend secret'));
      onSubmit(resend, (v) => api('/v1/webhook-secrets', { method: 'POST', body: { source: 'resend', secret: v.secret ?? '' } }), async () => {
        ctx.announce('Resend signing secret saved');
        await drawSecrets();
      });
      replace(secretsEl,
        h('p', { class: 'hint' }, 'Adding a new secret rotates: the previous one keeps verifying for 24 hours.'),
        created ? shownOnce('New Closeloop hook secret', created.secret, `Sign deliveries to ${hookUrl('closeloop')} with it.`) : null,
        data.length === 0 ? h('p', { class: 'muted' }, 'No secrets: webhooks are refused.') : h('table', null,
          h('thead', null, h('tr', null, ['Source', 'Endpoint', 'Created', 'Verifies until'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', null, data.map((w) => h('tr', null, h('td', null, w.source), h('td', { class: 'mono' }, hookUrl(w.source)), h('td', null, timeEl(w.createdAt)), h('td', null, w.expiresAt ? timeEl(w.expiresAt) : 'until replaced'))))),
        h('div', { class: 'actions' }, actionButton('Create a Closeloop hook secret', async () => {
          const result = await api('/v1/webhook-secrets', { method: 'POST', body: { source: 'closeloop' } });
          ctx.announce('New Closeloop hook secret created: copy it now');
          await drawSecrets(result);
          secretsEl.querySelector('.secret input')?.focus();
        })),
        h('h3', null, 'Resend'),
        resend);
    }

    const guard = (el, fn) => fn().catch((err) => replace(el, problemBox(err)));
    void (async () => {
      await Promise.all([guard(orgEl, drawOrg), guard(callNotesEl, () => drawCallNotes()), guard(membersEl, drawMembers)]);
      await Promise.all([guard(invitationsEl, () => drawInvitations()), guard(sendersEl, drawSenders), guard(connectionsEl, drawConnections), guard(keysEl, () => drawKeys()), guard(secretsEl, () => drawSecrets())]);
    })();
  },
};

const callNotesIntro = () => h('p', { class: 'hint' }, 'What a pasted call note may change in the CRM on its own, and what waits for a person in Approvals. The summary and the findings (objections, competitors, risks…) are always recorded on the call.');

/** Reps and managers: the call-notes settings they work under, read-only. */
function mountReadOnly(ctx) {
  const el = h('div', null, h('p', { class: 'muted' }, 'Loading…'));
  append(ctx.root,
    h('h1', { tabindex: '-1' }, 'Settings'),
    h('p', { class: 'lede' }, 'How your organisation is set up. Only admins change these settings.'),
    section('Call notes', callNotesIntro(), el));
  void (async () => {
    const org = await api('/v1/organisation');
    const policy = org.callNotesPolicy;
    replace(el, h('div', { class: 'stack' },
      h('table', null,
        h('caption', { class: 'visually-hidden' }, 'What call notes change'),
        h('thead', null, h('tr', null, ['Change', 'What happens'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, callNoteKinds.map(([kind, label]) => h('tr', null,
          h('th', { scope: 'row' }, label),
          h('td', null, policyWords[policy.policies[kind] ?? callNoteDefaults[kind]]))))),
      facts([
        ['Approval deadline', durationText(policy.approvalSlaMinutes)],
        ['Recap email to the buyer', policy.draftRecap ? 'Drafted after each call (waits for approval)' : 'Not drafted'],
        ['Meeting brief', `${org.meetingBriefLeadMinutes} minutes before the meeting`],
      ])));
  })().catch((err) => replace(el, problemBox(err)));
}
